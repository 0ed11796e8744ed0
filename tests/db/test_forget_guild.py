"""Forgetting a server deletes every row stored for it and nothing of other servers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from db.audit import AuditAction, record_action
from db.base import Base
from db.engine import Database
from db.guild_presence import mark_guild_removed
from db.lifecycle import forget_guild, guild_footprint, unlink_channel
from db.models import GuildSettings, Reminder, ReminderDelivery, Talk, UserPreference
from db.preferences import set_reminder_dms
from db.rsvps import ReactionChange, apply_reactions
from tests.factories import make_group, make_meeting

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
REMOVED, KEPT = 111, 222


async def _fill(db: Database, guild_id: int) -> None:
    group = await make_group(db, guild_id=guild_id, channel_id=guild_id + 1, organizer_ids=[5],
                             member_ids=[6])
    meeting = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=7))
    await apply_reactions(db, meeting.id, [ReactionChange(6, "going", True)], now=NOW)
    async with db.transaction() as session:
        session.add(GuildSettings(guild_id=guild_id, coordinator_role_id=3))
        session.add(Talk(meeting_id=meeting.id, speaker_id=6, title="Hooks"))
        reminder = await session.scalar(
            select(Reminder).where(Reminder.meeting_id == meeting.id).limit(1)
        )
        assert reminder is not None
        session.add(ReminderDelivery(reminder_id=reminder.id, user_id=6, status="sent"))
        record_action(session, guild_id=guild_id, actor_id=1, action=AuditAction.APPROVE,
                      when=NOW, group_id=group.id)
    await mark_guild_removed(db, guild_id, NOW)
    # A second group whose channel was lost.
    lost = await make_group(db, guild_id=guild_id, name="GUG Lima", channel_id=guild_id + 2)
    await unlink_channel(db, guild_id, guild_id + 2, now=NOW)
    assert lost.id


async def _rows_by_table(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def test_forget_guild_leaves_no_row_of_that_server(db: Database) -> None:
    await _fill(db, KEPT)
    await set_reminder_dms(db, 6, True, NOW)
    kept = await _rows_by_table(db)
    await _fill(db, REMOVED)
    footprint = await guild_footprint(db, REMOVED)
    assert footprint["groups"] == 2 and footprint["rsvps"] == 1

    deleted = await forget_guild(db, REMOVED)

    assert deleted == footprint
    assert await guild_footprint(db, REMOVED) == {}
    # Every table is back to what the other server alone had.
    assert await _rows_by_table(db) == kept
    async with db.read() as session:
        assert await session.get(UserPreference, 6) is not None  # A person's, not a server's.


async def test_forgetting_an_unknown_server_deletes_nothing(db: Database) -> None:
    await _fill(db, KEPT)
    before = await _rows_by_table(db)
    assert await forget_guild(db, REMOVED) == {}
    assert await _rows_by_table(db) == before
