"""A member whose Discord speaks Spanish gets gugbot's answers in Spanish."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Gug
from tests.e2e.groups_support import active_group, configure


@pytest.fixture
async def spanish(gug: Gug) -> Gug:
    await configure(gug)
    await active_group(gug, "alice", "GUG Monterrey", "Monterrey", "México")
    # es-419 is Discord's Latin American Spanish.
    gug.sb.user("erin").locale = "es-419"
    gug.sb.user("dave").locale = "es-ES"
    return gug


async def test_findgroup_without_a_match_answers_in_spanish(spanish: Gug) -> None:
    reply = await spanish.sb.command("erin", "findgroup", place="Xqzzyville")
    assert reply.ephemeral
    assert "No se encontró ningún grupo" in reply.text
    assert "Nada coincide con “Xqzzyville”" in reply.text and "/group propose" in reply.text


async def test_findgroup_with_a_match_labels_the_group_in_spanish(spanish: Gug) -> None:
    reply = await spanish.sb.command("erin", "findgroup", place="monterrey")
    assert "Grupos para “monterrey”" in reply.text
    assert "Organizadores: <@" in reply.text and "Miembros: 1" in reply.text
    assert "Próxima reunión: ninguna programada" in reply.text


async def test_refusal_to_a_non_coordinator_is_in_spanish(spanish: Gug) -> None:
    reply = await spanish.sb.command("dave", "coord pending")
    assert reply.ephemeral
    assert reply.text == (
        "Solo los coordinadores pueden hacer esto. "
        "Pídele el rol de coordinador a un admin del servidor."
    )


async def test_invalid_input_is_refused_in_spanish(spanish: Gug) -> None:
    reply = await spanish.sb.command("erin", "findgroup", place="   ")
    assert reply.ephemeral
    assert reply.text == "El lugar no puede quedar en blanco."


async def test_english_speakers_in_the_same_server_still_get_english(spanish: Gug) -> None:
    reply = await spanish.sb.command("bob", "findgroup", place="Xqzzyville")
    assert "No group found" in reply.text and "Nothing matches" in reply.text
