"""The place index /findgroup matches against: one per server, rebuilt from db/ (the truth).

The feature's ``setup()`` builds one ``PlaceIndexCache`` and hands it to every cog that
reads or changes groups. An index is rebuilt when a group changes in this process and at
most every ``MAX_AGE_SECONDS`` otherwise, so other processes' changes show up too.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict

from core.geography import Gazetteer
from core.place_matching import PlaceIndex
from db.engine import Database
from db.group_directory import active_group_places

# Changes made by other processes (several shards on one PostgreSQL) show up after this.
MAX_AGE_SECONDS = 60.0


class PlaceIndexCache:
    """One index per server, rebuilt after a change or when older than MAX_AGE_SECONDS."""

    def __init__(self, db: Database, gazetteer: Gazetteer) -> None:
        self.db = db
        self.gazetteer = gazetteer
        self._indexes: dict[int, tuple[float, PlaceIndex]] = {}
        self._locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._generation: dict[int, int] = defaultdict(int)

    def invalidate(self, guild_id: int) -> None:
        """Forget a server's index after one of its groups changed."""
        self._generation[guild_id] += 1
        self._indexes.pop(guild_id, None)

    async def get(self, guild_id: int) -> PlaceIndex:
        """Return the server's index, building it from the database when stale."""
        cached = self._indexes.get(guild_id)
        if cached is not None and time.monotonic() - cached[0] < MAX_AGE_SECONDS:
            return cached[1]
        async with self._locks[guild_id]:
            cached = self._indexes.get(guild_id)
            if cached is not None and time.monotonic() - cached[0] < MAX_AGE_SECONDS:
                return cached[1]
            built_at = time.monotonic()
            generation = self._generation[guild_id]
            rows = await active_group_places(self.db, guild_id)
            index = PlaceIndex(rows, self.gazetteer)
            # A change that landed while we read must not be hidden behind this index.
            if generation == self._generation[guild_id]:
                self._indexes[guild_id] = (built_at, index)
            return index
