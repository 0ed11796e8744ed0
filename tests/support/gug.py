"""End-to-end fixtures: the real bot, in-process, against the sandbox over real sockets."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.local_bot import LocalBot
from bot.settings import DatabaseSettings, DiscordSettings, Secret, Settings
from core.clock import ShiftedClock
from sandbox.driver import Sandbox
from tests.conftest import sqlite_copy


def with_overrides(settings: Settings, overrides: dict[str, Any]) -> Settings:
    """Apply dotted overrides such as ``{"meetings.announcement_edit_interval": td}``."""
    for dotted, value in overrides.items():
        section_name, key = dotted.split(".", 1)
        section = replace(getattr(settings, section_name), **{key: value})
        settings = replace(settings, **{section_name: section})
    return settings


class Gug(LocalBot):
    """A sandbox plus the real bot running against it, restartable on the same database."""

    def __init__(self, sb: Sandbox, settings: Settings) -> None:
        self.clock = ShiftedClock()
        super().__init__(settings, clock=self.clock)
        self.sb = sb


GugFactory = Callable[..., Awaitable[Gug]]


@pytest.fixture
async def make_gug(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[GugFactory]:
    """Build a running sandbox + bot; keyword overrides use dotted setting names."""
    stack = contextlib.AsyncExitStack()
    template: Path = request.getfixturevalue("sqlite_template")

    async def factory(overrides: dict[str, Any] | None = None, *, start: bool = True) -> Gug:
        sb = await stack.enter_async_context(Sandbox.start())
        directory = tmp_path / f"bot{len(stack._exit_callbacks)}"
        directory.mkdir()
        settings = Settings(
            discord=DiscordSettings(
                token=Secret(sb.token), api_base=sb.base_url, guild_ready_timeout=0.05
            ),
            database=DatabaseSettings(url=sqlite_copy(template, directory), data_dir=directory),
        )
        gug = Gug(sb, with_overrides(settings, overrides or {}))
        stack.push_async_callback(gug.stop)
        if start:
            await gug.start()
        return gug

    try:
        yield factory
    finally:
        await stack.aclose()


@pytest.fixture
async def gug(make_gug: GugFactory) -> Gug:
    """The sandbox's default world with the real bot connected and ready."""
    return await make_gug()
