"""Synced commands carry descriptions and choice names for es-ES, es-419 and pt-BR."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.command_sync import commands_digest
from tests.support.gug import Gug

LOCALES = {"es-ES", "es-419", "pt-BR"}


def described(commands: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every command, subcommand and option with a path naming it."""
    stack = [(f"/{command['name']}", command) for command in commands]
    while stack:
        path, item = stack.pop()
        yield path, item
        stack += [(f"{path} {option['name']}", option) for option in item.get("options", [])]


async def test_every_command_and_option_is_described_in_spanish_and_portuguese(gug: Gug) -> None:
    synced = gug.sb.world.global_commands
    items = list(described(synced))
    assert len(items) > 80
    missing = [
        path for path, item in items
        if set(item.get("description_localizations") or {}) != LOCALES
    ]
    assert missing == []
    untranslated = [
        path for path, item in items
        if item["description_localizations"]["pt-BR"] == item["description"]
    ]
    assert untranslated == []


async def test_descriptions_read_in_each_language_and_names_stay_english(gug: Gug) -> None:
    findgroup = next(c for c in gug.sb.world.global_commands if c["name"] == "findgroup")
    assert findgroup["description_localizations"] == {
        "es-ES": "Encuentra un grupo de usuarios cerca de ti.",
        "es-419": "Encuentra un grupo de usuarios cerca de ti.",
        "pt-BR": "Encontre um grupo de usuários perto de você.",
    }
    assert not findgroup.get("name_localizations")
    assert all(not item.get("name_localizations") for _, item in described([findgroup]))


async def test_choice_names_are_localized(gug: Gug) -> None:
    choices = [
        choice
        for _, item in described(gug.sb.world.global_commands)
        for choice in item.get("choices", [])
    ]
    assert {c["name"] for c in choices} >= {"social", "technical", "mixed"}
    assert all(set(c.get("name_localizations") or {}) == LOCALES for c in choices)
    mixed = next(c for c in choices if c["name"] == "mixed")
    assert mixed["name_localizations"]["pt-BR"] == "misto"
    assert mixed["value"] == "mixed"


async def test_repeat_and_scope_choices_read_as_words_in_each_language(gug: Gug) -> None:
    items = dict(described(gug.sb.world.global_commands))
    repeat = {c["value"]: c for c in items["/meeting create repeat"]["choices"]}
    assert repeat["biweekly"]["name"] == "every 2 weeks"
    assert repeat["biweekly"]["name_localizations"]["pt-BR"] == "a cada 2 semanas"
    scope = {c["value"]: c for c in items["/meeting cancel scope"]["choices"]}
    assert scope["following"]["name_localizations"]["es-419"] == "esta y las siguientes"
    choices = [c for _, item in items.items() for c in item.get("choices", [])]
    assert [c["name"] for c in choices if "_" in c["name"]] == []


async def test_the_sync_digest_covers_the_localizations(gug: Gug) -> None:
    # A catalog update must change the digest, or the new texts would never be synced.
    tree = gug.bot.tree
    localized = await commands_digest(tree)
    await tree.set_translator(None)
    assert await commands_digest(tree) != localized
