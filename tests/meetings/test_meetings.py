"""Meetings end to end: create, edit, cancel, list, attendees, talks, scheduled events."""

from __future__ import annotations

from datetime import date

from db.meetings import get_meeting
from db.models import MeetingStatus
from db.rsvps import rsvp_status
from sandbox.permissions import Perm
from tests.factories import make_group
from tests.support.gug import Gug
from tests.support.meeting_steps import announcement_of, create_meeting, when_in

GOING, MAYBE, NOT_GOING = "✅", "\u2754", "❌"


async def test_create_announces_in_the_group_channel_with_reactions(gug: Gug) -> None:
    sb = gug.sb
    reply, meeting_id = await create_meeting(gug, capacity=20, venue="Café Brasilero")
    assert reply.ephemeral and "Scheduled" in reply.text
    message = await announcement_of(gug, meeting_id)
    embed = message.embeds[0]
    text = sb.snapshot(message).text
    assert embed["title"] == "Monthly meetup"
    assert "<t:" in text and ":F>" in text and ":R>" in text
    assert "Local time: Tuesday, December 8, 2026" in text and "(Uruguay Time)" in text
    assert "Café Brasilero" in text
    assert "0/20" in text
    assert list(message.reactions) == [GOING, MAYBE, NOT_GOING]
    assert message.pinged == set()


async def test_when_autocomplete_echoes_how_it_was_understood(gug: Gug) -> None:
    group = await make_group(
        gug.db, guild_id=gug.sb.world.guild.id, name="GUG Montevideo",
        timezone="America/Montevideo", organizer_ids=[gug.sb.user("alice").id],
    )
    year = gug.clock.now().year + 1
    choices = await gug.sb.autocomplete(
        "alice", "meeting create", "when", f"{year}-12-12 19:00", group=str(group.id)
    )
    weekday = date(year, 12, 12).strftime("%a")
    assert choices[0]["name"] == f"{weekday} 12 Dec {year}, 19:00 America/Montevideo"
    bad = await gug.sb.autocomplete(
        "alice", "meeting create", "when", "2001-01-01 10:00", group=str(group.id)
    )
    assert "in the past" in bad[0]["name"]


async def test_create_refuses_past_unreadable_and_bad_options(gug: Gug) -> None:
    for options, expected in [
        ({"when": "2001-01-01 10:00"}, "in the past"),
        ({"when": "someday maybe"}, "could not read"),
        ({"online_url": "ftp://x.org"}, "http"),
        ({"capacity": 0}, "Capacity"),
        ({"duration": "forever"}, "not a duration"),
    ]:
        reply, meeting_id = await create_meeting(gug, **options)
        assert reply.ephemeral and expected in reply.text, reply.text
        assert meeting_id is None


async def test_only_organizers_create(gug: Gug) -> None:
    reply, meeting_id = await create_meeting(gug, as_user="bob")
    assert "organizers" in reply.text and meeting_id is None


async def test_edit_updates_the_announcement_and_notifies_going_and_maybe_only(gug: Gug) -> None:
    sb = gug.sb
    _, meeting_id = await create_meeting(gug)
    message = await announcement_of(gug, meeting_id)
    await sb.react("bob", message, GOING)
    await sb.react("carol", message, MAYBE)
    await sb.react("dave", message, NOT_GOING)
    ids = {name: sb.user(name).id for name in ("bob", "carol", "dave")}
    await sb.wait_for(lambda: rsvp_status(gug.db, meeting_id, ids["dave"]))
    reply = await sb.command(
        "alice", "meeting edit", meeting=str(meeting_id), title="Pizza & Python",
        when=when_in(days=9),
    )
    assert "Updated" in reply.text
    assert sb.message(message).embeds[0]["title"] == "Pizza & Python"
    notices = [m for m in sb.messages("general") if "was changed" in m.content]
    assert len(notices) == 1
    assert notices[0].pinged == {ids["bob"], ids["carol"]}


async def test_cancel_marks_the_announcement_tells_people_and_leaves_the_list(gug: Gug) -> None:
    sb = gug.sb
    _, meeting_id = await create_meeting(gug)
    message = await announcement_of(gug, meeting_id)
    await sb.react("bob", message, GOING)
    await sb.wait_for(lambda: rsvp_status(gug.db, meeting_id, sb.user("bob").id))
    reply = await sb.command("alice", "meeting cancel", meeting=str(meeting_id),
                             reason="venue closed")
    assert "Cancelled" in reply.text
    assert "CANCELLED" in sb.message(message).embeds[0]["title"]
    notice = next(m for m in sb.messages("general") if "is cancelled" in m.content)
    assert notice.pinged == {sb.user("bob").id} and "venue closed" in notice.content
    listed = await sb.command("bob", "meeting list")
    assert "Monthly meetup" not in listed.text
    meeting = await get_meeting(gug.db, meeting_id)
    assert meeting is not None and meeting.status == MeetingStatus.CANCELLED
    # Reactions on a cancelled meeting do not count.
    await sb.react("carol", message, GOING)
    await sb.command("erin", "about")  # a fence: reactions before it are queued by now
    await gug.bot.get_cog("Rsvp").idle()  # type: ignore[union-attr]
    assert await rsvp_status(gug.db, meeting_id, sb.user("carol").id) is None


