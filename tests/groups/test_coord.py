"""/coord end to end: pending, approve, reject, archive, stats, announce, refusals, audit."""

from __future__ import annotations

import pytest

from db.audit import audit_entries
from sandbox.permissions import Perm
from tests.support.group_steps import active_group, configure, propose
from tests.support.gug import Gug


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("coord pending", {}),
        ("coord approve", {"group": "GUG Lima"}),
        ("coord reject", {"group": "GUG Lima", "reason": "no"}),
        ("coord archive", {"group": "GUG Lima"}),
        ("coord stats", {}),
        ("coord announce", {"message": "hello"}),
    ],
)
async def test_non_coordinators_are_refused_and_told_which_role(
    gug: Gug, command: str, options: dict[str, str]
) -> None:
    await configure(gug)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    reply = await gug.sb.command("bob", command, **options)
    assert reply.ephemeral
    assert "Only coordinators" in reply.text and "coordinator role" in reply.text


async def test_pending_lists_proposals_and_approve_autocompletes_pending_only(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    await propose(gug, "bob", "GUG Quito", "Quito", "Ecuador")
    pending = await sb.command("coord", "coord pending")
    assert "GUG Quito" in pending.text and "GUG Lima" not in pending.text
    choices = await sb.autocomplete("coord", "coord approve", "group", "gug")
    assert [c["name"].split(" — ")[0] for c in choices] == ["GUG Quito"]


async def test_approving_a_rejected_group_is_refused(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    rejected = await sb.command("coord", "coord reject", group="GUG Lima", reason="Too small")
    assert "Rejected" in rejected.text
    assert "Too small" in sb.dms("alice")[-1].content
    again = await sb.command("coord", "coord approve", group="GUG Lima")
    assert "was rejected" in again.text


async def test_restart_between_proposal_and_approval(gug: Gug) -> None:
    await configure(gug)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    await gug.restart()
    reply = await gug.sb.command("coord", "coord approve", group="GUG Lima")
    assert "Approved" in reply.text


async def test_archive_hides_group_and_audit_log_records_every_action(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    archived = await sb.command("coord", "coord archive", group="GUG Lima", reason="Quiet")
    assert "Archived" in archived.text
    found = await sb.command("bob", "findgroup", place="Lima")
    assert "GUG Lima" not in found.text.split("Nearest")[0] or "no group" in found.text
    entries = await audit_entries(gug.bot.db, sb.world.guild.id)
    assert [(e.action, e.actor_id, e.reason) for e in entries][:2] == [
        ("archive", sb.user("coord").id, "Quiet"),
        ("approve", sb.user("coord").id, None),
    ]


async def test_stats_show_members_and_dormant_flag(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    reply = await sb.command("coord", "coord stats")
    assert "GUG Lima" in reply.text and "1 member ·" in reply.text and "never met" in reply.text
    assert "1 active group," in reply.text
    [sheet] = reply.attachments
    rows = sheet.text().splitlines()
    assert rows[0].startswith("group,members,meetings_90d")
    assert rows[1] == "GUG Lima,1,0,,,no,no"


async def test_announce_reaches_every_group_channel_pinging_nobody(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    await active_group(gug, "bob", "GUG Quito", "Quito", "Ecuador")
    sb.remove_permission(Perm.MANAGE_CHANNELS)
    await active_group(gug, "carol", "GUG Puebla", "Puebla", "Mexico")
    reply = await sb.command(
        "coord", "coord announce", message="Hi @everyone <@&1> news", timeout=10
    )
    assert "Posted in 2 group channels" in reply.text
    assert "GUG Puebla (no channel)" in reply.text
    for channel in ("gug-lima", "gug-quito"):
        [message] = [m for m in sb.messages(channel) if "news" in m.content]
        assert sb.pinged(message) == set()
