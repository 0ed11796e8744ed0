"""Network-wide figures for coordinators: activity per group and totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from db.engine import Database
from db.group_directory import as_utc, pairs
from db.models import Group, GroupStatus, Meeting, MeetingStatus, Membership

# "Meetings in the last 90 days" is the window the issue asks for.
RECENT_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class GroupActivity:
    """How one active group is doing."""

    group_id: int
    name: str
    members: int
    recent_meetings: int
    next_meeting_at: datetime | None
    days_since_last_meeting: int | None
    dormant: bool


@dataclass(frozen=True)
class NetworkStats:
    """Every active group's activity, plus totals."""

    groups: list[GroupActivity]
    pending: int
    total_members: int
    recent_meetings: int
    dormant: int


async def network_stats(
    db: Database, guild_id: int, *, now: datetime, dormant_after_days: int
) -> NetworkStats:
    """Compute per-group activity; a group is dormant with no meeting in ``dormant_after_days``."""
    held = (
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.guild_id == guild_id,
    )
    async with db.read() as session:
        groups = (
            await session.execute(
                select(Group.id, Group.name, Group.decided_at, Group.created_at)
                .where(Group.guild_id == guild_id, Group.status == GroupStatus.ACTIVE)
                .order_by(Group.name)
            )
        ).all()
        pending = await session.scalar(
            select(func.count())
            .select_from(Group)
            .where(Group.guild_id == guild_id, Group.status == GroupStatus.PENDING)
        )
        # A subquery, not a list: thousands of ids would exceed the drivers' parameter limits.
        ids = select(Group.id).where(Group.guild_id == guild_id, Group.status == GroupStatus.ACTIVE)
        members = pairs(
            await session.execute(
                select(Membership.group_id, func.count())
                .where(Membership.group_id.in_(ids))
                .group_by(Membership.group_id)
            )
        )
        distinct_members = await session.scalar(
            select(func.count(func.distinct(Membership.user_id))).where(
                Membership.group_id.in_(ids)
            )
        )
        recent = pairs(
            await session.execute(
                select(Meeting.group_id, func.count())
                .where(*held, Meeting.starts_at.between(now - RECENT_WINDOW, now))
                .group_by(Meeting.group_id)
            )
        )
        upcoming = pairs(
            await session.execute(
                select(Meeting.group_id, func.min(Meeting.starts_at))
                .where(*held, Meeting.starts_at > now)
                .group_by(Meeting.group_id)
            )
        )
        last = pairs(
            await session.execute(
                select(Meeting.group_id, func.max(Meeting.starts_at))
                .where(*held, Meeting.starts_at <= now)
                .group_by(Meeting.group_id)
            )
        )
    activity = []
    for row in groups:
        last_meeting = as_utc(last.get(row.id))
        days_since = (now - last_meeting).days if last_meeting else None
        # A new group is not dormant before it had the chance to meet.
        active_since = as_utc(last_meeting or row.decided_at or row.created_at)
        dormant = active_since is not None and now - active_since > timedelta(
            days=dormant_after_days
        )
        activity.append(
            GroupActivity(
                group_id=row.id,
                name=row.name,
                members=int(members.get(row.id, 0)),
                recent_meetings=int(recent.get(row.id, 0)),
                next_meeting_at=as_utc(upcoming.get(row.id)),
                days_since_last_meeting=days_since,
                dormant=dormant,
            )
        )
    return NetworkStats(
        groups=activity,
        pending=int(pending or 0),
        total_members=int(distinct_members or 0),
        recent_meetings=sum(item.recent_meetings for item in activity),
        dormant=sum(item.dormant for item in activity),
    )
