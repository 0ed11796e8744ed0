"""A group's deleted channel or role: unlinked, listed for repair, reminders held meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from db.engine import Database
from db.groups import set_group_role_and_channel
from db.lifecycle import groups_needing_repair, unlink_channel, unlink_role
from db.models import Group, ReminderStatus
from db.reminders import claim_reminders, list_due_reminders
from tests.factories import make_group, make_meeting, reminders_of

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)
GUILD = 1_000_000_000_000_001
CHANNEL, ROLE = 900, 800


async def _linked_group(db: Database, name: str = "GUG Santiago") -> Group:
    group = await make_group(db, name=name, channel_id=CHANNEL, organizer_ids=[5])
    await set_group_role_and_channel(db, group.id, role_id=ROLE, channel_id=CHANNEL)
    return group


async def test_deleted_channel_unlinks_the_group_and_lists_it_for_repair(db: Database) -> None:
    group = await _linked_group(db)
    other = await make_group(db, name="GUG Lima", channel_id=CHANNEL + 1)
    await set_group_role_and_channel(db, other.id, role_id=ROLE + 1, channel_id=None)
    unlinked = await unlink_channel(db, GUILD, CHANNEL, now=NOW)
    assert [g.id for g in unlinked] == [group.id]
    needing = await groups_needing_repair(db, GUILD)
    found = {item.group.id: item for item in needing}
    assert found[group.id].lacks_channel and not found[group.id].lacks_role
    assert found[group.id].channel_lost_at == NOW
    assert other.id not in found


async def test_a_channel_of_another_server_unlinks_nothing(db: Database) -> None:
    await _linked_group(db)
    assert await unlink_channel(db, GUILD + 1, CHANNEL, now=NOW) == []


async def test_deleted_role_unlinks_the_group_until_repaired(db: Database) -> None:
    group = await _linked_group(db)
    assert [g.id for g in await unlink_role(db, GUILD, ROLE, now=NOW)] == [group.id]
    [item] = await groups_needing_repair(db, GUILD)
    assert item.lacks_role and item.role_lost_at == NOW and not item.lacks_channel
    await set_group_role_and_channel(db, group.id, role_id=ROLE + 1, channel_id=None)
    assert await groups_needing_repair(db, GUILD) == []


async def test_reminder_is_held_while_the_channel_is_missing_and_sent_after_repair(
    db: Database,
) -> None:
    group = await _linked_group(db)
    meeting = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=7))
    hour_before = next(r for r in await reminders_of(db, meeting.id) if r.offset_minutes == 60)
    await unlink_channel(db, GUILD, CHANNEL, now=NOW)

    due = hour_before.due_at
    assert await claim_reminders(db, [hour_before.id], "a", due, LEASE) == []
    assert hour_before.id not in {r.id for r in await list_due_reminders(db, due)}
    [held] = [r for r in await reminders_of(db, meeting.id) if r.id == hour_before.id]
    assert held.status == ReminderStatus.PENDING  # Held, not failed.

    await set_group_role_and_channel(db, group.id, role_id=None, channel_id=CHANNEL + 7)
    later = due + timedelta(minutes=10)
    [claim] = await claim_reminders(db, [hour_before.id], "a", later, LEASE)
    assert claim.channel_id == CHANNEL + 7
    assert claim.late


async def test_held_reminder_repaired_after_the_meeting_started_is_missed(db: Database) -> None:
    group = await _linked_group(db)
    meeting = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=7))
    [day_before, _] = sorted(await reminders_of(db, meeting.id), key=lambda r: r.due_at)
    await unlink_channel(db, GUILD, CHANNEL, now=NOW)
    await set_group_role_and_channel(db, group.id, role_id=None, channel_id=CHANNEL + 7)
    assert await claim_reminders(db, [day_before.id], "a", meeting.starts_at, LEASE) == []
    [missed] = [r for r in await reminders_of(db, meeting.id) if r.id == day_before.id]
    assert missed.status == ReminderStatus.MISSED


async def test_a_group_that_never_had_a_channel_is_listed_but_not_held(db: Database) -> None:
    group = await make_group(db, channel_id=None, organizer_ids=[5])
    [item] = await groups_needing_repair(db, GUILD)
    assert item.lacks_channel and item.channel_lost_at is None
    meeting = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=7))
    hour_before = next(r for r in await reminders_of(db, meeting.id) if r.offset_minutes == 60)
    [claim] = await claim_reminders(db, [hour_before.id], "a", hour_before.due_at, LEASE)
    assert claim.channel_id is None
