"""Groups: /findgroup, /group and /coord, the review and join buttons, and the approval flow."""

from __future__ import annotations

from bot.app import GugBot
from cogs.groups._coord import Coord
from cogs.groups._findgroup import FindGroup
from cogs.groups._group import Groups


async def setup(bot: GugBot) -> None:
    """Load the groups feature's cogs."""
    await bot.add_cog(FindGroup(bot))
    await bot.add_cog(Groups(bot))
    await bot.add_cog(Coord(bot))
