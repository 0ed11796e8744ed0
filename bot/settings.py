"""Load gugbot's settings from TOML and the environment into a frozen object.

Nothing reads configuration at import time: ``load_settings`` is called once by the
CLI (or a test) and the result is passed to whatever needs it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.durations import DurationError, parse_duration, parse_offsets

DEFAULT_CONFIG_FILE = Path("config.toml")
MAX_PORT = 65535


class SettingsError(Exception):
    """A configuration problem, with the key that caused it."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"config error: {key}: {problem}")
        self.key = key
        self.problem = problem


class Secret:
    """A string that never shows itself in reprs, logs or error messages."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret for the one place that needs it (login)."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


# Discord fails an interaction that is not acknowledged within this.
ACK_DEADLINE_SECONDS = 3


@dataclass(frozen=True)
class DiscordSettings:
    """How to reach Discord (or a Discord-compatible API such as the sandbox)."""

    token: Secret = field(default_factory=lambda: Secret(""))
    application_id: int = 0
    api_base: str = ""
    shard_count: int = 0
    shard_ids: tuple[int, ...] = ()
    scheduled_events: bool = True
    guild_ready_timeout: float = 2.0
    # Seconds before an unanswered interaction gets the apology (bot/unanswered.py).
    answer_deadline: float = 2.5


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the state lives."""

    url: str = field(default="", repr=False)  # may carry the PostgreSQL password
    data_dir: Path = Path("data")
    busy_timeout: timedelta = timedelta(seconds=10)
    echo: bool = False

    @property
    def effective_url(self) -> str:
        """Return the configured URL, or the embedded SQLite file in the data directory."""
        if self.url:
            return self.url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'gugbot.db').as_posix()}"


@dataclass(frozen=True)
class GroupSettings:
    """Rules for groups and proposals."""

    max_pending_per_user: int = 3
    dormant_after_days: int = 120
    default_timezone: str = "UTC"
    interest_radius_km: float = 50.0
    checkin_interval_days: int = 30


@dataclass(frozen=True)
class MeetingSettings:
    """Defaults for meetings and their announcements."""

    default_duration: timedelta = timedelta(hours=2)
    announcement_edit_interval: timedelta = timedelta(seconds=5)
    announce_ahead: timedelta = timedelta(days=7)
    # The first this many newly waitlisted people of a batch get a DM each; the rest
    # are told together in one message in the group's channel (a burst stays cheap).
    waitlist_dm_limit: int = 10


@dataclass(frozen=True)
class ReminderSettings:
    """How reminders are planned and delivered."""

    default_offsets: tuple[timedelta, ...] = (timedelta(days=1), timedelta(hours=1))
    sweep_interval: timedelta = timedelta(seconds=60)
    lease: timedelta = timedelta(minutes=2)


