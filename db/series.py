"""Recurring meetings: a series makes its occurrences as ordinary meetings, ahead of time.

Each occurrence is created by ``db.meetings.create_meeting`` (its own RSVPs, reminders
and talks) and linked to the series with the slot the rule gave it. A series first
reserves the slots it is about to fill (a conditional update of ``generated_until``),
then creates the meetings: two processes extending at once cannot both fill a slot, and
a crash between the two loses a slot rather than doubling it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update

from core.errors import InvalidInput, NotFound
from core.i18n import _
from core.recurrence import Frequency, Recurrence, occurrences, shift_wall_clock, wall_clock_delta
from db.engine import Database
from db.meetings import MeetingChange, NewMeeting, cancel_meeting, create_meeting, edit_meeting
from db.models import (
    Group,
    GroupStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    SeriesOccurrence,
    SeriesStatus,
)

# Occurrences that exist ahead at any time even when the horizon holds fewer (monthly
# series with a short horizon), so the next few can be picked in /meeting edit.
MIN_AHEAD = 3
# Meeting fields a series carries to its occurrences.
TEMPLATE = ("title", "kind", "duration_minutes", "venue", "online_url", "capacity", "description")
# How far to look for MIN_AHEAD slots of a rule (a monthly rule on the 31st skips months).
_LOOK_FOR_MINIMUM = timedelta(days=400)
_BEFORE = timedelta(seconds=1)


class Scope(StrEnum):
    """Which occurrences an edit or a cancellation of one occurrence reaches."""

    THIS = "this"
    FOLLOWING = "following"


@dataclass(frozen=True)
class NewSeries:
    """What an organizer gives to schedule a recurring meeting."""

    meeting: NewMeeting
    frequency: Frequency
    ends_after: datetime | None = None


@dataclass(frozen=True)
class SeriesCreated:
    """A series and the meetings made for its first occurrences, soonest first."""

    series_id: int
    meeting_ids: tuple[int, ...]


@dataclass(frozen=True)
class SeriesInfo:
    """What a listing shows of the series a meeting belongs to."""

    series_id: int
    frequency: Frequency
    active: bool


def _recurrence(series: MeetingSeries) -> Recurrence:
    return Recurrence(Frequency(series.frequency), series.first_starts_at, series.timezone)


def _slots(
    series: MeetingSeries, *, after: datetime, until: datetime, minimum: int
) -> list[datetime]:
    """Return the rule's slots after ``after`` up to ``until`` (at least ``minimum``)."""
    rule = _recurrence(series)
    slots = occurrences(rule, after=after, until=until)
    if len(slots) < minimum:
        slots = occurrences(rule, after=after, until=until + _LOOK_FOR_MINIMUM, limit=minimum)
    if series.ends_after is not None:
        slots = [slot for slot in slots if slot <= series.ends_after]
    return slots


def _occurrence(series: MeetingSeries, starts_at: datetime) -> NewMeeting:
    return NewMeeting(
        group_id=series.group_id,
        created_by=series.created_by,
        starts_at=starts_at,
        **{name: getattr(series, name) for name in TEMPLATE},
    )


async def _fill(
    db: Database,
    series: MeetingSeries,
    slots: Sequence[datetime],
    *,
    default_offsets: Sequence[timedelta],
    now: datetime,
) -> list[int]:
    """Create and link a meeting per reserved slot."""
    made: list[int] = []
    for slot in slots:
        meeting = await create_meeting(
            db, _occurrence(series, slot), default_offsets=default_offsets, now=now
        )
        async with db.transaction() as session:
            session.add(SeriesOccurrence(meeting_id=meeting.id, series_id=series.id, slot=slot))
        made.append(meeting.id)
    return made


