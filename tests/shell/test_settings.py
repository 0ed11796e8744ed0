from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.logging_setup import RedactSecrets
from bot.settings import Secret, SettingsError, load_settings, masked_url

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.super-secret-token-value"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults_use_embedded_sqlite_in_data_dir() -> None:
    settings = load_settings(None, environ={})
    assert settings.database.effective_url == "sqlite+aiosqlite:///data/gugbot.db"
    assert settings.reminders.default_offsets == (timedelta(days=1), timedelta(hours=1))
    assert settings.meetings.default_duration == timedelta(hours=2)


def test_example_config_is_valid_and_equals_defaults(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    assert load_settings(example, environ={}) == load_settings(None, environ={})


def test_file_values_are_read_and_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[discord]
api_base = "http://127.0.0.1:8123/"
shard_count = 2
shard_ids = [1]
[database]
url = "postgresql+asyncpg://postgres@127.0.0.1/gug"
[groups]
default_timezone = "America/Montevideo"
[reminders]
default_offsets = "30m,2d"
""",
    )
    settings = load_settings(path, environ={})
    assert settings.discord.api_base == "http://127.0.0.1:8123"
    assert settings.discord.shard_ids == (1,)
    assert settings.database.effective_url.startswith("postgresql+asyncpg://")
    assert settings.groups.default_timezone == "America/Montevideo"
    assert settings.reminders.default_offsets == (timedelta(days=2), timedelta(minutes=30))


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[discord]\napi_base = "http://127.0.0.1:1"\n')
    settings = load_settings(
        path,
        environ={
            "DISCORD_TOKEN": TOKEN,
            "GUGBOT_DISCORD_API": "http://127.0.0.1:9999",
            "GUGBOT_DATABASE_URL": "sqlite+aiosqlite:///x.db",
        },
    )
    assert settings.discord.token.reveal() == TOKEN
    assert settings.discord.api_base == "http://127.0.0.1:9999"
    assert settings.database.effective_url == "sqlite+aiosqlite:///x.db"


def test_gugbot_config_variable_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[logging]\nlevel = "debug"\n')
    assert load_settings(None, environ={"GUGBOT_CONFIG": str(path)}).logging.level == "DEBUG"


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("[discord]\ncolour = 1\n", "discord.colour", "unknown key"),
        ("[nonsense]\nx = 1\n", "nonsense", "unknown section"),
        ("[groups]\nmax_pending_per_user = 'three'\n", "groups.max_pending_per_user", "whole number"),
        ("[discord]\nscheduled_events = 'yes'\n", "discord.scheduled_events", "true or false"),
        ("[discord]\napi_base = 'localhost:80'\n", "discord.api_base", "malformed URL"),
        ("[database]\nurl = 'mysql://x'\n", "database.url", "malformed database URL"),
        ("[groups]\ndefault_timezone = 'Mars/Olympus'\n", "groups.default_timezone", "unknown time zone"),
        ("[meetings]\ndefault_duration = '-2h'\n", "meetings.default_duration", "cannot be negative"),
        ("[reminders]\nlease = 'soon'\n", "reminders.lease", "not a duration"),
        ("[discord]\nshard_ids = [3]\nshard_count = 2\n", "discord.shard_ids", "not below"),
        ("[logging]\nlevel = 'LOUD'\n", "logging.level", "expected one of"),
        ("[discord]\nanswer_deadline = 3\n", "discord.answer_deadline", "between 0 and 3"),
    ],
)
def test_bad_config_names_the_key_and_the_problem(
    tmp_path: Path, body: str, key: str, problem: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(write(tmp_path, body), environ={})
    assert caught.value.key == key
    assert problem in str(caught.value)


def test_bad_config_stops_the_cli_with_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "[meetings]\ndefault_duration = '-1h'\n")
    assert main(["--config", str(path), "check-config"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "meetings.default_duration" in err[0]


def test_token_never_appears_in_repr_or_check_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.masked())
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert TOKEN not in out
    assert "********" in out


def test_token_in_config_file_errors_is_not_echoed(tmp_path: Path) -> None:
    path = write(tmp_path, f'[discord]\ntoken = "{TOKEN}"\nbogus = 1\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(path, environ={})
    assert TOKEN not in str(caught.value)


def test_log_filter_masks_the_token(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("gugbot.test")
    logger.addFilter(RedactSecrets([TOKEN]))
    with caplog.at_level(logging.INFO):
        logger.info("connecting with %s", TOKEN)
    assert TOKEN not in caplog.text
    assert "********" in caplog.text


def test_secret_equality_does_not_reveal() -> None:
    assert Secret("a") == Secret("a")
    assert "a" not in repr(Secret("a"))


def test_run_without_token_says_how_to_give_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    with pytest.raises(SystemExit) as caught:
        main(["run"])
    assert caught.value.code == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err


DB_PASSWORD = "pg-Secret-8472"
PG_URL = f"postgresql+asyncpg://gugbot:{DB_PASSWORD}@127.0.0.1:5432/gugbot"


def test_database_password_never_appears_in_check_config_or_repr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUGBOT_DATABASE_URL", PG_URL)
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None)
    assert DB_PASSWORD not in repr(settings)
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert DB_PASSWORD not in out
    assert "gugbot:********@127.0.0.1" in out


@pytest.mark.parametrize(("url", "shown"), [
    (PG_URL, "postgresql+asyncpg://gugbot:********@127.0.0.1:5432/gugbot"),
    (f"postgresql://h/db?user=u&password={DB_PASSWORD}", "postgresql://h/db?user=u&password=********"),
    ("sqlite+aiosqlite:///data/gugbot.db", "sqlite+aiosqlite:///data/gugbot.db"),
])
def test_urls_are_printed_with_the_password_masked(url: str, shown: str) -> None:
    assert masked_url(url) == shown


def test_log_filter_masks_the_database_password(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GUGBOT_DATABASE_URL", PG_URL)
    monkeypatch.chdir(tmp_path)
    logger = logging.getLogger("gugbot.test.db")
    logger.addFilter(RedactSecrets(load_settings(None).secrets()))
    with caplog.at_level(logging.INFO):
        logger.info("could not connect to %s", PG_URL)
    assert DB_PASSWORD not in caplog.text
