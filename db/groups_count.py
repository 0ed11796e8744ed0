"""Counts about groups that the shell needs before the groups feature exists."""

from __future__ import annotations

from sqlalchemy import func, select

from db.engine import Database
from db.models import Group, GroupStatus


async def count_active_groups(db: Database, guild_id: int | None) -> int:
    """Count the active groups of one server (or of all servers when ``guild_id`` is None)."""
    query = select(func.count()).select_from(Group).where(Group.status == GroupStatus.ACTIVE)
    if guild_id is not None:
        query = query.where(Group.guild_id == guild_id)
    async with db.read() as session:
        return int(await session.scalar(query) or 0)
