"""Match what someone typed in /findgroup against active groups' places, fast.

An in-memory index of folded place keys per server, rebuilt from db/ (the truth) when a
group changes in this process and at most every ``MAX_AGE`` otherwise, so other
processes' changes show up too. Fuzzy matching with rapidfuzz over a few thousand keys
costs a millisecond or two, where fuzzy SQL over 20,000 rows would cost far more.
"""

from __future__ import annotations

import asyncio
import heapq
import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from weakref import WeakKeyDictionary

from rapidfuzz import fuzz, process

from bot.geography import City, Gazetteer, distance_km, gazetteer
from db.engine import Database
from db.group_directory import GroupPlaceRow, active_group_places
from db.keys import fold

# A typed key this close (rapidfuzz ratio, 0-100) to an indexed one counts as a typo of it.
TYPO_SCORE = 84
# Short queries are matched by prefix only: "rio" must not find every "Rosario".
MIN_FUZZY_LENGTH = 4
# How many results one reply shows, and how many nearest groups are offered.
RESULT_LIMIT = 10
NEAREST_LIMIT = 5
# How many cities with the same name are shown when a place is ambiguous.
CITY_CANDIDATES = 3
# Changes made by other processes (several shards on one PostgreSQL) show up after this.
MAX_AGE_SECONDS = 60.0


class MatchKind(StrEnum):
    """What /findgroup found."""

    GROUPS = "groups"
    NEARBY = "nearby"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Nearby:
    """The groups nearest to one known city without a group."""

    city: City
    groups: list[tuple[int, float]]


@dataclass(frozen=True)
class PlaceMatch:
    """The answer to a /findgroup query: matching group ids, or nearby ones by city."""

    kind: MatchKind
    group_ids: list[int] = field(default_factory=list)
    total: int = 0
    nearby: list[Nearby] = field(default_factory=list)


class PlaceIndex:
    """Folded keys of one server's active groups: city, region, country names and name."""

    def __init__(self, groups: Iterable[GroupPlaceRow], gazetteer: Gazetteer) -> None:
        self.groups = {group.id: group for group in groups}
        self._by_key: dict[str, set[int]] = defaultdict(set)
        self._labels: dict[str, str] = {}
        self._located: list[tuple[int, float, float]] = []
        for group in self.groups.values():
            place_keys = [fold(group.city), fold(group.region), fold(group.country)]
            if group.country_code:
                place_keys += gazetteer.country_keys(group.country_code)
            for key in place_keys:
                if key:
                    self._by_key[key].add(group.id)
            self._by_key[fold(group.name)].add(group.id)
            for label in (group.city, group.region, group.country):
                if label:
                    self._labels.setdefault(fold(label), label)
            if group.latitude is not None and group.longitude is not None:
                self._located.append((group.id, group.latitude, group.longitude))
        self._keys = list(self._by_key)
        self._label_keys = sorted(self._labels)

    def match(self, query: str) -> list[int]:
        """Return the ids of groups whose place or name matches ``query``, best first."""
        key = fold(query)
        if not key:
            return []
        scores: dict[int, float] = {}
        for group_id in self._by_key.get(key, ()):
            scores[group_id] = 200.0
        if not scores:
            if len(key) >= MIN_FUZZY_LENGTH:
                found = process.extract(
                    key, self._keys, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=50
                )
                for matched_key, score, _index in found:
                    for group_id in self._by_key[matched_key]:
                        scores[group_id] = max(scores.get(group_id, 0.0), score)
            # A whole word of a group's name or place ("gug" in "GUG Rosario") also matches.
            for indexed in self._keys if len(key) >= 3 and not scores else ():
                if key in indexed.split():
                    for group_id in self._by_key[indexed]:
                        scores.setdefault(group_id, 90.0)
        return sorted(scores, key=lambda group_id: (-scores[group_id], self.groups[group_id].name))

    def nearest(self, latitude: float, longitude: float, limit: int) -> list[tuple[int, float]]:
        """Return up to ``limit`` (group id, km) pairs, nearest first."""
        # An equirectangular estimate ranks candidates; haversine gives the shown distance.
        cos_lat = math.cos(math.radians(latitude))

        def rough(item: tuple[int, float, float]) -> float:
            dlon = (item[2] - longitude + 180.0) % 360.0 - 180.0
            return (item[1] - latitude) ** 2 + (dlon * cos_lat) ** 2

        closest = heapq.nsmallest(limit * 3, self._located, key=rough)
        exact = [(gid, distance_km(latitude, longitude, lat, lon)) for gid, lat, lon in closest]
        return sorted(exact, key=lambda pair: pair[1])[:limit]

    def complete(self, query: str, limit: int) -> list[str]:
        """Return up to ``limit`` known group places (city, region, country) starting with it."""
        key = fold(query)
        return [self._labels[label] for label in self._label_keys if label.startswith(key)][:limit]


def find_place(index: PlaceIndex, gazetteer: Gazetteer, query: str) -> PlaceMatch:
    """Answer /findgroup: groups matching the place, else the nearest to a known city."""
    place, country_code = query, None
    if "," in query:
        # "Cuenca, Ecuador" (as autocomplete offers it) narrows the city to one country.
        head, tail = query.rsplit(",", 1)
        country = gazetteer.country(tail)
        if country is not None and head.strip():
            place, country_code = head, country.code
    ids = index.match(place)
    if country_code is not None:
        ids = [gid for gid in ids if index.groups[gid].country_code == country_code]
    if ids:
        return PlaceMatch(MatchKind.GROUPS, ids[:RESULT_LIMIT], total=len(ids))
    cities = _distinct_places(gazetteer.cities_named(place, country_code))[:CITY_CANDIDATES]
    nearby = [
        Nearby(city, index.nearest(city.latitude, city.longitude, NEAREST_LIMIT)) for city in cities
    ]
    if nearby:
        return PlaceMatch(MatchKind.NEARBY, nearby=nearby)
    return PlaceMatch(MatchKind.NOTHING)


def _distinct_places(cities: list[City]) -> list[City]:
    # Puebla appears twice in Mexico in GeoNames; people mean the biggest one per country.
    seen: set[str] = set()
    result = []
    for city in cities:
        if city.country_code not in seen:
            seen.add(city.country_code)
            result.append(city)
    return result


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


_shared: WeakKeyDictionary[Database, PlaceIndexCache] = WeakKeyDictionary()


def place_indexes(db: Database) -> PlaceIndexCache:
    """Return the one index cache of ``db``, shared by every cog that reads or changes groups."""
    cache = _shared.get(db)
    if cache is None:
        cache = _shared[db] = PlaceIndexCache(db, gazetteer())
    return cache
