"""Backers of a proposal: back it once, count them, hold approval until there are enough."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.i18n import P_, _
from db.engine import Database
from db.models import Backer, Group, GroupStatus, GuildSettings, Membership, utc_now

# Nobody needs a gate higher than this to start a users group; it keeps typos out.
MAX_MIN_BACKERS = 100


@dataclass(frozen=True)
class Backing:
    """The result of backing a proposal: whether it was new, and how many back it now."""

    group_id: int
    added: bool
    backers: int


async def _count(session: AsyncSession, group_id: int) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Backer).where(Backer.group_id == group_id)
    )
    return int(count or 0)


async def back_proposal(
    db: Database, *, guild_id: int, group_id: int, user_id: int, now: datetime
) -> Backing:
    """Back a pending proposal; backing it again changes nothing (each person counts once)."""
    async with db.transaction() as session:
        group = await session.scalar(
            select(Group).where(Group.id == group_id, Group.guild_id == guild_id)
        )
        if group is None:
            raise NotFound(_("That group does not exist in this server."))
        if group.status != GroupStatus.PENDING:
            raise InvalidInput(
                _("“{name}” is no longer a proposal; join it instead."), name=group.name
            )
        if group.proposer_id == user_id:
            raise InvalidInput(_("You proposed “{name}”; ask others to back it."), name=group.name)
        insert = pg_insert if db.dialect == "postgresql" else sqlite_insert
        # ON CONFLICT DO NOTHING: two presses of the button at once still count once.
        added = await session.scalar(
            insert(Backer)
            .values(group_id=group_id, user_id=user_id, backed_at=now)
            .on_conflict_do_nothing()
            .returning(Backer.user_id)
        )
        return Backing(group_id, added is not None, await _count(session, group_id))


async def backers_of(db: Database, group_id: int) -> list[int]:
    """Return who backs a group, in the order they backed it."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Backer.user_id)
            .where(Backer.group_id == group_id)
            .order_by(Backer.backed_at, Backer.user_id)
        )
        return [int(user_id) for user_id in rows]


async def require_enough_backers(
    session: AsyncSession, group: Group, settings: GuildSettings | None
) -> None:
    """Refuse approval while the proposal has fewer backers than the server asks for."""
    needed = settings.min_backers if settings is not None and settings.min_backers else 0
    if needed <= 0:
        return
    count = await _count(session, group.id)
    if count < needed:
        raise InvalidInput(
            P_(
                "“{name}” has {count} of the {n} backer this server asks for; "
                "it needs {missing} more before it can be approved.",
                "“{name}” has {count} of the {n} backers this server asks for; "
                "it needs {missing} more before it can be approved.",
                needed,
            ),
            name=group.name,
            count=count,
            missing=needed - count,
        )


async def admit_backers(session: AsyncSession, group: Group, now: datetime) -> list[int]:
    """Make the backers of a just-approved group its members; return those who joined."""
    backers = (
        await session.scalars(
            select(Backer.user_id)
            .where(Backer.group_id == group.id)
            .order_by(Backer.backed_at, Backer.user_id)
        )
    ).all()
    members = set(
        (
            await session.scalars(select(Membership.user_id).where(Membership.group_id == group.id))
        ).all()
    )
    joined = [int(user_id) for user_id in backers if user_id not in members]
    for user_id in joined:
        session.add(
            Membership(group_id=group.id, user_id=user_id, is_organizer=False, joined_at=now)
        )
    await session.flush()
    return joined


async def set_min_backers(db: Database, guild_id: int, count: int) -> None:
    """Make approval of the server's proposals wait for ``count`` backers (0 = none)."""
    if not 0 <= count <= MAX_MIN_BACKERS:
        raise InvalidInput(
            _("The number of backers must be between 0 and {limit}."), limit=MAX_MIN_BACKERS
        )
    async with db.transaction() as session:
        row = await session.get(GuildSettings, guild_id)
        if row is None:
            row = GuildSettings(guild_id=guild_id)
            session.add(row)
        row.min_backers = count
        row.updated_at = utc_now()
