"""Meetings: schedule, edit and cancel them, and read what an announcement shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.i18n import _
from db.engine import Database
from db.meeting_lookup import not_started_query
from db.models import (
    Group,
    GroupStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Rsvp,
    RsvpStatus,
    Talk,
    TalkStatus,
)
from db.reminders import drop_reminders, plan_meeting_reminders
from db.rsvps import promote_from_waitlist

# Fields an organizer may change with /meeting edit.
EDITABLE = (
    "title", "kind", "starts_at", "duration_minutes", "venue", "online_url", "capacity",
    "description",
)

# Every start reconciles every upcoming announcement (several REST calls each): keep it bounded.
UPCOMING_MEETINGS_LIMIT = 50
PAST = _("That time is in the past. Meetings must start in the future.")
CANCELLED = _("This meeting was cancelled; schedule a new one with /meeting create.")
STARTED = _("This meeting has already started, so it can no longer be changed.")


@dataclass(frozen=True)
class NewMeeting:
    """What an organizer gives to schedule a meeting."""

    group_id: int
    created_by: int
    title: str
    kind: str
    starts_at: datetime
    duration_minutes: int
    venue: str = ""
    online_url: str = ""
    capacity: int | None = None
    description: str = ""


@dataclass(frozen=True)
class Counts:
    """How many answered each way."""

    going: int = 0
    maybe: int = 0
    waitlist: int = 0
    not_going: int = 0


@dataclass(frozen=True)
class AgendaItem:
    """One accepted talk."""

    title: str
    speaker_id: int


@dataclass(frozen=True)
class MeetingView:
    """A meeting with everything its announcement shows."""

    meeting: Meeting
    group: Group
    counts: Counts
    agenda: list[AgendaItem] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingChange:
    """The result of an edit or a cancel: the meeting and whom to tell."""

    meeting: Meeting
    notify: list[int]
    promoted: list[int] = field(default_factory=list)
    time_changed: bool = False


async def _locked_meeting(session: AsyncSession, meeting_id: int) -> Meeting:
    # FOR UPDATE serialises with the RSVP writer on PostgreSQL; SQLite writers are serial.
    meeting = await session.scalar(
        select(Meeting).where(Meeting.id == meeting_id).with_for_update()
    )
    if meeting is None:
        raise NotFound(_("That meeting no longer exists."))
    return meeting


async def _answered(session: AsyncSession, meeting_id: int) -> list[int]:
    """Return who answered going or maybe, in arrival order."""
    rows = await session.scalars(
        select(Rsvp.user_id)
        .where(
            Rsvp.meeting_id == meeting_id,
            Rsvp.status.in_([RsvpStatus.GOING, RsvpStatus.MAYBE]),
        )
        .order_by(Rsvp.position)
    )
    return list(rows)


async def create_meeting(
    db: Database, new: NewMeeting, *, default_offsets: Sequence[timedelta], now: datetime
) -> Meeting:
    """Schedule a meeting of an active group and plan its reminders, in one transaction."""
    if new.starts_at <= now:
        raise InvalidInput(PAST)
    async with db.transaction() as session:
        group = await session.get(Group, new.group_id)
        if group is None or group.status != GroupStatus.ACTIVE:
            raise InvalidInput(_("This group is not active, so it cannot schedule meetings."))
        upcoming = await session.scalar(
            select(func.count(Meeting.id)).where(
                Meeting.group_id == group.id, Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > now,
            )
        )
        if (upcoming or 0) >= UPCOMING_MEETINGS_LIMIT:
            raise InvalidInput(
                _("“{name}” already has {count} upcoming meetings; plan more once some have "
                  "taken place."),
                name=group.name, count=UPCOMING_MEETINGS_LIMIT,
            )
        meeting = Meeting(
            group_id=group.id,
            guild_id=group.guild_id,
            title=new.title,
            kind=new.kind,
            starts_at=new.starts_at,
            duration_minutes=new.duration_minutes,
            venue=new.venue,
            online_url=new.online_url,
            capacity=new.capacity,
            description=new.description,
            created_by=new.created_by,
            status=MeetingStatus.SCHEDULED,
            rsvp_sequence=0,
            created_at=now,
            updated_at=now,
        )
        session.add(meeting)
        await session.flush()
        await plan_meeting_reminders(session, meeting, default_offsets, now)
    return meeting


async def edit_meeting(
    db: Database,
    meeting_id: int,
    changes: dict[str, Any],
    *,
    default_offsets: Sequence[timedelta],
    now: datetime,
) -> MeetingChange:
    """Change a meeting's fields; a larger capacity promotes from the waitlist in order.

    A smaller capacity keeps everyone already going (they were promised a place); new
    answers wait until the count falls below it.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    async with db.transaction() as session:
        meeting = await _locked_meeting(session, meeting_id)
        if meeting.status != MeetingStatus.SCHEDULED:
            raise InvalidInput(CANCELLED)
        if meeting.starts_at <= now:
            raise InvalidInput(STARTED)
        if "starts_at" in changes and changes["starts_at"] <= now:
            raise InvalidInput(PAST)
        time_changed = "starts_at" in changes and changes["starts_at"] != meeting.starts_at
        for name, value in changes.items():
            setattr(meeting, name, value)
        meeting.updated_at = now
        meeting.sequence += 1
        promoted = await promote_from_waitlist(session, meeting)
        await session.flush()
        if time_changed:
            await plan_meeting_reminders(session, meeting, default_offsets, now)
        notify = await _answered(session, meeting_id)
    return MeetingChange(meeting, notify, promoted, time_changed)


