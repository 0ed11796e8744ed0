"""The command tree: one place where every command's errors are answered."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from sqlalchemy.exc import IntegrityError

from bot.error_replies import reply_with_error
from db.member_names import record_display_name

if TYPE_CHECKING:
    from bot.app import GugBot

log = logging.getLogger("gugbot")


class GugTree(app_commands.CommandTree["GugBot"]):
    """A CommandTree whose ``on_error`` turns known errors into friendly replies."""

    def __init__(self, client: GugBot, **options: object) -> None:
        super().__init__(client, **options)  # type: ignore[arg-type]  # discord.py passes typed kwargs
        # The display name last stored per (server, member), so only a change is written.
        self._names: dict[tuple[int, int], str] = {}
        self._writes: set[asyncio.Task[None]] = set()

    async def interaction_check(self, interaction: discord.Interaction[GugBot]) -> bool:
        """Remember the member's display name for the public pages, off the reply's path."""
        if interaction.guild_id is not None and interaction.user is not None:
            key = (interaction.guild_id, interaction.user.id)
            name = interaction.user.display_name
            if self._names.get(key) != name:
                self._names[key] = name
                task = asyncio.create_task(self._remember(interaction.client, key, name))
                self._writes.add(task)
                task.add_done_callback(self._writes.discard)
        return True

    async def _remember(self, client: GugBot, key: tuple[int, int], name: str) -> None:
        try:
            await record_display_name(client.db, key[0], key[1], name, client.clock.now())
        except IntegrityError:
            # Two first commands of one member raced; the other write stored the name.
            pass
        except Exception:
            # A name is a nicety for the web pages; the command itself must not suffer.
            self._names.pop(key, None)
            log.warning("could not remember a display name", exc_info=True)

    async def on_error(
        self, interaction: discord.Interaction[GugBot], error: app_commands.AppCommandError
    ) -> None:
        """Reply to the user; unexpected errors are logged with an error id."""
        await reply_with_error(interaction, error)
