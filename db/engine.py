"""Build the async engine and sessions for SQLite (embedded) or PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# Execution option read by the SQLite "begin" hook: how a transaction starts.
SQLITE_BEGIN = "sqlite_begin"


@dataclass(frozen=True)
class Database:
    """The engine plus the two ways to open a unit of work.

    ``transaction()`` is for changes: on SQLite it begins IMMEDIATE so a second writer
    waits for the first (busy timeout) instead of failing later with "database is
    locked" when it tries to upgrade a read lock. ``read()`` begins a plain deferred
    transaction, so readers never queue behind writers in WAL mode.
    """

    engine: AsyncEngine
    writes: async_sessionmaker[AsyncSession]
    reads: async_sessionmaker[AsyncSession]

    @property
    def dialect(self) -> str:
        """Return ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """Open a write transaction that commits on success and rolls back on error."""
        async with self.writes() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """Open a read-only unit of work."""
        async with self.reads() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def create_database(
    url: str, *, busy_timeout: timedelta = timedelta(seconds=10), echo: bool = False
) -> Database:
    """Create the engine for ``url``; a SQLite file and its directory are made on first use."""
    parsed = make_url(url)
    engine_options: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine_options["connect_args"] = {"timeout": busy_timeout.total_seconds()}
        engine = create_async_engine(url, **engine_options)
        _configure_sqlite(engine, busy_timeout)
        reads_engine = engine.execution_options(**{SQLITE_BEGIN: "DEFERRED"})
    else:
        engine_options.update(pool_size=10, max_overflow=10, pool_pre_ping=True)
        engine = create_async_engine(url, **engine_options)
        reads_engine = engine
    return Database(
        engine=engine,
        writes=async_sessionmaker(engine, expire_on_commit=False),
        reads=async_sessionmaker(reads_engine, expire_on_commit=False),
    )


def _configure_sqlite(engine: AsyncEngine, busy_timeout: timedelta) -> None:
    """Turn on WAL, foreign keys and the busy timeout, and take over BEGIN."""
    milliseconds = int(busy_timeout.total_seconds() * 1000)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop the driver from issuing its own deferred BEGIN; ours below says which kind.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={milliseconds}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")
