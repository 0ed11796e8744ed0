from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main


def test_db_upgrade_creates_the_schema_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUGBOT_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out
    tables = {
        row[0]
        for row in sqlite3.connect(tmp_path / "data" / "gugbot.db").execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert {"groups", "meetings", "rsvps", "reminders", "alembic_version"} <= tables
    # A second upgrade is a no-op, not an error.
    assert main(["db", "upgrade"]) == 0


def test_version_flag_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("gugbot ")
