"""Expand a recurring meeting's rule into the moments its occurrences start.

The rule runs on the group's wall clock, not on UTC: a meetup every Thursday at 19:00
stays at 19:00 when the zone changes its offset (Santiago and São Paulo move theirs at
midnight), so each slot is computed as a local time and only then converted to UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

# The weekdays as dateutil numbers them: Monday is 0.
_WEEKDAYS = tuple(weekday(number) for number in range(7))


class Frequency(StrEnum):
    """How often a series repeats; the first occurrence fixes the day and the time."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    # The same weekday in the same week of the month: "2nd Thursday", "last Friday".
    MONTHLY_WEEKDAY = "monthly_weekday"
    MONTHLY_LAST_WEEKDAY = "monthly_last_weekday"
    # The same day of the month; months without that day are skipped.
    MONTHLY_DATE = "monthly_date"


@dataclass(frozen=True)
class Recurrence:
    """A series' rule: how often, from which first start, on which wall clock."""

    frequency: Frequency
    first_starts_at: datetime
    timezone: str


def week_of_month(local_day: datetime) -> int:
    """Return which occurrence of its weekday in the month a day is: 1 for the first."""
    return (local_day.day - 1) // 7 + 1


def is_last_weekday_of_month(local_day: datetime) -> bool:
    """Tell whether no later day of the same month falls on the same weekday."""
    return (local_day + timedelta(days=7)).month != local_day.month


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """Convert a naive wall-clock time in ``zone`` to aware UTC.

    A wall-clock time the zone skips (the hour lost when clocks go forward) is read
    with the offset before the change, which lands it just after the gap: the same
    thing a person does with a clock that jumped.
    """
    return local.replace(tzinfo=zone).astimezone(UTC)


def _rule(recurrence: Recurrence, zone: ZoneInfo) -> rrule:
    start = recurrence.first_starts_at.astimezone(zone).replace(tzinfo=None)
    day = _WEEKDAYS[start.weekday()]
    match recurrence.frequency:
        case Frequency.WEEKLY:
            return rrule(WEEKLY, dtstart=start)
        case Frequency.BIWEEKLY:
            return rrule(WEEKLY, interval=2, dtstart=start)
        case Frequency.MONTHLY_WEEKDAY:
            return rrule(MONTHLY, dtstart=start, byweekday=day(week_of_month(start)))
        case Frequency.MONTHLY_LAST_WEEKDAY:
            return rrule(MONTHLY, dtstart=start, byweekday=day(-1))
        case Frequency.MONTHLY_DATE:
            return rrule(MONTHLY, dtstart=start, bymonthday=start.day)
    raise ValueError(f"unknown frequency {recurrence.frequency!r}")


def occurrences(
    recurrence: Recurrence, *, after: datetime, until: datetime, limit: int = 100
) -> list[datetime]:
    """Return the starts (aware UTC) strictly after ``after`` and not after ``until``.

    The first start counts as an occurrence when it falls in the window.
    """
    zone = ZoneInfo(recurrence.timezone)
    found: list[datetime] = []
    for local in _rule(recurrence, zone):
        moment = to_utc(local, zone)
        if moment > until or len(found) >= limit:
            break
        if moment > after:
            found.append(moment)
    return found


def shift_wall_clock(moment: datetime, delta: timedelta, timezone: str) -> datetime:
    """Move a start by ``delta`` on the wall clock of ``timezone`` (not in elapsed time)."""
    zone = ZoneInfo(timezone)
    return to_utc(moment.astimezone(zone).replace(tzinfo=None) + delta, zone)


def wall_clock_delta(before: datetime, after: datetime, timezone: str) -> timedelta:
    """Return how far ``after`` is from ``before`` on the wall clock of ``timezone``."""
    zone = ZoneInfo(timezone)
    return after.astimezone(zone).replace(tzinfo=None) - before.astimezone(zone).replace(
        tzinfo=None
    )
