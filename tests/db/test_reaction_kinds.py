"""A normal and a super reaction of one emoji are one answer until both are gone."""

from __future__ import annotations

from datetime import UTC, datetime

from db.engine import Database
from db.models import RsvpStatus
from db.rsvps import ReactionChange, apply_reactions, reconcile_rsvps, rsvp_status
from tests.factories import make_group, make_meeting

GOING, MAYBE = RsvpStatus.GOING, RsvpStatus.MAYBE


def now() -> datetime:
    return datetime.now(UTC)


async def test_removing_the_super_reaction_keeps_the_answer_while_the_normal_one_stays(
    db: Database,
) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await apply_reactions(
        db, meeting.id,
        [ReactionChange(7, GOING, True), ReactionChange(7, GOING, True, burst=True)], now=now(),
    )
    await apply_reactions(db, meeting.id, [ReactionChange(7, GOING, False, burst=True)], now=now())
    assert await rsvp_status(db, meeting.id, 7) == GOING
    await apply_reactions(db, meeting.id, [ReactionChange(7, GOING, False)], now=now())
    assert await rsvp_status(db, meeting.id, 7) is None


async def test_removing_the_normal_reaction_keeps_the_answer_while_the_super_one_stays(
    db: Database,
) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await apply_reactions(
        db, meeting.id,
        [ReactionChange(7, MAYBE, True, burst=True), ReactionChange(7, MAYBE, True)], now=now(),
    )
    await apply_reactions(db, meeting.id, [ReactionChange(7, MAYBE, False)], now=now())
    assert await rsvp_status(db, meeting.id, 7) == MAYBE
    await apply_reactions(db, meeting.id, [ReactionChange(7, MAYBE, False, burst=True)], now=now())
    assert await rsvp_status(db, meeting.id, 7) is None


async def test_a_super_reaction_alone_is_withdrawn_by_its_removal(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await apply_reactions(db, meeting.id, [ReactionChange(7, GOING, True, burst=True)], now=now())
    await apply_reactions(db, meeting.id, [ReactionChange(7, GOING, False, burst=True)], now=now())
    assert await rsvp_status(db, meeting.id, 7) is None


async def test_reconcile_with_kinds_keeps_an_answer_held_by_both_until_both_go(
    db: Database,
) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await reconcile_rsvps(db, meeting.id, {GOING: {7}}, burst={GOING: {7}}, now=now())
    await apply_reactions(db, meeting.id, [ReactionChange(7, GOING, False)], now=now())
    assert await rsvp_status(db, meeting.id, 7) == GOING
    await apply_reactions(db, meeting.id, [ReactionChange(7, GOING, False, burst=True)], now=now())
    assert await rsvp_status(db, meeting.id, 7) is None


async def test_an_answer_of_unknown_kind_is_withdrawn_by_the_first_removal(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    # Without kinds (as before they were tracked), the old rule holds.
    await reconcile_rsvps(db, meeting.id, {GOING: {7}}, now=now())
    await apply_reactions(db, meeting.id, [ReactionChange(7, GOING, False, burst=True)], now=now())
    assert await rsvp_status(db, meeting.id, 7) is None
