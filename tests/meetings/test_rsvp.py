"""RSVP by reaction end to end: answers, waitlist, bursts, restarts and lost sessions."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from db.meetings import list_attendees
from db.rsvps import rsvp_status
from sandbox.permissions import Perm
from sandbox.world import Message
from tests.support.gug import Gug, GugFactory
from tests.support.meeting_steps import FAST_EDITS, announcement_of, create_meeting

GOING, MAYBE, NOT_GOING = "✅", "\u2754", "❌"


@pytest.fixture
async def fast(make_gug: GugFactory) -> Gug:
    """A bot whose announcement edits are coalesced over 0.3 s instead of 5 s."""
    return await make_gug(FAST_EDITS)


async def settle(gug: Gug) -> None:
    """Wait until every reaction sent so far is applied and followed up.

    A command travels the same websocket after the reactions, and discord.py hands
    events to listeners in order, so once it is answered every reaction is queued.
    """
    await gug.sb.command("erin", "about")
    await gug.bot.get_cog("Rsvp").idle()  # type: ignore[union-attr]


def rsvp_field(message: Message) -> str:
    """Return the RSVP counts field of an announcement as it now stands."""
    fields = message.embeds[0].get("fields") or []
    return next(f["value"] for f in fields if f["name"] == "RSVP")


async def counts_shown(gug: Gug, message: Message, expected: str, within: float = 5) -> None:
    """Wait until the announcement shows ``expected`` in its counts."""
    await gug.sb.wait_for(lambda: expected in rsvp_field(gug.sb.message(message)), within)


async def meeting_with_announcement(gug: Gug, **options: Any) -> tuple[int, Message]:
    _, meeting_id = await create_meeting(gug, **options)
    assert meeting_id is not None
    return meeting_id, await announcement_of(gug, meeting_id)


def ids(gug: Gug, *names: str) -> list[int]:
    return [gug.sb.user(name).id for name in names]


async def test_reactions_of_several_users_set_their_answers_and_the_counts(fast: Gug) -> None:
    sb = fast.sb
    meeting_id, message = await meeting_with_announcement(fast)
    await sb.react("bob", message, GOING)
    await sb.react("carol", message, MAYBE)
    await sb.react("dave", message, NOT_GOING)
    await sb.react("erin", message, GOING, burst=True)  # a super-reaction counts too
    await settle(fast)
    attendees = await list_attendees(fast.db, meeting_id)
    assert attendees.going == ids(fast, "bob", "erin")
    assert attendees.maybe == ids(fast, "carol") and attendees.not_going == ids(fast, "dave")
    await counts_shown(fast, message, "Going: 2 · ❔ Maybe: 1")


async def test_the_bots_own_reactions_do_not_count(fast: Gug) -> None:
    meeting_id, _ = await meeting_with_announcement(fast)
    await settle(fast)
    assert await list_attendees(fast.db, meeting_id) == await list_attendees(fast.db, -1)


async def test_a_new_reaction_replaces_the_old_and_the_bot_removes_it(fast: Gug) -> None:
    sb = fast.sb
    sb.grant_permission(Perm.MANAGE_MESSAGES)
    meeting_id, message = await meeting_with_announcement(fast)
    bob = sb.user("bob").id
    await sb.react("bob", message, GOING)
    await settle(fast)
    await sb.react("bob", message, MAYBE)
    await sb.wait_for(lambda: bob not in sb.reactions(message)[GOING]["normal"])
    await settle(fast)
    assert await rsvp_status(fast.db, meeting_id, bob) == "maybe"
    assert bob in sb.reactions(message)[MAYBE]["normal"]


async def test_without_manage_messages_the_old_reaction_stays_but_does_not_count(
    fast: Gug,
) -> None:
    sb = fast.sb
    sb.remove_permission(Perm.MANAGE_MESSAGES)
    meeting_id, message = await meeting_with_announcement(fast)
    bob = sb.user("bob").id
    await sb.react("bob", message, GOING)
    await sb.react("bob", message, NOT_GOING)
    await settle(fast)
    assert await rsvp_status(fast.db, meeting_id, bob) == "not_going"
    assert bob in sb.reactions(message)[GOING]["normal"]
    assert not [c for c in sb.calls_to("DELETE", "/reactions/") if str(bob) in c.path]
    await counts_shown(fast, message, "Going: 0")


async def test_removing_your_reaction_removes_your_answer(fast: Gug) -> None:
    sb = fast.sb
    meeting_id, message = await meeting_with_announcement(fast)
    await sb.react("bob", message, GOING)
    await settle(fast)
    await sb.unreact("bob", message, GOING)
    await settle(fast)
    assert await rsvp_status(fast.db, meeting_id, sb.user("bob").id) is None
    await counts_shown(fast, message, "Going: 0")


async def test_waitlisted_people_are_told_their_place_and_promoted_when_a_place_frees(
    fast: Gug,
) -> None:
    sb = fast.sb
    meeting_id, message = await meeting_with_announcement(fast, capacity=1)
    sb.set_dms("dave", open=False)
    for name in ("bob", "carol", "dave"):
        await sb.react(name, message, GOING)
        await settle(fast)
    assert any("number 1 on the waitlist" in m.content for m in sb.dms("carol"))
    mentions = [m for m in sb.messages("general") if "number 2 on the waitlist" in m.content]
    assert mentions and mentions[0].pinged == {sb.user("dave").id}
    await counts_shown(fast, message, "Going: 1/1")
    await sb.unreact("bob", message, GOING)
    await settle(fast)
    attendees = await list_attendees(fast.db, meeting_id)
    assert attendees.going == ids(fast, "carol") and attendees.waitlist == ids(fast, "dave")
    assert any("A place opened up" in m.content for m in sb.dms("carol"))
    await counts_shown(fast, message, "Waitlist: 1")


async def test_burst_of_200_on_capacity_50_fills_in_arrival_order_with_coalesced_edits(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug({"meetings.announcement_edit_interval": timedelta(seconds=1)})
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug, capacity=50)
    people = sb.world.add_users(sb.world.guild, 200)
    # Shuffle ids against arrival so the order checked is arrival, not id order.
    people = people[1::2] + people[0::2]
    flipper = people[7]
    edits_before = len(sb.calls_to("PATCH", f"/messages/{message.id}"))
    reactions: list[tuple[Any, Any, str]] = [(user, message, GOING) for user in people]
    started = asyncio.get_running_loop().time()
    await sb.react_burst(reactions)
    # The same moment, one user flips ✅/❌ rapidly, ending on ❌.
    for _ in range(5):
        await sb.unreact(flipper, message, GOING)
        await sb.react(flipper, message, NOT_GOING)
        await sb.unreact(flipper, message, NOT_GOING)
        await sb.react(flipper, message, GOING)
    await sb.unreact(flipper, message, GOING)
    await sb.react(flipper, message, NOT_GOING)
    await sb.wait_for(lambda: rsvp_status(gug.db, meeting_id, flipper.id), timeout=10)
    await settle(gug)
    attendees = await list_attendees(gug.db, meeting_id)
    others = [user.id for user in people if user is not flipper]
    assert attendees.going == others[:50]
    assert attendees.waitlist == others[50:]
    assert attendees.not_going == [flipper.id]
    assert len(set(attendees.going + attendees.waitlist)) == 199
    await counts_shown(gug, message, "Going: 50/50", within=5)
    await counts_shown(gug, message, "Waitlist: 149", within=5)
    elapsed = asyncio.get_running_loop().time() - started
    edits = len(sb.calls_to("PATCH", f"/messages/{message.id}")) - edits_before
    assert 1 <= edits <= elapsed / 1.0 + 2
    assert fast_enough(gug)


def fast_enough(gug: Gug) -> bool:
    """The burst went through the writer in a handful of transactions."""
    writers = gug.bot.get_cog("Rsvp").writers  # type: ignore[union-attr]
    return writers.batches < 60


async def test_answers_given_and_withdrawn_while_down_are_reconciled_at_start(
    fast: Gug,
) -> None:
    sb = fast.sb
    meeting_id, message = await meeting_with_announcement(fast, capacity=110)
    await sb.react("bob", message, GOING)
    await sb.react("carol", message, MAYBE)
    await settle(fast)
    crowd = sb.world.add_users(sb.world.guild, 150)

    async def while_down() -> None:
        await sb.unreact("bob", message, GOING)  # withdrawn while offline
        await sb.react("dave", message, MAYBE, burst=True)  # a super-reaction
        await sb.react_burst([(user, message, GOING) for user in crowd])  # > one page

    await fast.restart(while_down)
    await sb.wait_for(lambda: rsvp_status(fast.db, meeting_id, sb.user("dave").id), timeout=10)
    await settle(fast)
    attendees = await list_attendees(fast.db, meeting_id)
    assert sb.user("bob").id not in attendees.going
    assert set(attendees.maybe) == set(ids(fast, "carol", "dave"))
    assert len(attendees.going) == 110 and len(attendees.waitlist) == 40
    assert set(attendees.going + attendees.waitlist) == {user.id for user in crowd}
    await counts_shown(fast, message, "Going: 110/110")


async def test_a_lost_gateway_session_mid_burst_is_reconciled_on_the_next_ready(
    fast: Gug,
) -> None:
    sb = fast.sb
    meeting_id, message = await meeting_with_announcement(fast)
    crowd = sb.world.add_users(sb.world.guild, 60)
    await sb.react_burst([(user, message, GOING) for user in crowd[:30]])
    await sb.drop_gateway(resumable=False)
    await sb.react_burst([(user, message, GOING) for user in crowd[30:]])  # lost events

    async def all_counted() -> bool:
        return len((await list_attendees(fast.db, meeting_id)).going) == 60

    await sb.wait_for(all_counted, timeout=20)
    await counts_shown(fast, message, "Going: 60")


async def test_reactions_on_other_messages_are_ignored(fast: Gug) -> None:
    sb = fast.sb
    meeting_id, _ = await meeting_with_announcement(fast)
    other = await sb.say("bob", "general", "hello")
    await sb.react("carol", other, GOING)
    await settle(fast)
    assert (await list_attendees(fast.db, meeting_id)).going == []
