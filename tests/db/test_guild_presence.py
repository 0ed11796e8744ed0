"""A server that removed the bot has its reminders paused, and resumed if it comes back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from db.engine import Database
from db.guild_presence import mark_guild_present, mark_guild_removed, removed_guilds
from db.models import ReminderStatus
from db.reminders import claim_reminders, list_due_reminders
from tests.factories import make_group, make_meeting, reminders_of

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
GUILD, OTHER = 1_000_000_000_000_001, 77


async def _hour_before(db: Database, guild_id: int = GUILD) -> tuple[int, datetime, datetime]:
    group = await make_group(db, guild_id=guild_id, channel_id=900, organizer_ids=[5])
    meeting = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=7))
    reminder = next(r for r in await reminders_of(db, meeting.id) if r.offset_minutes == 60)
    return reminder.id, reminder.due_at, meeting.starts_at


async def test_reminders_pause_on_removal_and_resume_on_re_add(db: Database) -> None:
    reminder_id, due, _ = await _hour_before(db)
    await mark_guild_removed(db, GUILD, NOW)
    assert await removed_guilds(db) == [GUILD]
    assert await claim_reminders(db, [reminder_id], "a", due, LEASE) == []
    assert await list_due_reminders(db, due) == []
    [paused] = [r for r in await reminders_of(db) if r.id == reminder_id]
    assert paused.status == ReminderStatus.PENDING  # Paused, not failed.

    assert await mark_guild_present(db, GUILD, due)
    later = due + timedelta(minutes=5)
    [claim] = await claim_reminders(db, [reminder_id], "a", later, LEASE)
    assert claim.late
    assert await removed_guilds(db) == []


async def test_a_paused_reminder_whose_meeting_started_meanwhile_is_missed(db: Database) -> None:
    reminder_id, _, starts_at = await _hour_before(db)
    await mark_guild_removed(db, GUILD, NOW)
    await mark_guild_present(db, GUILD, starts_at)
    assert await claim_reminders(db, [reminder_id], "a", starts_at, LEASE) == []
    [missed] = [r for r in await reminders_of(db) if r.id == reminder_id]
    assert missed.status == ReminderStatus.MISSED


async def test_removal_from_one_server_pauses_nothing_elsewhere(db: Database) -> None:
    reminder_id, due, _ = await _hour_before(db, OTHER)
    await mark_guild_removed(db, GUILD, NOW)
    assert [claim.id for claim in await claim_reminders(db, [reminder_id], "a", due, LEASE)] == [
        reminder_id
    ]


async def test_marking_a_present_server_present_resumes_nothing(db: Database) -> None:
    assert not await mark_guild_present(db, GUILD, NOW)
    await mark_guild_removed(db, GUILD, NOW)
    await mark_guild_removed(db, GUILD, NOW + timedelta(hours=1))
    assert await mark_guild_present(db, GUILD, NOW)
    assert not await mark_guild_present(db, GUILD, NOW)
