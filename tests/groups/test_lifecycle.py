"""A group over years end to end: lost channel and role repaired, archive and restore,
organizers who left."""

from __future__ import annotations

from datetime import timedelta

from cogs.groups._departures import MEMBERSHIP_TTL
from db.models import Meeting, MeetingStatus, ReminderStatus
from db.rsvps import rsvp_status
from sandbox.permissions import Perm
from tests.factories import reminders_of
from tests.support.group_steps import active_group, configure, group_row, settle, unlinked
from tests.support.gug import Gug
from tests.support.meeting_steps import announcement_of, create_meeting, group_for


async def test_deleted_channel_and_role_are_reported_then_repaired_as_at_approval(
    gug: Gug,
) -> None:
    sb = gug.sb
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    await sb.command("bob", "group join", group=str(group_id))
    before = await group_row(gug, group_id)
    assert before.channel_id and before.role_id
    sb.delete_channel(before.channel_id)
    sb.delete_role(before.role_id)
    await unlinked(gug, group_id, channel=True, role=True)
    await sb.wait_for(lambda: len(_told(gug)) == 2)
    assert any("channel of “GUG Lima”" in text and "/coord repair" in text for text in _told(gug))
    assert any("role of “GUG Lima”" in text for text in _told(gug))
    pending = await sb.command("coord", "coord pending")
    assert "To repair: GUG Lima" in pending.text and "channel deleted" in pending.text

    reply = await sb.command("coord", "coord repair", group=str(group_id), timeout=10)

    assert "Repaired “GUG Lima”" in reply.text and reply.ephemeral
    after = await group_row(gug, group_id)
    assert after.channel_id not in (None, before.channel_id)
    assert after.role_id not in (None, before.role_id)
    channel = sb.channel(after.channel_id)
    assert (channel.name, channel.parent_id) == ("gug-lima", sb.channel("Groups").id)
    members = sb.world.guild.members
    assert after.role_id in members[sb.user("alice").id].roles
    assert after.role_id in members[sb.user("bob").id].roles
    pending = await sb.command("coord", "coord pending")
    assert "To repair" not in pending.text
    again = await sb.command("coord", "coord repair", group=str(group_id))
    assert "nothing to repair" in again.text


async def test_repair_without_manage_channels_names_the_permission(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    sb.delete_channel((await group_row(gug, group_id)).channel_id or 0)
    await unlinked(gug, group_id, channel=True)
    sb.remove_permission(Perm.MANAGE_CHANNELS)

    reply = await sb.command("coord", "coord repair", group=str(group_id))

    assert "Could not repair" in reply.text and "Manage Channels" in reply.text
    assert (await group_row(gug, group_id)).channel_id is None
    refused = await sb.command("bob", "coord repair", group=str(group_id))
    assert "Only coordinators" in refused.text


async def test_archive_cancels_upcoming_meetings_tells_those_going_then_restore(
    gug: Gug,
) -> None:
    sb = gug.sb
    await configure(gug)
    group = await group_for(gug)
    _, meeting_id = await create_meeting(gug)
    assert meeting_id is not None
    announcement = await announcement_of(gug, meeting_id)
    await sb.react("bob", announcement, "✅")
    await settle(gug)
    await gug.bot.get_cog("Rsvp").idle()  # type: ignore[union-attr]
    assert await rsvp_status(gug.db, meeting_id, sb.user("bob").id) == "going"

    reply = await sb.command("coord", "coord archive", group=str(group.id), reason="Moved")

    assert "Archived “GUG Montevideo”" in reply.text
    assert "1 upcoming meeting was cancelled. 1 person who had answered was told." in reply.text
    [notice] = [m for m in sb.messages("general") if "is cancelled" in m.content]
    assert sb.pinged(notice) == {sb.user("bob").id} and "Moved" in notice.content
    async with gug.db.read() as session:
        meeting = await session.get(Meeting, meeting_id)
    assert meeting is not None and meeting.status == MeetingStatus.CANCELLED
    await sb.wait_for(lambda: "CANCELLED" in sb.message(announcement).embeds[0]["title"])
    assert {r.status for r in await reminders_of(gug.db, meeting_id)} == {
        ReminderStatus.CANCELLED
    }
    assert meeting_id not in gug.bot.get_cog("Reminders").alarm.by_meeting  # type: ignore[union-attr]
    # A cancelled meeting takes no answers.
    await sb.react("carol", announcement, "✅")
    await settle(gug)
    await gug.bot.get_cog("Rsvp").idle()  # type: ignore[union-attr]
    assert await rsvp_status(gug.db, meeting_id, sb.user("carol").id) is None

    choices = await sb.autocomplete("coord", "coord restore", "group", "mont")
    assert [c["value"] for c in choices] == [str(group.id)]
    restored = await sb.command("coord", "coord restore", group=str(group.id))
    assert "Restored “GUG Montevideo”" in restored.text
    found = await sb.command("bob", "group info", group=str(group.id))
    assert "GUG Montevideo" in found.text
    twice = await sb.command("coord", "coord restore", group=str(group.id))
    assert "“GUG Montevideo” is not archived" in twice.text


async def test_an_organizer_who_left_is_flagged_in_stats_and_can_be_removed(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    alice = sb.user("alice").id
    stats = await sb.command("coord", "coord stats")
    assert "no organizer left" not in stats.text
    lookups = len(sb.calls_to("GET", f"/members/{alice}"))
    sb.remove_member("alice")
    cached = await sb.command("coord", "coord stats")
    assert "no organizer left" not in cached.text
    assert len(sb.calls_to("GET", f"/members/{alice}")) == lookups  # answered from the cache
    gug.clock.advance(MEMBERSHIP_TTL + timedelta(seconds=1))

    stats = await sb.command("coord", "coord stats")

    assert "GUG Lima" in stats.text and "no organizer left in the server" in stats.text
    [sheet] = stats.attachments
    assert sheet.text().splitlines()[1].endswith(",yes")
    added = await sb.command("coord", "group organizer-add", group=str(group_id), member="bob")
    assert "now organizes" in added.text
    removed = await sb.command(
        "coord", "group organizer-remove", group=str(group_id), member="alice"
    )
    assert "no longer organizes" in removed.text
    stats = await sb.command("coord", "coord stats")
    assert "no organizer left" not in stats.text


def _told(gug: Gug) -> list[str]:
    """Return what the bot posted in the coordinators' channel about lost links."""
    return [m.content for m in gug.sb.messages("coordinators") if "was deleted" in m.content]
