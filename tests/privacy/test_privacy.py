"""/privacy end to end: export what is stored about me, and forget me (a waitlist moves)."""

from __future__ import annotations

import json
from datetime import timedelta

from db.rsvps import rsvp_status
from sandbox.replies import Reply
from tests.support.group_steps import settle
from tests.support.gug import Gug
from tests.support.meeting_steps import announcement_of, create_meeting, group_for

GOING = "✅"


def forget_id(custom_ids: list[str]) -> str:
    """The Forget me button's custom_id (it carries its deadline)."""
    return next(cid for cid in custom_ids if cid.startswith("privacy:forget"))


async def waitlisted_meeting(gug: Gug) -> int:
    """A meeting of capacity 1: bob (a member) going, carol on the waitlist."""
    sb = gug.sb
    group = await group_for(gug)
    await sb.command("bob", "group join", group=str(group.id))
    _, meeting_id = await create_meeting(gug, capacity=1)
    assert meeting_id is not None
    announcement = await announcement_of(gug, meeting_id)
    await sb.react("bob", announcement, GOING)
    await sb.react("carol", announcement, GOING)
    await settle(gug)
    await gug.bot.get_cog("Rsvp").idle()  # type: ignore[union-attr]
    assert await rsvp_status(gug.db, meeting_id, sb.user("carol").id) == "waitlist"
    return meeting_id


async def test_export_sends_me_my_memberships_and_answers_as_json(gug: Gug) -> None:
    meeting_id = await waitlisted_meeting(gug)

    reply = await gug.sb.command("bob", "privacy export")

    assert reply.ephemeral
    [attachment] = reply.attachments
    data = json.loads(attachment.text())
    assert data["user_id"] == str(gug.sb.user("bob").id)
    assert [m["group"] for m in data["memberships"]] == ["GUG Montevideo"]
    assert [(r["meeting_id"], r["answer"]) for r in data["rsvps"]] == [(meeting_id, "going")]


async def test_forget_me_after_confirming_moves_the_waitlist_and_removes_my_reactions(
    gug: Gug,
) -> None:
    sb = gug.sb
    meeting_id = await waitlisted_meeting(gug)
    announcement = await announcement_of(gug, meeting_id)
    bob, carol = sb.user("bob").id, sb.user("carol").id
    assert bob in sb.reactions(announcement)[GOING]["normal"]
    warning = await sb.command("bob", "privacy forget-me")
    assert "cannot be undone" in warning.text and warning.ephemeral
    forget = forget_id(warning.custom_ids())
    assert set(warning.custom_ids()) == {forget, "privacy:keep"}

    done = await sb.press_button("bob", warning, forget, timeout=10)

    # The warning itself becomes the receipt, without its buttons.
    assert "records about you were deleted" in done.text and done.ephemeral
    assert done.message_id == warning.message_id and sb.snapshot(warning).custom_ids() == []
    assert await rsvp_status(gug.db, meeting_id, bob) is None
    assert await rsvp_status(gug.db, meeting_id, carol) == "going"
    assert any("A place opened up" in m.content for m in sb.dms("carol"))
    assert bob not in sb.reactions(announcement)[GOING]["normal"]
    exported = json.loads((await sb.command("bob", "privacy export")).attachments[0].text())
    assert exported["memberships"] == [] and exported["rsvps"] == []
    # The removed reaction reached the bot and brought nothing back.
    await settle(gug)
    await gug.bot.get_cog("Rsvp").idle()  # type: ignore[union-attr]
    assert await rsvp_status(gug.db, meeting_id, bob) is None


async def test_forget_me_is_refused_to_the_last_organizer_and_keep_deletes_nothing(
    gug: Gug,
) -> None:
    sb = gug.sb
    await group_for(gug, organizer="alice")
    warning = await sb.command("alice", "privacy forget-me")

    refused = await sb.press_button("alice", warning, forget_id(warning.custom_ids()))

    [refusal] = refused.followups
    assert "last organizer of “GUG Montevideo”" in refusal.text and refusal.ephemeral
    kept = await sb.press_button("alice", warning, "privacy:keep")
    assert "Nothing was deleted" in kept.text
    exported = json.loads((await sb.command("alice", "privacy export")).attachments[0].text())
    assert [m["group"] for m in exported["organizer_of"]] == ["GUG Montevideo"]


async def member_warned(gug: Gug) -> Reply:
    """Bob, a member of GUG Montevideo, asks to be forgotten: return the warning."""
    group = await group_for(gug)
    await gug.sb.command("bob", "group join", group=str(group.id))
    return await gug.sb.command("bob", "privacy forget-me")


async def groups_of(gug: Gug, user: str) -> list[str]:
    """The groups /privacy export says ``user`` is a member of."""
    exported = json.loads((await gug.sb.command(user, "privacy export")).attachments[0].text())
    return [membership["group"] for membership in exported["memberships"]]


async def test_a_forget_me_warning_left_open_expires_and_says_so(gug: Gug) -> None:
    warning = await member_warned(gug)
    gug.clock.advance(timedelta(minutes=3))

    expired = await gug.sb.press_button("bob", warning, forget_id(warning.custom_ids()))

    assert expired.text == "This confirmation has expired; run /privacy forget-me again."
    assert gug.sb.snapshot(warning).custom_ids() == []
    assert await groups_of(gug, "bob") == ["GUG Montevideo"]


async def test_the_warning_s_buttons_are_answered_after_a_restart(gug: Gug) -> None:
    warning = await member_warned(gug)
    await gug.restart()

    done = await gug.sb.press_button("bob", warning, forget_id(warning.custom_ids()), timeout=10)

    assert "records about you were deleted" in done.text
    assert await groups_of(gug, "bob") == []
