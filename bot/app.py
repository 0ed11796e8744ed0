"""The bot itself: a discord.py Bot that receives its dependencies and loads every cog."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

import cogs
from bot.command_sync import sync_if_changed
from bot.command_translator import CommandTranslator
from bot.direct_messages import DirectMessages
from bot.languages import Locales
from bot.metrics import ack_trace
from bot.settings import Settings
from bot.tree import GugTree
from bot.unanswered import UnansweredWatch
from core.clock import Clock, SystemClock
from db.engine import Database

log = logging.getLogger("gugbot")


def gugbot_version() -> str:
    """Return the installed version of gugbot."""
    try:
        return version("gugbot")
    except PackageNotFoundError:
        return "dev"


def gateway_intents() -> discord.Intents:
    """Ask only for what slash commands and raw reactions need: no privileged intent."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_reactions = True
    return intents


def extension_names() -> list[str]:
    """List every cog module in ``cogs/`` (each defines ``async def setup(bot)``)."""
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )


class GugBot(commands.AutoShardedBot):
    """gugbot: settings, database, scheduler and clock are handed in, never read globally."""

    def __init__(
        self,
        *,
        settings: Settings,
        db: Database,
        scheduler: AsyncIOScheduler,
        clock: Clock | None = None,
        force_sync: bool = False,
    ) -> None:
        # gugbot never joins voice: don't warn at every start that voice libraries are missing.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        shards = settings.discord
        sharding: dict[str, Any] = {}
        if shards.shard_count:
            sharding["shard_count"] = shards.shard_count
        if shards.shard_ids:
            sharding["shard_ids"] = list(shards.shard_ids)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=gateway_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=GugTree,
            help_command=None,
            **sharding,
            guild_ready_timeout=shards.guild_ready_timeout,
            http_trace=ack_trace(),
        )
        self.settings = settings
        self.db = db
        self.scheduler = scheduler
        self.clock: Clock = clock or SystemClock()
        self.started_at: datetime = self.clock.now()
        self.force_sync = force_sync
        self._sync_handlers: dict[str, Callable[..., None]] = {}
        self.direct_messages = DirectMessages(self, db, self.clock)
        self.locales = Locales(db, self.clock)
        self.unanswered = UnansweredWatch(settings.discord.answer_deadline)

    async def setup_hook(self) -> None:
        """Start the scheduler, load every cog, and sync commands if they changed."""
        if not self.scheduler.running:
            self.scheduler.start()
        await self.load_cogs()
        await self.tree.set_translator(CommandTranslator())
        await sync_if_changed(self.tree, self.db, force=self.force_sync)

    async def load_cogs(self) -> None:
        """Run each cog package's ``setup(bot)``.

        Imported once per process rather than through ``load_extension``, which executes
        the package's modules again at every start (a second per bot in the tests).
        """
        for name in extension_names():
            await importlib.import_module(name).setup(self)

    def on_dispatch(self, event_name: str, handler: Callable[..., None] | None) -> None:
        """Call ``handler`` synchronously for ``event_name`` (None removes it).

        discord.py runs each listener in a task of its own; for events that arrive by the
        thousand and only need queueing (raw reactions), that overhead dominates.
        """
        if handler is None:
            self._sync_handlers.pop(event_name, None)
        else:
            self._sync_handlers[event_name] = handler

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        """Run a synchronous handler first, then discord.py's listeners as usual."""
        handler = self._sync_handlers.get(event_name)
        if handler is not None:
            try:
                handler(*args, **kwargs)
            except Exception:
                log.exception("handler for %s failed", event_name)
        super().dispatch(event_name, *args, **kwargs)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Watch that the interaction gets an answer; remember the asker's locale for DMs."""
        self.unanswered.watch(interaction)
        self.locales.saw(interaction.user.id, interaction.locale)

    def owns_guild(self, guild_id: int) -> bool:
        """Tell whether ``guild_id`` lives on one of this process's shards."""
        shard_count = self.shard_count or 1
        shard_ids = self.shard_ids
        if not shard_ids:
            return True
        return (guild_id >> 22) % shard_count in shard_ids

    async def close(self) -> None:
        """Stop the scheduler before closing the connection."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.locales.flush()
        await super().close()