async def create_series(
    db: Database,
    new: NewSeries,
    *,
    horizon: timedelta,
    default_offsets: Sequence[timedelta],
    now: datetime,
) -> SeriesCreated:
    """Schedule a recurring meeting: the series and its occurrences within ``horizon``."""
    first = new.meeting.starts_at
    if first <= now:
        raise InvalidInput(_("The first meeting of a series must be in the future."))
    if new.ends_after is not None and new.ends_after < first:
        raise InvalidInput(_("A series cannot end before its first meeting."))
    async with db.transaction() as session:
        group = await session.get(Group, new.meeting.group_id)
        if group is None or group.status != GroupStatus.ACTIVE:
            raise InvalidInput(_("Only active groups can schedule meetings."))
        series = MeetingSeries(
            group_id=group.id,
            guild_id=group.guild_id,
            frequency=new.frequency,
            first_starts_at=first,
            timezone=group.timezone,
            ends_after=new.ends_after,
            status=SeriesStatus.ACTIVE,
            created_by=new.meeting.created_by,
            created_at=now,
            updated_at=now,
            **{name: getattr(new.meeting, name) for name in TEMPLATE},
        )
        slots = _slots(series, after=first - _BEFORE, until=now + horizon, minimum=MIN_AHEAD)
        if not slots or slots[0] != first:
            raise InvalidInput(_("The first meeting does not fall on a day the series repeats on."))
        series.generated_until = slots[-1]
        session.add(series)
        await session.flush()
    made = await _fill(db, series, slots, default_offsets=default_offsets, now=now)
    return SeriesCreated(series.id, tuple(made))


