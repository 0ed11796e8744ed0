"""Match what someone typed in /findgroup against active groups' places, fast.

An in-memory index of folded place keys per server. Fuzzy matching with rapidfuzz over a
few thousand keys costs a millisecond or two, where fuzzy SQL over 20,000 rows would cost
far more.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from core.geography import City, Gazetteer, distances_km
from core.text import fold
from core.typos import TypoMatcher

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


class MatchKind(StrEnum):
    """What /findgroup found."""

    GROUPS = "groups"
    NEARBY = "nearby"
    NOTHING = "nothing"


@dataclass(frozen=True)
class GroupPlaceRow:
    """What the place index needs of an active group."""

    id: int
    name: str
    city: str
    region: str
    country: str
    country_code: str
    latitude: float | None
    longitude: float | None


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
        import numpy as np  # imported on first use (16 MiB): an idle bot never builds an index

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
        import numpy as np

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
