"""Reactions cleared by a moderator withdraw the answers they carried; re-posts keep them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db.engine import Database
from db.meetings import Counts, list_attendees, move_announcement, set_announcement
from db.models import RsvpStatus
from db.reaction_clearing import withdraw_all_answers, withdraw_answers_for
from db.rsvps import ReactionChange, apply_reactions, reconcile_rsvps, rsvp_status
from tests.factories import make_group, make_meeting

GOING, MAYBE, NOT_GOING, WAITLIST = (
    RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING, RsvpStatus.WAITLIST,
)


def now() -> datetime:
    return datetime.now(UTC)


async def _full_meeting(db: Database) -> int:
    """Capacity 2: 1 and 2 going, 3 and 4 waiting in that order, 5 maybe, 6 not going."""
    meeting = await make_meeting(db, await make_group(db), capacity=2)
    await apply_reactions(
        db, meeting.id,
        [ReactionChange(user, GOING, True) for user in (1, 2, 3, 4)]
        + [ReactionChange(5, MAYBE, True), ReactionChange(6, NOT_GOING, True, burst=True)],
        now=now(),
    )
    return meeting.id


async def test_all_reactions_cleared_withdraws_every_answer(db: Database) -> None:
    meeting_id = await _full_meeting(db)
    cleared = await withdraw_all_answers(db, meeting_id, now=now())
    assert cleared.applied
    assert cleared.withdrawn == [1, 2, 3, 4, 5, 6]
    assert cleared.promoted == []
    assert cleared.counts == Counts()
    attendees = await list_attendees(db, meeting_id)
    assert attendees.going == attendees.maybe == attendees.waitlist == attendees.not_going == []


async def test_going_emoji_cleared_withdraws_going_and_waitlist_only(db: Database) -> None:
    meeting_id = await _full_meeting(db)
    cleared = await withdraw_answers_for(db, meeting_id, GOING, now=now())
    assert sorted(cleared.withdrawn) == [1, 2, 3, 4]
    assert cleared.counts == Counts(going=0, maybe=1, waitlist=0, not_going=1)
    assert await rsvp_status(db, meeting_id, 5) == MAYBE


async def test_maybe_emoji_cleared_leaves_the_going_and_the_waitlist_in_order(
    db: Database,
) -> None:
    meeting_id = await _full_meeting(db)
    cleared = await withdraw_answers_for(db, meeting_id, MAYBE, now=now())
    assert cleared.withdrawn == [5]
    assert cleared.counts == Counts(going=2, maybe=0, waitlist=2, not_going=1)
    # The waitlist still moves in arrival order afterwards.
    outcome = await apply_reactions(db, meeting_id, [ReactionChange(1, GOING, False)], now=now())
    assert outcome.promoted == [3]
    assert (await list_attendees(db, meeting_id)).waitlist == [4]


async def test_clearing_an_emoji_withdraws_super_reactions_too(db: Database) -> None:
    meeting_id = await _full_meeting(db)
    cleared = await withdraw_answers_for(db, meeting_id, NOT_GOING, now=now())
    assert cleared.withdrawn == [6]
    assert await rsvp_status(db, meeting_id, 6) is None


async def test_clearing_reactions_of_a_cancelled_meeting_changes_nothing(db: Database) -> None:
    from db.meetings import cancel_meeting

    meeting_id = await _full_meeting(db)
    await cancel_meeting(db, meeting_id, None, now=now())
    cleared = await withdraw_all_answers(db, meeting_id, now=now())
    assert not cleared.applied
    assert (await list_attendees(db, meeting_id)).going == [1, 2]


async def test_clearing_a_status_that_is_no_answer_is_refused(db: Database) -> None:
    meeting_id = await _full_meeting(db)
    with pytest.raises(ValueError, match="not an answer"):
        await withdraw_answers_for(db, meeting_id, "cancelled", now=now())


async def test_reposting_the_announcement_keeps_every_answer(db: Database) -> None:
    meeting_id = await _full_meeting(db)
    await set_announcement(db, meeting_id, 10, 100)
    before = await list_attendees(db, meeting_id)
    # Deleted (the bot learns it is gone), then posted again with a new message id.
    await set_announcement(db, meeting_id, None, None)
    await set_announcement(db, meeting_id, 10, 200)
    assert await list_attendees(db, meeting_id) == before
    # Reacting again the same way on the new message changes nothing.
    outcome = await apply_reactions(db, meeting_id, [ReactionChange(3, GOING, True)], now=now())
    assert not outcome.changed
    assert (await list_attendees(db, meeting_id)).waitlist == [3, 4]


async def test_a_reconcile_after_a_repost_keeps_answers_until_their_person_reacts(
    db: Database,
) -> None:
    meeting_id = await _full_meeting(db)
    await set_announcement(db, meeting_id, 10, 100)
    await move_announcement(db, meeting_id, 10, 200)
    # On the new message only 5 switched to going and a newcomer 7 said maybe.
    outcome = await reconcile_rsvps(
        db, meeting_id, {GOING: [5], MAYBE: [7]}, burst={}, now=now()
    )
    attendees = await list_attendees(db, meeting_id)
    assert attendees.going == [1, 2] and attendees.waitlist == [3, 4, 5]
    assert attendees.maybe == [7] and attendees.not_going == [6]
    assert outcome.withdrawn == []
    # 5's answer is now held by a reaction on the new message: its absence withdraws it.
    await reconcile_rsvps(db, meeting_id, {MAYBE: [7]}, burst={}, now=now())
    assert (await list_attendees(db, meeting_id)).waitlist == [3, 4]
