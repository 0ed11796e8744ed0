"""Read a meeting's `when` in the group's time zone, and say how it was understood.

dateparser reads ISO and natural phrases in English, Spanish and Portuguese; zoneinfo decides
whether the wall time exists (spring-forward gap) and is unique (fall-back overlap).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime

from core.errors import InvalidInput
from core.i18n import Translator, _, language_of

WHEN_LIMIT = 100  # Longer text is not a date; it also bounds parsing time in autocomplete.
# Far-future meetings each cost REST calls at every start; two years covers any real plan.
MAX_AHEAD = timedelta(days=2 * 365)
LANGUAGES = ["en", "es", "pt"]

# dateparser drops the hour in "mañana a las 18" and cannot read "20hs" nor "19h"; write
# them as HH:MM.
_AT_HOUR = re.compile(
    r"\b(?:a\s+las|a\s+la|las|at|às|as)\s+(\d{1,2})(?:[:.h](\d{2}))?\s*(?:hs|hrs|h)?"
    r"(?![\d:apAP])",
    re.IGNORECASE,
)
# "19h" and "19h30" are times of day, but "in 2h" / "em 2h" is a duration dateparser reads.
_HOUR_SUFFIX = re.compile(
    r"(?<!\bin )(?<!\ben )(?<!\bem )\b(\d{1,2})(?:h(\d{2})|(?:[:.](\d{2}))?\s*(?:hs|hrs|h))\b",
    re.IGNORECASE,
)
# Articles, and "próxima sexta" (dateparser reads the weekday alone as the next one).
_LEADING_ARTICLE = re.compile(
    r"^\s*(?:el|la|this|on|na|no|pr[oó]xim[oa])\s+", re.IGNORECASE
)


class WhenError(InvalidInput):
    """The `when` text cannot be a meeting's start: unreadable, past, or not a real time."""


@dataclass(frozen=True)
class When:
    """A start time as read: aware in the group's zone, and the same instant in UTC."""

    local: datetime
    zone: str

    @property
    def utc(self) -> datetime:
        """Return the instant in UTC."""
        return self.local.astimezone(UTC)


def group_zone(name: str) -> ZoneInfo:
    """Return the group's zone, falling back to UTC for a name zoneinfo does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # A name like "America" is a directory and a 300-character one is too long a path.
        return ZoneInfo("UTC")


# Someone who typed "19:00:30" meant those seconds (the demo's short reminders rely on it).
_EXPLICIT_SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")


def _normalise(text: str) -> str:
    def at_hour(match: re.Match[str]) -> str:
        return f" {int(match.group(1)):02d}:{match.group(2) or '00'}"

    cleaned = _LEADING_ARTICLE.sub("", text.strip())
    cleaned = _AT_HOUR.sub(at_hour, cleaned)
    cleaned = _HOUR_SUFFIX.sub(
        lambda m: f"{int(m.group(1)):02d}:{m.group(2) or m.group(3) or '00'}", cleaned
    )
    return re.sub(r"\s+", " ", cleaned).strip()


def _wall_time(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """Read ``text`` as a naive wall time, relative to ``now`` in the zone."""
    import dateparser  # imported on first use (3 MiB, 50 modules): not needed to start

    base = now.astimezone(zone).replace(tzinfo=None)
    parsed = dateparser.parse(
        _normalise(text),
        languages=LANGUAGES,
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if parsed is None:
        raise WhenError(
            _("I could not read “{typed}” as a date and time. Try `2026-12-10 19:00` "
              "or `next thursday 7pm`."),
            typed=text[:WHEN_LIMIT],
        )
    if parsed.tzinfo is not None:
        # The text named its own offset ("19:00 -03:00"): honour it, then show it locally.
        return parsed.astimezone(zone).replace(tzinfo=None)
    if _EXPLICIT_SECONDS.search(text):
        return parsed.replace(microsecond=0)
    # Relative phrases ("in 2 hours") inherit the seconds of now; a meeting starts on a minute.
    return parsed.replace(second=0, microsecond=0)


def localize(wall: datetime, zone: ZoneInfo) -> datetime:
    """Attach ``zone`` to a wall time, refusing times skipped or repeated by a DST change."""
    early = wall.replace(tzinfo=zone, fold=0)
    late = wall.replace(tzinfo=zone, fold=1)
    round_trip = early.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != wall:
        raise WhenError(
            _("{time} does not exist in {zone}: the clocks jump forward then. "
              "Pick a time outside the change."),
            time=wall.strftime("%Y-%m-%d %H:%M"),
            zone=zone.key,
        )
    if early.utcoffset() != late.utcoffset():
        raise WhenError(
            _("{time} happens twice in {zone}: the clocks go back then. "
              "Pick a time outside the change."),
            time=wall.strftime("%Y-%m-%d %H:%M"),
            zone=zone.key,
        )
    return early


def parse_when(text: str, zone_name: str, now: datetime) -> When:
    """Read ``text`` in the group's zone as a future start, or raise WhenError saying why."""
    if not text.strip():
        raise WhenError(_("Say when the meeting starts, e.g. `2026-12-10 19:00`."))
    if len(text) > WHEN_LIMIT:
        raise WhenError(_("That is too long for a date; try `2026-12-10 19:00`."))
    zone = group_zone(zone_name)
    try:
        local = localize(_wall_time(text, zone, now), zone)
    except OverflowError:
        # Year 9999 in a zone behind UTC has no UTC instant.
        local = None
    if local is None or local > now + MAX_AHEAD:
        raise WhenError(_("Meetings can be planned at most two years ahead."))
    if local <= now:
        raise WhenError(
            _("{time} in {zone} is in the past. Meetings must start in the future."),
            time=local.strftime("%Y-%m-%d %H:%M"),
            zone=zone.key,
        )
    return When(local=local, zone=zone.key)


def describe_local(moment: datetime, zone_name: str, locale: object = None) -> str:
    """Write a moment as the group reads it: ``Thu 10 Dec 2026, 19:00 America/Montevideo``.

    Short enough for an autocomplete choice; the day and month are in the reader's language.
    """
    zone = group_zone(zone_name)
    local = moment.astimezone(zone)
    day = format_datetime(local, "EEE d MMM y, HH:mm", locale=language_of(locale))
    return f"{day} {zone.key}"


def echo_when(text: str, zone_name: str, now: datetime, locale: object = None) -> str:
    """Say how ``text`` was understood, or what is wrong with it (for autocomplete)."""
    t = Translator(locale)
    try:
        when = parse_when(text, zone_name, now)
    except WhenError as error:
        return t(error.message, **error.params)
    return describe_local(when.local, zone_name, locale)


def duration_minutes(value: timedelta) -> int:
    """Return a duration in whole minutes."""
    return int(value.total_seconds() // 60)
