"""Read and change one server's /setup choices."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import Database
from db.models import GuildSettings, utc_now


async def load_guild_settings(db: Database, guild_id: int) -> GuildSettings:
    """Return the server's settings; a server that ran no /setup gets empty ones."""
    async with db.read() as session:
        row = await session.get(GuildSettings, guild_id)
    return row or GuildSettings(guild_id=guild_id)


async def _row(session: AsyncSession, guild_id: int) -> GuildSettings:
    row = await session.get(GuildSettings, guild_id)
    if row is None:
        row = GuildSettings(guild_id=guild_id)
        session.add(row)
    row.updated_at = utc_now()
    return row


async def set_coordinator_role(db: Database, guild_id: int, role_id: int) -> None:
    """Make holders of ``role_id`` the server's coordinators."""
    async with db.transaction() as session:
        (await _row(session, guild_id)).coordinator_role_id = role_id


async def set_group_category(db: Database, guild_id: int, category_id: int) -> None:
    """Create future group channels under ``category_id``."""
    async with db.transaction() as session:
        (await _row(session, guild_id)).group_category_id = category_id


async def set_coordinator_channel(db: Database, guild_id: int, channel_id: int) -> None:
    """Post future proposals for review in ``channel_id``."""
    async with db.transaction() as session:
        (await _row(session, guild_id)).coordinator_channel_id = channel_id


async def set_directory(db: Database, guild_id: int, public: bool, invite_url: str | None) -> None:
    """List the server's active groups in the public directory, or stop; keep the invite."""
    async with db.transaction() as session:
        row = await _row(session, guild_id)
        row.directory_public = public
        if invite_url is not None:
            row.invite_url = invite_url
