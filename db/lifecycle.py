"""A group's links to Discord lost and mended, its meetings when it is archived, a server forgotten.

Groups are found by the Discord ids an event carries (CHANNEL_DELETE, GUILD_ROLE_DELETE);
the lost link is recorded so coordinators see it (/coord pending) and reminders are
held until ``set_group_role_and_channel`` records the repaired one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Table, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import Base
from db.engine import Database
from db.models import (
    Group,
    GroupStatus,
    LinkKind,
    LostGroupLink,
    Meeting,
    MeetingStatus,
    Rsvp,
    RsvpStatus,
)
from db.reminders import drop_reminders

# Who is told of a cancellation: those going and those who said maybe.
NOTIFIED = (RsvpStatus.GOING, RsvpStatus.MAYBE)


async def _unlink(
    db: Database, guild_id: int, kind: LinkKind, discord_id: int, now: datetime
) -> list[Group]:
    column = Group.channel_id if kind == LinkKind.CHANNEL else Group.role_id
    async with db.transaction() as session:
        groups = list(
            (
                await session.scalars(
                    select(Group)
                    .where(Group.guild_id == guild_id, column == discord_id)
                    .with_for_update()
                )
            ).all()
        )
        for group in groups:
            setattr(group, column.key, None)
            group.updated_at = now
            lost = await session.get(LostGroupLink, (group.id, kind))
            if lost is None:
                session.add(
                    LostGroupLink(
                        group_id=group.id, kind=kind, guild_id=guild_id,
                        discord_id=discord_id, lost_at=now,
                    )
                )
            else:
                lost.discord_id, lost.lost_at = discord_id, now
    return groups


async def unlink_channel(
    db: Database, guild_id: int, channel_id: int, *, now: datetime
) -> list[Group]:
    """Forget a deleted channel; return the groups that posted there (their reminders hold)."""
    return await _unlink(db, guild_id, LinkKind.CHANNEL, channel_id, now)


async def unlink_role(db: Database, guild_id: int, role_id: int, *, now: datetime) -> list[Group]:
    """Forget a deleted role; return the groups it belonged to."""
    return await _unlink(db, guild_id, LinkKind.ROLE, role_id, now)


@dataclass(frozen=True)
class GroupNeedingRepair:
    """An active group lacking its channel or role, and since when (None: never had it)."""

    group: Group
    lacks_channel: bool
    lacks_role: bool
    channel_lost_at: datetime | None
    role_lost_at: datetime | None


async def groups_needing_repair(db: Database, guild_id: int) -> list[GroupNeedingRepair]:
    """List the server's active groups lacking a channel or a role, for /coord pending."""
    async with db.read() as session:
        groups = (
            await session.scalars(
                select(Group)
                .where(
                    Group.guild_id == guild_id,
                    Group.status == GroupStatus.ACTIVE,
                    (Group.channel_id.is_(None)) | (Group.role_id.is_(None)),
                )
                .order_by(Group.name, Group.id)
            )
        ).all()
        lost: dict[tuple[int, str], datetime] = {
            (group_id, kind): lost_at
            for group_id, kind, lost_at in await session.execute(
                select(LostGroupLink.group_id, LostGroupLink.kind, LostGroupLink.lost_at).where(
                    LostGroupLink.guild_id == guild_id
                )
            )
        }
    return [
        GroupNeedingRepair(
            group,
            lacks_channel=group.channel_id is None,
            lacks_role=group.role_id is None,
            channel_lost_at=lost.get((group.id, LinkKind.CHANNEL)) if group.channel_id is None
            else None,
            role_lost_at=lost.get((group.id, LinkKind.ROLE)) if group.role_id is None else None,
        )
        for group in groups
    ]


@dataclass(frozen=True)
class CancelledMeeting:
    """A meeting cancelled with its group's archive, and who answered going or maybe."""

    meeting: Meeting
    notify: list[int]


