"""Reminders end to end: the real bot against the sandbox, with offsets of seconds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.models import ReminderDelivery, ReminderStatus, UserPreference
from tests.factories import (
    cancel_meeting,
    move_meeting,
    reminders_of,
    seed_group,
    seed_meeting,
)
from tests.support.gug import Gug

SECONDS = timedelta(seconds=1)
# A one-minute offset on a meeting starting 63 s from now is due in 3 s.
MINUTE = [timedelta(minutes=1)]


def reminder_posts(gug: Gug, channel: str = "general") -> list[str]:
    """Return the reminder messages posted in a channel."""
    return [m.content for m in gug.sb.messages(channel) if "Reminder" in (m.content or "")]


async def wait_settled(gug: Gug, meeting_id: int) -> None:
    """Wait until none of the meeting's reminders is pending or claimed."""

    async def settled() -> bool:
        rows = await reminders_of(gug.db, meeting_id)
        return all(row.status not in ("pending", "claimed") for row in rows)

    await gug.sb.wait_for(settled, timeout=5)


async def group_in(gug: Gug, channel: str = "general", name: str = "GUG Lima") -> int:
    """Create a group posting in a sandbox channel."""
    guild = gug.sb.world.guild
    return await seed_group(gug.db, guild.id, gug.sb.channel(channel).id, name)


async def test_reminder_pings_going_and_maybe_in_the_channel_and_dms_who_opted_in(
    gug: Gug,
) -> None:
    sb = gug.sb
    alice, bob, carol = (sb.user(name).id for name in ("alice", "bob", "carol"))
    reply = await sb.command("alice", "reminders dm", enabled=True)
    assert "DM" in reply.text and reply.ephemeral
    now = gug.bot.clock.now()
    group_id = await group_in(gug)
    meeting_id = await seed_meeting(
        gug.db, group_id, now + 63 * SECONDS, MINUTE, now,
        going=[alice], maybe=[bob], not_going=[carol],
    )
    gug.bot.dispatch("meeting_changed", meeting_id)
    await sb.wait_for(lambda: len(reminder_posts(gug)) == 1, timeout=10)
    post = next(m for m in sb.messages("general") if "Reminder" in (m.content or ""))
    assert sb.pinged(post) == {alice, bob}
    assert "Monthly meetup" in post.content and "Café Central" in post.content
    assert "<t:" in post.content and "late" not in post.content
    await sb.wait_for(lambda: len(sb.dms("alice")) == 1, timeout=5)
    assert sb.dms("bob") == []

    async def sent() -> bool:
        return [row.status for row in await reminders_of(gug.db, meeting_id)] == ["sent"]

    await sb.wait_for(sent, timeout=5)


async def test_a_moved_meeting_fires_at_its_new_time_only_and_a_cancelled_one_never(
    gug: Gug,
) -> None:
    sb = gug.sb
    now = gug.bot.clock.now()
    group_id = await group_in(gug)
    alice = sb.user("alice").id
    moved = await seed_meeting(
        gug.db, group_id, now + 63 * SECONDS, MINUTE, now, going=[alice], title="Moved"
    )
    cancelled = await seed_meeting(
        gug.db, group_id, now + 63 * SECONDS, MINUTE, now, going=[alice], title="Cancelled"
    )
    gug.bot.dispatch("meeting_changed", moved)
    gug.bot.dispatch("meeting_changed", cancelled)
    await move_meeting(gug.db, moved, now + 66 * SECONDS, MINUTE, now)
    await cancel_meeting(gug.db, cancelled)
    gug.bot.dispatch("meeting_changed", moved)
    gug.bot.dispatch("meeting_changed", cancelled)
    await sb.wait_for(lambda: len(reminder_posts(gug)) == 1, timeout=12)
    await wait_settled(gug, moved)
    (row,) = await reminders_of(gug.db, moved)
    assert row.sent_at is not None and row.sent_at >= now + 6 * SECONDS
    assert [p for p in reminder_posts(gug) if "Cancelled" in p] == []
    assert [r.status for r in await reminders_of(gug.db, cancelled)] == [
        ReminderStatus.CANCELLED
    ]


