"""Reminder planning, claims, leases and lateness, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db.engine import Database
from db.models import (
    DeliveryStatus,
    Group,
    GroupStatus,
    Meeting,
    Reminder,
    ReminderDelivery,
    ReminderStatus,
    Rsvp,
    RsvpStatus,
    UserPreference,
)
from db.reminders import (
    DMS_CLOSED,
    claim_reminder,
    drop_reminders,
    list_due_reminders,
    list_pending_reminders,
    mark_sent,
    plan_reminders,
    record_delivery,
    release_reminder,
    set_reminder_dms,
    set_reminder_offsets,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
LEASE = timedelta(minutes=2)
DEFAULT = (DAY, HOUR)


async def make_meeting(
    db: Database, starts_at: datetime, *, offsets: tuple[timedelta, ...] = DEFAULT
) -> int:
    """Create an active group with a channel and a meeting planned at ``offsets``."""
    async with db.transaction() as session:
        group = Group(
            guild_id=1 << 22,
            name="GUG Lima",
            name_key="gug lima",
            city="Lima",
            city_key="lima",
            country="Peru",
            status=GroupStatus.ACTIVE,
            proposer_id=10,
            channel_id=500,
        )
        session.add(group)
        await session.flush()
        meeting = Meeting(
            group_id=group.id,
            guild_id=group.guild_id,
            title="March meetup",
            starts_at=starts_at,
            created_by=10,
        )
        session.add(meeting)
        await session.flush()
        await plan_reminders(session, meeting, offsets, NOW)
        return meeting.id


async def reminders_of(db: Database, meeting_id: int) -> list[Reminder]:
    """Read a meeting's reminders, soonest first."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Reminder).where(Reminder.meeting_id == meeting_id).order_by(Reminder.due_at)
        )
        return list(rows.all())


async def retime(db: Database, meeting_id: int, starts_at: datetime, now: datetime = NOW) -> None:
    """Move a meeting and re-plan its reminders in one transaction, as /meeting edit does."""
    async with db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.starts_at = starts_at
        await plan_reminders(session, meeting, DEFAULT, now)


