"""The command tree: one place where every command's errors are answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.error_replies import reply_with_error

if TYPE_CHECKING:
    from bot.app import GugBot


class GugTree(app_commands.CommandTree["GugBot"]):
    """A CommandTree whose ``on_error`` turns known errors into friendly replies."""

    async def on_error(
        self, interaction: discord.Interaction[GugBot], error: app_commands.AppCommandError
    ) -> None:
        """Reply to the user; unexpected errors are logged with an error id."""
        await reply_with_error(interaction, error)
