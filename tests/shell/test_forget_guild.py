"""``gugbot forget-guild``: lists what it would delete, and deletes only with --yes."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from db.engine import create_database
from tests.factories import make_group, make_meeting

REMOVED, KEPT = 111, 222


async def _seed(url: str) -> None:
    db = create_database(url)
    try:
        for guild_id in (REMOVED, KEPT):
            group = await make_group(db, guild_id=guild_id, organizer_ids=[5], channel_id=9)
            await make_meeting(db, group)
    finally:
        await db.dispose()


def _groups_by_guild(path: Path) -> dict[int, int]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT guild_id, COUNT(*) FROM groups GROUP BY guild_id")
        return dict(rows.fetchall())


def test_forget_guild_refuses_without_yes_and_deletes_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUGBOT_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    path = tmp_path / "data" / "gugbot.db"
    asyncio.run(_seed(f"sqlite+aiosqlite:///{path}"))
    capsys.readouterr()

    assert main(["forget-guild", str(REMOVED)]) == 1
    said = capsys.readouterr()
    assert "would delete" in said.out and "1 groups" in said.out and "2 reminders" in said.out
    assert "--yes" in said.err
    assert _groups_by_guild(path) == {REMOVED: 1, KEPT: 1}

    assert main(["forget-guild", str(REMOVED), "--yes"]) == 0
    assert "deleted for server" in capsys.readouterr().out
    assert _groups_by_guild(path) == {KEPT: 1}