async def cancel_upcoming_meetings(
    session: AsyncSession, group_id: int, reason: str | None, now: datetime
) -> list[CancelledMeeting]:
    """Cancel a group's meetings that have not started and drop their reminders.

    Runs in the caller's transaction (the archive). Answers are kept as history; a
    cancelled meeting takes no new ones.
    """
    meetings = (
        await session.scalars(
            select(Meeting)
            .where(
                Meeting.group_id == group_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > now,
            )
            .order_by(Meeting.starts_at, Meeting.id)
            .with_for_update()
        )
    ).all()
    cancelled = []
    for meeting in meetings:
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = reason
        meeting.updated_at = now
        await drop_reminders(session, meeting.id)
        cancelled.append(CancelledMeeting(meeting, await _answered(session, meeting.id)))
    return cancelled


async def _answered(session: AsyncSession, meeting_id: int) -> list[int]:
    rows = await session.scalars(
        select(Rsvp.user_id)
        .where(Rsvp.meeting_id == meeting_id, Rsvp.status.in_(NOTIFIED))
        .order_by(Rsvp.position)
    )
    return list(rows)


async def meetings_cancelled_by_archive(db: Database, group_id: int) -> list[CancelledMeeting]:
    """Return the meetings the group's archive cancelled, with whom to tell, soonest first.

    The archive stamps them with its own time (``Group.decided_at``), which tells them
    apart from meetings organizers cancelled before.
    """
    async with db.read() as session:
        group = await session.get(Group, group_id)
        if group is None or group.status != GroupStatus.ARCHIVED or group.decided_at is None:
            return []
        meetings = (
            await session.scalars(
                select(Meeting)
                .where(
                    Meeting.group_id == group_id,
                    Meeting.status == MeetingStatus.CANCELLED,
                    Meeting.updated_at == group.decided_at,
                    Meeting.starts_at > group.decided_at,
                )
                .order_by(Meeting.starts_at, Meeting.id)
            )
        ).all()
        return [
            CancelledMeeting(meeting, await _answered(session, meeting.id)) for meeting in meetings
        ]


# --- a server forgotten for good ---


def _rows_of_guild(table: Table, guild_id: int) -> ColumnElement[bool] | None:
    """Match ``table``'s rows that belong to the server, directly or through a parent."""
    if "guild_id" in table.c:
        return table.c.guild_id == guild_id
    conditions = []
    for foreign_key in table.foreign_keys:
        parent = foreign_key.column.table
        assert isinstance(parent, Table)
        parent_rows = _rows_of_guild(parent, guild_id)
        if parent_rows is not None:
            conditions.append(
                foreign_key.parent.in_(select(foreign_key.column).where(parent_rows))
            )
    if not conditions:
        return None
    return or_(*conditions)


def _guild_tables(guild_id: int) -> list[tuple[Table, ColumnElement[bool]]]:
    """Every table holding rows of a server, children before parents."""
    found = []
    for table in reversed(Base.metadata.sorted_tables):
        condition = _rows_of_guild(table, guild_id)
        if condition is not None:
            found.append((table, condition))
    return found


async def guild_footprint(db: Database, guild_id: int) -> dict[str, int]:
    """Count the rows stored for a server, by table (what ``forget_guild`` would delete)."""
    counts: dict[str, int] = {}
    async with db.read() as session:
        for table, condition in _guild_tables(guild_id):
            count = await session.scalar(select(func.count()).select_from(table).where(condition))
            if count:
                counts[table.name] = int(count)
    return counts


async def forget_guild(db: Database, guild_id: int) -> dict[str, int]:
    """Delete every row stored for a server; return how many went, by table.

    Any table with a ``guild_id`` column, or hanging off one by a foreign key, is
    covered, so tables added later are forgotten too. People's own preferences are not
    a server's: they stay.
    """
    deleted: dict[str, int] = {}
    async with db.transaction() as session:
        for table, condition in _guild_tables(guild_id):
            result = await session.execute(delete(table).where(condition))
            count = int(result.rowcount or 0)  # type: ignore[attr-defined]  # DELETE gives a CursorResult
            if count:
                deleted[table.name] = count
    return deleted
