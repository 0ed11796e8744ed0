"""Reminders: the ledger of what to remind, when, and what happened.

The database is the truth; the scheduler in bot/reminders only wakes us up. Planning
runs inside the caller's transaction (the one that creates or re-times a meeting).
Delivery is claim → send → mark: a claim is an atomic conditional update with a
lease, so exactly one process sends a reminder even if several try at once.

Planning policy: a reminder whose time has already passed when it is planned is not
created (a meeting scheduled 30 minutes ahead gets no "1 day before" reminder; its
announcement is the news). A reminder missed while the bot was down is sent late, saying
so, while the meeting has not started; once it has started it is recorded as missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.durations import parse_offsets
from db.engine import Database
from db.models import (
    DeliveryStatus,
    Group,
    Meeting,
    MeetingStatus,
    Reminder,
    ReminderDelivery,
    ReminderStatus,
    Rsvp,
    RsvpStatus,
    UserPreference,
)

# A reminder claimed this long after its time is "late" and says so; below it the
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


def _claimable(now: datetime) -> object:
    """Pending and not backing off, or claimed by someone whose lease ran out."""
    return or_(
        and_(
            Reminder.status == ReminderStatus.PENDING,
            or_(Reminder.lease_until.is_(None), Reminder.lease_until <= now),
        ),
        and_(Reminder.status == ReminderStatus.CLAIMED, Reminder.lease_until <= now),
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
        .where(Reminder.due_at <= now, _claimable(now))  # type: ignore[arg-type]
        .order_by(Reminder.due_at)
    )
    async with db.read() as session:
        rows = (await session.execute(query)).all()
    return [PendingReminder(*row) for row in rows]


# --- claim, deliver, mark ---


@dataclass(frozen=True)
class ClaimedReminder:
    """Everything needed to deliver one claimed reminder, read in the claim's transaction."""

    id: int
    token: str
    meeting_id: int
    guild_id: int
    channel_id: int | None
    title: str
    starts_at: datetime
    venue: str
    online_url: str
    due_at: datetime
    late: bool
    attempts: int
    # Going and maybe, in the order they answered.
    attendee_ids: tuple[int, ...]
    # Attendees who asked for DMs and whose DMs are not known to be closed.
    dm_ids: tuple[int, ...]
    # Places (0 = the channel, else a user) already delivered or given up on.
    settled: frozenset[int]


async def claim_reminder(
    db: Database, reminder_id: int, token: str, now: datetime, lease: timedelta
) -> ClaimedReminder | None:
    """Claim one due reminder for ``lease``; None if someone else has it or it is settled."""
    claims = await claim_reminders(db, [reminder_id], token, now, lease)
    return claims[0] if claims else None


