"""Build rows the tests need without going through features owned elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from db.engine import Database
from db.keys import fold
from db.meetings import NewMeeting, create_meeting
from db.models import Group, Meeting, Membership

GUILD_ID = 1_000_000_000_000_001


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
