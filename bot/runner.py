"""Assemble the bot from settings and run it until it is told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC
from typing import Any

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import GugBot
from bot.discord_api import point_discord_at
from bot.metrics import watch_gateway
from bot.settings import Settings
from core.clock import Clock
from db.engine import Database, create_database
from db.migrate import upgrade_database
from web.app import create_app, start_site
from web.site import SiteOptions

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
    watch_gateway(bot)
    try:
        yield bot
    finally:
        if not bot.is_closed():
            await bot.close()
        await db.dispose()
        if restore is not None:
            restore()


def gateway_state(bot: GugBot) -> dict[str, Any]:
    """Describe the bot's connection to Discord for /healthz."""
    if bot.is_closed():
        return {"state": "closed"}
    if not bot.is_ready():
        return {"state": "connecting"}
    return {"state": "ready", "latency_ms": round(bot.latency * 1000, 1)}


@asynccontextmanager
async def served_site(
    settings: Settings, db: Database, bot: GugBot | None = None
) -> AsyncIterator[web.AppRunner | None]:
    """Serve the web directory beside the bot while the block runs (None when not served)."""
    if not settings.web.enabled:
        yield None
        return
    app = create_app(
        db,
        SiteOptions(base_url=settings.web.base_url),
        clock=bot.clock if bot is not None else None,
        gateway_state=(lambda: gateway_state(bot)) if bot is not None else None,
    )
    runner = await start_site(app, settings.web.host, settings.web.port)
    try:
        yield runner
    finally:
        if runner is not None:
            await runner.cleanup()


async def run_bot(settings: Settings) -> None:
    """Run the bot, and the web directory beside it, until SIGINT or SIGTERM."""
    async with assembled_bot(settings) as bot, served_site(settings, bot.db, bot):
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        async with bot:
            await bot.start(settings.discord.token.reveal())


async def run_web(settings: Settings) -> int:
    """Serve the web directory alone from the database until SIGINT or SIGTERM."""
    db = await open_database(settings)
    app = create_app(db, SiteOptions(base_url=settings.web.base_url))
    runner = await start_site(app, settings.web.host, settings.web.port)
    if runner is None:
        await db.dispose()
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await db.dispose()
    return 0


async def sync_commands(settings: Settings) -> None:
    """Log in, sync the commands whether or not they changed, and log out."""
    async with assembled_bot(settings, force_sync=True) as bot, bot:
        await bot.login(settings.discord.token.reveal())
