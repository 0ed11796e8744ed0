"""The public directory held in memory: groups by slug, by country, and the place index.

The front page and the search are the hot paths (p99 ≤ 50 ms with 20,000 groups), so they
are answered from a snapshot rebuilt at most every ``MAX_AGE_SECONDS``; a stale snapshot
keeps serving while a new one is built in the background. Group and meeting pages read the
database on every request, so a server that leaves the directory disappears from them at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from core.clock import Clock
from core.geography import Gazetteer, gazetteer
from core.place_matching import GroupPlaceRow, PlaceIndex, PlaceMatch, find_place
from core.slugs import unique_slugs
from db.directory import PublicGroup, public_groups
from db.engine import Database

log = logging.getLogger("gugbot.web")

# Counts and next meetings on the front page may be this old; other processes' changes
# (several bots on one PostgreSQL, or `gugbot web` beside them) show up after it too.
MAX_AGE_SECONDS = 30.0


@dataclass(frozen=True)
class Listed:
    """A public group and its address."""

    group: PublicGroup
    slug: str


class Snapshot:
    """Every public group, indexed for the front page, the search and slug lookups."""

    def __init__(self, groups: list[PublicGroup], gaz: Gazetteer, built_at: datetime) -> None:
        self.built_at = built_at
        slugs = unique_slugs((group.id, group.name) for group in groups)
        self.by_id = {group.id: Listed(group, slugs[group.id]) for group in groups}
        self.by_slug = {listed.slug: listed for listed in self.by_id.values()}
        countries: dict[str, list[Listed]] = defaultdict(list)
        for listed in self.by_id.values():
            countries[listed.group.country_code or listed.group.country].append(listed)
        for members in countries.values():
            members.sort(key=lambda item: (item.group.city, item.group.name))
        # Country code → its groups by city then name; the codes ordered by country name.
        self.countries = dict(
            sorted(countries.items(), key=lambda item: item[1][0].group.country)
        )
        self.index = PlaceIndex(
            (
                GroupPlaceRow(
                    g.id, g.name, g.city, g.region, g.country, g.country_code, g.latitude,
                    g.longitude,
                )
                for g in groups
            ),
            gaz,
        )
        self.gazetteer = gaz

    def search(self, query: str) -> PlaceMatch:
        """Answer exactly as /findgroup does, over the whole public network."""
        return find_place(self.index, self.gazetteer, query)


class DirectoryCache:
    """One snapshot per site, rebuilt from the database when older than MAX_AGE_SECONDS."""

    def __init__(self, db: Database, clock: Clock, max_age: float = MAX_AGE_SECONDS) -> None:
        self.db = db
        self.clock = clock
        self.max_age = max_age
        self._snapshot: tuple[float, Snapshot] | None = None
        self._lock = asyncio.Lock()
        self._refresh: asyncio.Task[Snapshot] | None = None

    async def _build(self) -> Snapshot:
        now = self.clock.now()
        started = time.monotonic()
        groups = await public_groups(self.db, now)
        gaz = await asyncio.to_thread(gazetteer)
        snapshot = await asyncio.to_thread(Snapshot, groups, gaz, now)
        self._snapshot = (started, snapshot)
        return snapshot

    async def get(self) -> Snapshot:
        """Return the snapshot; a stale one is served while its successor is built."""
        current = self._snapshot
        if current is not None:
            if time.monotonic() - current[0] >= self.max_age and self._refresh is None:
                self._refresh = asyncio.create_task(self._build())
                self._refresh.add_done_callback(self._refreshed)
            return current[1]
        async with self._lock:
            if self._snapshot is None:
                await self._build()
            assert self._snapshot is not None
            return self._snapshot[1]

    def _refreshed(self, task: asyncio.Task[Snapshot]) -> None:
        self._refresh = None
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not refresh the directory: %s", task.exception())

    async def close(self) -> None:
        """Stop a refresh in flight."""
        if self._refresh is not None:
            self._refresh.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._refresh