async def test_list_shows_upcoming_meetings(gug: Gug) -> None:
    await create_meeting(gug, title="Later", when=when_in(days=20))
    await create_meeting(gug, title="Sooner", when=when_in(days=2))
    reply = await gug.sb.command("bob", "meeting list")
    assert reply.ephemeral
    assert reply.text.index("Sooner") < reply.text.index("Later")


async def test_attendees_lists_everyone_with_a_csv(gug: Gug) -> None:
    sb = gug.sb
    _, meeting_id = await create_meeting(gug, capacity=1)
    message = await announcement_of(gug, meeting_id)
    for name, emoji in [("bob", GOING), ("carol", GOING), ("dave", MAYBE), ("erin", NOT_GOING)]:
        await sb.react(name, message, emoji)
    await sb.wait_for(lambda: rsvp_status(gug.db, meeting_id, sb.user("erin").id))
    reply = await sb.command("alice", "meeting attendees", meeting=str(meeting_id))
    assert reply.ephemeral
    csv_text = reply.attachments[0].text()
    assert f"going,{sb.user('bob').id},1" in csv_text
    assert f"waitlist,{sb.user('carol').id},1" in csv_text
    assert f"maybe,{sb.user('dave').id},1" in csv_text
    assert f"not_going,{sb.user('erin').id},1" in csv_text
    refused = await sb.command("bob", "meeting attendees", meeting=str(meeting_id))
    assert "organizers" in refused.text


async def test_deleted_announcement_leaves_the_meeting_listed(gug: Gug) -> None:
    sb = gug.sb
    _, meeting_id = await create_meeting(gug)
    message = await announcement_of(gug, meeting_id)
    sb.delete_message(message)
    reply = await sb.command("alice", "meeting edit", meeting=str(meeting_id), venue="Bar")
    assert "Updated" in reply.text
    listed = await sb.command("bob", "meeting list")
    assert "Monthly meetup" in listed.text
    reposted = await announcement_of(gug, meeting_id)
    assert reposted.id != message.id and not reposted.deleted


async def test_talks_are_proposed_accepted_and_shown_in_the_agenda(gug: Gug) -> None:
    sb = gug.sb
    _, meeting_id = await create_meeting(gug)
    reply = await sb.command("bob", "talk propose", meeting=str(meeting_id),
                             title="Async all the way", abstract="asyncio in practice")
    assert "Thanks" in reply.text
    choices = await sb.autocomplete("alice", "talk accept", "talk", "async")
    assert choices and "Async all the way" in choices[0]["name"]
    refused = await sb.command("carol", "talk accept", talk=choices[0]["value"])
    assert "organizers" in refused.text
    accepted = await sb.command("alice", "talk accept", talk=choices[0]["value"])
    assert "Accepted" in accepted.text
    message = await announcement_of(gug, meeting_id)
    assert "Async all the way" in sb.snapshot(message).text
    assert any("accepted" in m.content for m in sb.dms("bob"))


async def test_declined_talk_is_told_and_not_in_the_agenda(gug: Gug) -> None:
    sb = gug.sb
    _, meeting_id = await create_meeting(gug)
    await sb.command("bob", "talk propose", meeting=str(meeting_id), title="Maybe later")
    choices = await sb.autocomplete("alice", "talk decline", "talk", "")
    await sb.command("alice", "talk decline", talk=choices[0]["value"])
    assert "Maybe later" not in sb.snapshot(await announcement_of(gug, meeting_id)).text
    assert any("not accepted" in m.content for m in sb.dms("bob"))


async def test_meetings_are_mirrored_as_scheduled_events(gug: Gug) -> None:
    sb = gug.sb
    sb.grant_permission(Perm.MANAGE_EVENTS)
    _, meeting_id = await create_meeting(gug, venue="Café")
    events = list(sb.world.guild.scheduled_events.values())
    assert len(events) == 1 and events[0]["entity_metadata"]["location"] == "Café"
    await sb.command("alice", "meeting edit", meeting=str(meeting_id), title="Renamed")
    assert events[0]["name"] == "Renamed"
    await sb.command("alice", "meeting cancel", meeting=str(meeting_id))
    assert events[0]["status"] == 4


async def test_no_scheduled_event_without_the_permission(gug: Gug) -> None:
    gug.sb.remove_permission(Perm.MANAGE_EVENTS)
    reply, _ = await create_meeting(gug)
    assert "Scheduled" in reply.text
    assert gug.sb.world.guild.scheduled_events == {}


async def test_scheduled_events_can_be_turned_off(make_gug: object) -> None:
    gug = await make_gug({"discord.scheduled_events": False})  # type: ignore[operator]
    gug.sb.grant_permission(Perm.MANAGE_EVENTS)
    await create_meeting(gug)
    assert gug.sb.world.guild.scheduled_events == {}

