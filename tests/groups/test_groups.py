"""/group end to end: propose, review buttons, join, leave, info, list, edit, organizers."""

from __future__ import annotations

import asyncio

from sandbox.permissions import Perm
from tests.support.group_steps import active_group, configure, proposal_message, propose, settle
from tests.support.gug import Gug


async def test_proposal_is_posted_for_review_and_approve_button_sets_the_group_up(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    reply = await propose(
        gug, "alice", "GUG Rosario", "rosario", "Argentina", description="Hi @everyone"
    )
    assert reply.ephemeral
    assert "waiting" in reply.text and "America/Argentina/Cordoba" in reply.text
    message = proposal_message(gug, "GUG Rosario")
    ids = sb.snapshot(message).custom_ids()
    assert len(ids) == 2
    approve = await sb.press_button("coord", message, ids[0])
    assert approve.ephemeral and "Approved" in approve.text
    channel = sb.channel("gug-rosario")
    assert channel.parent_id == sb.channel("Groups").id
    assert sb.world.role("GUG Rosario")
    [dm] = sb.dms("alice")
    assert "approved" in dm.content and f"<#{channel.id}>" in dm.content
    assert sb.snapshot(message).custom_ids() == []
    assert sb.pinged(message) == set()


async def test_non_coordinator_cannot_press_approve(gug: Gug) -> None:
    await configure(gug)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    message = proposal_message(gug, "GUG Lima")
    reply = await gug.sb.press_button("bob", message, gug.sb.snapshot(message).custom_ids()[0])
    assert reply.ephemeral and "Only coordinators" in reply.text


async def test_approve_button_keeps_working_after_a_restart(gug: Gug) -> None:
    await configure(gug)
    await propose(gug, "alice", "GUG Puebla", "Puebla", "México")
    message = proposal_message(gug, "GUG Puebla")
    await gug.restart()
    reply = await gug.sb.press_button("coord", message, gug.sb.snapshot(message).custom_ids()[0])
    assert "Approved" in reply.text


async def test_reject_button_asks_for_a_reason_the_proposer_receives(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await propose(gug, "alice", "GUG Quito", "Quito", "Ecuador")
    message = proposal_message(gug, "GUG Quito")
    opened = await sb.press_button("coord", message, sb.snapshot(message).custom_ids()[1])
    assert opened.modal is not None
    done = await sb.submit_modal("coord", opened, {"reason": "There is one in Guayaquil"})
    assert "Rejected" in done.text
    assert "There is one in Guayaquil" in sb.dms("alice")[-1].content


async def test_approval_without_manage_permissions_still_approves_and_says_what_is_missing(
    gug: Gug,
) -> None:
    sb = gug.sb
    await configure(gug)
    sb.remove_permission(Perm.MANAGE_ROLES)
    sb.remove_permission(Perm.MANAGE_CHANNELS)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    reply = await sb.command("coord", "coord approve", group="GUG Lima")
    assert "Approved" in reply.text
    assert "Manage Roles" in reply.text and "Manage Channels" in reply.text
    found = await sb.command("bob", "findgroup", place="lima")
    assert "GUG Lima" in found.text


async def test_closed_dms_fall_back_to_a_mention_in_a_channel(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    sb.set_dms("alice", open=False)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    reply = await sb.command("coord", "coord approve", group="GUG Lima")
    assert "DMs are closed" in reply.text
    [notice] = [m for m in sb.messages("gug-lima") if "approved" in m.content]
    assert sb.pinged(notice) == {sb.user("alice").id}


async def test_closed_dms_are_remembered_and_not_tried_again_after_a_restart(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    sb.set_dms("alice", open=False)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    await sb.command("coord", "coord approve", group="GUG Lima")
    dm_attempts = len(sb.calls_to("POST", "/users/@me/channels"))
    assert dm_attempts == 1
    await gug.restart()
    await propose(gug, "alice", "GUG Cusco", "Cusco", "Peru")
    reply = await sb.command("coord", "coord reject", group="GUG Cusco", reason="Too close to Lima")
    assert "DMs are closed" in reply.text
    # Discord already refused a DM to alice: no new attempt, which would count towards a ban.
    assert len(sb.calls_to("POST", "/users/@me/channels")) == dm_attempts


async def test_join_leave_and_info_with_join_button(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    info = await sb.command("bob", "group info", group=str(group_id))
    assert "Members" in info.text and "1" in info.text
    joined = await sb.press_button("bob", info.message_id, f"gug:join:{group_id}")
    assert "Welcome" in joined.text
    role = sb.world.role("GUG Lima")
    assert role.id in sb.world.guild.members[sb.user("bob").id].roles
    again = await sb.command("bob", "group join", group="gug lima")
    assert "already a member" in again.text
    left = await sb.command("bob", "group leave", group="GUG Lima")
    assert "You left" in left.text
    assert role.id not in sb.world.guild.members[sb.user("bob").id].roles
    last = await sb.command("alice", "group leave", group="GUG Lima")
    assert "at least one organizer" in last.text


async def test_propose_refuses_bad_input(gug: Gug) -> None:
    sb = gug.sb
    long = await propose(gug, "alice", "x" * 81, "Lima", "Peru")
    assert "limit is 80" in long.text
    ping = await propose(gug, "alice", "GUG @everyone", "Lima", "Peru")
    assert "mentions" in ping.text
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru")
    dup = await propose(gug, "bob", "gug líma", "Lima", "Peru")
    assert "already a group" in dup.text
    await propose(gug, "alice", "GUG 2", "Lima", "Peru")
    await propose(gug, "alice", "GUG 3", "Lima", "Peru")
    fourth = await propose(gug, "alice", "GUG 4", "Lima", "Peru")
    assert "3 proposals waiting" in fourth.text
    description = await propose(gug, "bob", "GUG B", "Lima", "Peru", description="d" * 1001)
    assert "limit is 1000" in description.text
    assert all(reply.ephemeral for reply in (long, ping, dup, fourth, description))
    assert sb.messages("coordinators") == []  # no review channel configured: /coord pending only


async def test_edit_and_organizers(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Monterrey", "Monterrey", "Mexico")
    refused = await sb.command("bob", "group edit", group=str(group_id), description="mine")
    assert "Only this group's organizers" in refused.text
    bad_zone = await sb.command("alice", "group edit", group=str(group_id), timezone="Mars/Base")
    assert "not a time zone" in bad_zone.text
    edited = await sb.command(
        "alice", "group edit", group=str(group_id), city="Puebla", timezone="America/Mexico_City"
    )
    assert "Puebla" in edited.text and "America/Mexico_City" in edited.text
    found = await sb.command("carol", "findgroup", place="puebla")
    assert "GUG Monterrey" in found.text
    added = await sb.command(
        "alice", "group organizer-add", group=str(group_id), member=sb.user("bob").id
    )
    assert "now organizes" in added.text
    removed = await sb.command(
        "bob", "group organizer-remove", group=str(group_id), member=sb.user("alice").id
    )
    assert "no longer organizes" in removed.text
    last = await sb.command(
        "bob", "group organizer-remove", group=str(group_id), member=sb.user("bob").id
    )
    assert "at least one organizer" in last.text


async def test_list_by_country(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await active_group(gug, "alice", "GUG Monterrey", "Monterrey", "Mexico")
    await active_group(gug, "bob", "GUG Lima", "Lima", "Peru")
    mexico = await sb.command("carol", "group list", country="México")
    assert "GUG Monterrey" in mexico.text and "GUG Lima" not in mexico.text
    everything = await sb.command("carol", "group list")
    assert "GUG Monterrey" in everything.text and "GUG Lima" in everything.text
    unknown = await sb.command("carol", "group list", country="Atlantis")
    assert "do not know a country" in unknown.text


async def test_group_cards_shown_to_many_leave_nothing_running(gug: Gug) -> None:
    # discord.py would keep each ephemeral card's view, with a 15-minute timer, in memory.
    sb = gug.sb
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Lima", "Lima", "Peru")
    await settle(gug)
    running = len(asyncio.all_tasks())
    for _ in range(10):
        card = await sb.command("bob", "group info", group=str(group_id))
        await sb.press_button("bob", card, f"gug:join:{group_id}")
    await settle(gug)
    assert len(asyncio.all_tasks()) <= running + 2
