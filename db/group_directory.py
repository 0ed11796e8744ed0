"""Read groups for the directory: places to index, summaries, lists and channels to post in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from core.place_matching import GroupPlaceRow
from db.engine import Database
from db.models import Group, GroupStatus, Meeting, MeetingStatus, Membership

# Enough for one reply; a longer list would not fit one embed (25 fields).
LIST_LIMIT = 20


@dataclass(frozen=True)
class GroupSummary:
    """One group as shown in discovery results and /group info."""

    id: int
    name: str
    description: str
    city: str
    country: str
    country_code: str
    timezone: str
    status: str
    channel_id: int | None
    organizer_ids: tuple[int, ...]
    member_count: int
    next_meeting_at: datetime | None


async def active_group_places(db: Database, guild_id: int) -> list[GroupPlaceRow]:
    """Return every active group's place, for the in-memory index."""
    columns = (
        Group.id,
        Group.name,
        Group.city,
        Group.region,
        Group.country,
        Group.country_code,
        Group.latitude,
        Group.longitude,
    )
    async with db.read() as session:
        rows = await session.execute(
            select(*columns).where(Group.guild_id == guild_id, Group.status == GroupStatus.ACTIVE)
        )
        return [GroupPlaceRow(*row) for row in rows]


async def group_summaries(
    db: Database, group_ids: Sequence[int], now: datetime
) -> list[GroupSummary]:
    """Summarise the given groups, in the given order: organizers, members, next meeting."""
    if not group_ids:
        return []
    ids = list(dict.fromkeys(group_ids))
    # Two round trips, not one per fact: this runs on every /findgroup, and on SQLite each
    # statement is a hop to aiosqlite's thread and back.
    member_count = (
        select(func.count())
        .where(Membership.group_id == Group.id)
        .correlate(Group)
        .scalar_subquery()
    )
    # Walk the (group_id, starts_at) index from now and stop at the first scheduled one.
    # The status is compared through coalesce() so no planner can use (status, starts_at)
    # instead: SQLite does with a bare condition, and then reads every future meeting of
    # the network for each group.
    next_meeting = (
        select(Meeting.starts_at)
        .where(
            Meeting.group_id == Group.id,
            Meeting.starts_at > now,
            func.coalesce(Meeting.status, "") == MeetingStatus.SCHEDULED.value,
        )
        .order_by(Meeting.starts_at)
        .limit(1)
        .correlate(Group)
        .scalar_subquery()
    )
    columns = (
        Group.id,
        Group.name,
        Group.description,
        Group.city,
        Group.country,
        Group.country_code,
        Group.timezone,
        Group.status,
        Group.channel_id,
        member_count.label("member_count"),
        next_meeting.label("next_meeting_at"),
    )
    async with db.read() as session:
        groups = {
            row.id: row for row in await session.execute(select(*columns).where(Group.id.in_(ids)))
        }
        organizers: dict[int, list[int]] = defaultdict(list)
        for group_id, user_id in await session.execute(
            select(Membership.group_id, Membership.user_id)
            .where(Membership.group_id.in_(ids), Membership.is_organizer.is_(True))
            .order_by(Membership.joined_at)
        ):
            organizers[group_id].append(user_id)
    return [
        GroupSummary(
            id=group.id,
            name=group.name,
            description=group.description,
            city=group.city,
            country=group.country,
            country_code=group.country_code,
            timezone=group.timezone,
            status=group.status,
            channel_id=group.channel_id,
            organizer_ids=tuple(organizers.get(group.id, ())),
            member_count=int(group.member_count or 0),
            next_meeting_at=as_utc(group.next_meeting_at),
        )
        for group_id in ids
        if (group := groups.get(group_id)) is not None
    ]


def pairs(result: Iterable[Any]) -> dict[Any, Any]:
    """Turn two-column rows into a dict (a Result is not a mapping, despite its keys())."""
    return {row[0]: row[1] for row in result}


def as_utc(moment: datetime | str | None) -> datetime | None:
    """Make an aggregate's time aware: SQLite hands min()/max() back as naive text."""
    if moment is None:
        return None
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def list_active_groups(
    db: Database, guild_id: int, country_codes: Sequence[str] | None = None
) -> tuple[list[int], int]:
    """Return the ids of up to LIST_LIMIT active groups (by country, then name) and the total."""
    query = select(Group.id).where(Group.guild_id == guild_id, Group.status == GroupStatus.ACTIVE)
    if country_codes is not None:
        query = query.where(Group.country_code.in_(list(country_codes)))
    async with db.read() as session:
        total = await session.scalar(select(func.count()).select_from(query.subquery()))
        ids = (
            await session.scalars(query.order_by(Group.country, Group.name).limit(LIST_LIMIT))
        ).all()
    return list(ids), int(total or 0)


async def group_channels(db: Database, guild_id: int) -> list[tuple[int, str, int | None]]:
    """Return (id, name, channel id) for every active group, for announcements."""
    async with db.read() as session:
        rows = await session.execute(
            select(Group.id, Group.name, Group.channel_id)
            .where(Group.guild_id == guild_id, Group.status == GroupStatus.ACTIVE)
            .order_by(Group.name)
        )
        return [(row.id, row.name, row.channel_id) for row in rows]


async def count_active_groups(db: Database, guild_id: int | None) -> int:
    """Count the active groups of one server (or of all servers when ``guild_id`` is None)."""
    query = select(func.count()).select_from(Group).where(Group.status == GroupStatus.ACTIVE)
    if guild_id is not None:
        query = query.where(Group.guild_id == guild_id)
    async with db.read() as session:
        return int(await session.scalar(query) or 0)


async def group_by_id(db: Database, group_id: int) -> Group | None:
    """Return a group by id, whatever its server (a DM's button carries only the id)."""
    async with db.read() as session:
        return await session.get(Group, group_id)
