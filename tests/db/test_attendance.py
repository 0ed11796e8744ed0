"""Attendance: check-in from a meeting's start until three hours after it ends; show-up rates."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.errors import InvalidInput
from db.attendance import check_in, meeting_attendance, show_up_rate, show_up_rates
from db.engine import Database
from tests.factories import GUILD_ID, NOW, make_group, seed_meeting

STARTS = NOW + timedelta(days=1)
# Meetings last 120 minutes unless told otherwise.
ENDS = STARTS + timedelta(minutes=120)


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (STARTS - timedelta(minutes=1), False),
        (STARTS, True),
        (ENDS + timedelta(hours=3), True),
        (ENDS + timedelta(hours=3, minutes=1), False),
    ],
    ids=["before-start", "at-start", "three-hours-after-end", "later"],
)
async def test_check_in_window(db: Database, moment: datetime, allowed: bool) -> None:
    group = await make_group(db)
    meeting_id = await seed_meeting(db, group.id, STARTS, [], NOW, going=[1])
    if allowed:
        done = await check_in(db, meeting_id=meeting_id, user_id=1, now=moment)
        assert done.first_time and not done.walk_in
    else:
        with pytest.raises(InvalidInput):
            await check_in(db, meeting_id=meeting_id, user_id=1, now=moment)


async def test_walk_ins_check_in_and_a_second_press_changes_nothing(db: Database) -> None:
    group = await make_group(db)
    meeting_id = await seed_meeting(db, group.id, STARTS, [], NOW, going=[1], maybe=[2])
    walk_in = await check_in(db, meeting_id=meeting_id, user_id=9, now=STARTS)
    assert walk_in.walk_in
    maybe = await check_in(db, meeting_id=meeting_id, user_id=2, now=STARTS + timedelta(minutes=5))
    assert not maybe.walk_in
    again = await check_in(db, meeting_id=meeting_id, user_id=9, now=STARTS + timedelta(hours=1))
    assert not again.first_time
    attendance = await meeting_attendance(db, meeting_id)
    assert attendance.answered.going == [1]
    assert attendance.checked_in == [9, 2]


async def test_show_up_rate_is_checked_in_over_going_in_the_last_90_days(db: Database) -> None:
    group = await make_group(db)
    other = await make_group(db, name="GUG Other")
    recent = await seed_meeting(
        db, group.id, NOW - timedelta(days=10), [], NOW, going=[1, 2, 3, 4], maybe=[5]
    )
    for user_id in (1, 2, 3, 5, 9):
        await check_in(
            db, meeting_id=recent, user_id=user_id, now=NOW - timedelta(days=10, hours=-1)
        )
    old = await seed_meeting(db, group.id, NOW - timedelta(days=100), [], NOW, going=[1, 2])
    assert old
    await seed_meeting(db, other.id, NOW - timedelta(days=5), [], NOW, going=[1])
    rate = await show_up_rate(db, guild_id=GUILD_ID, group_id=group.id, now=NOW)
    assert (rate.going, rate.showed_up, rate.rate) == (4, 3, 0.75)
    rates = await show_up_rates(db, guild_id=GUILD_ID, now=NOW)
    assert rates[other.id].rate == 0.0
    nobody = await show_up_rate(
        db, guild_id=GUILD_ID, group_id=group.id, now=NOW - timedelta(days=200)
    )
    assert nobody.rate is None
