"""Remember which command definitions were last synced with Discord."""

from __future__ import annotations

from sqlalchemy import select

from db.engine import Database
from db.models import CommandSync, utc_now


async def last_synced_digest(db: Database, scope: str) -> str | None:
    """Return the digest recorded by the last sync of ``scope``, if any."""
    async with db.read() as session:
        return await session.scalar(select(CommandSync.digest).where(CommandSync.scope == scope))


async def record_sync(db: Database, scope: str, digest: str) -> None:
    """Record that ``scope`` was synced with definitions hashing to ``digest``."""
    async with db.transaction() as session:
        row = await session.get(CommandSync, scope)
        if row is None:
            session.add(CommandSync(scope=scope, digest=digest, synced_at=utc_now()))
        else:
            row.digest = digest
            row.synced_at = utc_now()
