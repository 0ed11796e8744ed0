"""The reminder ledger: planning a meeting's reminders and listing the ones to arm.

Planning (``plan_reminders`` and its callers) runs inside the transaction that creates,
moves or cancels a meeting, or sets a group's offsets; listing tells the alarm what is
pending soon and what is due but undelivered. Claims and marks live in ``claims``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.durations import parse_offsets
from db.engine import Database
from db.models import (
    Group,
    Meeting,
    MeetingStatus,
    Reminder,
    ReminderDelivery,
    ReminderStatus,
    RsvpStatus,
)
from db.reminders.holds import not_on_hold

# delay is ordinary scheduling jitter (a sweep interval is 60 s, so a lost job is late).
LATE_AFTER = timedelta(seconds=30)
# A job may fire a hair before due_at (timer resolution); let it claim rather than miss.
EARLY_TOLERANCE = timedelta(seconds=2)
# Statuses that still wait to be delivered.
UNSENT = (ReminderStatus.PENDING, ReminderStatus.CLAIMED)
# Who is reminded: those going and those who said maybe (the waitlist is not going).
REMINDED = (RsvpStatus.GOING, RsvpStatus.MAYBE)


def offsets_of(stored: str, default: Sequence[timedelta]) -> list[timedelta]:
    """Return a group's offsets: its own (``"1d,1h"``) or, when empty, the default."""
    if not stored.strip():
        return sorted(default, reverse=True)
    return parse_offsets(stored)


def _offset_minutes(offset: timedelta) -> int:
    # The unique key is minutes; sub-minute offsets (tests only) round down to 0.
    return int(offset.total_seconds() // 60)


async def plan_reminders(
    session: AsyncSession, meeting: Meeting, offsets: Sequence[timedelta], now: datetime
) -> None:
    """Replace the meeting's unsent reminders by one per offset at ``starts_at - offset``.

    Runs inside the caller's transaction. A reminder already sent for the same time is
    kept (editing a title sends nothing again); one sent for an earlier time of the
    meeting is re-planned for the new time. Offsets whose time has passed get no row.
    """
    wanted: dict[int, datetime] = {}
    for offset in offsets:
        due_at = meeting.starts_at - offset
        if due_at > now and meeting.status == MeetingStatus.SCHEDULED:
            wanted.setdefault(_offset_minutes(offset), due_at)
    existing = (
        await session.scalars(select(Reminder).where(Reminder.meeting_id == meeting.id))
    ).all()
    by_offset = {row.offset_minutes: row for row in existing}
    for minutes, row in by_offset.items():
        if minutes in wanted:
            continue
        if row.status in UNSENT or row.status == ReminderStatus.CANCELLED:
            await session.delete(row)
    for minutes, due_at in wanted.items():
        current = by_offset.get(minutes)
        if current is None:
            session.add(
                Reminder(
                    meeting_id=meeting.id,
                    guild_id=meeting.guild_id,
                    offset_minutes=minutes,
                    due_at=due_at,
                    status=ReminderStatus.PENDING,
                )
            )
        elif current.due_at != due_at or current.status == ReminderStatus.CANCELLED:
            await _reset(session, current, due_at)
    await session.flush()


async def _reset(session: AsyncSession, row: Reminder, due_at: datetime) -> None:
    """Make a reminder row pending again for a new time, forgetting the old outcome."""
    await session.execute(delete(ReminderDelivery).where(ReminderDelivery.reminder_id == row.id))
    row.due_at = due_at
    row.status = ReminderStatus.PENDING
    row.claimed_by = None
    row.lease_until = None
    row.attempts = 0
    row.late = False
    row.sent_at = None
    row.message_id = None
    row.reason = None


async def drop_reminders(session: AsyncSession, meeting_id: int) -> None:
    """Cancel the meeting's unsent reminders (inside the caller's transaction)."""
    await session.execute(
        update(Reminder)
        .where(Reminder.meeting_id == meeting_id, Reminder.status.in_(UNSENT))
        .values(status=ReminderStatus.CANCELLED, reason="meeting cancelled", lease_until=None)
    )


async def plan_meeting_reminders(
    session: AsyncSession, meeting: Meeting, default: Sequence[timedelta], now: datetime
) -> None:
    """Plan a meeting's reminders at its group's offsets (inside the caller's transaction)."""
    stored = await session.scalar(
        select(Group.reminder_offsets).where(Group.id == meeting.group_id)
    )
    await plan_reminders(session, meeting, offsets_of(stored or "", default), now)


async def set_reminder_offsets(
    db: Database, group_id: int, offsets: str, default: Sequence[timedelta], now: datetime
) -> list[int]:
    """Set a group's reminder offsets and re-plan its upcoming meetings; return their ids."""
    async with db.transaction() as session:
        group = await session.get(Group, group_id)
        if group is None:
            return []
        group.reminder_offsets = offsets
        group.updated_at = now
        meetings = (
            await session.scalars(
                select(Meeting).where(
                    Meeting.group_id == group_id,
                    Meeting.status == MeetingStatus.SCHEDULED,
                    Meeting.starts_at > now,
                )
            )
        ).all()
        planned = offsets_of(offsets, default)
        for meeting in meetings:
            await plan_reminders(session, meeting, planned, now)
        return [meeting.id for meeting in meetings]


# --- arming: what the scheduler should wake up for ---


@dataclass(frozen=True)
class PendingReminder:
    """A reminder waiting to be delivered, as the scheduler needs it."""

    id: int
    meeting_id: int
    guild_id: int
    due_at: datetime


def claimable(now: datetime) -> ColumnElement[bool]:
    """Pending and not backing off, or claimed by someone whose lease ran out; not on hold."""
    return and_(
        or_(
            and_(
                Reminder.status == ReminderStatus.PENDING,
                or_(Reminder.lease_until.is_(None), Reminder.lease_until <= now),
            ),
            and_(Reminder.status == ReminderStatus.CLAIMED, Reminder.lease_until <= now),
        ),
        not_on_hold(),
    )


async def list_pending_reminders(
    db: Database, *, until: datetime | None = None, meeting_id: int | None = None
) -> list[PendingReminder]:
    """List unsent reminders (due before ``until``), soonest first, for arming jobs."""
    query = select(Reminder.id, Reminder.meeting_id, Reminder.guild_id, Reminder.due_at).where(
        Reminder.status.in_(UNSENT)
    )
    if until is not None:
        query = query.where(Reminder.due_at <= until)
    if meeting_id is not None:
        query = query.where(Reminder.meeting_id == meeting_id)
    async with db.read() as session:
        rows = (await session.execute(query.order_by(Reminder.due_at))).all()
    return [PendingReminder(*row) for row in rows]


async def list_due_reminders(db: Database, now: datetime) -> list[PendingReminder]:
    """List reminders that could be claimed right now (for the sweep)."""
    query = (
        select(Reminder.id, Reminder.meeting_id, Reminder.guild_id, Reminder.due_at)
        .where(Reminder.due_at <= now, claimable(now))
        .order_by(Reminder.due_at)
    )
    async with db.read() as session:
        rows = (await session.execute(query)).all()
    return [PendingReminder(*row) for row in rows]