@dataclass(frozen=True)
class WebSettings:
    """The public directory and calendars, served by `gugbot run` or `gugbot web`."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 8080
    # The public URL of the site (behind a reverse proxy), used in links; "" = as requested.
    base_url: str = ""


@dataclass(frozen=True)
class LoggingSettings:
    """What the bot writes to its log."""

    level: str = "INFO"


@dataclass(frozen=True)
class Settings:
    """Every setting gugbot reads, grouped like config.example.toml."""

    discord: DiscordSettings = field(default_factory=DiscordSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    groups: GroupSettings = field(default_factory=GroupSettings)
    meetings: MeetingSettings = field(default_factory=MeetingSettings)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    web: WebSettings = field(default_factory=WebSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)

    def masked(self) -> dict[str, dict[str, Any]]:
        """Return the effective settings as plain values, the token masked."""
        result: dict[str, dict[str, Any]] = {}
        for section in fields(self):
            values = getattr(self, section.name)
            result[section.name] = {
                item.name: _plain(getattr(values, item.name)) for item in fields(values)
            }
        result["database"]["url"] = masked_url(self.database.effective_url)
        return result

    def secrets(self) -> list[str]:
        """Return every secret the logs must never show: the token and the database password."""
        return [self.discord.token.reveal(), *url_passwords(self.database.url)]


_URL_PASSWORD = re.compile(r"(?<=://)(?P<user>[^:/@?#]*):(?P<password>[^@/?#]*)@")
_QUERY_PASSWORD = re.compile(r"(?P<key>[?&](?:password|passwd|pwd)=)(?P<password>[^&#]*)",
                             re.IGNORECASE)


def url_passwords(url: str) -> list[str]:
    """Return the passwords written into a URL (userinfo or a `password=` parameter)."""
    found = [m.group("password") for m in _URL_PASSWORD.finditer(url)]
    found += [m.group("password") for m in _QUERY_PASSWORD.finditer(url)]
    return [password for password in found if password]


def masked_url(url: str) -> str:
    """Return ``url`` with any password replaced by asterisks, for printing and logs."""
    url = _URL_PASSWORD.sub(lambda m: f"{m.group('user')}:********@", url)
    return _QUERY_PASSWORD.sub(lambda m: f"{m.group('key')}********", url)


_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


def _plain(value: Any) -> Any:
    if isinstance(value, Secret):
        return "********" if value else ""
    if isinstance(value, timedelta):
        return f"{value.total_seconds():g}s"
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


# --- readers: each turns one raw TOML value into a typed value or names the problem ---


def _read_str(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise SettingsError(key, f"expected a string, got {type(value).__name__}")
    return value


def _read_bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(key, f"expected true or false, got {type(value).__name__}")
    return value


def _read_int(key: str, value: Any, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError(key, f"expected a whole number, got {type(value).__name__}")
    if value < minimum:
        raise SettingsError(key, f"must be at least {minimum}, got {value}")
    return value


def _read_float(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError(key, f"expected a number, got {type(value).__name__}")
    if value < 0:
        raise SettingsError(key, f"must not be negative, got {value}")
    return float(value)


def _read_duration(key: str, value: Any) -> timedelta:
    text = _read_str(key, value)
    try:
        return parse_duration(text)
    except DurationError as error:
        raise SettingsError(key, str(error)) from None


def _read_offsets(key: str, value: Any) -> tuple[timedelta, ...]:
    try:
        return tuple(parse_offsets(_read_str(key, value)))
    except DurationError as error:
        raise SettingsError(key, str(error)) from None


def _read_timezone(key: str, value: Any) -> str:
    name = _read_str(key, value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise SettingsError(key, f"unknown time zone {name!r} (use an IANA name)") from None
    return name


def _read_http_url(key: str, value: Any) -> str:
    text = _read_str(key, value).rstrip("/")
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError(key, f"malformed URL {text!r} (expected http://host:port)")
    return text


def _read_database_url(key: str, value: Any) -> str:
    text = _read_str(key, value)
    if not text:
        return ""
    scheme = urlsplit(text).scheme
    if scheme not in {"sqlite+aiosqlite", "postgresql+asyncpg"}:
        raise SettingsError(
            key,
            f"malformed database URL (scheme {scheme!r}); use sqlite+aiosqlite:///path "
            "or postgresql+asyncpg://user@host/db",
        )
    return text


def _read_shard_ids(key: str, value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise SettingsError(key, "expected a list of shard numbers, e.g. [0, 1]")
    return tuple(_read_int(key, item) for item in value)


def _read_port(key: str, value: Any) -> int:
    port = _read_int(key, value, minimum=1)
    if port > MAX_PORT:
        raise SettingsError(key, f"expected a TCP port from 1 to {MAX_PORT}")
    return port


def _read_level(key: str, value: Any) -> str:
    level = _read_str(key, value).upper()
    if level not in _LOG_LEVELS:
        raise SettingsError(key, f"expected one of {', '.join(sorted(_LOG_LEVELS))}")
    return level


_SCHEMA: dict[str, dict[str, Any]] = {
    "discord": {
        "token": lambda k, v: Secret(_read_str(k, v)),
        "application_id": _read_int,
        "api_base": _read_http_url,
        "shard_count": _read_int,
        "shard_ids": _read_shard_ids,
        "scheduled_events": _read_bool,
        "guild_ready_timeout": _read_float,
        "answer_deadline": _read_float,
    },
    "database": {
        "url": _read_database_url,
        "data_dir": lambda k, v: Path(_read_str(k, v)),
        "busy_timeout": _read_duration,
        "echo": _read_bool,
    },
    "groups": {
        "max_pending_per_user": lambda k, v: _read_int(k, v, minimum=1),
        "dormant_after_days": lambda k, v: _read_int(k, v, minimum=1),
        "default_timezone": _read_timezone,
        "interest_radius_km": _read_float,
        "checkin_interval_days": lambda k, v: _read_int(k, v, minimum=1),
    },
    "meetings": {
        "default_duration": _read_duration,
        "announcement_edit_interval": _read_duration,
        "announce_ahead": _read_duration,
        "waitlist_dm_limit": _read_int,
    },
    "reminders": {
        "default_offsets": _read_offsets,
        "sweep_interval": _read_duration,
        "lease": _read_duration,
    },
    "web": {
        "enabled": _read_bool,
        "host": _read_str,
        "port": _read_port,
        "base_url": _read_http_url,
    },
    "logging": {"level": _read_level},
}

_SECTION_TYPES: dict[str, type] = {
    "discord": DiscordSettings,
    "database": DatabaseSettings,
    "groups": GroupSettings,
    "meetings": MeetingSettings,
    "reminders": ReminderSettings,
    "web": WebSettings,
    "logging": LoggingSettings,
}


def settings_from_mapping(raw: Mapping[str, Any]) -> Settings:
    """Validate a parsed TOML document and build Settings, naming the first bad key."""
    sections: dict[str, Any] = {}
    for section_name, section_value in raw.items():
        if section_name not in _SCHEMA:
            raise SettingsError(section_name, "unknown section")
        if not isinstance(section_value, dict):
            raise SettingsError(section_name, "expected a table of keys")
        readers = _SCHEMA[section_name]
        values = {}
        for key, value in section_value.items():
            full_key = f"{section_name}.{key}"
            if key not in readers:
                raise SettingsError(full_key, "unknown key")
            values[key] = readers[key](full_key, value)
        sections[section_name] = _SECTION_TYPES[section_name](**values)
    settings = Settings(**sections)
    _check_consistency(settings)
    return settings


def _check_consistency(settings: Settings) -> None:
    shards = settings.discord
    if shards.shard_ids and not shards.shard_count:
        raise SettingsError("discord.shard_ids", "needs discord.shard_count")
    for shard_id in shards.shard_ids:
        if shard_id >= shards.shard_count:
            raise SettingsError(
                "discord.shard_ids", f"shard {shard_id} is not below shard_count"
            )
    if not 0 < shards.answer_deadline < ACK_DEADLINE_SECONDS:
        raise SettingsError(
            "discord.answer_deadline", f"must be between 0 and {ACK_DEADLINE_SECONDS} seconds"
        )
    if settings.meetings.default_duration <= timedelta():
        raise SettingsError("meetings.default_duration", "must be longer than zero")
    if settings.meetings.announce_ahead <= timedelta():
        raise SettingsError("meetings.announce_ahead", "must be longer than zero")
    if settings.reminders.lease <= timedelta():
        raise SettingsError("reminders.lease", "must be longer than zero")
    if settings.reminders.sweep_interval <= timedelta():
        raise SettingsError("reminders.sweep_interval", "must be longer than zero")


def _apply_environment(settings: Settings, environ: Mapping[str, str]) -> Settings:
    discord_settings = settings.discord
    if environ.get("DISCORD_TOKEN"):
        discord_settings = replace(discord_settings, token=Secret(environ["DISCORD_TOKEN"]))
    if environ.get("GUGBOT_DISCORD_API"):
        api = _read_http_url("GUGBOT_DISCORD_API", environ["GUGBOT_DISCORD_API"])
        discord_settings = replace(discord_settings, api_base=api)
    database = settings.database
    if environ.get("GUGBOT_DATABASE_URL"):
        url = _read_database_url("GUGBOT_DATABASE_URL", environ["GUGBOT_DATABASE_URL"])
        database = replace(database, url=url)
    return replace(settings, discord=discord_settings, database=database)


def load_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Load settings from ``path``, ``$GUGBOT_CONFIG`` or ./config.toml, then the environment."""
    environ = os.environ if environ is None else environ
    if path is None and environ.get("GUGBOT_CONFIG"):
        path = Path(environ["GUGBOT_CONFIG"])
    if path is None and DEFAULT_CONFIG_FILE.exists():
        path = DEFAULT_CONFIG_FILE
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SettingsError("config", f"file {path} does not exist") from None
        except tomllib.TOMLDecodeError as error:
            raise SettingsError("config", f"{path} is not valid TOML: {error}") from None
    return _apply_environment(settings_from_mapping(raw), environ)