async def test_a_reminder_due_while_the_bot_was_down_is_sent_late_saying_so(gug: Gug) -> None:
    sb = gug.sb
    alice = sb.user("alice").id
    group_id = await group_in(gug)

    async def while_down() -> None:
        # Planned ten minutes ago; the meeting is still ahead: send late, with the note.
        now = gug.clock.now()
        late = await seed_meeting(
            gug.db_while_down, group_id, now + 5 * timedelta(minutes=1),
            [timedelta(minutes=10)], now - timedelta(minutes=10), going=[alice], title="Late",
        )
        # Its meeting already started: recorded as missed, never posted.
        missed = await seed_meeting(
            gug.db_while_down, group_id, now - timedelta(minutes=1),
            [timedelta(minutes=10)], now - timedelta(minutes=20), going=[alice], title="Gone",
        )
        gug.seeded = (late, missed)  # type: ignore[attr-defined]

    await _restart_with(gug, while_down)
    late, missed = gug.seeded  # type: ignore[attr-defined]
    await sb.wait_for(lambda: len(reminder_posts(gug)) == 1, timeout=10)
    (post,) = reminder_posts(gug)
    assert "Late" in post and "Sent late" in post
    (late_row,) = await reminders_of(gug.db, late)
    (missed_row,) = await reminders_of(gug.db, missed)
    assert late_row.late
    assert (missed_row.status, missed_row.reason) == (
        ReminderStatus.MISSED,
        "meeting had already started",
    )


async def _restart_with(gug: Gug, between: object) -> None:
    """Stop the bot, seed through a database of our own while it is down, start again."""
    from db.engine import create_database

    url = gug.settings.database.effective_url
    await gug.stop()
    db = create_database(url)
    gug.db_while_down = db  # type: ignore[attr-defined]
    try:
        await between()  # type: ignore[operator]
    finally:
        await db.dispose()
    await gug.start()


async def test_closed_dms_are_recorded_and_a_deleted_channel_holds_only_its_group(
    gug: Gug,
) -> None:
    sb = gug.sb
    alice, bob, carol = (sb.user(name).id for name in ("alice", "bob", "carol"))
    for name in ("alice", "bob"):
        await sb.command(name, "reminders dm", enabled=True)
    sb.set_dms("alice", open=False)
    now = gug.bot.clock.now()
    gone = sb.world.create_channel(sb.world.guild, "gone")
    doomed_group = await seed_group(gug.db, sb.world.guild.id, gone.id, "GUG Gone")
    group_id = await group_in(gug)
    doomed = await seed_meeting(
        gug.db, doomed_group, now + 63 * SECONDS, MINUTE, now, going=[carol], title="Doomed"
    )
    fine = await seed_meeting(
        gug.db, group_id, now + 63 * SECONDS, MINUTE, now, going=[alice, bob], title="Fine"
    )
    sb.delete_channel(gone)
    gug.bot.dispatch("meeting_changed", doomed)
    gug.bot.dispatch("meeting_changed", fine)
    await sb.wait_for(lambda: len(reminder_posts(gug)) == 1 and len(sb.dms("bob")) == 1, 10)

    async def settled() -> bool:
        rows = await reminders_of(gug.db, fine)
        return all(row.status == ReminderStatus.SENT for row in rows)

    await sb.wait_for(settled, timeout=5)
    # The deleted channel unlinked its group: the reminder waits for /coord repair.
    (doomed_row,) = await reminders_of(gug.db, doomed)
    assert doomed_row.status == ReminderStatus.PENDING
    async with gug.db.read() as session:
        outcomes = {
            (d.user_id, d.status, d.reason)
            for d in (await session.scalars(select(ReminderDelivery))).all()
        }
        alice_pref = await session.get(UserPreference, alice)
    assert (alice, "failed", "dms closed") in outcomes
    assert (bob, "sent", None) in outcomes
    assert alice_pref is not None and alice_pref.dms_closed
    reply = await sb.command("alice", "reminders dm", enabled=True)
    assert reply.ephemeral
    async with gug.db.read() as session:
        reopened = await session.get(UserPreference, alice)
    assert reopened is not None and not reopened.dms_closed