async def _reserve(
    db: Database, series_id: int, *, horizon: timedelta, now: datetime
) -> tuple[MeetingSeries, list[datetime]] | None:
    """Reserve the next slots of one series; None when nothing is due or another took them."""
    async with db.read() as session:
        series = await session.get(MeetingSeries, series_id)
        group = await session.get(Group, series.group_id) if series else None
        ahead = len(
            (
                await session.scalars(
                    select(SeriesOccurrence.meeting_id).where(
                        SeriesOccurrence.series_id == series_id, SeriesOccurrence.slot > now
                    )
                )
            ).all()
        )
    if series is None or group is None:
        return None
    if group.status != GroupStatus.ACTIVE:
        await _end(db, series_id, now=now)
        return None
    after = max(series.generated_until, now)
    slots = _slots(series, after=after, until=now + horizon, minimum=MIN_AHEAD - ahead)
    if not slots:
        if series.ends_after is not None and series.ends_after <= after:
            await _end(db, series_id, now=now)
        return None
    async with db.transaction() as session:
        taken = await session.execute(
            update(MeetingSeries)
            .where(
                MeetingSeries.id == series_id,
                MeetingSeries.status == SeriesStatus.ACTIVE,
                MeetingSeries.generated_until == series.generated_until,
            )
            .values(generated_until=slots[-1], updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return (series, slots) if getattr(taken, "rowcount", 0) else None


async def _end(db: Database, series_id: int, *, now: datetime) -> None:
    async with db.transaction() as session:
        await session.execute(
            update(MeetingSeries)
            .where(MeetingSeries.id == series_id)
            .values(status=SeriesStatus.ENDED, updated_at=now)
        )


async def extend_series(
    db: Database,
    *,
    now: datetime,
    horizon: timedelta,
    default_offsets: Sequence[timedelta],
) -> list[int]:
    """Keep every active series filled with occurrences up to ``now + horizon``."""
    async with db.read() as session:
        series_ids = list(
            (
                await session.scalars(
                    select(MeetingSeries.id).where(MeetingSeries.status == SeriesStatus.ACTIVE)
                )
            ).all()
        )
    made: list[int] = []
    for series_id in series_ids:
        reserved = await _reserve(db, series_id, horizon=horizon, now=now)
        if reserved is not None:
            series, slots = reserved
            made += await _fill(db, series, slots, default_offsets=default_offsets, now=now)
    return made


async def _following(
    db: Database, meeting_id: int, now: datetime
) -> tuple[Meeting, SeriesOccurrence, MeetingSeries, list[Meeting]]:
    """Return the picked occurrence, its link, its series and its upcoming followers."""
    async with db.read() as session:
        meeting = await session.get(Meeting, meeting_id)
        link = await session.get(SeriesOccurrence, meeting_id)
        if meeting is None or link is None:
            raise NotFound(_("That meeting is not part of a series."))
        series = await session.get(MeetingSeries, link.series_id)
        assert series is not None  # Links are deleted with their series (cascade).
        rows = await session.scalars(
            select(Meeting)
            .join(SeriesOccurrence, SeriesOccurrence.meeting_id == Meeting.id)
            .where(
                SeriesOccurrence.series_id == series.id,
                SeriesOccurrence.slot >= link.slot,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > now,
            )
            .order_by(SeriesOccurrence.slot)
        )
        return meeting, link, series, list(rows)


async def cancel_occurrences(
    db: Database, *, meeting_id: int, scope: Scope, reason: str | None, now: datetime
) -> list[MeetingChange]:
    """Cancel one occurrence, or it and every later one (ending the series there)."""
    if scope == Scope.THIS:
        return [await cancel_meeting(db, meeting_id, reason, now=now)]
    _meeting, link, series, following = await _following(db, meeting_id, now)
    async with db.transaction() as session:
        await session.execute(
            update(MeetingSeries)
            .where(MeetingSeries.id == series.id)
            .values(status=SeriesStatus.ENDED, ends_after=link.slot - _BEFORE, updated_at=now)
        )
    return [await cancel_meeting(db, row.id, reason, now=now) for row in following]


async def edit_occurrences(
    db: Database,
    *,
    meeting_id: int,
    changes: dict[str, Any],
    scope: Scope,
    default_offsets: Sequence[timedelta],
    now: datetime,
) -> list[MeetingChange]:
    """Edit one occurrence, or it and every later one.

    "This and following" splits the series: the old one ends before the picked
    occurrence, a new one (with the changes) carries it and the later ones. A new start
    moves every later occurrence by the same wall-clock amount, so "from 19:00 to 18:30"
    stays 18:30 across a DST change.
    """
    if scope == Scope.THIS:
        return [
            await edit_meeting(db, meeting_id, changes, default_offsets=default_offsets, now=now)
        ]
    meeting, link, series, following = await _following(db, meeting_id, now)
    delta = timedelta()
    if "starts_at" in changes:
        delta = wall_clock_delta(meeting.starts_at, changes["starts_at"], series.timezone)
    template = {name: value for name, value in changes.items() if name in TEMPLATE}
    async with db.transaction() as session:
        old = await session.get(MeetingSeries, series.id)
        assert old is not None
        successor = MeetingSeries(
            group_id=old.group_id,
            guild_id=old.guild_id,
            frequency=old.frequency,
            first_starts_at=shift_wall_clock(link.slot, delta, old.timezone),
            timezone=old.timezone,
            ends_after=old.ends_after,
            generated_until=shift_wall_clock(old.generated_until, delta, old.timezone),
            status=old.status,
            created_by=old.created_by,
            created_at=now,
            updated_at=now,
            **{name: template.get(name, getattr(old, name)) for name in TEMPLATE},
        )
        session.add(successor)
        await session.flush()
        old.status = SeriesStatus.ENDED
        old.ends_after = link.slot - _BEFORE
        old.updated_at = now
        links = await session.scalars(
            select(SeriesOccurrence).where(
                SeriesOccurrence.series_id == old.id, SeriesOccurrence.slot >= link.slot
            )
        )
        for moved in links:
            moved.series_id = successor.id
            moved.slot = shift_wall_clock(moved.slot, delta, old.timezone)
    edited: list[MeetingChange] = []
    for row in following:
        own = dict(changes)
        if "starts_at" in changes:
            own["starts_at"] = shift_wall_clock(row.starts_at, delta, series.timezone)
        edited.append(await edit_meeting(db, row.id, own, default_offsets=default_offsets, now=now))
    return edited


async def meetings_due_for_announcement(
    db: Database, *, now: datetime, ahead: timedelta, guild_ids: Sequence[int] | None = None
) -> list[Meeting]:
    """List series occurrences not yet announced whose start is within ``ahead``."""
    query = (
        select(Meeting)
        .join(SeriesOccurrence, SeriesOccurrence.meeting_id == Meeting.id)
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.announcement_message_id.is_(None),
            Meeting.starts_at > now,
            Meeting.starts_at <= now + ahead,
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if guild_ids is not None:
        query = query.where(Meeting.guild_id.in_(list(guild_ids)))
    async with db.read() as session:
        return list((await session.scalars(query)).all())


async def series_of_meetings(db: Database, meeting_ids: Sequence[int]) -> dict[int, SeriesInfo]:
    """Return the series each of ``meeting_ids`` belongs to (meetings of none are left out)."""
    async with db.read() as session:
        rows = await session.execute(
            select(SeriesOccurrence.meeting_id, MeetingSeries)
            .join(MeetingSeries, MeetingSeries.id == SeriesOccurrence.series_id)
            .where(SeriesOccurrence.meeting_id.in_(list(meeting_ids)))
        )
        return {
            int(meeting_id): SeriesInfo(
                series.id, Frequency(series.frequency), series.status == SeriesStatus.ACTIVE
            )
            for meeting_id, series in rows.all()
        }
