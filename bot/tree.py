"""The command tree: one place where every command's errors are answered."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.error_replies import reply_with_error


class GugTree(app_commands.CommandTree[discord.Client]):
    """A CommandTree whose ``on_error`` turns known errors into friendly replies."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Reply to the user; unexpected errors are logged with an error id."""
        await reply_with_error(interaction, error)


class GugView(discord.ui.View):
    """A view whose callbacks' errors are answered like commands' errors."""

    async def on_error(
        self,
        interaction: discord.Interaction,
        error: Exception,
        item: discord.ui.Item[discord.ui.View],
    ) -> None:
        """Reply to the user; unexpected errors are logged with an error id."""
        await reply_with_error(interaction, error)
