"""The directory seen from Discord, end to end: /meeting ics, links to the public pages, and
the bot's own figures on /metrics."""

from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar
from prometheus_client.parser import text_string_to_metric_families

from db.guild_settings import set_directory
from tests.factories import seed_meeting
from tests.support.gug import Gug, GugFactory
from tests.support.meeting_steps import announcement_of, create_meeting, group_for
from web.app import create_app

SITE = "https://gug.example"
GOING = "✅"


async def public_gug(make_gug: GugFactory, *, public: bool = True) -> Gug:
    gug = await make_gug({"web.base_url": SITE})
    await set_directory(gug.db, gug.sb.world.guild.id, public, None)
    return gug


async def test_meeting_ics_attaches_the_meeting_and_links_the_groups_feed(
    make_gug: GugFactory,
) -> None:
    gug = await public_gug(make_gug)
    _, meeting_id = await create_meeting(gug, title="Pythón y café", venue="Ciudad Vieja")

    reply = await gug.sb.command("bob", "meeting ics", meeting=str(meeting_id), timeout=10)

    assert reply.ephemeral
    [attachment] = reply.attachments
    assert attachment.filename == f"meeting-{meeting_id}.ics"
    [event] = Calendar.from_ical(attachment.data).walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting_id}@gug.example"
    assert str(event["SUMMARY"]) == "GUG Montevideo: Pythón y café"
    assert str(event["LOCATION"]) == "Ciudad Vieja"
    assert str(event["URL"]) == f"{SITE}/meetings/{meeting_id}"
    assert event["DTSTART"].dt.tzinfo.key == "America/Montevideo"
    assert f"{SITE}/groups/gug-montevideo/calendar.ics" in reply.text


async def test_meeting_ics_of_a_server_off_the_directory_has_the_file_but_no_feed(
    make_gug: GugFactory,
) -> None:
    gug = await public_gug(make_gug, public=False)
    _, meeting_id = await create_meeting(gug)

    reply = await gug.sb.command("bob", "meeting ics", meeting=str(meeting_id), timeout=10)

    [event] = Calendar.from_ical(reply.attachments[0].data).walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting_id}@gug.example"
    assert "calendar.ics" not in reply.text and SITE not in reply.text


async def test_meeting_ics_in_spanish(make_gug: GugFactory) -> None:
    gug = await public_gug(make_gug)
    _, meeting_id = await create_meeting(gug)

    gug.sb.user("bob").locale = "es-ES"

    reply = await gug.sb.command("bob", "meeting ics", meeting=str(meeting_id), timeout=10)

    assert "calendario" in reply.text


async def test_announcements_and_group_info_link_to_the_public_pages(
    make_gug: GugFactory,
) -> None:
    gug = await public_gug(make_gug)
    _, meeting_id = await create_meeting(gug)
    group = await group_for(gug)

    announcement = await announcement_of(gug, meeting_id)
    info = await gug.sb.command("bob", "group info", group=str(group.id), timeout=10)

    assert announcement.embeds[0]["url"] == f"{SITE}/meetings/{meeting_id}"
    assert info.embeds[0]["url"] == f"{SITE}/groups/gug-montevideo"


async def test_no_links_for_a_server_off_the_directory(make_gug: GugFactory) -> None:
    gug = await public_gug(make_gug, public=False)
    _, meeting_id = await create_meeting(gug)
    group = await group_for(gug)

    announcement = await announcement_of(gug, meeting_id)
    info = await gug.sb.command("bob", "group info", group=str(group.id), timeout=10)

    assert "url" not in announcement.embeds[0]
    assert "url" not in info.embeds[0]


async def sample_counts(gug: Gug) -> dict[str, float]:
    """Read /metrics as a scraper would: every histogram's _count sample by name."""
    async with TestClient(TestServer(create_app(gug.db))) as client:
        response = await client.get("/metrics")
        text = await response.text()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.endswith("_count") and not sample.labels
    }


async def test_metrics_count_acks_rsvp_batches_and_reminders(gug: Gug) -> None:
    sb = gug.sb
    before = await sample_counts(gug)
    _, meeting_id = await create_meeting(gug)
    message = await announcement_of(gug, meeting_id)
    await sb.react("bob", message, GOING)
    group = await group_for(gug)
    now = gug.clock.now()
    reminded = await seed_meeting(
        gug.db, group.id, now + timedelta(minutes=10), [timedelta(minutes=1)], now,
        going=[sb.user("bob").id], title="Soon",
    )
    gug.bot.dispatch("meeting_changed", reminded)
    gug.clock.advance(timedelta(minutes=9, seconds=5))
    await gug.bot.get_cog("Reminders").alarm.sweep()  # type: ignore[union-attr]

    async def counted() -> bool:
        after = await sample_counts(gug)
        return all(
            after.get(name, 0) > before.get(name, 0)
            for name in (
                "gugbot_interaction_ack_seconds_count",
                "gugbot_rsvp_batch_size_count",
                "gugbot_rsvp_commit_seconds_count",
                "gugbot_reminder_lateness_seconds_count",
            )
        )

    await sb.wait_for(counted, timeout=10, interval=0.1)
