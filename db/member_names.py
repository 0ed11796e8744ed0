"""Remember the display name members use in a server, for the public pages."""

from __future__ import annotations

from datetime import datetime

from db.engine import Database
from db.models import MemberName

# Discord display names are at most 32 characters; nicknames too. Room for both.
NAME_LIMIT = 100


async def record_display_name(
    db: Database, guild_id: int, user_id: int, display_name: str, now: datetime
) -> None:
    """Store (or update) the name ``user_id`` shows in ``guild_id``."""
    async with db.transaction() as session:
        row = await session.get(MemberName, (guild_id, user_id))
        if row is None:
            row = MemberName(guild_id=guild_id, user_id=user_id)
            session.add(row)
        row.display_name = display_name[:NAME_LIMIT]
        row.updated_at = now
