"""Interactions end to end: a bare discord.py bot answers, the driver captures the answers."""

import asyncio

import discord
import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_bot_logs_in_through_gateway_bot_and_syncs_commands(shared):
    sb, bot = shared
    assert bot.is_ready()
    assert bot.get_guild(sb.world.guild.id) is not None
    assert sb.calls_to("GET", "/gateway/bot")
    assert [scope for scope, _ in sb.world.command_syncs] == [sb.world.guild.id, None]
    assert {c["name"] for c in sb.world.guild_commands[sb.world.guild.id]} >= {"ping", "grp"}


async def test_slash_command_reply_is_captured(shared):
    sb, _ = shared
    reply = await sb.command("alice", "ping")
    assert reply.content == "pong"
    assert not reply.ephemeral
    assert reply.message_id in [m.id for m in sb.messages("general")]


async def test_options_of_every_type_arrive_typed(shared):
    sb, _ = shared
    alice = sb.user("alice")
    role = sb.world.role("Coordinators")
    channel = sb.channel("coordinators")
    reply = await sb.command("bob", "echo", text="ab", count=2, flag=True, who="alice",
                             role="Coordinators", where="coordinators", ratio=0.5)
    assert reply.content == f"abab|True|{alice.id}|{role.id}|{channel.id}|0.5"
    assert reply.ephemeral
    assert reply.message_id not in [m.id for m in sb.messages("general")]


async def test_nested_subcommands(shared):
    sb, _ = shared
    assert (await sb.command("carol", "grp sub", name="x")).content == "sub x"
    assert (await sb.command("carol", "grp inner deep", n=7)).content == "deep 7"


async def test_unknown_option_is_refused_by_the_driver(shared):
    sb, _ = shared
    with pytest.raises(TypeError):
        await sb.command("alice", "ping", nope=1)


async def test_defer_then_followups_replace_thinking_message(shared):
    sb, _ = shared
    reply = await sb.command("alice", "slow")
    assert reply.content == "done"
    more = await sb.followups(reply, 1)
    assert [f.content for f in more] == ["and more"]
    contents = [m.content for m in sb.messages("general")]
    assert "done" in contents and "" not in contents


async def test_defer_then_edit_original(shared):
    sb, _ = shared
    reply = await sb.command("dave", "edit")
    assert reply.content == "edited"


async def test_autocomplete_returns_choices(shared):
    sb, _ = shared
    choices = await sb.autocomplete("alice", "place", "where", "mont")
    assert [c["name"] for c in choices] == ["Montevideo", "Monterrey"]


async def test_button_press_on_a_view(shared):
    sb, _ = shared
    reply = await sb.command("alice", "buttons")
    assert reply.custom_ids() == ["go"]
    pressed = await sb.press_button("erin", reply, "go")
    assert pressed.content == f"pressed by {sb.user('erin').id}"
    assert pressed.ephemeral


async def test_attachment_is_stored_and_readable(shared):
    sb, _ = shared
    reply = await sb.command("alice", "csv")
    assert reply.attachments[0].filename == "attendees.csv"
    assert reply.attachments[0].text().splitlines() == ["name,status", "alice,going"]


async def test_modal_open_and_submit(shared):
    sb, _ = shared
    reply = await sb.command("alice", "feedback")
    assert reply.modal is not None and reply.modal["title"] == "Feedback"
    submitted = await sb.submit_modal("alice", reply, {"answer": "great"})
    assert submitted.content == "thanks: great"


async def test_second_acknowledgement_is_refused_with_40060(shared):
    sb, bot = shared
    bot.errors.clear()
    reply = await sb.command("alice", "twice")
    assert reply.content == "once"
    await sb.wait_for(lambda: len(bot.errors) == 2)
    assert isinstance(bot.errors[0], discord.InteractionResponded)
    assert isinstance(bot.errors[1], discord.HTTPException) and bot.errors[1].code == 40060


async def test_late_acknowledgement_gets_10062(shared):
    sb, bot = shared
    sb.world.ack_deadline_s = 0.05
    try:
        with pytest.raises(TimeoutError):
            await sb.command("alice", "late", timeout=0.2)
        interaction = bot.late_interactions[-1]
        with pytest.raises(discord.NotFound) as caught:
            await interaction.response.send_message("too late")
        assert caught.value.code == 10062
    finally:
        sb.world.ack_deadline_s = 3.0


async def test_followup_before_acknowledgement_is_refused(shared):
    sb, bot = shared
    sb.world.ack_deadline_s = 10
    try:
        with pytest.raises(TimeoutError):
            await sb.command("alice", "late", timeout=0.05)
        interaction = bot.late_interactions[-1]
        with pytest.raises(discord.NotFound):
            await interaction.followup.send("no ack yet")
        await interaction.response.send_message("now")
        await asyncio.sleep(0)
    finally:
        sb.world.ack_deadline_s = 3.0
