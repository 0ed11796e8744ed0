"""Every cog loads, command names never collide, and definitions fit Discord's limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

import discord
import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord import app_commands

from bot.app import GugBot, extension_names
from bot.settings import Settings
from db.engine import Database

# Discord's limits (API reference, "Application Command Object").
DESCRIPTION_LIMIT = 100
NAME_LIMIT = 32
OPTIONS_LIMIT = 25


def walk(commands: list[app_commands.Command | app_commands.Group]) -> Iterator[object]:
    for command in commands:
        yield command
        if isinstance(command, app_commands.Group):
            yield from walk(command.commands)  # type: ignore[arg-type]


@pytest.fixture
async def loaded_tree(db: Database) -> app_commands.CommandTree[discord.Client]:
    bot = GugBot(settings=Settings(), db=db, scheduler=AsyncIOScheduler(timezone=UTC))
    await bot.load_cogs()
    return bot.tree


def test_every_cog_module_is_found() -> None:
    assert "cogs.about" in extension_names()


async def test_top_level_command_names_are_unique(loaded_tree: app_commands.CommandTree) -> None:
    names = [command.name for command in loaded_tree.get_commands()]
    assert len(names) == len(set(names))
    assert "about" in names


async def test_names_and_descriptions_fit_discords_limits(
    loaded_tree: app_commands.CommandTree,
) -> None:
    for item in walk(loaded_tree.get_commands()):  # type: ignore[arg-type]
        assert isinstance(item, app_commands.Command | app_commands.Group)
        assert 1 <= len(item.description) <= DESCRIPTION_LIMIT, item.qualified_name
        assert len(item.name) <= NAME_LIMIT
        if isinstance(item, app_commands.Command):
            assert len(item.parameters) <= OPTIONS_LIMIT
            for parameter in item.parameters:
                assert 1 <= len(parameter.description) <= DESCRIPTION_LIMIT, (
                    f"{item.qualified_name} {parameter.name}"
                )
        else:
            names = [child.name for child in item.commands]
            assert len(names) == len(set(names)), item.qualified_name


async def test_only_setup_hides_behind_a_permission(
    loaded_tree: app_commands.CommandTree,
) -> None:
    hidden = {
        command.name
        for command in loaded_tree.get_commands()
        if command.default_permissions is not None
    }
    assert hidden <= {"setup"}
