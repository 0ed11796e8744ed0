"""Membership and organizer rules on both backends."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput, NotAllowed
from db.groups import Actor
from db.memberships import add_organizer, join_group, leave_group, remove_organizer
from tests.factories import COORDINATOR, GUILD, NOW, active, proposed

ORGANIZER = Actor(42)


async def test_join_twice_changes_nothing_the_second_time(db):
    group = await active(db, "GUG Lima", "Lima", "PE")
    first = await join_group(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    second = await join_group(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    assert (first.changed, second.changed) == (True, False)


async def test_pending_group_cannot_be_joined(db):
    group = await proposed(db, "GUG Lima", "Lima", "PE")
    with pytest.raises(InvalidInput, match="not an active group"):
        await join_group(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)


async def test_leave_removes_membership_and_leaving_twice_is_harmless(db):
    group = await active(db, "GUG Lima", "Lima", "PE")
    await join_group(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    assert (await leave_group(db, guild_id=GUILD, group_id=group.id, user_id=7)).changed
    assert not (await leave_group(db, guild_id=GUILD, group_id=group.id, user_id=7)).changed


async def test_last_organizer_cannot_leave_or_be_removed(db):
    group = await active(db, "GUG Lima", "Lima", "PE", proposer=42)
    with pytest.raises(NotAllowed, match="at least one organizer"):
        await leave_group(db, guild_id=GUILD, group_id=group.id, user_id=42)
    with pytest.raises(NotAllowed, match="at least one organizer"):
        await remove_organizer(
            db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, user_id=42, now=NOW
        )


async def test_organizer_adds_a_co_organizer_who_can_then_remove_the_first(db):
    group = await active(db, "GUG Lima", "Lima", "PE", proposer=42)
    added = await add_organizer(
        db, guild_id=GUILD, group_id=group.id, actor=ORGANIZER, user_id=8, now=NOW
    )
    assert added.changed
    removed = await remove_organizer(
        db, guild_id=GUILD, group_id=group.id, actor=Actor(8), user_id=42, now=NOW
    )
    assert removed.changed
    # The removed organizer stays a member and can now leave.
    assert (await leave_group(db, guild_id=GUILD, group_id=group.id, user_id=42)).changed


async def test_members_who_do_not_organize_cannot_add_organizers(db):
    group = await active(db, "GUG Lima", "Lima", "PE", proposer=42)
    await join_group(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    with pytest.raises(NotAllowed, match="organizers"):
        await add_organizer(
            db, guild_id=GUILD, group_id=group.id, actor=Actor(7), user_id=7, now=NOW
        )


async def test_removing_someone_who_is_not_an_organizer_changes_nothing(db):
    group = await active(db, "GUG Lima", "Lima", "PE", proposer=42)
    result = await remove_organizer(
        db, guild_id=GUILD, group_id=group.id, actor=ORGANIZER, user_id=9, now=NOW
    )
    assert not result.changed
