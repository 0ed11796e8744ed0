"""Match what someone typed in /findgroup against active groups' places, fast.

An in-memory index of folded place keys per server, rebuilt from db/ (the truth) when a
group changes in this process and at most every ``MAX_AGE`` otherwise, so other
processes' changes show up too. Fuzzy matching with rapidfuzz over a few thousand keys
costs a millisecond or two, where fuzzy SQL over 20,000 rows would cost far more.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from weakref import WeakKeyDictionary

import numpy as np

from bot.geography import City, Gazetteer, distances_km, gazetteer
from bot.typos import TypoMatcher
from db.engine import Database
from db.group_directory import GroupPlaceRow, active_group_places
from db.keys import fold

# A typed key this close (rapidfuzz ratio, 0-100) to an indexed one counts as a typo of it.
TYPO_SCORE = 84
# Short queries are matched by prefix only: "rio" must not find every "Rosario".
MIN_FUZZY_LENGTH = 4
MIN_WORD_LENGTH = 3
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
        self._by_word: dict[str, set[int]] = defaultdict(set)
        self._labels: dict[str, str] = {}
        # Groups by where they meet: many groups share a city, so distances are per place.
        self._located: dict[tuple[float, float], list[int]] = defaultdict(list)
        place_only: set[str] = set()
        for group in self.groups.values():
            place_keys = [fold(group.city), fold(group.region), fold(group.country)]
            if group.country_code:
                place_keys += gazetteer.country_keys(group.country_code)
            place_only.update(place_keys)
            for key in place_keys:
                if key:
                    self._by_key[key].add(group.id)
            name = fold(group.name)
            self._by_key[name].add(group.id)
            for word in {*name.split(), *place_keys[0].split()}:
                self._by_word[word].add(group.id)
            for label in (group.city, group.region, group.country):
                if label:
                    self._labels.setdefault(fold(label), label)
            if group.latitude is not None and group.longitude is not None:
                self._located[(group.latitude, group.longitude)].append(group.id)
        # Typos are forgiven in places, not in the thousands of distinct group names.
        self._typos = TypoMatcher(
            key
            for key, ids in self._by_key.items()
            if any(key != fold(self.groups[i].name) for i in ids)
        )
        self._label_keys = sorted(self._labels)
        # One row per place, as arrays: a nearest search is a few vectorised passes over
        # thousands of places, where a Python key function per place cost ~10 ms a city.
        self._places = list(self._located)
        self._latitudes = np.array([place[0] for place in self._places], dtype=np.float64)
        self._longitudes = np.array([place[1] for place in self._places], dtype=np.float64)

    def match(self, query: str, limit: int = RESULT_LIMIT) -> tuple[list[int], int]:
        """Return the best ``limit`` ids of groups whose place or name matches, and how many do."""
        key = fold(query)
        if not key:
            return [], 0
        scores: dict[int, float] = dict.fromkeys(self._by_key.get(key, ()), 200.0)
        if not scores and len(key) >= MIN_FUZZY_LENGTH:
            for matched_key, score in self._typos.close_to(key, TYPO_SCORE, limit=50):
                for group_id in self._by_key[matched_key]:
                    scores[group_id] = max(scores.get(group_id, 0.0), score)
        if not scores and len(key) >= MIN_WORD_LENGTH:
            # A whole word of a group's name or city ("gug", "paulo") also matches.
            scores = dict.fromkeys(self._by_word.get(key, ()), 90.0)
        best = heapq.nsmallest(
            limit, scores, key=lambda group_id: (-scores[group_id], self.groups[group_id].name)
        )
        return best, len(scores)

    def nearest(self, latitude: float, longitude: float, limit: int) -> list[tuple[int, float]]:
        """Return up to ``limit`` (group id, km) pairs, nearest first."""
        if not self._places or limit <= 0:
            return []
        km = distances_km(latitude, longitude, self._latitudes, self._longitudes)
        # Every place has a group, so the ``limit`` nearest places hold the nearest groups.
        if len(km) > limit:
            closest = np.argpartition(km, limit - 1)[:limit]
        else:
            closest = np.arange(len(km))
        found = [
            (group_id, float(km[row]))
            for row in closest.tolist()
            for group_id in self._located[self._places[row]]
        ]
        found.sort(key=lambda pair: (pair[1], self.groups[pair[0]].name))
        return found[:limit]

    def complete(self, query: str, limit: int) -> list[str]:
        """Return up to ``limit`` known group places (city, region, country) starting with it."""
        key = fold(query)
        found: list[str] = []
        # The keys are sorted, so the matches are one run starting where the prefix would go.
        for label in self._label_keys[bisect_left(self._label_keys, key) :]:
            if not label.startswith(key) or len(found) >= limit:
                break
            found.append(self._labels[label])
        return found


def find_place(index: PlaceIndex, gazetteer: Gazetteer, query: str) -> PlaceMatch:
    """Answer /findgroup: groups matching the place, else the nearest to a known city."""
    place, country_code = query, None
    if "," in query:
        # "Cuenca, Ecuador" (as autocomplete offers it) narrows the city to one country.
        head, tail = query.rsplit(",", 1)
        country = gazetteer.country(tail)
        if country is not None and head.strip():
            place, country_code = head, country.code
    if country_code is None:
        ids, total = index.match(place)
    else:
        everywhere, _total = index.match(place, limit=len(index.groups))
        matching = [gid for gid in everywhere if index.groups[gid].country_code == country_code]
        ids, total = matching[:RESULT_LIMIT], len(matching)
    if ids:
        return PlaceMatch(MatchKind.GROUPS, ids, total=total)
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
