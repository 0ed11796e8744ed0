from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from db.base import Base
from db.engine import Database, create_database
from db.models import AuditEntry, GuildSettings


async def test_sqlite_pragmas_are_set(tmp_path: Path) -> None:
    database = create_database(f"sqlite+aiosqlite:///{tmp_path}/x.db", busy_timeout=timedelta(seconds=7))
    try:
        async with database.engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 7000
    finally:
        await database.dispose()


async def test_sqlite_file_and_directory_are_created_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "data" / "gugbot.db"
    database = create_database(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.read() as session:
            await session.execute(text("SELECT 1"))
        assert path.exists()
    finally:
        await database.dispose()


async def test_two_concurrent_writers_both_succeed(db: Database) -> None:
    """A read-then-write in two transactions at once must not fail with 'database is locked'."""

    async def writer(guild_id: int) -> None:
        async with db.transaction() as session:
            await session.scalar(select(GuildSettings).where(GuildSettings.guild_id == guild_id))
            await asyncio.sleep(0.05)  # hold the transaction while the other one starts
            session.add(GuildSettings(guild_id=guild_id))

    await asyncio.gather(*(writer(guild_id) for guild_id in range(1, 6)))
    async with db.read() as session:
        rows = (await session.scalars(select(GuildSettings.guild_id))).all()
    assert sorted(rows) == [1, 2, 3, 4, 5]


async def test_sqlite_write_transactions_begin_immediate(tmp_path: Path) -> None:
    database = create_database(f"sqlite+aiosqlite:///{tmp_path}/x.db", busy_timeout=timedelta(seconds=0.2))
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        async with database.transaction() as first:
            await first.execute(text("SELECT 1"))
            # The first transaction holds the write lock from BEGIN, before writing anything.
            with pytest.raises(Exception, match="locked"):
                async with database.transaction() as second:
                    await second.execute(text("SELECT 1"))
            # Reads are not blocked by a writer.
            async with database.read() as reader:
                assert (await reader.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await database.dispose()


async def test_datetimes_round_trip_as_aware_utc(db: Database) -> None:
    montevideo = timezone(timedelta(hours=-3))
    moment = datetime(2026, 12, 10, 19, 0, tzinfo=montevideo)
    async with db.transaction() as session:
        session.add(AuditEntry(guild_id=1, actor_id=2, action="test", created_at=moment))
    async with db.read() as session:
        stored = await session.scalar(select(AuditEntry.created_at))
    assert stored is not None
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == moment
    assert stored == datetime(2026, 12, 10, 22, 0, tzinfo=UTC)


async def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive"):
        async with db.transaction() as session:
            session.add(AuditEntry(guild_id=1, actor_id=2, action="x", created_at=datetime(2026, 1, 1)))  # noqa: DTZ001


async def test_migrations_produce_exactly_the_models_schema(db: Database) -> None:
    def differences(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as connection:
        diff = await connection.run_sync(differences)
    assert diff == []
