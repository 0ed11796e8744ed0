"""Groups: /findgroup, /group, /coord, review and join buttons, approval, lost links.

``setup()`` builds what the cogs share (one place index cache, the group actions and the
buttons bound to them) and hands it to each cog.
"""

from __future__ import annotations

import asyncio

from bot.app import GugBot
from cogs.groups._actions import GroupActions
from cogs.groups._buttons import GroupButtons
from cogs.groups._coord import Coord
from cogs.groups._departures import OrganizerPresence
from cogs.groups._findgroup import FindGroup
from cogs.groups._group import Groups
from cogs.groups._links import GroupLinks
from cogs.groups._place_index import PlaceIndexCache
from core.geography import gazetteer


async def setup(bot: GugBot) -> None:
    """Build the feature's services and load its cogs."""
    # The gazetteer loads once per process, off the event loop.
    places = PlaceIndexCache(bot.db, await asyncio.to_thread(gazetteer))
    actions = GroupActions(bot.db, places)
    await bot.add_cog(FindGroup(bot, places))
    await bot.add_cog(Groups(bot, actions, GroupButtons(actions)))
    await bot.add_cog(Coord(bot, actions, OrganizerPresence(bot.clock.now)))
    await bot.add_cog(GroupLinks(bot, actions))
