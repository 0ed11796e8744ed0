"""Whether the bot is still in a server, so a removed server's reminders wait, not fail.

GUILD_DELETE without ``unavailable`` means the bot was removed (kicked, or the server
deleted); with ``unavailable`` it is an outage, which pauses nothing: deciding which is
the caller's job. A paused reminder stays pending and is skipped by claims; it goes out
if the bot is added back while it is still due (late, saying so), else it is missed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from db.engine import Database
from db.models import GuildPresence


async def mark_guild_removed(db: Database, guild_id: int, now: datetime) -> None:
    """Record that the bot was removed from the server; its reminders pause."""
    async with db.transaction() as session:
        presence = await session.get(GuildPresence, guild_id, with_for_update=True)
        if presence is None:
            session.add(GuildPresence(guild_id=guild_id, removed_at=now, updated_at=now))
        elif presence.removed_at is None:
            presence.removed_at = now
            presence.updated_at = now


async def mark_guild_present(db: Database, guild_id: int, now: datetime) -> bool:
    """Record that the bot is in the server; return True if it had been removed (resumed)."""
    async with db.transaction() as session:
        presence = await session.get(GuildPresence, guild_id, with_for_update=True)
        if presence is None or presence.removed_at is None:
            return False
        presence.removed_at = None
        presence.updated_at = now
        return True


async def removed_guilds(db: Database) -> list[int]:
    """List the servers the bot was removed from (their reminders are paused)."""
    async with db.read() as session:
        rows = await session.scalars(
            select(GuildPresence.guild_id)
            .where(GuildPresence.removed_at.is_not(None))
            .order_by(GuildPresence.guild_id)
        )
        return list(rows)
