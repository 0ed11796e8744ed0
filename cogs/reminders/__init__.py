"""Reminders: /reminders, and the alarm that delivers each reminder once."""

from __future__ import annotations

from bot.app import GugBot
from cogs.reminders._reminders import Reminders


async def setup(bot: GugBot) -> None:
    """Load the reminders feature's cog."""
    await bot.add_cog(Reminders(bot))
