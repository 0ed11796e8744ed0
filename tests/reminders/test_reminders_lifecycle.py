"""Reminders that wait instead of failing, end to end: a group without its channel, and a
server that removed the bot."""

from __future__ import annotations

from datetime import timedelta

from db.guild_presence import removed_guilds
from db.models import ReminderStatus
from tests.factories import reminders_of, seed_meeting
from tests.support.group_steps import active_group, configure, group_row, settle, unlinked
from tests.support.gug import Gug

# A meeting ten minutes ahead, reminded a minute before: due in nine minutes, so no
# wall-clock job fires during a test; the tests move the bot's clock past it instead.
STARTS_IN = timedelta(minutes=10)
MINUTE = [timedelta(minutes=1)]
PAST_DUE = timedelta(minutes=9, seconds=5)


def reminder_posts(gug: Gug, channel: str) -> list[str]:
    """Return the reminder messages posted in a channel."""
    return [m.content for m in gug.sb.messages(channel) if "Reminder" in (m.content or "")]


async def meeting_due_soon(gug: Gug, group_id: int) -> int:
    """Seed a meeting of the group whose one reminder is due in nine minutes; arm it."""
    now = gug.clock.now()
    meeting_id = await seed_meeting(
        gug.db, group_id, now + STARTS_IN, MINUTE, now, going=[gug.sb.user("bob").id]
    )
    gug.bot.dispatch("meeting_changed", meeting_id)
    return meeting_id


async def past_due_and_swept(gug: Gug) -> None:
    """Move the bot's clock past the reminder's due time and run the sweep, as it would."""
    gug.clock.advance(PAST_DUE)
    await gug.bot.get_cog("Reminders").alarm.sweep()  # type: ignore[union-attr]


async def status_of(gug: Gug, meeting_id: int) -> str:
    (row,) = await reminders_of(gug.db, meeting_id)
    return row.status


async def test_a_reminder_is_held_while_the_channel_is_missing_and_sent_after_repair(
    gug: Gug,
) -> None:
    sb = gug.sb
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    meeting_id = await meeting_due_soon(gug, group_id)
    sb.delete_channel("gug-lima")
    await unlinked(gug, group_id, channel=True)

    await past_due_and_swept(gug)

    assert await status_of(gug, meeting_id) == ReminderStatus.PENDING

    reply = await sb.command("coord", "coord repair", group=str(group_id), timeout=10)
    assert "Repaired" in reply.text
    await sb.wait_for(lambda: len(reminder_posts(gug, "gug-lima")) == 1, timeout=10)
    [post] = [m for m in sb.messages("gug-lima") if "Reminder" in (m.content or "")]
    assert post.channel_id == (await group_row(gug, group_id)).channel_id
    assert sb.pinged(post) == {sb.user("bob").id}

    async def sent() -> bool:
        return await status_of(gug, meeting_id) == ReminderStatus.SENT

    await sb.wait_for(sent, timeout=5)


async def test_reminders_pause_while_the_bot_is_removed_and_resume_when_added_back(
    gug: Gug,
) -> None:
    sb = gug.sb
    guild_id = sb.world.guild.id
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    meeting_id = await meeting_due_soon(gug, group_id)
    sb.remove_bot()

    async def paused() -> bool:
        return await removed_guilds(gug.db) == [guild_id]

    await sb.wait_for(paused, timeout=5)
    await past_due_and_swept(gug)
    assert await status_of(gug, meeting_id) == ReminderStatus.PENDING
    assert reminder_posts(gug, "gug-lima") == []

    sb.add_bot()

    await sb.wait_for(lambda: len(reminder_posts(gug, "gug-lima")) == 1, timeout=10)
    assert await removed_guilds(gug.db) == []
    assert gug.bot.get_guild(guild_id) is not None


async def test_an_outage_pauses_nothing(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    sb.guild_outage()
    await settle(gug)
    assert await removed_guilds(gug.db) == []
    meeting_id = await meeting_due_soon(gug, group_id)

    await past_due_and_swept(gug)

    await sb.wait_for(lambda: len(reminder_posts(gug, "gug-lima")) == 1, timeout=10)
    assert await status_of(gug, meeting_id) in (ReminderStatus.SENT, ReminderStatus.CLAIMED)
