"""Privacy: /privacy export and /privacy forget-me, a member's own data."""

from __future__ import annotations

from bot.app import GugBot
from cogs.privacy._privacy import Privacy


async def setup(bot: GugBot) -> None:
    """Load the privacy cog."""
    await bot.add_cog(Privacy(bot))
