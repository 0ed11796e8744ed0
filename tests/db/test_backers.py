"""Backers of a proposal: counted once, and approval waits for the server's minimum."""

from __future__ import annotations

import asyncio

import pytest

from core.errors import InvalidInput
from db.backers import back_proposal, backers_of, set_min_backers
from db.engine import Database
from db.groups import approve_group
from db.models import Membership
from tests.factories import COORDINATOR, GUILD, NOW, proposed


async def test_backing_twice_counts_once(db: Database) -> None:
    group = await proposed(db, "GUG Rosario", "Rosario", "AR")
    first = await back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    again = await back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    other = await back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=8, now=NOW)
    assert (first.added, first.backers) == (True, 1)
    assert (again.added, again.backers) == (False, 1)
    assert (other.added, other.backers) == (True, 2)
    assert await backers_of(db, group.id) == [7, 8]


async def test_the_proposer_cannot_back_their_own_proposal(db: Database) -> None:
    group = await proposed(db, "GUG Rosario", "Rosario", "AR", proposer=500)
    with pytest.raises(InvalidInput):
        await back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=500, now=NOW)


async def test_approval_is_refused_below_min_backers_and_succeeds_at_it(db: Database) -> None:
    await set_min_backers(db, GUILD, 2)
    group = await proposed(db, "GUG Rosario", "Rosario", "AR")
    await back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    with pytest.raises(InvalidInput) as refused:
        await approve_group(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW)
    assert refused.value.params["missing"] == 1
    assert "1 more" in str(refused.value)
    await back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=8, now=NOW)
    approved = await approve_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW
    )
    assert approved.status == "active"


async def test_backers_become_members_on_approval(db: Database) -> None:
    group = await proposed(db, "GUG Rosario", "Rosario", "AR")
    await back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    await approve_group(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW)
    async with db.read() as session:
        membership = await session.get(Membership, (group.id, 7))
    assert membership is not None and not membership.is_organizer
    with pytest.raises(InvalidInput):
        await back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=9, now=NOW)


async def test_without_a_minimum_no_backer_is_needed(db: Database) -> None:
    group = await proposed(db, "GUG Rosario", "Rosario", "AR")
    approved = await approve_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW
    )
    assert approved.status == "active"


async def test_min_backers_must_be_sensible(db: Database) -> None:
    with pytest.raises(InvalidInput):
        await set_min_backers(db, GUILD, -1)


async def test_the_same_backer_pressing_twice_at_once_counts_once(db: Database) -> None:
    group = await proposed(db, "GUG Rosario", "Rosario", "AR")
    results = await asyncio.gather(
        *(back_proposal(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW) for _ in "ab")
    )
    assert sorted(result.added for result in results) == [False, True]
    assert await backers_of(db, group.id) == [7]
