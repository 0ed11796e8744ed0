"""Alembic environment: runs on a connection handed over by db.migrate, or on its own."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from db import models  # noqa: F401  (registers every table on the metadata)
from db.base import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_standalone(url: str) -> None:
    from db.engine import create_database

    database = create_database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(_run)
    await database.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_standalone(context.config.get_main_option("sqlalchemy.url") or ""))
