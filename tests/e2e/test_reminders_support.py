"""Seed groups, meetings and RSVPs straight into the ledger for reminder tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from db.engine import Database
from db.models import Group, GroupStatus, Meeting, MeetingStatus, Reminder, Rsvp, RsvpStatus
from db.reminders import drop_reminders, plan_reminders


async def seed_group(db: Database, guild_id: int, channel_id: int | None, name: str) -> int:
    """Create an active group posting in ``channel_id``."""
    async with db.transaction() as session:
        group = Group(
            guild_id=guild_id,
            name=name,
            name_key=name.lower(),
            city="Lima",
            city_key="lima",
            country="Peru",
            status=GroupStatus.ACTIVE,
            proposer_id=1,
            channel_id=channel_id,
        )
        session.add(group)
        await session.flush()
        return group.id


async def seed_meeting(
    db: Database,
    group_id: int,
    starts_at: datetime,
    offsets: Sequence[timedelta],
    now: datetime,
    *,
    going: Sequence[int] = (),
    maybe: Sequence[int] = (),
    not_going: Sequence[int] = (),
    title: str = "Monthly meetup",
) -> int:
    """Create a meeting with RSVPs and its reminders planned at ``offsets``."""
    async with db.transaction() as session:
        group = await session.get(Group, group_id)
        assert group is not None
        meeting = Meeting(
            group_id=group_id,
            guild_id=group.guild_id,
            title=title,
            starts_at=starts_at,
            venue="Café Central",
            created_by=1,
        )
        session.add(meeting)
        await session.flush()
        position = 0
        for status, users in (
            (RsvpStatus.GOING, going),
            (RsvpStatus.MAYBE, maybe),
            (RsvpStatus.NOT_GOING, not_going),
        ):
            for user_id in users:
                position += 1
                session.add(
                    Rsvp(meeting_id=meeting.id, user_id=user_id, status=status, position=position)
                )
        await plan_reminders(session, meeting, offsets, now)
        return meeting.id


async def move_meeting(
    db: Database, meeting_id: int, starts_at: datetime, offsets: Sequence[timedelta], now: datetime
) -> None:
    """Re-time a meeting and re-plan, as /meeting edit does."""
    async with db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.starts_at = starts_at
        await plan_reminders(session, meeting, offsets, now)


async def cancel_meeting(db: Database, meeting_id: int) -> None:
    """Cancel a meeting and drop its reminders, as /meeting cancel does."""
    async with db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.status = MeetingStatus.CANCELLED
        await drop_reminders(session, meeting_id)


async def reminders_of(db: Database, meeting_id: int | None = None) -> list[Reminder]:
    """Read reminders (of one meeting, or all), by id."""
    query = select(Reminder).order_by(Reminder.id)
    if meeting_id is not None:
        query = query.where(Reminder.meeting_id == meeting_id)
    async with db.read() as session:
        return list((await session.scalars(query)).all())
