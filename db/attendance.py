"""Attendance: "I'm here" check-ins at a meeting, and each group's show-up rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.errors import InvalidInput, NotFound
from core.i18n import _
from db.engine import Database
from db.meetings import Attendees, list_attendees
from db.models import AttendanceCheckin, Meeting, MeetingStatus, Rsvp, RsvpStatus

# The "I'm here" button stays this long after a meeting ends: people check in late,
# or after the talks when someone reminds them.
AFTER_END = timedelta(hours=3)
# /coord stats and /group info show the rate over this many days.
RATE_DAYS = 90


@dataclass(frozen=True)
class CheckIn:
    """The result of pressing "I'm here"."""

    meeting_id: int
    user_id: int
    first_time: bool
    # Checked in without answering going or maybe.
    walk_in: bool


@dataclass(frozen=True)
class Attendance:
    """Everyone who answered a meeting, and who checked in, in the order they did."""

    answered: Attendees
    checked_in: list[int]


@dataclass(frozen=True)
class ShowUpRate:
    """Of those going to a group's meetings, how many checked in."""

    going: int
    showed_up: int

    @property
    def rate(self) -> float | None:
        """Return showed up ÷ going, or None when nobody was going."""
        return self.showed_up / self.going if self.going else None


def check_in_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """Return when the "I'm here" button opens and closes for a meeting."""
    ends_at = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    return meeting.starts_at, ends_at + AFTER_END


async def check_in(db: Database, *, meeting_id: int, user_id: int, now: datetime) -> CheckIn:
    """Record that someone is at the meeting; pressing again changes nothing."""
    async with db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
            raise NotFound(_("That meeting does not exist or was cancelled."))
        opens, closes = check_in_window(meeting)
        if now < opens:
            raise InvalidInput(_("Check-in opens when the meeting starts."))
        if now > closes:
            raise InvalidInput(_("Check-in for that meeting has closed."))
        insert = pg_insert if db.dialect == "postgresql" else sqlite_insert
        added = await session.scalar(
            insert(AttendanceCheckin)
            .values(meeting_id=meeting_id, user_id=user_id, checked_in_at=now)
            .on_conflict_do_nothing()
            .returning(AttendanceCheckin.user_id)
        )
        answer = await session.scalar(
            select(Rsvp.status).where(Rsvp.meeting_id == meeting_id, Rsvp.user_id == user_id)
        )
    walk_in = answer not in (RsvpStatus.GOING, RsvpStatus.MAYBE)
    return CheckIn(meeting_id, user_id, added is not None, walk_in)


async def meeting_attendance(db: Database, meeting_id: int) -> Attendance:
    """Return a meeting's answers and its check-ins, for /meeting attendees."""
    answered = await list_attendees(db, meeting_id)
    async with db.read() as session:
        rows = await session.scalars(
            select(AttendanceCheckin.user_id)
            .where(AttendanceCheckin.meeting_id == meeting_id)
            .order_by(AttendanceCheckin.checked_in_at, AttendanceCheckin.user_id)
        )
        return Attendance(answered, [int(user_id) for user_id in rows])


async def show_up_rates(
    db: Database,
    *,
    guild_id: int,
    now: datetime,
    days: int = RATE_DAYS,
    group_id: int | None = None,
) -> dict[int, ShowUpRate]:
    """Return each group's show-up rate over meetings that started in the last ``days``.

    Only people who said going count, on both sides: a walk-in is welcome but does not
    lift the rate above what was promised.
    """
    since = now - timedelta(days=days)
    showed = func.count(AttendanceCheckin.user_id)
    query = (
        select(Meeting.group_id, func.count(Rsvp.id), showed)
        .join(Rsvp, Rsvp.meeting_id == Meeting.id)
        .outerjoin(
            AttendanceCheckin,
            and_(
                AttendanceCheckin.meeting_id == Rsvp.meeting_id,
                AttendanceCheckin.user_id == Rsvp.user_id,
            ),
        )
        .where(
            Meeting.guild_id == guild_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > since,
            Meeting.starts_at <= now,
            Rsvp.status == RsvpStatus.GOING,
        )
        .group_by(Meeting.group_id)
    )
    if group_id is not None:
        query = query.where(Meeting.group_id == group_id)
    async with db.read() as session:
        rows = (await session.execute(query)).all()
    return {int(group): ShowUpRate(int(going), int(came)) for group, going, came in rows}


async def show_up_rate(
    db: Database, *, guild_id: int, group_id: int, now: datetime, days: int = RATE_DAYS
) -> ShowUpRate:
    """Return one group's show-up rate over the last ``days`` (for /group info)."""
    rates = await show_up_rates(db, guild_id=guild_id, now=now, days=days, group_id=group_id)
    return rates.get(group_id, ShowUpRate(0, 0))


async def announced_started_between(
    db: Database, *, after: datetime, until: datetime
) -> list[Meeting]:
    """List scheduled, announced meetings that started in (after, until], to open check-in."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.announcement_message_id.is_not(None),
                Meeting.starts_at > after,
                Meeting.starts_at <= until,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
        return list(rows.all())
