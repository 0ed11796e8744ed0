"""RSVPs over a long life: a locked database, lost shard sessions, cleared reactions,
re-posted announcements and a member changing their mind while the bot tidies up."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import cast

import pytest

from cogs.meetings._rsvp import Rsvp
from cogs.meetings._rsvp_writer import Retry
from db.meetings import list_attendees
from db.rsvps import rsvp_status
from sandbox.world import Message
from tests.meetings.test_rsvp import (
    FAST_EDITS,
    GOING,
    MAYBE,
    NOT_GOING,
    counts_shown,
    ids,
    meeting_with_announcement,
    settle,
)
from tests.support.gug import Gug, GugFactory
from tests.support.meeting_steps import announcement_of, create_meeting, write_lock_held

SHORT_BUSY_TIMEOUT = {**FAST_EDITS, "database.busy_timeout": timedelta(milliseconds=100)}


def rsvp_cog(gug: Gug) -> Rsvp:
    # Extensions are loaded afresh per bot, so the class is not this module's Rsvp.
    return cast(Rsvp, gug.bot.get_cog("Rsvp"))


async def test_answers_given_while_the_database_is_locked_are_all_recorded_in_arrival_order(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug(SHORT_BUSY_TIMEOUT)
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug, capacity=50)
    crowd = sb.world.add_users(sb.world.guild, 100)
    crowd = crowd[1::2] + crowd[0::2]  # arrival order is not id order
    writers = rsvp_cog(gug).writers
    async with write_lock_held(gug):
        await sb.react_burst([(user, message, GOING) for user in crowd])
        # Several attempts failed, each after waiting out the busy timeout.
        await sb.wait_for(lambda: writers.retries >= 4, timeout=10)
        assert (await list_attendees(gug.db, meeting_id)).going == []
    await settle(gug)
    attendees = await list_attendees(gug.db, meeting_id)
    assert attendees.going == [user.id for user in crowd[:50]]
    assert attendees.waitlist == [user.id for user in crowd[50:]]
    await counts_shown(gug, message, "Going: 50/50")


async def test_one_shards_lost_session_reconciles_that_shards_announcements(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug({**FAST_EDITS, "discord.shard_count": 2})
    sb = gug.sb
    shard = (sb.world.guild.id >> 22) % 2
    await sb.wait_ready(shard=1 - shard)
    meeting_id, message = await meeting_with_announcement(gug)
    crowd = sb.world.add_users(sb.world.guild, 60)
    listings = len(sb.calls_to("GET", f"/messages/{message.id}/reactions"))
    await sb.react_burst([(user, message, GOING) for user in crowd[:30]])
    await sb.drop_gateway(resumable=False, shard=shard)
    await sb.react_burst([(user, message, GOING) for user in crowd[30:]])  # lost events

    async def all_counted() -> bool:
        return len((await list_attendees(gug.db, meeting_id)).going) == 60

    await sb.wait_for(all_counted, timeout=20)
    await counts_shown(gug, message, "Going: 60")
    # The new session of that shard alone re-read the announcement; the other kept its own.
    assert len(sb.calls_to("GET", f"/messages/{message.id}/reactions")) > listings
    sessions = [session.shard_id for session in sb.gateway.sessions.values()]
    assert sessions.count(shard) == 2 and sessions.count(1 - shard) == 1


async def test_reactions_cleared_per_emoji_then_all_withdraw_the_answers(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug(FAST_EDITS)
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug, capacity=1)
    await sb.react("bob", message, GOING)
    await sb.react("carol", message, GOING)
    await sb.react("dave", message, MAYBE)
    await sb.react("erin", message, NOT_GOING, burst=True)
    await settle(gug)
    await sb.clear_reactions(message, MAYBE)
    await settle(gug)
    attendees = await list_attendees(gug.db, meeting_id)
    assert attendees.maybe == []
    assert attendees.going == ids(gug, "bob") and attendees.waitlist == ids(gug, "carol")
    assert attendees.not_going == ids(gug, "erin")
    await counts_shown(gug, message, "❔ Maybe: 0")
    await sb.clear_reactions(message)
    await settle(gug)
    attendees = await list_attendees(gug.db, meeting_id)
    assert attendees.going == attendees.waitlist == attendees.not_going == []
    await counts_shown(gug, message, "Going: 0/1 · ❔ Maybe: 0 · Waitlist: 0")


async def test_a_deleted_announcement_posted_again_keeps_every_answer(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug(FAST_EDITS)
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug)
    await sb.react("bob", message, GOING)
    await sb.react("carol", message, MAYBE)
    await settle(gug)
    sb.delete_message(message)
    reply = await sb.command("alice", "meeting announce", meeting=str(meeting_id))
    assert "Announced **Monthly meetup** again" in reply.text
    posted = await announcement_of(gug, meeting_id)
    assert posted.id != message.id and not posted.deleted
    assert set(sb.reactions(posted)) == {GOING, MAYBE, NOT_GOING}  # the bot's own
    assert "Going: 1 · ❔ Maybe: 1" in posted.embeds[0]["fields"][-1]["value"]
    await sb.react("carol", posted, NOT_GOING)  # carol answers otherwise on the new one
    await sb.react("dave", posted, GOING)
    await settle(gug)
    # A new session reconciles: only reactions on the new message change answers.
    listings = len(sb.calls_to("GET", f"/messages/{posted.id}/reactions"))
    await sb.drop_gateway(resumable=False)
    await sb.wait_for(
        lambda: len(sb.calls_to("GET", f"/messages/{posted.id}/reactions")) >= listings + 6,
        timeout=20,
    )
    await settle(gug)
    attendees = await list_attendees(gug.db, meeting_id)
    assert attendees.going == ids(gug, "bob", "dave")
    assert attendees.maybe == [] and attendees.not_going == ids(gug, "carol")
    # Bob reacts on the new message and takes it back: now his answer goes.
    await sb.react("bob", posted, GOING)
    await sb.unreact("bob", posted, GOING)
    await settle(gug)
    assert await rsvp_status(gug.db, meeting_id, sb.user("bob").id) is None


async def test_announcing_again_deletes_the_live_announcement_and_answers_stand(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug(FAST_EDITS)
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug)
    await sb.react("bob", message, GOING)
    await settle(gug)
    refused = await sb.command("bob", "meeting announce", meeting=str(meeting_id))
    assert "organizers" in refused.text
    await sb.command("alice", "meeting announce", meeting=str(meeting_id))
    posted = await announcement_of(gug, meeting_id)
    assert sb.message(message).deleted and not posted.deleted
    await sb.react("carol", posted, GOING)
    await settle(gug)
    assert (await list_attendees(gug.db, meeting_id)).going == ids(gug, "bob", "carol")


async def test_a_member_going_back_before_the_bot_removes_the_old_reaction_keeps_it(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug(SHORT_BUSY_TIMEOUT)
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug)
    await sb.react("bob", message, GOING)
    await sb.react("carol", message, GOING)
    await settle(gug)
    writers = rsvp_cog(gug).writers
    # Carol's and Bob's changes of mind land in one batch, so the bot removes their
    # old ✅ one after the other; Carol's removal is slow.
    slow = sb.faults.slow("DELETE", "/channels/*/messages/*/reactions/*/*", delay=0.8)
    async with write_lock_held(gug):
        await sb.react("erin", message, NOT_GOING)
        await sb.wait_for(lambda: writers.retries >= 1, timeout=10)
        await sb.react("carol", message, MAYBE)
        await sb.react("bob", message, MAYBE)
    await sb.wait_for(lambda: slow.times == 0, timeout=10)  # Carol's removal under way
    await sb.unreact("bob", message, MAYBE)  # Bob goes back to the ✅ still there
    await settle(gug)
    attendees = await list_attendees(gug.db, meeting_id)
    assert attendees.going == ids(gug, "bob")
    assert attendees.maybe == ids(gug, "carol")
    reactions = sb.reactions(message)
    assert sb.user("bob").id in reactions[GOING]["normal"]
    assert sb.user("carol").id not in reactions[GOING]["normal"]


async def test_a_normal_and_a_super_reaction_are_one_answer_until_both_are_gone(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug(FAST_EDITS)
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug)
    await sb.react("erin", message, GOING)
    await sb.react("erin", message, GOING, burst=True)
    await sb.unreact("erin", message, GOING, burst=True)
    await settle(gug)
    assert await rsvp_status(gug.db, meeting_id, sb.user("erin").id) == "going"
    await sb.unreact("erin", message, GOING, burst=False)
    await settle(gug)
    assert await rsvp_status(gug.db, meeting_id, sb.user("erin").id) is None


async def test_reactions_before_the_announcement_is_saved_count(make_gug: GugFactory) -> None:
    gug = await make_gug(FAST_EDITS)
    sb = gug.sb
    await create_meeting(gug, title="Warm-up")  # the group exists; the gazetteer is warm
    writers = rsvp_cog(gug).writers
    before = {message.id for message in sb.messages("general")}

    def posted() -> list[Message]:
        return [m for m in sb.messages("general") if m.id not in before and m.embeds]

    slow = sb.faults.slow("POST", "/channels/*/messages", delay=0.5)
    creating = asyncio.create_task(create_meeting(gug))
    await sb.wait_for(lambda: slow.times == 0, timeout=10)  # the meeting row is written
    async with write_lock_held(gug):  # ... and now the announcement cannot be saved
        await sb.wait_for(posted, timeout=10)
        message = posted()[0]
        await sb.react("bob", message, GOING)
        await sb.wait_for(lambda: writers.pending(message.id, sb.user("bob").id, "going"))
    _, meeting_id = await creating
    assert meeting_id is not None
    await settle(gug)
    assert (await announcement_of(gug, meeting_id)).id == message.id
    assert await rsvp_status(gug.db, meeting_id, sb.user("bob").id) == "going"


async def test_people_far_down_the_waitlist_are_told_in_one_channel_message(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug({**FAST_EDITS, "meetings.waitlist_dm_limit": 2})
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug, capacity=1)
    crowd = sb.world.add_users(sb.world.guild, 6)
    await sb.react_burst([(user, message, GOING) for user in crowd])
    await settle(gug)
    line = (await list_attendees(gug.db, meeting_id)).waitlist
    assert line == [user.id for user in crowd[1:]]
    for place, user_id in enumerate(line[:2], start=1):
        assert any(f"number {place} on the waitlist" in m.content for m in sb.dms(user_id))
    assert all(sb.dms(user_id) == [] for user_id in line[2:])
    notices = [m for m in sb.messages("general") if "you are on the waitlist" in m.content]
    assert set().union(*(m.pinged for m in notices)) == set(line[2:])


async def test_after_every_retry_fails_a_reconcile_records_the_answers_in_arrival_order(
    make_gug: GugFactory, caplog: pytest.LogCaptureFixture
) -> None:
    gug = await make_gug(SHORT_BUSY_TIMEOUT)
    sb = gug.sb
    meeting_id, message = await meeting_with_announcement(gug, capacity=5)
    crowd = sb.world.add_users(sb.world.guild, 20)
    crowd = crowd[1::2] + crowd[0::2]  # Discord lists by id; arrival is another order
    writers = rsvp_cog(gug).writers
    writers.retry = Retry(first=0.01, cap=0.05, attempts=3)
    async with write_lock_held(gug):
        await sb.react_burst([(user, message, GOING) for user in crowd])
        await sb.wait_for(lambda: "become a reconcile" in caplog.text, timeout=10)
    await settle(gug)
    attendees = await list_attendees(gug.db, meeting_id)
    assert attendees.going == [user.id for user in crowd[:5]]
    assert attendees.waitlist == [user.id for user in crowd[5:]]
