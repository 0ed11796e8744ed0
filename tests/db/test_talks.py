"""Talk rules: propose, accept, decline; the agenda shows accepted talks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.errors import InvalidInput
from db.engine import Database
from db.meetings import cancel_meeting, meeting_view
from db.models import TalkStatus
from db.talks import decide_talk, propose_talk, talk_choices
from tests.factories import GUILD_ID, make_group, make_meeting


def now() -> datetime:
    return datetime.now(UTC)


async def test_accepted_talk_appears_in_the_agenda(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    talk = await propose_talk(db, meeting.id, 5, "Async SQLAlchemy", "", now=now())
    declined = await propose_talk(db, meeting.id, 6, "Other", "", now=now())
    decision = await decide_talk(db, talk.id, accept=True, decided_by=1, now=now())
    await decide_talk(db, declined.id, accept=False, decided_by=1, now=now())
    assert decision.talk.status == TalkStatus.ACCEPTED
    view = await meeting_view(db, meeting.id)
    assert view is not None
    assert [(a.title, a.speaker_id) for a in view.agenda] == [("Async SQLAlchemy", 5)]


async def test_a_decided_talk_cannot_be_decided_again(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    talk = await propose_talk(db, meeting.id, 5, "T", "", now=now())
    await decide_talk(db, talk.id, accept=False, decided_by=1, now=now())
    with pytest.raises(InvalidInput, match="already accepted or declined"):
        await decide_talk(db, talk.id, accept=True, decided_by=1, now=now())


async def test_no_talk_for_a_cancelled_meeting(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await cancel_meeting(db, meeting.id, None, now=now())
    with pytest.raises(InvalidInput):
        await propose_talk(db, meeting.id, 5, "T", "", now=now())


async def test_talk_choices_only_show_talks_of_groups_you_organize(db: Database) -> None:
    mine = await make_meeting(db, await make_group(db, organizer_ids=[1]))
    theirs = await make_meeting(db, await make_group(db, name="GUG Lima", organizer_ids=[2]))
    await propose_talk(db, mine.id, 5, "Mine", "", now=now())
    await propose_talk(db, theirs.id, 5, "Theirs", "", now=now())
    choices = await talk_choices(db, GUILD_ID, "", now=now(), organizer_id=1)
    assert [label.split(" — ")[0] for _, label in choices] == ["Mine"]