async def cancel_meeting(
    db: Database, meeting_id: int, reason: str | None, *, now: datetime
) -> MeetingChange:
    """Cancel a meeting and drop its unsent reminders; return whom to tell."""
    async with db.transaction() as session:
        meeting = await _locked_meeting(session, meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise InvalidInput(CANCELLED)
        if meeting.starts_at <= now:
            raise InvalidInput(STARTED)
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = reason or None
        meeting.updated_at = now
        await drop_reminders(session, meeting_id)
        notify = await _answered(session, meeting_id)
    return MeetingChange(meeting, notify)


async def set_announcement(
    db: Database, meeting_id: int, channel_id: int | None, message_id: int | None
) -> None:
    """Remember where the meeting's announcement is (None when it is gone)."""
    async with db.transaction() as session:
        await session.execute(
            update(Meeting)
            .where(Meeting.id == meeting_id)
            .values(announcement_channel_id=channel_id, announcement_message_id=message_id)
        )


async def move_announcement(
    db: Database, meeting_id: int, channel_id: int, message_id: int
) -> None:
    """Record a re-posted announcement; every answer given before it stands.

    The answers are held by no reaction on the new message (kinds 0), so a reconcile
    keeps them until their person reacts there.
    """
    async with db.transaction() as session:
        await session.execute(
            update(Meeting)
            .where(Meeting.id == meeting_id)
            .values(announcement_channel_id=channel_id, announcement_message_id=message_id)
        )
        await session.execute(
            update(Rsvp).where(Rsvp.meeting_id == meeting_id).values(reaction_kinds=0)
        )


async def set_scheduled_event(db: Database, meeting_id: int, event_id: int | None) -> None:
    """Remember the Discord scheduled event that mirrors the meeting."""
    async with db.transaction() as session:
        await session.execute(
            update(Meeting).where(Meeting.id == meeting_id).values(scheduled_event_id=event_id)
        )


async def get_meeting(db: Database, meeting_id: int) -> Meeting | None:
    """Return one meeting."""
    async with db.read() as session:
        return await session.get(Meeting, meeting_id)


async def group_of_meeting(db: Database, meeting_id: int) -> Group | None:
    """Return the group a meeting belongs to (None if the meeting is gone)."""
    async with db.read() as session:
        return await session.scalar(
            select(Group)
            .join(Meeting, Meeting.group_id == Group.id)
            .where(Meeting.id == meeting_id)
        )


async def meeting_for_announcement(db: Database, message_id: int) -> Meeting | None:
    """Return the meeting whose announcement is ``message_id``."""
    async with db.read() as session:
        return await session.scalar(
            select(Meeting).where(Meeting.announcement_message_id == message_id).limit(1)
        )


async def count_rsvps(session: AsyncSession, meeting_id: int) -> Counts:
    """Count a meeting's answers by status."""
    rows = await session.execute(
        select(Rsvp.status, func.count())
        .where(Rsvp.meeting_id == meeting_id)
        .group_by(Rsvp.status)
    )
    by_status = {str(status): int(count) for status, count in rows.all()}
    return Counts(
        going=by_status.get(RsvpStatus.GOING, 0),
        maybe=by_status.get(RsvpStatus.MAYBE, 0),
        waitlist=by_status.get(RsvpStatus.WAITLIST, 0),
        not_going=by_status.get(RsvpStatus.NOT_GOING, 0),
    )


async def meeting_view(db: Database, meeting_id: int) -> MeetingView | None:
    """Read a meeting, its group, its counts and its agenda, for rendering."""
    async with db.read() as session:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None:
            return None
        group = await session.get(Group, meeting.group_id)
        assert group is not None  # A meeting's group is deleted with it (cascade).
        counts = await count_rsvps(session, meeting_id)
        talks = await session.execute(
            select(Talk.title, Talk.speaker_id)
            .where(Talk.meeting_id == meeting_id, Talk.status == TalkStatus.ACCEPTED)
            .order_by(Talk.id)
        )
        agenda = [AgendaItem(title, speaker) for title, speaker in talks.all()]
    return MeetingView(meeting, group, counts, agenda)


async def upcoming_meetings(
    db: Database,
    guild_id: int,
    *,
    now: datetime,
    group_id: int | None = None,
    member_id: int | None = None,
    limit: int = 10,
) -> list[MeetingView]:
    """List upcoming meetings of a group, of a member's groups, or of the whole server."""
    query = not_started_query(guild_id, now).where(Group.status == GroupStatus.ACTIVE)
    if group_id is not None:
        query = query.where(Meeting.group_id == group_id)
    if member_id is not None:
        query = query.join(Membership, Membership.group_id == Group.id).where(
            Membership.user_id == member_id
        )
    query = query.order_by(Meeting.starts_at, Meeting.id).limit(limit)
    async with db.read() as session:
        pairs = (await session.execute(query)).all()
        return [
            MeetingView(meeting, group, await count_rsvps(session, meeting.id))
            for meeting, group in pairs
        ]


async def announced_upcoming(
    db: Database, now: datetime, guild_ids: Sequence[int] | None = None
) -> list[Meeting]:
    """List upcoming meetings that have an announcement, to reconcile their reactions."""
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at > now,
        Meeting.announcement_message_id.is_not(None),
    )
    if guild_ids is not None:
        query = query.where(Meeting.guild_id.in_(list(guild_ids)))
    async with db.read() as session:
        return list((await session.scalars(query.order_by(Meeting.starts_at))).all())


@dataclass(frozen=True)
class Attendees:
    """Who answered a meeting, each list in arrival order."""

    going: list[int]
    maybe: list[int]
    waitlist: list[int]
    not_going: list[int]


async def list_attendees(db: Database, meeting_id: int) -> Attendees:
    """Return everyone who answered, by status, in the order they answered."""
    async with db.read() as session:
        rows = await session.execute(
            select(Rsvp.user_id, Rsvp.status)
            .where(Rsvp.meeting_id == meeting_id)
            .order_by(Rsvp.position, Rsvp.id)
        )
        pairs = rows.all()
    lists: dict[str, list[int]] = {status.value: [] for status in RsvpStatus}
    for user_id, status in pairs:
        lists[str(status)].append(int(user_id))
    return Attendees(
        going=lists[RsvpStatus.GOING],
        maybe=lists[RsvpStatus.MAYBE],
        waitlist=lists[RsvpStatus.WAITLIST],
        not_going=lists[RsvpStatus.NOT_GOING],
    )

