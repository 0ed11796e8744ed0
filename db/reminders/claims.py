"""Delivering a reminder: claim (with a lease) → send → record each place → mark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

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
    UserPreference,
)
from db.preferences import set_preference
from db.reminders.ledger import (
    EARLY_TOLERANCE,
    LATE_AFTER,
    REMINDED,
    claimable,
)

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
    # The group's zone and channel language (None: the server's); each DM's last locale.
    timezone: str = "UTC"
    language: str | None = None
    dm_locales: tuple[tuple[int, str | None], ...] = ()


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
                    claimable(now),
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
                        claimable(now),
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
        groups = {
            row.id: row
            for row in await session.execute(
                select(Group.id, Group.channel_id, Group.timezone, Group.language).where(
                    Group.id.in_({meetings[m].group_id for m in meeting_ids})
                )
            )
        }
        attendees: dict[int, list[int]] = {}
        for meeting_id, user_id in await session.execute(
            select(Rsvp.meeting_id, Rsvp.user_id)
            .where(Rsvp.meeting_id.in_(meeting_ids), Rsvp.status.in_(REMINDED))
            .order_by(Rsvp.meeting_id, Rsvp.position, Rsvp.id)
        ):
            attendees.setdefault(meeting_id, []).append(user_id)
        everyone = {user for users in attendees.values() for user in users}
        dm_locales: dict[int, str | None] = dict(
            (
                await session.execute(
                    select(UserPreference.user_id, UserPreference.locale).where(
                        UserPreference.user_id.in_(everyone),
                        UserPreference.reminder_dms.is_(True),
                        UserPreference.dms_closed.is_(False),
                    )
                )
            ).all()
        ) if everyone else {}
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
            group = groups.get(meeting.group_id)
            claims.append(
                ClaimedReminder(
                    id=row.id,
                    token=token,
                    meeting_id=meeting.id,
                    guild_id=row.guild_id,
                    channel_id=group.channel_id if group else None,
                    title=meeting.title,
                    starts_at=meeting.starts_at,
                    venue=meeting.venue,
                    online_url=meeting.online_url,
                    due_at=row.due_at,
                    late=row.late or row.due_at < now - LATE_AFTER,
                    attempts=row.attempts + 1,
                    attendee_ids=tuple(going),
                    dm_ids=tuple(user for user in going if user in dm_locales),
                    settled=frozenset(settled.get(row.id, ())),
                    timezone=group.timezone if group else "UTC",
                    language=group.language if group else None,
                    dm_locales=tuple(
                        (user, dm_locales[user]) for user in going if user in dm_locales
                    ),
                )
            )
        return claims


def still_held(claim: ClaimedReminder) -> ColumnElement[bool]:
    """Match the reminder only while this claim still holds it (not expired and re-taken)."""
    return and_(
        Reminder.id == claim.id,
        Reminder.status == ReminderStatus.CLAIMED,
        Reminder.claimed_by == claim.token,
    )


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
            .where(still_held(claim))
            .values(lease_until=now + lease)
        )
        if extended.rowcount != 1:  # type: ignore[attr-defined]  # UPDATE gives a CursorResult
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
            await set_preference(session, user_id, now, dms_closed=True)
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
            .where(still_held(claim))
            .values(
                status=status,
                sent_at=now,
                message_id=message_id,
                reason=reason,
                lease_until=None,
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]  # UPDATE gives a CursorResult


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
                .where(still_held(claim))
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
            .where(still_held(claim))
            .values(
                status=ReminderStatus.PENDING,
                claimed_by=None,
                lease_until=retry_at,
                reason=reason,
            )
        )
        return result.rowcount == 1  # type: ignore[attr-defined]  # UPDATE gives a CursorResult
