"""Meetings: /meeting and /talk, announcements with RSVP by reaction, and notices."""

from __future__ import annotations

from bot.app import GugBot
from cogs.meetings._meeting import Meetings
from cogs.meetings._rsvp import Rsvp
from cogs.meetings._talk import Talks


async def setup(bot: GugBot) -> None:
    """Load the meetings feature's cogs."""
    await bot.add_cog(Meetings(bot))
    await bot.add_cog(Talks(bot))
    await bot.add_cog(Rsvp(bot))
