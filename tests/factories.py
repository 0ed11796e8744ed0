"""Build the rows tests need: directly for speed, or through the real transactions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.geography import gazetteer
from core.text import fold
from db.engine import Database
from db.groups import Actor, GroupPlace, approve_group, propose_group
from db.meetings import NewMeeting, create_meeting
from db.models import (
    Group,
    GroupStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Reminder,
    Rsvp,
    RsvpStatus,
)
from db.reminders import drop_reminders, plan_reminders

GUILD_ID = 1_000_000_000_000_001
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GUILD = 1000
COORDINATOR = Actor(user_id=1, is_coordinator=True)



async def make_group(
    db: Database,
    *,
    guild_id: int = GUILD_ID,
    name: str = "GUG Santiago",
    city: str = "Santiago",
    country: str = "Chile",
    timezone: str = "America/Santiago",
    channel_id: int | None = None,
    organizer_ids: Sequence[int] = (),
    member_ids: Sequence[int] = (),
    status: str = "active",
) -> Group:
    """Insert a group with its organizers (and plain members)."""
    async with db.transaction() as session:
        group = Group(
            guild_id=guild_id, name=name, name_key=fold(name), city=city, city_key=fold(city),
            country=country, timezone=timezone, status=status,
            proposer_id=organizer_ids[0] if organizer_ids else 1, channel_id=channel_id,
        )
        session.add(group)
        await session.flush()
        for user_id in organizer_ids:
            session.add(Membership(group_id=group.id, user_id=user_id, is_organizer=True))
        for user_id in member_ids:
            session.add(Membership(group_id=group.id, user_id=user_id, is_organizer=False))
    return group


async def make_meeting(
    db: Database,
    group: Group,
    *,
    title: str = "Monthly meetup",
    starts_in: timedelta = timedelta(days=7),
    capacity: int | None = None,
    now: datetime | None = None,
    kind: str = "mixed",
) -> Meeting:
    """Schedule a meeting through the real rule."""
    now = now or datetime.now(UTC)
    return await create_meeting(
        db,
        NewMeeting(
            group_id=group.id, created_by=group.proposer_id, title=title, kind=kind,
            starts_at=now + starts_in, duration_minutes=120, capacity=capacity,
        ),
        default_offsets=[timedelta(days=1), timedelta(hours=1)],
        now=now,
    )



def place(city: str, country_code: str) -> GroupPlace:
    """Resolve a city like the /group propose command does."""
    gaz = gazetteer()
    found = gaz.cities_named(city, country_code)
    known = found[0] if found else None
    return GroupPlace(
        city=known.name if known else city,
        country=gaz.country_name(country_code),
        country_code=country_code,
        region=known.region if known else "",
        latitude=known.latitude if known else None,
        longitude=known.longitude if known else None,
        timezone=gaz.timezone_for(known, country_code, "UTC"),
    )


async def proposed(
    db: Database,
    name: str,
    city: str = "Montevideo",
    country_code: str = "UY",
    *,
    proposer: int = 500,
    guild: int = GUILD,
    max_pending: int = 3,
) -> Group:
    """Propose a group."""
    return await propose_group(
        db,
        guild_id=guild,
        proposer_id=proposer,
        name=name,
        description="",
        place=place(city, country_code),
        max_pending=max_pending,
        now=NOW,
    )


async def active(
    db: Database,
    name: str,
    city: str = "Montevideo",
    country_code: str = "UY",
    *,
    proposer: int = 500,
    guild: int = GUILD,
) -> Group:
    """Propose and approve a group."""
    group = await proposed(db, name, city, country_code, proposer=proposer, guild=guild)
    return await approve_group(db, guild_id=guild, group_id=group.id, actor=COORDINATOR, now=NOW)


# Seeds straight into the ledger, for reminder tests that need thousands of rows.
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
