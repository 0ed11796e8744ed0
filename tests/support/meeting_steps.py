"""Helpers for the meeting and RSVP end-to-end tests."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, make_url, select

from db.meetings import get_meeting
from db.models import Group, Meeting
from sandbox.replies import Reply
from sandbox.world import Message
from tests.factories import make_group
from tests.support.gug import Gug

ZONE = "America/Montevideo"
# Announcement edits coalesced over 0.3 s rather than 5 s, so counts shown settle quickly.
FAST_EDITS = {"meetings.announcement_edit_interval": timedelta(milliseconds=300)}
# write_lock_held waits up to 30 s for a write of the bot's to end.
LOCK_PAUSE = 0.01
LOCK_ATTEMPTS = 3000


def when_in(*, days: int = 7) -> str:
    """Write a start `days` from now at 19:00 in the group's zone."""
    day = datetime.now(UTC).astimezone(ZoneInfo(ZONE)) + timedelta(days=days)
    return day.strftime("%Y-%m-%d 19:00")


async def group_for(gug: Gug, organizer: str = "alice") -> Group:
    """Return the test group (created on first use), posting in #general."""
    sb = gug.sb
    async with gug.db.read() as session:
        existing = await session.scalar(select(Group).where(Group.name == "GUG Montevideo"))
    if existing is not None:
        return existing
    return await make_group(
        gug.db, guild_id=sb.world.guild.id, name="GUG Montevideo", city="Montevideo",
        country="Uruguay", timezone=ZONE, channel_id=sb.channel("general").id,
        organizer_ids=[sb.user(organizer).id],
    )


async def create_meeting(
    gug: Gug, *, as_user: str = "alice", title: str = "Monthly meetup", **options: Any
) -> tuple[Reply, int | None]:
    """Run /meeting create; return the reply and the new meeting's id (None if refused)."""
    group = await group_for(gug)
    values: dict[str, Any] = {"when": when_in(), "kind": "mixed", **options}
    reply = await gug.sb.command(
        as_user, "meeting create", group=str(group.id), title=title, timeout=10, **values
    )
    async with gug.db.read() as session:
        meeting_id = await session.scalar(
            select(func.max(Meeting.id)).where(Meeting.title == title)
        )
    return reply, meeting_id if "Scheduled" in reply.text else None


async def announcement_of(gug: Gug, meeting_id: int) -> Message:
    """Return the meeting's announcement message in the sandbox."""
    meeting = await get_meeting(gug.db, meeting_id)
    assert meeting is not None and meeting.announcement_message_id is not None
    return gug.sb.message(meeting.announcement_message_id)


@contextlib.asynccontextmanager
async def write_lock_held(gug: Gug) -> AsyncIterator[None]:
    """Hold the SQLite database's write lock from another connection (BEGIN IMMEDIATE).

    The bot's writes wait ``database.busy_timeout`` and then fail until the block ends.
    A write of the bot's already under way is waited out on the event loop, which that
    write needs to finish: blocking the loop in SQLite's own busy wait would only time out.
    """
    path = make_url(gug.settings.database.url).database
    assert path, "an SQLite file database"
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        for _ in range(LOCK_ATTEMPTS):
            with contextlib.suppress(sqlite3.OperationalError):
                other.execute("BEGIN IMMEDIATE")
                break
            await asyncio.sleep(LOCK_PAUSE)
        else:
            raise TimeoutError("the bot's write did not end within 30 s")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()
