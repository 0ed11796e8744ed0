"""Growth: people waiting for a group (/interest, Notify me), backers of proposals.

``setup()`` builds the ``Growth`` service, registers its buttons, loads the /interest cog
and adds ``demand`` to the groups package's /coord (loaded before this package).
"""

from __future__ import annotations

import asyncio

from discord import app_commands

from bot.app import GugBot
from cogs.interest._buttons import bound_buttons
from cogs.interest._growth import Growth
from cogs.interest._interest import Interest, demand_command
from core.geography import gazetteer


async def setup(bot: GugBot) -> None:
    """Build the feature's service and load its cog."""
    growth = Growth(bot, await asyncio.to_thread(gazetteer))
    bot.add_dynamic_items(*bound_buttons(growth))
    await bot.add_cog(Interest(bot, growth))
    coord = bot.tree.get_command("coord")
    if isinstance(coord, app_commands.Group):
        coord.add_command(demand_command())
