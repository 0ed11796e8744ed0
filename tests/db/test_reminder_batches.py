"""Claiming and marking reminders in batches: one transaction for many, same rules as one."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from db.engine import Database
from db.models import (
    DeliveryStatus,
    Meeting,
    MeetingStatus,
    ReminderDelivery,
    ReminderStatus,
    Rsvp,
    RsvpStatus,
)
from db.reminders import Settlement, claim_reminders, plan_reminders, settle_claims
from tests.db.test_reminders import DAY, HOUR, LEASE, NOW, make_meeting, reminders_of

START = NOW + 3 * DAY
MINUTE = timedelta(minutes=1)


async def one_hour_reminders(db: Database, count: int) -> list[int]:
    """Make ``count`` meetings a minute apart from START; return their reminders' ids."""
    first = await make_meeting(db, START, offsets=(HOUR,))
    async with db.transaction() as session:
        group_id = (await session.get_one(Meeting, first)).group_id
        for n in range(1, count):
            meeting = Meeting(
                group_id=group_id, guild_id=1 << 22, title=f"Meetup {n}",
                starts_at=START + n * MINUTE, created_by=10,
            )
            session.add(meeting)
            await session.flush()
            await plan_reminders(session, meeting, (HOUR,), NOW)
    return [(await reminders_of(db, meeting))[0].id for meeting in range(first, first + count)]


async def test_a_batch_claims_only_the_due_ones_with_each_meetings_attendees(
    db: Database,
) -> None:
    ids = await one_hour_reminders(db, 3)
    async with db.transaction() as session:
        session.add(Rsvp(meeting_id=2, user_id=7, status=RsvpStatus.GOING, position=1))
        session.add(Rsvp(meeting_id=1, user_id=8, status=RsvpStatus.MAYBE, position=1))
    # At the second reminder's time the third is not due yet.
    second_due = START - HOUR + MINUTE
    claims = await claim_reminders(db, ids, "batch", second_due, LEASE)
    assert [claim.id for claim in claims] == ids[:2]
    assert [claim.attendee_ids for claim in claims] == [(8,), (7,)]
    assert all(claim.channel_id == 500 and claim.attempts == 1 for claim in claims)
    # A second claimer gets nothing while the leases hold.
    assert await claim_reminders(db, ids, "other", second_due, LEASE) == []


async def test_a_batch_settles_cancelled_and_started_meetings_instead_of_claiming(
    db: Database,
) -> None:
    ids = await one_hour_reminders(db, 3)
    async with db.transaction() as session:
        cancelled = await session.get_one(Meeting, 2)
        cancelled.status = MeetingStatus.CANCELLED
    # The first meeting has just started; the other two have not.
    claims = await claim_reminders(db, ids, "batch", START + MINUTE / 2, LEASE)
    assert [claim.id for claim in claims] == [ids[2]]
    rows = [(await reminders_of(db, meeting))[0] for meeting in (1, 2)]
    assert [row.status for row in rows] == [ReminderStatus.MISSED, ReminderStatus.CANCELLED]


async def test_concurrent_batches_claim_each_reminder_once(db: Database) -> None:
    ids = await one_hour_reminders(db, 6)
    now = START - HOUR + 10 * MINUTE
    batches = await asyncio.gather(
        *(claim_reminders(db, ids, f"worker-{n}", now, LEASE) for n in range(5))
    )
    claimed = [claim.id for batch in batches for claim in batch]
    assert sorted(claimed) == ids


async def test_settling_marks_held_claims_with_their_channel_post_and_skips_lost_ones(
    db: Database,
) -> None:
    ids = await one_hour_reminders(db, 2)
    now = START - HOUR / 2
    kept, lost = await claim_reminders(db, ids, "batch", now, LEASE)
    # The second claim's lease ran out and someone else took it.
    taken = await claim_reminders(db, [lost.id], "other", now + LEASE, LEASE)
    assert [claim.id for claim in taken] == [lost.id]
    marked = await settle_claims(
        db,
        [
            Settlement(kept, message_id=11, channel=DeliveryStatus.SENT),
            Settlement(lost, message_id=12, channel=DeliveryStatus.SENT),
        ],
        now + LEASE,
    )
    assert marked == {kept.id}
    rows = [(await reminders_of(db, meeting))[0] for meeting in (1, 2)]
    assert (rows[0].status, rows[0].message_id) == (ReminderStatus.SENT, 11)
    assert rows[1].status == ReminderStatus.CLAIMED and rows[1].claimed_by == "other"
    async with db.read() as session:
        deliveries = (await session.execute(
            select(ReminderDelivery.reminder_id, ReminderDelivery.user_id,
                   ReminderDelivery.message_id)
        )).all()
    assert [tuple(row) for row in deliveries] == [(kept.id, 0, 11)]
