"""Attendance end to end: the I'm here button while check-in is open, and who checked in."""

from __future__ import annotations

from datetime import timedelta

from db.meetings import get_meeting
from tests.support.gug import Gug
from tests.support.meeting_steps import announcement_of, create_meeting, group_for, when_in

GOING, MAYBE = "✅", "\u2754"


async def _check(gug: Gug) -> None:
    """Run the periodic check-in check now (the test moves the clock instead of waiting)."""
    cog = gug.bot.get_cog("Meetings")
    assert cog is not None
    await cog.checkins.check()  # type: ignore[attr-defined]


async def test_members_check_in_while_the_meeting_runs(gug: Gug) -> None:
    sb = gug.sb
    _reply, meeting_id = await create_meeting(gug, when=when_in(days=2), duration="2h")
    assert meeting_id is not None
    meeting = await get_meeting(gug.db, meeting_id)
    assert meeting is not None
    announcement = await announcement_of(gug, meeting_id)
    await sb.react("bob", announcement, GOING)
    await sb.react("carol", announcement, MAYBE)

    await _check(gug)
    assert sb.snapshot(announcement).custom_ids() == []  # Not started: no button yet.

    gug.clock.advance(meeting.starts_at - gug.clock.now() + timedelta(minutes=1))
    await _check(gug)
    button = f"gug:here:{meeting_id}"
    assert sb.snapshot(announcement).custom_ids() == [button]
    assert "checked in" in (await sb.press_button("bob", announcement, button)).text
    assert "already" in (await sb.press_button("bob", announcement, button)).text
    await sb.press_button("dave", announcement, button)  # A walk-in.

    attendees = await sb.command("alice", "meeting attendees", meeting=str(meeting_id))
    text = attendees.text
    assert "Checked in (2)" in text
    checked = text.split("Checked in (2)", 1)[1]
    assert f"<@{sb.user('bob').id}>" in checked and f"<@{sb.user('dave').id}>" in checked
    assert f"<@{sb.user('carol').id}>" not in checked

    gug.clock.advance(timedelta(hours=5))  # Two hours of meeting and three after it.
    await _check(gug)
    assert sb.snapshot(announcement).custom_ids() == []
    # The announcement itself stays as it was: only the button went.
    assert sb.snapshot(announcement).embeds[0]["title"] == "Monthly meetup"

    # Of those going (bob), all checked in; walk-ins and maybes do not lower the rate.
    group = await group_for(gug)
    info = await sb.command("carol", "group info", group=str(group.id))
    assert "Show-up rate (90 days)" in info.text and "100% (1 of 1)" in info.text, info.text
    stats = await sb.command("admin", "coord stats")
    assert "show-up 100% (1 of 1)" in stats.text, stats.text
