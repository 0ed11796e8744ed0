"""Archiving cancels a group's upcoming meetings; restoring makes the group active again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import InvalidInput, NotAllowed
from db.engine import Database
from db.groups import Actor, archive_group, restore_group
from db.lifecycle import meetings_cancelled_by_archive
from db.meetings import cancel_meeting, get_meeting
from db.models import GroupStatus, Meeting, MeetingStatus, ReminderStatus
from db.rsvps import ReactionChange, apply_reactions, rsvp_status
from tests.factories import make_group, make_meeting, reminders_of

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GUILD = 1_000_000_000_000_001
COORDINATOR = Actor(user_id=1, is_coordinator=True)
ORGANIZER = Actor(user_id=5)


async def test_archive_cancels_upcoming_meetings_and_restore_reactivates_the_group(
    db: Database,
) -> None:
    group = await make_group(db, channel_id=900, organizer_ids=[5])
    upcoming = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=7))
    later = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=14), title="Later")
    already = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=3), title="Off")
    await cancel_meeting(db, already.id, "rain", now=NOW)
    await apply_reactions(
        db, upcoming.id,
        [ReactionChange(7, "going", True), ReactionChange(8, "maybe", True),
         ReactionChange(9, "not_going", True)],
        now=NOW,
    )
    archived_at = NOW + timedelta(hours=1)
    await archive_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason="quiet", now=archived_at
    )

    cancelled = await meetings_cancelled_by_archive(db, group.id)
    assert [item.meeting.id for item in cancelled] == [upcoming.id, later.id]
    assert cancelled[0].notify == [7, 8]
    assert cancelled[0].meeting.cancel_reason == "quiet"
    meeting = await get_meeting(db, upcoming.id)
    assert meeting is not None and meeting.status == MeetingStatus.CANCELLED
    assert {r.status for r in await reminders_of(db, upcoming.id)} == {ReminderStatus.CANCELLED}
    # RSVPs are closed.
    outcome = await apply_reactions(
        db, upcoming.id, [ReactionChange(10, "going", True)], now=archived_at
    )
    assert not outcome.applied
    assert await rsvp_status(db, upcoming.id, 10) is None

    restored = await restore_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=archived_at
    )
    assert restored.status == GroupStatus.ACTIVE
    assert await meetings_cancelled_by_archive(db, group.id) == []


async def test_a_meeting_an_archive_missed_takes_no_answers(db: Database) -> None:
    group = await make_group(db, status="archived", organizer_ids=[5])
    async with db.transaction() as session:
        meeting = Meeting(
            group_id=group.id, guild_id=GUILD, title="Stray", starts_at=NOW + timedelta(days=2),
            created_by=5,
        )
        session.add(meeting)
    outcome = await apply_reactions(db, meeting.id, [ReactionChange(7, "going", True)], now=NOW)
    assert not outcome.applied


async def test_only_a_coordinator_restores_and_only_an_archived_group(db: Database) -> None:
    group = await make_group(db, organizer_ids=[5])
    with pytest.raises(InvalidInput, match="not archived"):
        await restore_group(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW)
    await archive_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason=None, now=NOW
    )
    with pytest.raises(NotAllowed, match="coordinator"):
        await restore_group(db, guild_id=GUILD, group_id=group.id, actor=ORGANIZER, now=NOW)
