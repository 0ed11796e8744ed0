"""Replies read in the language of the person who asked (their Discord client's locale)."""

from __future__ import annotations

import pytest

from tests.support.gug import Gug


@pytest.mark.parametrize(
    ("locale", "heading"),
    [("pt-BR", "Grupos ativos"), ("es-419", "Grupos activos"), ("es-ES", "Grupos activos"),
     ("fr", "Active groups")],
)
async def test_about_answers_in_the_askers_language(gug: Gug, locale: str, heading: str) -> None:
    gug.sb.world.user("alice").locale = locale
    reply = await gug.sb.command("alice", "about")
    assert heading in reply.text


async def test_findgroup_answers_a_portuguese_member_in_portuguese(gug: Gug) -> None:
    gug.sb.world.user("alice").locale = "pt-BR"
    reply = await gug.sb.command("alice", "findgroup", place="Atlantis")
    # Atlantis is a town in South Africa, far from every group of the default world.
    assert reply.text.startswith("Grupos mais próximos\nAinda não há nenhum grupo em “Atlantis”.")
    assert "Crie um perto de você com /group propose!" in reply.text
