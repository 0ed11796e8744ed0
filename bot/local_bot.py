"""Run the real bot in this process against a local Discord-compatible API.

Used by `gugbot demo` and by the end-to-end tests: the bot is the same one
`gugbot run` starts, only pointed at the sandbox and restartable on one database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from bot.app import GugBot
from bot.runner import assembled_bot
from bot.settings import Settings
from core.clock import Clock, SystemClock
from db.engine import Database

READY_TIMEOUT = 15.0


class LocalBot:
    """The real bot, started and stopped on demand, on the same settings and database."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self._bot: GugBot | None = None
        self._stack: contextlib.AsyncExitStack | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def bot(self) -> GugBot:
        """The running bot."""
        if self._bot is None:
            raise RuntimeError("the bot is not running")
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
        """Start a fresh bot and wait until it is ready (raises why it stopped if it did)."""
        if self._bot is not None:
            raise RuntimeError("already running")
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
                self._task.result()
            raise TimeoutError("the bot did not become ready")

    async def stop(self) -> None:
        """Close the bot as a clean shutdown would, and release its database."""
        if self._bot is None:
            return
        await self._bot.close()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, 5)
        if self._stack is not None:
            await self._stack.aclose()
        self._bot = self._task = self._stack = None

    async def restart(self, between: Callable[[], Awaitable[None]] | None = None) -> None:
        """Stop the bot, optionally act while it is down, and start a new one."""
        await self.stop()
        if between is not None:
            await between()
        await self.start()
