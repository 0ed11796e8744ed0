"""Recaps end to end: posted in the group's channel and the highlights channel, then edited."""

from __future__ import annotations

from datetime import timedelta

from db.meetings import get_meeting
from tests.support.gug import GugFactory
from tests.support.meeting_steps import create_meeting, when_in


async def test_a_recap_reaches_the_group_and_the_highlights_and_is_edited(
    make_gug: GugFactory,
) -> None:
    gug = await make_gug(start=False)
    sb = gug.sb
    highlights = sb.world.add_channel(sb.world.guild, "highlights")
    await gug.start()
    reply = await sb.command(
        "admin", "setup highlights-channel", options={"channel": highlights.id}
    )
    assert f"<#{highlights.id}>" in reply.text, reply.text
    _reply, meeting_id = await create_meeting(gug, when=when_in(days=2))
    assert meeting_id is not None
    await sb.command("bob", "talk propose", meeting=str(meeting_id), title="Tipos en Python")
    await sb.command("alice", "talk accept", talk="1")

    early = await sb.command("alice", "meeting recap", meeting=str(meeting_id), notes="Too soon")
    assert "once the meeting has started" in early.text

    meeting = await get_meeting(gug.db, meeting_id)
    assert meeting is not None
    gug.clock.advance(meeting.starts_at - gug.clock.now() + timedelta(hours=3))
    refused = await sb.command("bob", "meeting recap", meeting=str(meeting_id), notes="Mine")
    assert "organizers" in refused.text

    general_before = len(sb.messages("general"))
    posted = await sb.command(
        "alice", "meeting recap", meeting=str(meeting_id), notes="Twenty people came.",
        links="https://slides.example/tipos", timeout=10,
    )
    assert "Recap of **Monthly meetup** posted" in posted.text, posted.text
    [in_group] = sb.messages("general")[general_before:]
    [in_highlights] = sb.messages("highlights")
    for message in (in_group, in_highlights):
        text = sb.snapshot(message).text
        assert "Recap: Monthly meetup" in text and "Twenty people came." in text
        assert "Tipos en Python" in text and "https://slides.example/tipos" in text
        assert "0 checked in" in text

    await sb.command(
        "alice", "meeting recap", meeting=str(meeting_id), notes="Twenty-two people came."
    )
    assert len(sb.messages("general")) == general_before + 1  # Edited, not posted again.
    assert len(sb.messages("highlights")) == 1
    assert "Twenty-two people came." in sb.snapshot(in_highlights).text
    assert "Twenty-two people came." in sb.snapshot(in_group).text