async def test_planning_creates_one_pending_reminder_per_offset(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    rows = await reminders_of(db, meeting_id)
    assert [(row.offset_minutes, row.due_at, row.status) for row in rows] == [
        (1440, NOW + 2 * DAY, ReminderStatus.PENDING),
        (60, NOW + 3 * DAY - HOUR, ReminderStatus.PENDING),
    ]
    assert all(row.guild_id == 1 << 22 for row in rows)


async def test_offsets_already_past_at_planning_get_no_reminder(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 2 * HOUR)
    assert [row.offset_minutes for row in await reminders_of(db, meeting_id)] == [60]


async def test_retiming_moves_unsent_reminders_to_the_new_time(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    before = {row.offset_minutes: row.id for row in await reminders_of(db, meeting_id)}
    await retime(db, meeting_id, NOW + 5 * DAY)
    rows = await reminders_of(db, meeting_id)
    assert [row.due_at for row in rows] == [NOW + 4 * DAY, NOW + 5 * DAY - HOUR]
    assert {row.offset_minutes: row.id for row in rows} == before


async def test_replanning_the_same_time_keeps_a_sent_reminder_sent(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + DAY + HOUR)
    first = (await reminders_of(db, meeting_id))[0]
    claim = await claim_reminder(db, first.id, "a", first.due_at, LEASE)
    assert claim is not None
    assert await mark_sent(db, claim, first.due_at, message_id=99)
    await retime(db, meeting_id, NOW + DAY + HOUR)
    assert (await reminders_of(db, meeting_id))[0].status == ReminderStatus.SENT


async def test_retiming_after_a_send_plans_it_again_for_the_new_time(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + DAY + HOUR)
    first = (await reminders_of(db, meeting_id))[0]
    claim = await claim_reminder(db, first.id, "a", first.due_at, LEASE)
    assert claim is not None
    await record_delivery(db, claim, 0, DeliveryStatus.SENT, first.due_at, LEASE, message_id=99)
    await mark_sent(db, claim, first.due_at, message_id=99)
    await retime(db, meeting_id, NOW + 3 * DAY, now=first.due_at)
    again = (await reminders_of(db, meeting_id))[0]
    assert (again.status, again.due_at, again.message_id) == (
        ReminderStatus.PENDING,
        NOW + 2 * DAY,
        None,
    )
    async with db.read() as session:
        assert (await session.scalars(select(ReminderDelivery))).all() == []


async def test_cancelling_drops_unsent_reminders(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    async with db.transaction() as session:
        await drop_reminders(session, meeting_id)
    rows = await reminders_of(db, meeting_id)
    assert {row.status for row in rows} == {ReminderStatus.CANCELLED}
    assert await list_pending_reminders(db) == []


async def test_changing_group_offsets_replans_upcoming_meetings(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    async with db.read() as session:
        group_id = (await session.get(Meeting, meeting_id)).group_id  # type: ignore[union-attr]
    changed = await set_reminder_offsets(db, group_id, "2d,30m", DEFAULT, NOW)
    assert changed == [meeting_id]
    rows = await reminders_of(db, meeting_id)
    assert [(row.offset_minutes, row.due_at) for row in rows] == [
        (2880, NOW + DAY),
        (30, NOW + 3 * DAY - timedelta(minutes=30)),
    ]
    await set_reminder_offsets(db, group_id, "", DEFAULT, NOW)
    assert [row.offset_minutes for row in await reminders_of(db, meeting_id)] == [1440, 60]


async def test_a_reminder_cannot_be_claimed_before_it_is_due(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    first = (await reminders_of(db, meeting_id))[0]
    assert await claim_reminder(db, first.id, "a", NOW, LEASE) is None


async def test_many_concurrent_claimers_exactly_one_wins(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    first = (await reminders_of(db, meeting_id))[0]
    claims = await asyncio.gather(
        *(claim_reminder(db, first.id, f"worker-{n}", first.due_at, LEASE) for n in range(20))
    )
    winners = [claim for claim in claims if claim is not None]
    assert len(winners) == 1
    row = (await reminders_of(db, meeting_id))[0]
    assert (row.status, row.claimed_by, row.attempts) == (
        ReminderStatus.CLAIMED,
        winners[0].token,
        1,
    )


async def test_an_expired_lease_is_claimed_again_and_the_old_claim_cannot_mark(
    db: Database,
) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    first = (await reminders_of(db, meeting_id))[0]
    old = await claim_reminder(db, first.id, "crashed", first.due_at, LEASE)
    assert old is not None
    assert await claim_reminder(db, first.id, "b", first.due_at + LEASE / 2, LEASE) is None
    assert [r.id for r in await list_due_reminders(db, first.due_at + LEASE)] == [first.id]
    retry = await claim_reminder(db, first.id, "b", first.due_at + LEASE, LEASE)
    assert retry is not None and retry.attempts == 2
    assert not await mark_sent(db, old, first.due_at + LEASE)
    assert await mark_sent(db, retry, first.due_at + LEASE, message_id=7)


async def test_a_retry_skips_places_already_delivered(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    first = (await reminders_of(db, meeting_id))[0]
    old = await claim_reminder(db, first.id, "crashed", first.due_at, LEASE)
    assert old is not None
    await record_delivery(db, old, 0, DeliveryStatus.SENT, first.due_at, LEASE, message_id=5)
    later = first.due_at + 2 * LEASE
    retry = await claim_reminder(db, first.id, "b", later, LEASE)
    assert retry is not None and retry.settled == frozenset({0})


async def test_a_released_reminder_waits_for_its_retry_time(db: Database) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    first = (await reminders_of(db, meeting_id))[0]
    claim = await claim_reminder(db, first.id, "a", first.due_at, LEASE)
    assert claim is not None
    retry_at = first.due_at + timedelta(seconds=30)
    assert await release_reminder(db, claim, retry_at, "HTTP 503")
    assert await claim_reminder(db, first.id, "a", retry_at - timedelta(seconds=5), LEASE) is None
    assert await claim_reminder(db, first.id, "a", retry_at, LEASE) is not None


@pytest.mark.parametrize(
    ("claimed_after_due", "expected_status", "late"),
    [
        (timedelta(seconds=1), ReminderStatus.CLAIMED, False),
        (timedelta(minutes=59, seconds=59), ReminderStatus.CLAIMED, True),
        (timedelta(hours=1), ReminderStatus.MISSED, None),
        (timedelta(hours=2), ReminderStatus.MISSED, None),
    ],
)
async def test_late_reminders_are_sent_until_the_meeting_starts_then_missed(
    db: Database, claimed_after_due: timedelta, expected_status: str, late: bool | None
) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    last = (await reminders_of(db, meeting_id))[-1]  # one hour before the start
    claim = await claim_reminder(db, last.id, "a", last.due_at + claimed_after_due, LEASE)
    row = (await reminders_of(db, meeting_id))[-1]
    assert row.status == expected_status
    if late is None:
        assert claim is None and row.reason == "meeting had already started"
    else:
        assert claim is not None and claim.late is late and row.late is late


async def test_claim_lists_going_and_maybe_and_dms_only_for_those_with_open_dms(
    db: Database,
) -> None:
    meeting_id = await make_meeting(db, NOW + 3 * DAY)
    answers = {
        101: RsvpStatus.GOING,
        102: RsvpStatus.MAYBE,
        103: RsvpStatus.NOT_GOING,
        104: RsvpStatus.WAITLIST,
        105: RsvpStatus.GOING,
    }
    async with db.transaction() as session:
        for position, (user, status) in enumerate(answers.items()):
            session.add(
                Rsvp(meeting_id=meeting_id, user_id=user, status=status, position=position)
            )
    for user in (101, 102, 103):
        await set_reminder_dms(db, user, True, NOW)
    first = (await reminders_of(db, meeting_id))[0]
    claim = await claim_reminder(db, first.id, "a", first.due_at, LEASE)
    assert claim is not None
    assert claim.attendee_ids == (101, 102, 105)
    assert claim.dm_ids == (101, 102)
    await record_delivery(
        db, claim, 102, DeliveryStatus.FAILED, first.due_at, LEASE, reason=DMS_CLOSED
    )
    async with db.read() as session:
        closed = await session.get(UserPreference, 102)
        assert closed is not None and closed.dms_closed
    await set_reminder_dms(db, 102, True, NOW)
    async with db.read() as session:
        reopened = await session.get(UserPreference, 102)
        assert reopened is not None and not reopened.dms_closed
