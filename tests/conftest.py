"""Fixtures shared by the whole suite: real databases on both backends."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db.base import Base
from db.engine import Database, create_database
from db.migrate import upgrade_database

POSTGRES_URL = os.environ.get("GUGBOT_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def run_in_own_loop(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to completion even when called from inside a running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def _migrate(url: str) -> None:
    database = create_database(url)
    try:
        await upgrade_database(database)
    finally:
        await database.dispose()


async def _admin(statement: str) -> None:
    import asyncpg

    admin_url = make_url(POSTGRES_URL).set(drivername="postgresql")
    connection = await asyncpg.connect(admin_url.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test instead of migrating every time."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    run_in_own_loop(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database of this test run's own, dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip("GUGBOT_TEST_POSTGRES_URL is not set")
    name = f"gugbot_test_{uuid.uuid4().hex[:10]}"
    run_in_own_loop(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    run_in_own_loop(_migrate(url))
    yield url
    run_in_own_loop(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def sqlite_copy(template: Path, directory: Path) -> str:
    """Copy the migrated template into ``directory`` and return its URL."""
    path = directory / "gugbot.db"
    shutil.copy(template, path)
    return f"sqlite+aiosqlite:///{path}"


async def truncate_all(database: Database) -> None:
    """Empty every table of a PostgreSQL database between tests."""
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with database.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        url = sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
        database = create_database(url)
    else:
        database = create_database(request.getfixturevalue("postgres_url"))
        await truncate_all(database)
    try:
        yield database
    finally:
        await database.dispose()


# The end-to-end fixtures (the real bot against the sandbox) live with their helpers.
pytest_plugins = ["tests.support.gug"]
