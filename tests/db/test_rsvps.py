"""RSVP rules: one answer each, capacity, waitlist order, promotion, reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from db.engine import Database
from db.meetings import cancel_meeting, list_attendees
from db.models import RsvpStatus
from db.rsvps import ReactionChange, apply_reactions, reconcile_rsvps, rsvp_status, set_rsvp
from tests.factories import make_group, make_meeting

GOING, MAYBE, NOT_GOING, WAITLIST = (
    RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING, RsvpStatus.WAITLIST,
)


def now() -> datetime:
    return datetime.now(UTC)


def add(user: int, answer: str) -> ReactionChange:
    return ReactionChange(user, answer, True)


def remove(user: int, answer: str) -> ReactionChange:
    return ReactionChange(user, answer, False)


async def test_going_reaction_records_going(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    outcome = await set_rsvp(db, meeting.id, 7, GOING, now=now())
    assert outcome.applied and outcome.changed
    assert await rsvp_status(db, meeting.id, 7) == GOING


async def test_new_reaction_replaces_the_old_answer_and_reports_it(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await set_rsvp(db, meeting.id, 7, GOING, now=now())
    outcome = await set_rsvp(db, meeting.id, 7, NOT_GOING, now=now())
    assert outcome.replaced == [(7, GOING)]
    assert await rsvp_status(db, meeting.id, 7) == NOT_GOING


async def test_removing_the_replaced_reaction_keeps_the_new_answer(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await apply_reactions(
        db, meeting.id, [add(7, GOING), add(7, MAYBE), remove(7, GOING)], now=now()
    )
    assert await rsvp_status(db, meeting.id, 7) == MAYBE


async def test_removing_your_reaction_removes_your_answer(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await set_rsvp(db, meeting.id, 7, MAYBE, now=now())
    await apply_reactions(db, meeting.id, [remove(7, MAYBE)], now=now())
    assert await rsvp_status(db, meeting.id, 7) is None


async def test_second_going_reaction_goes_to_waitlist_when_full(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await set_rsvp(db, meeting.id, 1, GOING, now=now())
    outcome = await set_rsvp(db, meeting.id, 2, GOING, now=now())
    assert outcome.waitlisted == {2: 1}
    assert await rsvp_status(db, meeting.id, 2) == WAITLIST


async def test_waitlist_keeps_arrival_order_within_one_batch(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=2)
    users = [50, 10, 40, 20, 30]
    outcome = await apply_reactions(db, meeting.id, [add(u, GOING) for u in users], now=now())
    attendees = await list_attendees(db, meeting.id)
    assert attendees.going == [50, 10]
    assert attendees.waitlist == [40, 20, 30]
    assert outcome.waitlisted == {40: 1, 20: 2, 30: 3}


async def test_first_on_the_waitlist_is_promoted_when_someone_going_drops(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await apply_reactions(db, meeting.id, [add(1, GOING), add(2, GOING), add(3, GOING)], now=now())
    outcome = await apply_reactions(db, meeting.id, [remove(1, GOING)], now=now())
    assert outcome.promoted == [2]
    attendees = await list_attendees(db, meeting.id)
    assert attendees.going == [2] and attendees.waitlist == [3]


async def test_switching_from_going_to_maybe_promotes_the_next_in_line(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await apply_reactions(db, meeting.id, [add(1, GOING), add(2, GOING)], now=now())
    outcome = await set_rsvp(db, meeting.id, 1, MAYBE, now=now())
    assert outcome.promoted == [2]
    assert await rsvp_status(db, meeting.id, 1) == MAYBE


async def test_leaving_the_waitlist_promotes_no_one(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await apply_reactions(db, meeting.id, [add(1, GOING), add(2, GOING), add(3, GOING)], now=now())
    outcome = await apply_reactions(db, meeting.id, [remove(2, GOING)], now=now())
    assert outcome.promoted == []
    assert (await list_attendees(db, meeting.id)).waitlist == [3]


async def test_a_repeated_reaction_changes_nothing(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await apply_reactions(db, meeting.id, [add(1, GOING), add(2, GOING)], now=now())
    outcome = await apply_reactions(db, meeting.id, [add(2, GOING), add(1, GOING)], now=now())
    assert not outcome.changed
    assert (await list_attendees(db, meeting.id)).waitlist == [2]


async def test_200_going_on_capacity_50_gives_50_going_and_150_waitlisted_in_order(
    db: Database,
) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=50)
    users = list(range(1000, 1200))
    for start in range(0, 200, 37):  # several batches, as the writer would send them
        await apply_reactions(
            db, meeting.id, [add(u, GOING) for u in users[start : start + 37]], now=now()
        )
    attendees = await list_attendees(db, meeting.id)
    assert attendees.going == users[:50]
    assert attendees.waitlist == users[50:]


async def test_flipping_rapidly_leaves_the_last_reaction(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=50)
    changes = []
    for i in range(40):
        answer = GOING if i % 2 == 0 else NOT_GOING
        other = NOT_GOING if answer == GOING else GOING
        changes += [add(9, answer), remove(9, other)]
    await apply_reactions(db, meeting.id, changes[:30], now=now())
    await apply_reactions(db, meeting.id, changes[30:], now=now())
    assert await rsvp_status(db, meeting.id, 9) == NOT_GOING


async def test_reactions_on_a_cancelled_meeting_are_ignored(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await cancel_meeting(db, meeting.id, None, now=now())
    outcome = await set_rsvp(db, meeting.id, 7, GOING, now=now())
    assert not outcome.applied
    assert await rsvp_status(db, meeting.id, 7) is None


async def test_reactions_on_a_meeting_that_started_are_ignored(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), starts_in=timedelta(hours=1))
    outcome = await set_rsvp(db, meeting.id, 7, GOING, now=now() + timedelta(hours=2))
    assert not outcome.applied


async def test_reconcile_adds_answers_given_while_offline(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=2)
    await set_rsvp(db, meeting.id, 1, GOING, now=now())
    outcome = await reconcile_rsvps(
        db, meeting.id, {GOING: [1, 2, 3], MAYBE: [4], NOT_GOING: []}, now=now()
    )
    attendees = await list_attendees(db, meeting.id)
    assert attendees.going == [1, 2] and attendees.waitlist == [3] and attendees.maybe == [4]
    assert outcome.waitlisted == {3: 1}


async def test_reconcile_removes_answers_withdrawn_while_offline_and_promotes(
    db: Database,
) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await apply_reactions(db, meeting.id, [add(1, GOING), add(2, GOING), add(5, MAYBE)], now=now())
    outcome = await reconcile_rsvps(db, meeting.id, {GOING: [2]}, now=now())
    attendees = await list_attendees(db, meeting.id)
    assert attendees.going == [2] and attendees.maybe == []
    assert outcome.promoted == [2]


async def test_reconcile_keeps_the_recorded_answer_among_several_reactions(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await set_rsvp(db, meeting.id, 1, MAYBE, now=now())
    outcome = await reconcile_rsvps(db, meeting.id, {GOING: [1], MAYBE: [1]}, now=now())
    assert await rsvp_status(db, meeting.id, 1) == MAYBE
    assert outcome.replaced == [(1, GOING)]


async def test_reconcile_with_nothing_changed_changes_nothing(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await apply_reactions(db, meeting.id, [add(1, GOING), add(2, GOING)], now=now())
    outcome = await reconcile_rsvps(db, meeting.id, {GOING: [1, 2]}, now=now())
    assert not outcome.changed
    assert (await list_attendees(db, meeting.id)).waitlist == [2]
