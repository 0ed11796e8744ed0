"""End-to-end fixtures: the real bot, in-process, against the sandbox over real sockets."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.app import GugBot
from bot.clock import ShiftedClock
from bot.runner import assembled_bot
from bot.settings import DatabaseSettings, DiscordSettings, Secret, Settings
from db.engine import Database
from sandbox.driver import Sandbox
from tests.conftest import sqlite_copy

READY_TIMEOUT = 10.0


def with_overrides(settings: Settings, overrides: dict[str, Any]) -> Settings:
    """Apply dotted overrides such as ``{"meetings.announcement_edit_interval": td}``."""
    for dotted, value in overrides.items():
        section_name, key = dotted.split(".", 1)
        section = replace(getattr(settings, section_name), **{key: value})
        settings = replace(settings, **{section_name: section})
    return settings


class Gug:
    """A sandbox plus the real bot running against it, restartable on the same database."""

    def __init__(self, sb: Sandbox, settings: Settings) -> None:
        self.sb = sb
        self.settings = settings
        self.clock = ShiftedClock()
        self._bot: GugBot | None = None
        self._stack: contextlib.AsyncExitStack | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def bot(self) -> GugBot:
        """The running bot."""
        assert self._bot is not None, "the bot is not running"
        return self._bot

    @property
    def db(self) -> Database:
        """The running bot's database."""
        return self.bot.db

    @property
    def running(self) -> bool:
        """Tell whether a bot is currently running."""
        return self._bot is not None

    async def start(self) -> None:
        """Start a fresh bot on the same database and wait until it is ready."""
        assert self._bot is None, "already running"
        stack = contextlib.AsyncExitStack()
        bot = await stack.enter_async_context(assembled_bot(self.settings, clock=self.clock))
        self._stack, self._bot = stack, bot
        self._task = asyncio.create_task(bot.start(self.settings.discord.token.reveal()))
        waiter = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {waiter, self._task}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if waiter not in done:
            waiter.cancel()
            if self._task in done:
                self._task.result()  # re-raise why the bot stopped
            raise TimeoutError("the bot did not become ready")

    async def stop(self) -> None:
        """Close the bot (as a clean shutdown would) and release its database."""
        if self._bot is None:
            return
        await self._bot.close()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, 5)
        assert self._stack is not None
        await self._stack.aclose()
        self._bot = self._task = self._stack = None

    async def restart(self, between: Callable[[], Awaitable[None]] | None = None) -> None:
        """Stop the bot, optionally act while it is down, and start a new one."""
        await self.stop()
        if between is not None:
            await between()
        await self.start()


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
