"""Group lifecycle rules: propose, approve, reject, archive, edit — on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import InvalidInput, NotAllowed, NotFound
from db.audit import audit_entries
from db.groups import (
    Actor,
    approve_group,
    archive_group,
    edit_group,
    pending_groups,
    reject_group,
)
from db.models import Group, GroupStatus, Membership
from tests.factories import COORDINATOR, GUILD, NOW, active, place, proposed

MEMBER = Actor(user_id=77)


async def test_proposal_is_pending_with_time_zone_inferred_from_city(db):
    group = await proposed(db, "GUG Monterrey", "Monterrey", "MX")
    assert group.status == GroupStatus.PENDING
    assert group.timezone == "America/Monterrey"
    assert group.country == "Mexico"
    assert [g.id for g in await pending_groups(db, GUILD)] == [group.id]


@pytest.mark.parametrize("duplicate", ["gug montevideo", "GUG  MONTEVIDEO", "GÚG Montevídeo"])
async def test_name_is_unique_per_server_ignoring_case_and_accents(db, duplicate):
    await proposed(db, "GUG Montevideo")
    with pytest.raises(InvalidInput, match="already a group"):
        await proposed(db, duplicate, proposer=501)


async def test_same_name_is_allowed_in_another_server(db):
    await proposed(db, "GUG Montevideo")
    other = await proposed(db, "GUG Montevideo", guild=GUILD + 1)
    assert other.status == GroupStatus.PENDING


async def test_fourth_pending_proposal_of_one_user_is_refused(db):
    for city in ("Rosario", "Puebla", "Cuenca"):
        await proposed(db, f"GUG {city}", city, "AR" if city == "Rosario" else "MX")
    with pytest.raises(NotAllowed, match="3 proposals waiting"):
        await proposed(db, "GUG Lima", "Lima", "PE")
    await proposed(db, "GUG Lima", "Lima", "PE", proposer=999)


async def test_decided_proposals_do_not_count_towards_the_limit(db):
    first = await proposed(db, "GUG A")
    await proposed(db, "GUG B")
    await proposed(db, "GUG C")
    await approve_group(db, guild_id=GUILD, group_id=first.id, actor=COORDINATOR, now=NOW)
    assert (await proposed(db, "GUG D")).status == GroupStatus.PENDING


async def test_approval_activates_and_makes_proposer_organizer_and_member(db):
    group = await proposed(db, "GUG Rosario", "Rosario", "AR", proposer=42)
    approved = await approve_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW
    )
    assert approved.status == GroupStatus.ACTIVE
    async with db.read() as session:
        membership = await session.get(Membership, (group.id, 42))
    assert membership is not None and membership.is_organizer
    [entry] = await audit_entries(db, GUILD)
    assert (entry.action, entry.actor_id, entry.group_id) == ("approve", 1, group.id)


@pytest.mark.parametrize(
    ("first", "message"),
    [("approve", "already approved"), ("reject", "was rejected"), ("archive", "archived")],
)
async def test_a_decided_group_cannot_be_approved_again(db, first, message):
    group = await proposed(db, "GUG Puebla", "Puebla", "MX")
    if first in ("approve", "archive"):
        await approve_group(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW)
    if first == "archive":
        await archive_group(
            db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason=None, now=NOW
        )
    if first == "reject":
        await reject_group(
            db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason="dup", now=NOW
        )
    with pytest.raises(InvalidInput, match=message):
        await approve_group(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW)


async def test_rejection_needs_a_reason_and_records_it(db):
    group = await proposed(db, "GUG Cuenca", "Cuenca", "EC")
    with pytest.raises(InvalidInput):
        await reject_group(
            db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason="  ", now=NOW
        )
    rejected = await reject_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason="Too close", now=NOW
    )
    assert (rejected.status, rejected.decision_reason) == (GroupStatus.REJECTED, "Too close")
    [entry] = await audit_entries(db, GUILD)
    assert (entry.action, entry.reason) == ("reject", "Too close")


async def test_a_rejected_name_can_be_proposed_again(db):
    group = await proposed(db, "GUG Cuenca", "Cuenca", "EC")
    await reject_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason="later", now=NOW
    )
    again = await proposed(db, "GUG Cuenca", "Cuenca", "EC")
    assert again.id != group.id


async def test_an_active_group_cannot_be_rejected_only_archived(db):
    group = await active(db, "GUG Lima", "Lima", "PE")
    with pytest.raises(InvalidInput, match="already approved"):
        await reject_group(
            db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason="x", now=NOW
        )
    archived = await archive_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason="inactive", now=NOW
    )
    assert archived.status == GroupStatus.ARCHIVED
    with pytest.raises(InvalidInput, match="already archived"):
        await archive_group(
            db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason=None, now=NOW
        )
    async with db.read() as session:
        # History stays: the organizer's membership is kept.
        assert await session.scalar(select(Membership).where(Membership.group_id == group.id))


async def test_a_pending_proposal_cannot_be_archived(db):
    group = await proposed(db, "GUG Quito", "Quito", "EC")
    with pytest.raises(InvalidInput, match="/coord reject"):
        await archive_group(
            db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, reason=None, now=NOW
        )


@pytest.mark.parametrize("action", ["approve", "reject", "archive"])
async def test_only_coordinators_decide(db, action):
    group = await proposed(db, "GUG Quito", "Quito", "EC")
    kwargs = dict(guild_id=GUILD, group_id=group.id, actor=MEMBER, now=NOW)
    with pytest.raises(NotAllowed, match="coordinator"):
        if action == "approve":
            await approve_group(db, **kwargs)
        elif action == "reject":
            await reject_group(db, reason="no", **kwargs)
        else:
            await archive_group(db, reason=None, **kwargs)


async def test_decisions_about_another_servers_group_are_not_found(db):
    group = await proposed(db, "GUG Quito", "Quito", "EC")
    with pytest.raises(NotFound):
        await approve_group(db, guild_id=GUILD + 1, group_id=group.id, actor=COORDINATOR, now=NOW)


async def test_organizer_edits_name_place_and_zone(db):
    group = await active(db, "GUG Monterrey", "Monterrey", "MX", proposer=42)
    edited = await edit_group(
        db,
        guild_id=GUILD,
        group_id=group.id,
        actor=Actor(42),
        now=NOW,
        name="GUG Nuevo León",
        place=place("Puebla", "MX"),
        timezone="America/Mexico_City",
    )
    assert (edited.name, edited.city, edited.timezone) == (
        "GUG Nuevo León",
        "Puebla",
        "America/Mexico_City",
    )
    async with db.read() as session:
        stored = await session.get(Group, group.id)
    assert stored is not None and stored.name_key == "gug nuevo leon"


async def test_non_organizer_cannot_edit_but_coordinator_can(db):
    group = await active(db, "GUG Monterrey", "Monterrey", "MX", proposer=42)
    with pytest.raises(NotAllowed, match="organizers"):
        await edit_group(
            db, guild_id=GUILD, group_id=group.id, actor=MEMBER, now=NOW, description="x"
        )
    edited = await edit_group(
        db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW, description="y"
    )
    assert edited.description == "y"


async def test_renaming_to_an_existing_name_is_refused(db):
    await active(db, "GUG Lima", "Lima", "PE")
    group = await active(db, "GUG Quito", "Quito", "EC")
    with pytest.raises(InvalidInput, match="already a group"):
        await edit_group(
            db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW, name="gug LIMA"
        )
