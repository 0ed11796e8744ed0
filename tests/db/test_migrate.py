"""Starting on a current schema skips Alembic; anything older is migrated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from db.engine import create_database
from db.migrate import HEAD_REVISION, alembic_config, stored_revision, upgrade_database
from tests.conftest import sqlite_copy


def test_head_revision_is_alembics_head() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_a_current_schema_starts_without_importing_alembic(
    sqlite_template: Path, tmp_path: Path
) -> None:
    url = sqlite_copy(sqlite_template, tmp_path)
    script = (
        "import asyncio, sys\n"
        "from db.engine import create_database\n"
        "from db.migrate import upgrade_database\n"
        f"db = create_database({url!r})\n"
        "asyncio.run(upgrade_database(db))\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parents[2])
    assert result.stdout.strip() == "False"


async def test_an_older_schema_is_upgraded_to_the_head(tmp_path: Path) -> None:
    db = create_database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        assert await stored_revision(db) is None
        await upgrade_database(db, "0005_web")
        assert await stored_revision(db) == "0005_web"
        await upgrade_database(db)
        assert await stored_revision(db) == HEAD_REVISION
        async with db.engine.connect() as connection:
            columns = await connection.execute(text("PRAGMA table_info(groups)"))
            assert "language" in {row[1] for row in columns}
    finally:
        await db.dispose()
