"""Links from Discord to the public directory's pages, for servers that opted in.

Only when ``[web] base_url`` is set: without it the bot does not know the site's public
address, and a page of a server that is not public would answer 404.
"""

from __future__ import annotations

from db.directory import is_public_group, public_group_slug
from db.engine import Database


async def meeting_page_url(
    db: Database, base_url: str, group_id: int, meeting_id: int
) -> str | None:
    """Return the meeting's public page, or None when it has none."""
    if not base_url or not await is_public_group(db, group_id):
        return None
    return f"{base_url}/meetings/{meeting_id}"


async def group_page_url(db: Database, base_url: str, group_id: int) -> str | None:
    """Return the group's public page (its feed is this plus ``/calendar.ics``), or None."""
    if not base_url:
        return None
    slug = await public_group_slug(db, group_id)
    return f"{base_url}/groups/{slug}" if slug else None
