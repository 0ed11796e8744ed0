"""Recurring meetings: occurrences made ahead as meetings, kept at their wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.errors import InvalidInput
from core.recurrence import Frequency
from db.engine import Database
from db.meetings import NewMeeting, set_announcement
from db.models import Group, Meeting, MeetingStatus
from db.series import (
    NewSeries,
    Scope,
    cancel_occurrences,
    create_series,
    edit_occurrences,
    extend_series,
    meetings_due_for_announcement,
    series_of_meetings,
)
from tests.factories import make_group

OFFSETS = [timedelta(days=1)]
HORIZON = timedelta(days=28)
SANTIAGO = "America/Santiago"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone)).astimezone(UTC)  # type: ignore[misc]


async def weekly(
    db: Database, group: Group, first: datetime, now: datetime = NOW
) -> tuple[int, ...]:
    created = await create_series(
        db,
        NewSeries(
            NewMeeting(
                group_id=group.id,
                created_by=1,
                title="Jueves técnico",
                kind="technical",
                starts_at=first,
                duration_minutes=120,
            ),
            Frequency.WEEKLY,
        ),
        horizon=HORIZON,
        default_offsets=OFFSETS,
        now=now,
    )
    return created.meeting_ids


async def meetings(db: Database, group: Group) -> list[Meeting]:
    async with db.read() as session:
        rows = await session.scalars(
            select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.starts_at)
        )
        return list(rows)


def local(moments: list[Meeting], zone: str = SANTIAGO) -> list[str]:
    return [m.starts_at.astimezone(ZoneInfo(zone)).strftime("%m-%d %H:%M") for m in moments]


@pytest.mark.parametrize(
    ("zone", "first", "now", "expected"),
    [
        (
            SANTIAGO,
            (2026, 3, 19, 19, 0),
            NOW,
            ["03-19 19:00", "03-26 19:00", "04-02 19:00", "04-09 19:00", "04-16 19:00"],
        ),
        (
            "America/Sao_Paulo",
            (2018, 10, 18, 19, 0),
            datetime(2018, 9, 30, 12, 0, tzinfo=UTC),
            ["10-18 19:00", "10-25 19:00", "11-01 19:00", "11-08 19:00", "11-15 19:00"],
        ),
    ],
    ids=["santiago-summer-time-ends", "sao-paulo-summer-time-starts"],
)
async def test_occurrences_keep_the_wall_clock_time_across_dst(
    db: Database, zone: str, first: tuple[int, ...], now: datetime, expected: list[str]
) -> None:
    group = await make_group(db, timezone=zone)
    made = await weekly(db, group, at(zone, *first), now)
    assert len(made) == 3  # The horizon holds two; at least three exist ahead.
    more = await extend_series(
        db, now=now + timedelta(days=25), horizon=HORIZON, default_offsets=OFFSETS
    )
    assert len(more) == 2
    rows = await meetings(db, group)
    assert local(rows, zone) == expected
    assert len({m.starts_at.hour for m in rows}) == 2  # The UTC hour moved with the offset.
    again = await extend_series(
        db, now=now + timedelta(days=25), horizon=HORIZON, default_offsets=OFFSETS
    )
    assert again == []


async def test_the_first_start_must_fit_the_rule(db: Database) -> None:
    group = await make_group(db)
    with pytest.raises(InvalidInput):
        await create_series(
            db,
            NewSeries(
                NewMeeting(
                    group_id=group.id,
                    created_by=1,
                    title="Last Friday",
                    kind="social",
                    starts_at=at(SANTIAGO, 2026, 3, 19, 19, 0),
                    duration_minutes=120,
                ),
                Frequency.MONTHLY_LAST_WEEKDAY,
            ),
            horizon=HORIZON,
            default_offsets=OFFSETS,
            now=NOW,
        )


async def test_cancelling_one_occurrence_leaves_the_others(db: Database) -> None:
    group = await make_group(db)
    made = await weekly(db, group, at(SANTIAGO, 2026, 3, 19, 19, 0))
    changes = await cancel_occurrences(
        db, meeting_id=made[1], scope=Scope.THIS, reason="Feriado", now=NOW
    )
    assert [change.meeting.id for change in changes] == [made[1]]
    rows = await meetings(db, group)
    assert [m.status for m in rows] == ["scheduled", "cancelled", "scheduled"]
    more = await extend_series(
        db, now=NOW + timedelta(days=25), horizon=HORIZON, default_offsets=OFFSETS
    )
    assert len(more) == 2


async def test_cancelling_this_and_following_ends_the_series(db: Database) -> None:
    group = await make_group(db)
    made = await weekly(db, group, at(SANTIAGO, 2026, 3, 19, 19, 0))
    changes = await cancel_occurrences(
        db, meeting_id=made[1], scope=Scope.FOLLOWING, reason=None, now=NOW
    )
    assert [change.meeting.id for change in changes] == list(made[1:])
    rows = await meetings(db, group)
    assert [m.status for m in rows] == ["scheduled", "cancelled", "cancelled"]
    assert (
        await extend_series(
            db, now=NOW + timedelta(days=25), horizon=HORIZON, default_offsets=OFFSETS
        )
        == []
    )
    info = await series_of_meetings(db, [made[0]])
    assert not info[made[0]].active


async def test_editing_one_occurrence_changes_only_it(db: Database) -> None:
    group = await make_group(db)
    made = await weekly(db, group, at(SANTIAGO, 2026, 3, 19, 19, 0))
    await edit_occurrences(
        db,
        meeting_id=made[1],
        changes={"title": "Especial", "starts_at": at(SANTIAGO, 2026, 3, 27, 19, 0)},
        scope=Scope.THIS,
        default_offsets=OFFSETS,
        now=NOW,
    )
    rows = await meetings(db, group)
    assert [m.title for m in rows] == ["Jueves técnico", "Especial", "Jueves técnico"]
    assert local(rows) == ["03-19 19:00", "03-27 19:00", "04-02 19:00"]


async def test_editing_this_and_following_moves_later_ones_too(db: Database) -> None:
    group = await make_group(db)
    made = await weekly(db, group, at(SANTIAGO, 2026, 3, 19, 19, 0))
    await edit_occurrences(
        db,
        meeting_id=made[1],
        changes={"title": "Jueves 18:30", "starts_at": at(SANTIAGO, 2026, 3, 26, 18, 30)},
        scope=Scope.FOLLOWING,
        default_offsets=OFFSETS,
        now=NOW,
    )
    await extend_series(db, now=NOW + timedelta(days=25), horizon=HORIZON, default_offsets=OFFSETS)
    rows = await meetings(db, group)
    assert local(rows) == [
        "03-19 19:00",
        "03-26 18:30",
        "04-02 18:30",
        "04-09 18:30",
        "04-16 18:30",
    ]
    assert [m.title for m in rows] == ["Jueves técnico"] + ["Jueves 18:30"] * 4
    assert all(m.status == MeetingStatus.SCHEDULED for m in rows)
    info = await series_of_meetings(db, [m.id for m in rows])
    assert info[rows[0].id].series_id != info[rows[1].id].series_id
    assert len({info[m.id].series_id for m in rows[1:]}) == 1


async def test_occurrences_are_due_for_announcement_within_announce_ahead(db: Database) -> None:
    group = await make_group(db)
    made = await weekly(db, group, at(SANTIAGO, 2026, 3, 19, 19, 0))
    ahead = timedelta(days=7)
    now = at(SANTIAGO, 2026, 3, 13, 12, 0)
    assert [m.id for m in await meetings_due_for_announcement(db, now=now, ahead=ahead)] == [
        made[0]
    ]
    await set_announcement(db, made[0], 5, 6)
    later = now + timedelta(days=7)
    assert [m.id for m in await meetings_due_for_announcement(db, now=later, ahead=ahead)] == [
        made[1]
    ]
