"""Recaps: written by organizers once the meeting started; writing again edits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import InvalidInput, NotAllowed
from db.attendance import check_in
from db.engine import Database
from db.groups import Actor
from db.recaps import save_recap, set_highlights_channel, set_recap_messages
from tests.factories import GUILD_ID, NOW, make_group, seed_meeting

STARTS = NOW + timedelta(days=1)
ORGANIZER = 10


async def test_a_recap_waits_for_the_meeting_and_for_an_organizer(db: Database) -> None:
    group = await make_group(db, organizer_ids=[ORGANIZER])
    meeting_id = await seed_meeting(db, group.id, STARTS, [], NOW)
    with pytest.raises(InvalidInput):
        await save_recap(
            db, meeting_id=meeting_id, notes="n", links=[], by=Actor(ORGANIZER), now=NOW
        )
    with pytest.raises(NotAllowed):
        await save_recap(db, meeting_id=meeting_id, notes="n", links=[], by=Actor(99), now=STARTS)


async def test_running_again_edits_the_recap_and_keeps_where_it_was_posted(db: Database) -> None:
    await set_highlights_channel(db, GUILD_ID, 555)
    group = await make_group(db, organizer_ids=[ORGANIZER], channel_id=444)
    meeting_id = await seed_meeting(db, group.id, STARTS, [], NOW, going=[1, 2])
    await check_in(db, meeting_id=meeting_id, user_id=1, now=STARTS)
    first = await save_recap(
        db,
        meeting_id=meeting_id,
        notes="Great talks",
        links=["https://slides.example/1", " "],
        by=Actor(ORGANIZER),
        now=STARTS + timedelta(hours=3),
    )
    assert not first.edited
    assert (first.going, first.checked_in, first.links) == (2, 1, ("https://slides.example/1",))
    assert (first.group_channel_id, first.highlights_channel_id) == (444, 555)
    await set_recap_messages(db, meeting_id, group_message_id=7, highlights_message_id=8)
    await set_highlights_channel(db, GUILD_ID, 666)
    second = await save_recap(
        db,
        meeting_id=meeting_id,
        notes="Great talks, and pizza",
        links=[],
        by=Actor(ORGANIZER),
        now=STARTS + timedelta(days=1),
    )
    assert second.edited
    assert second.notes == "Great talks, and pizza"
    assert (second.group_message_id, second.highlights_message_id) == (7, 8)
    # The posted highlight is edited where it is, not moved to the new channel.
    assert second.highlights_channel_id == 555
