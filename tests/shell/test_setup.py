"""/setup end to end: only Manage Server may configure; choices take effect."""

from __future__ import annotations

from tests.support.group_steps import configure, propose
from tests.support.gug import Gug


async def test_setup_needs_manage_server(gug: Gug) -> None:
    role = gug.sb.world.role("Coordinators")
    reply = await gug.sb.command("coord", "setup coordinator-role", role=role.id)
    assert reply.ephemeral and "Manage Server" in reply.text


async def test_coordinator_role_takes_effect(gug: Gug) -> None:
    before = await gug.sb.command("coord", "coord pending")
    assert "Only coordinators" in before.text
    await configure(gug)
    after = await gug.sb.command("coord", "coord pending")
    assert "Nothing is waiting" in after.text


async def test_without_a_category_channels_are_created_at_the_top_level(gug: Gug) -> None:
    sb = gug.sb
    await sb.command("admin", "setup coordinator-role", role=sb.world.role("Coordinators").id)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    reply = await sb.command("coord", "coord approve", group="GUG Lima")
    assert "Approved" in reply.text
    assert sb.channel("gug-lima").parent_id is None
