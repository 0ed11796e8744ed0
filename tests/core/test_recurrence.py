"""Recurring meeting rules keep the group's wall-clock time across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.recurrence import (
    Frequency,
    Recurrence,
    occurrences,
    shift_wall_clock,
    wall_clock_delta,
)

SANTIAGO = "America/Santiago"
SAO_PAULO = "America/Sao_Paulo"


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


def expand(frequency: Frequency, first: datetime, zone: str, count: int) -> list[datetime]:
    rule = Recurrence(frequency, first, zone)
    return occurrences(
        rule, after=first - timedelta(seconds=1), until=first + timedelta(days=800), limit=count
    )


def wall_clock(moments: list[datetime], zone: str) -> list[str]:
    return [moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") for moment in moments]


def test_weekly_keeps_19h_in_santiago_when_summer_time_ends() -> None:
    first = local(SANTIAGO, 2026, 3, 19, 19, 0)
    found = expand(Frequency.WEEKLY, first, SANTIAGO, 5)
    assert wall_clock(found, SANTIAGO) == [
        "2026-03-19 19:00",
        "2026-03-26 19:00",
        "2026-04-02 19:00",
        "2026-04-09 19:00",
        "2026-04-16 19:00",
    ]
    # The offset moves from -03 to -04 in early April: UTC shifts by an hour, local does not.
    assert {moment.hour for moment in found} == {22, 23}
    assert found[0].hour == 22 and found[-1].hour == 23


def test_every_two_weeks_keeps_19h_in_sao_paulo_when_summer_time_starts() -> None:
    # Brazil last had summer time in 2018-19: clocks went forward on 4 November 2018.
    first = local(SAO_PAULO, 2018, 10, 20, 19, 0)
    found = expand(Frequency.BIWEEKLY, first, SAO_PAULO, 3)
    assert wall_clock(found, SAO_PAULO) == [
        "2018-10-20 19:00",
        "2018-11-03 19:00",
        "2018-11-17 19:00",
    ]
    assert [moment.hour for moment in found] == [22, 22, 21]


def test_a_time_skipped_by_the_clock_change_lands_just_after_the_gap() -> None:
    first = local(SAO_PAULO, 2018, 10, 28, 0, 30)
    found = expand(Frequency.WEEKLY, first, SAO_PAULO, 3)
    assert found[1] == datetime(2018, 11, 4, 3, 30, tzinfo=UTC)
    assert wall_clock(found, SAO_PAULO) == [
        "2018-10-28 00:30",
        "2018-11-04 01:30",
        "2018-11-11 00:30",
    ]


@pytest.mark.parametrize(
    ("frequency", "first", "expected"),
    [
        (Frequency.MONTHLY_WEEKDAY, (2026, 1, 8), ["2026-01-08", "2026-02-12", "2026-03-12"]),
        (Frequency.MONTHLY_LAST_WEEKDAY, (2026, 1, 30), ["2026-01-30", "2026-02-27", "2026-03-27"]),
        (Frequency.MONTHLY_DATE, (2026, 1, 31), ["2026-01-31", "2026-03-31", "2026-05-31"]),
        (Frequency.MONTHLY_DATE, (2026, 1, 15), ["2026-01-15", "2026-02-15", "2026-03-15"]),
    ],
    ids=["2nd-thursday", "last-friday", "31st-skips-short-months", "15th"],
)
def test_monthly_rules(
    frequency: Frequency, first: tuple[int, int, int], expected: list[str]
) -> None:
    start = local(SANTIAGO, *first, 18, 30)
    found = expand(frequency, start, SANTIAGO, 3)
    assert [text[:10] for text in wall_clock(found, SANTIAGO)] == expected
    assert {text[11:] for text in wall_clock(found, SANTIAGO)} == {"18:30"}


def test_the_window_excludes_its_start_and_includes_its_end() -> None:
    first = local(SANTIAGO, 2026, 5, 7, 19, 0)
    rule = Recurrence(Frequency.WEEKLY, first, SANTIAGO)
    found = occurrences(rule, after=first, until=first + timedelta(weeks=2))
    assert found == [first + timedelta(weeks=1), first + timedelta(weeks=2)]


def test_shifting_on_the_wall_clock_keeps_the_local_time_across_dst() -> None:
    before = local(SANTIAGO, 2026, 3, 26, 19, 0)
    after = local(SANTIAGO, 2026, 3, 26, 18, 30)
    delta = wall_clock_delta(before, after, SANTIAGO)
    assert delta == timedelta(minutes=-30)
    moved = shift_wall_clock(local(SANTIAGO, 2026, 4, 9, 19, 0), delta, SANTIAGO)
    assert wall_clock([moved], SANTIAGO) == ["2026-04-09 18:30"]
