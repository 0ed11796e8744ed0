"""Bounds on what one group or member may pile up, and lookups that never overflow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.errors import InvalidInput, NotFound
from db.engine import Database
from db.group_lookup import resolve_group
from db.meeting_lookup import resolve_meeting
from db.meetings import UPCOMING_MEETINGS_LIMIT
from db.models import Meeting, Talk
from db.talks import PENDING_TALKS_LIMIT, propose_talk, resolve_talk
from tests.factories import GUILD_ID, make_group, make_meeting

FORGED = ["²", "99999999999999999999", "9223372036854775808", "١"]


def now() -> datetime:
    return datetime.now(UTC)


async def test_a_group_has_at_most_50_upcoming_meetings(db: Database) -> None:
    group = await make_group(db)
    for day in range(UPCOMING_MEETINGS_LIMIT):
        await make_meeting(db, group, title=f"M{day}", starts_in=timedelta(days=day + 1))
    with pytest.raises(InvalidInput, match="upcoming meetings"):
        await make_meeting(db, group, title="One too many")
    async with db.read() as session:
        assert await session.scalar(select(func.count(Meeting.id))) == UPCOMING_MEETINGS_LIMIT


async def test_a_member_has_at_most_5_talks_waiting(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    for i in range(PENDING_TALKS_LIMIT):
        await propose_talk(db, meeting.id, 5, f"Talk {i}", "", now=now())
    with pytest.raises(InvalidInput, match="talks waiting"):
        await propose_talk(db, meeting.id, 5, "Sixth", "", now=now())
    # Someone else is not held back by that member.
    await propose_talk(db, meeting.id, 6, "Sixth", "", now=now())


async def test_a_retried_proposal_does_not_duplicate_the_talk(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    first = await propose_talk(db, meeting.id, 5, "Async SQLAlchemy", "", now=now())
    again = await propose_talk(db, meeting.id, 5, "Async SQLAlchemy", "", now=now())
    assert again.id == first.id
    async with db.read() as session:
        assert await session.scalar(select(func.count(Talk.id))) == 1


@pytest.mark.parametrize("typed", FORGED)
async def test_forged_ids_are_not_found_rather_than_errors(db: Database, typed: str) -> None:
    group = await make_group(db)
    await make_meeting(db, group)
    with pytest.raises(NotFound):
        await resolve_group(db, GUILD_ID, typed)
    with pytest.raises(NotFound):
        await resolve_meeting(db, GUILD_ID, typed, now=now())
    assert await resolve_talk(db, GUILD_ID, typed) is None