async def claim_reminders(
    db: Database, reminder_ids: Sequence[int], token: str, now: datetime, lease: timedelta
) -> list[ClaimedReminder]:
    """Claim the due reminders among ``reminder_ids`` in one transaction, for ``lease``.

    Those someone else holds, or already settled, are left out. Applies the lateness
    policy: a reminder whose meeting has started (or was cancelled) is recorded as
    missed (or cancelled) instead of being handed out.
    """
    if not reminder_ids:
        return []
    async with db.transaction() as session:
        # SKIP LOCKED on PostgreSQL: a second claimer passes over the rows instead of
        # queueing behind the first; SQLite's IMMEDIATE transaction serialises claimers.
        rows = (
            await session.scalars(
                select(Reminder)
                .where(
                    Reminder.id.in_(reminder_ids),
                    Reminder.due_at <= now + EARLY_TOLERANCE,
                    _claimable(now),  # type: ignore[arg-type]
                )
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not rows:
            return []
        meetings = {
            meeting.id: meeting
            for meeting in await session.scalars(
                select(Meeting).where(Meeting.id.in_({row.meeting_id for row in rows}))
            )
        }
        deliverable: list[Reminder] = []
        for row in rows:
            meeting = meetings.get(row.meeting_id)
            if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
                await _settle(session, row, ReminderStatus.CANCELLED, "meeting cancelled")
            elif meeting.starts_at <= now:
                await _settle(session, row, ReminderStatus.MISSED, "meeting had already started")
            else:
                deliverable.append(row)
        if not deliverable:
            return []
        claimed = set(
            (
                await session.scalars(
                    update(Reminder)
                    .where(
                        Reminder.id.in_([row.id for row in deliverable]),
                        _claimable(now),  # type: ignore[arg-type]
                    )
                    .values(
                        status=ReminderStatus.CLAIMED,
                        claimed_by=token,
                        lease_until=now + lease,
                        attempts=Reminder.attempts + 1,
                        late=or_(Reminder.late, Reminder.due_at < now - LATE_AFTER),
                    )
                    .returning(Reminder.id)
                    .execution_options(synchronize_session=False)
                )
            ).all()
        )
        deliverable = [row for row in deliverable if row.id in claimed]
        if not deliverable:
            return []
        meeting_ids = {row.meeting_id for row in deliverable}
        channels: dict[int, int | None] = dict(
            (
                await session.execute(
                    select(Group.id, Group.channel_id).where(
                        Group.id.in_({meetings[m].group_id for m in meeting_ids})
                    )
                )
            ).all()
        )
        attendees: dict[int, list[int]] = {}
        for meeting_id, user_id in await session.execute(
            select(Rsvp.meeting_id, Rsvp.user_id)
            .where(Rsvp.meeting_id.in_(meeting_ids), Rsvp.status.in_(REMINDED))
            .order_by(Rsvp.meeting_id, Rsvp.position, Rsvp.id)
        ):
            attendees.setdefault(meeting_id, []).append(user_id)
        everyone = {user for users in attendees.values() for user in users}
        dm_ids = set(
            (
                await session.scalars(
                    select(UserPreference.user_id).where(
                        UserPreference.user_id.in_(everyone),
                        UserPreference.reminder_dms.is_(True),
                        UserPreference.dms_closed.is_(False),
                    )
                )
            ).all()
        ) if everyone else set()
        settled: dict[int, set[int]] = {}
        for reminder_id, user_id in await session.execute(
            select(ReminderDelivery.reminder_id, ReminderDelivery.user_id).where(
                ReminderDelivery.reminder_id.in_(claimed)
            )
        ):
            settled.setdefault(reminder_id, set()).add(user_id)
        claims = []
        for row in deliverable:
            meeting = meetings[row.meeting_id]
            going = attendees.get(meeting.id, [])
            claims.append(
                ClaimedReminder(
                    id=row.id,
                    token=token,
                    meeting_id=meeting.id,
                    guild_id=row.guild_id,
                    channel_id=channels.get(meeting.group_id),
                    title=meeting.title,
                    starts_at=meeting.starts_at,
                    venue=meeting.venue,
                    online_url=meeting.online_url,
                    due_at=row.due_at,
                    late=row.late or row.due_at < now - LATE_AFTER,
                    attempts=row.attempts + 1,
                    attendee_ids=tuple(going),
                    dm_ids=tuple(user for user in going if user in dm_ids),
                    settled=frozenset(settled.get(row.id, ())),
                )
            )
        return claims


async def _settle(session: AsyncSession, row: Reminder, status: str, reason: str) -> None:
    row.status = status
    row.reason = reason
    row.lease_until = None
    row.claimed_by = None


async def record_delivery(
    db: Database,
    claim: ClaimedReminder,
    user_id: int,
    status: DeliveryStatus,
    now: datetime,
    lease: timedelta,
    *,
    reason: str | None = None,
    message_id: int | None = None,
) -> bool:
    """Record one place's outcome and extend the lease; False if the claim was lost."""
    async with db.transaction() as session:
        extended = await session.execute(
            update(Reminder)
            .where(
                Reminder.id == claim.id,
                Reminder.status == ReminderStatus.CLAIMED,
                Reminder.claimed_by == claim.token,
            )
            .values(lease_until=now + lease)
        )
        if extended.rowcount != 1:  # type: ignore[attr-defined]
            return False
        existing = await session.scalar(
            select(ReminderDelivery).where(
                ReminderDelivery.reminder_id == claim.id, ReminderDelivery.user_id == user_id
            )
        )
        if existing is None:
            session.add(
                ReminderDelivery(
                    reminder_id=claim.id,
                    user_id=user_id,
                    status=status,
                    reason=reason,
                    message_id=message_id,
                    delivered_at=now,
                )
            )
        if status == DeliveryStatus.FAILED and reason == DMS_CLOSED and user_id:
            await _set_preference(session, user_id, now, dms_closed=True)
        return True


# The reason recorded when Discord refuses a DM (error 50007).
DMS_CLOSED = "dms closed"


async def mark_sent(
    db: Database,
    claim: ClaimedReminder,
    now: datetime,
    *,
    status: ReminderStatus = ReminderStatus.SENT,
    message_id: int | None = None,
    reason: str | None = None,
) -> bool:
    """Settle a claimed reminder as sent (or failed); False if the claim was lost."""
    async with db.transaction() as session:
        result = await session.execute(
            update(Reminder)
            .where(
                Reminder.id == claim.id,
                Reminder.status == ReminderStatus.CLAIMED,
                Reminder.claimed_by == claim.token,
            )
            .values(
                status=status,
                sent_at=now,
                message_id=message_id,
                reason=reason,
                lease_until=None,
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Settlement:
    """How one claimed reminder ended, and its channel post's outcome if not yet recorded."""

    claim: ClaimedReminder
    status: ReminderStatus = ReminderStatus.SENT
    message_id: int | None = None
    reason: str | None = None
    # Recorded with the mark (one transaction instead of two) when nothing followed it.
    channel: DeliveryStatus | None = None
    channel_reason: str | None = None


async def settle_claims(
    db: Database, settlements: Sequence[Settlement], now: datetime
) -> set[int]:
    """Mark many claimed reminders in one transaction; return the ids whose claim held."""
    marked: set[int] = set()
    if not settlements:
        return marked
    async with db.transaction() as session:
        for item in settlements:
            claim = item.claim
            held = await session.scalar(
                update(Reminder)
                .where(
                    Reminder.id == claim.id,
                    Reminder.status == ReminderStatus.CLAIMED,
                    Reminder.claimed_by == claim.token,
                )
                .values(
                    status=item.status,
                    sent_at=now,
                    message_id=item.message_id,
                    reason=item.reason,
                    lease_until=None,
                )
                .returning(Reminder.id)
            )
            if held is None:
                continue
            marked.add(claim.id)
            if item.channel is not None and 0 not in claim.settled:
                session.add(
                    ReminderDelivery(
                        reminder_id=claim.id,
                        user_id=0,
                        status=item.channel,
                        reason=item.channel_reason,
                        message_id=item.message_id,
                        delivered_at=now,
                    )
                )
    return marked


async def release_reminder(
    db: Database, claim: ClaimedReminder, retry_at: datetime, reason: str
) -> bool:
    """Give a claim back after a transient failure; it may be claimed again at ``retry_at``."""
    async with db.transaction() as session:
        result = await session.execute(
            update(Reminder)
            .where(
                Reminder.id == claim.id,
                Reminder.status == ReminderStatus.CLAIMED,
                Reminder.claimed_by == claim.token,
            )
            .values(
                status=ReminderStatus.PENDING,
                claimed_by=None,
                lease_until=retry_at,
                reason=reason,
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]


# --- preferences ---


async def _set_preference(
    session: AsyncSession, user_id: int, now: datetime, **values: bool
) -> UserPreference:
    preference = await session.get(UserPreference, user_id, with_for_update=True)
    if preference is None:
        preference = UserPreference(user_id=user_id, reminder_dms=False, dms_closed=False)
        session.add(preference)
    for name, value in values.items():
        setattr(preference, name, value)
    preference.updated_at = now
    return preference


async def set_reminder_dms(db: Database, user_id: int, enabled: bool, now: datetime) -> None:
    """Turn reminder DMs on or off; turning them on forgets that DMs were closed."""
    async with db.transaction() as session:
        if enabled:
            await _set_preference(session, user_id, now, reminder_dms=True, dms_closed=False)
        else:
            await _set_preference(session, user_id, now, reminder_dms=False)


async def load_reminder(db: Database, reminder_id: int) -> Reminder | None:
    """Read one reminder row (for status displays and tests)."""
    async with db.read() as session:
        return await session.get(Reminder, reminder_id)
