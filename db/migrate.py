"""Apply Alembic migrations from inside the running event loop.

Alembic (and Mako beneath it) costs about 11 MiB and a quarter second to import, so a
start on a schema already at ``HEAD_REVISION`` reads the stored revision and stops there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from db.engine import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest migration's revision; tests/db/test_migrate.py checks it against Alembic's head.
HEAD_REVISION = "0006_language"


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic config for our migrations, bound to ``connection`` when given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def stored_revision(db: Database) -> str | None:
    """Return the schema's revision, or None when no migration ever ran."""
    try:
        async with db.engine.connect() as connection:
            return await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:  # no alembic_version table: a new database
        return None


async def upgrade_database(db: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (the newest by default)."""
    if revision == "head" and await stored_revision(db) == HEAD_REVISION:
        return

    def _upgrade(connection: Connection) -> None:
        from alembic import command

        command.upgrade(alembic_config(connection), revision)

    async with db.engine.begin() as connection:
        await connection.run_sync(_upgrade)
