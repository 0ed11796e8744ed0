"""Who belongs to a group and who organizes it: join, leave, add and remove organizers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotAllowed
from core.i18n import _
from db.audit import AuditAction, record_action
from db.engine import Database
from db.groups import Actor, locked_group, make_organizer, require_group_organizer
from db.models import Group, GroupStatus, Membership


@dataclass(frozen=True)
class MembershipChange:
    """What a join or leave did, and what the Discord side should mirror."""

    group: Group
    changed: bool


def _require_active(group: Group) -> None:
    if group.status != GroupStatus.ACTIVE:
        raise InvalidInput(_("“{name}” is not an active group."), name=group.name)


async def _organizer_count(session: AsyncSession, group_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.group_id == group_id, Membership.is_organizer.is_(True))
    )
    return int(count or 0)


def _last_organizer(group: Group) -> NotAllowed:
    return NotAllowed(
        _("“{name}” needs at least one organizer; add another with /group organizer-add first."),
        name=group.name,
    )


async def join_group(
    db: Database, *, guild_id: int, group_id: int, user_id: int, now: datetime
) -> MembershipChange:
    """Make ``user_id`` a member of an active group; joining twice changes nothing."""
    async with db.transaction() as session:
        group = await locked_group(session, guild_id, group_id)
        _require_active(group)
        if await session.get(Membership, (group_id, user_id)) is not None:
            return MembershipChange(group, changed=False)
        session.add(Membership(group_id=group_id, user_id=user_id, joined_at=now))
    return MembershipChange(group, changed=True)


async def leave_group(
    db: Database, *, guild_id: int, group_id: int, user_id: int
) -> MembershipChange:
    """Remove ``user_id`` from a group; the last organizer must hand over first."""
    async with db.transaction() as session:
        group = await locked_group(session, guild_id, group_id)
        membership = await session.get(Membership, (group_id, user_id))
        if membership is None:
            return MembershipChange(group, changed=False)
        if membership.is_organizer and await _organizer_count(session, group_id) <= 1:
            raise _last_organizer(group)
        await session.delete(membership)
    return MembershipChange(group, changed=True)


async def add_organizer(
    db: Database, *, guild_id: int, group_id: int, actor: Actor, user_id: int, now: datetime
) -> MembershipChange:
    """Make ``user_id`` an organizer (and member) of the group."""
    async with db.transaction() as session:
        group = await locked_group(session, guild_id, group_id)
        _require_active(group)
        await require_group_organizer(session, group, actor)
        if not await make_organizer(session, group_id, user_id, now):
            return MembershipChange(group, changed=False)
        record_action(
            session,
            guild_id=guild_id,
            actor_id=actor.user_id,
            action=AuditAction.ORGANIZER_ADD,
            when=now,
            group_id=group_id,
            reason=str(user_id),
        )
    return MembershipChange(group, changed=True)


async def remove_organizer(
    db: Database, *, guild_id: int, group_id: int, actor: Actor, user_id: int, now: datetime
) -> MembershipChange:
    """Make an organizer a plain member again; the last organizer cannot be removed."""
    async with db.transaction() as session:
        group = await locked_group(session, guild_id, group_id)
        _require_active(group)
        await require_group_organizer(session, group, actor)
        membership = await session.get(Membership, (group_id, user_id))
        if membership is None or not membership.is_organizer:
            return MembershipChange(group, changed=False)
        if await _organizer_count(session, group_id) <= 1:
            raise _last_organizer(group)
        membership.is_organizer = False
        record_action(
            session,
            guild_id=guild_id,
            actor_id=actor.user_id,
            action=AuditAction.ORGANIZER_REMOVE,
            when=now,
            group_id=group_id,
            reason=str(user_id),
        )
    return MembershipChange(group, changed=True)


async def member_ids(db: Database, group_id: int) -> list[int]:
    """List a group's members, organizers first (whom a recreated role goes to)."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Membership.user_id)
            .where(Membership.group_id == group_id)
            .order_by(Membership.is_organizer.desc(), Membership.joined_at, Membership.user_id)
        )
        return list(rows)
