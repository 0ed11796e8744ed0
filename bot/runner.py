"""Assemble the bot from settings and run it until it is told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import GugBot
from bot.discord_api import point_discord_at
from bot.settings import Settings
from core.clock import Clock
from db.engine import Database, create_database
from db.migrate import upgrade_database

log = logging.getLogger("gugbot")


async def open_database(settings: Settings) -> Database:
    """Create the engine and bring the schema up to date."""
    db = create_database(
        settings.database.effective_url,
        busy_timeout=settings.database.busy_timeout,
        echo=settings.database.echo,
    )
    await upgrade_database(db)
    return db


@asynccontextmanager
async def assembled_bot(
    settings: Settings, *, clock: Clock | None = None, force_sync: bool = False
) -> AsyncIterator[GugBot]:
    """Yield a bot wired to its database, scheduler and API base; tear all down after."""
    restore: Callable[[], None] | None = None
    if settings.discord.api_base:
        restore = point_discord_at(settings.discord.api_base)
    db = await open_database(settings)
    scheduler = AsyncIOScheduler(timezone=UTC)
    bot = GugBot(
        settings=settings, db=db, scheduler=scheduler, clock=clock, force_sync=force_sync
    )
    try:
        yield bot
    finally:
        if not bot.is_closed():
            await bot.close()
        await db.dispose()
        if restore is not None:
            restore()


async def run_bot(settings: Settings) -> None:
    """Run the bot until SIGINT or SIGTERM."""
    async with assembled_bot(settings) as bot:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        async with bot:
            await bot.start(settings.discord.token.reveal())


async def sync_commands(settings: Settings) -> None:
    """Log in, sync the commands whether or not they changed, and log out."""
    async with assembled_bot(settings, force_sync=True) as bot, bot:
        await bot.login(settings.discord.token.reveal())
