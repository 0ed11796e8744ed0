"""Gateway behaviour: events parsed by discord.py, RESUME, INVALID_SESSION, intents."""

import discord
import pytest

from sandbox.gateway import Gateway, Session
from sandbox.permissions import Intent
from sandbox.world import default_world

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def bot_message(sb, bot, content="event target"):
    channel = bot.get_channel(sb.channel("general").id)
    return await channel.send(content)


async def test_reaction_add_remove_and_burst_are_parsed(shared):
    sb, bot = shared
    message = await bot_message(sb, bot)
    alice = sb.user("alice")
    await sb.react("alice", message.id, "✅")
    await sb.react("bob", message.id, "❔", burst=True)
    await sb.unreact("alice", message.id, "✅")
    await sb.react("carol", message.id, "custom:123456789012345678")
    await sb.wait_for(lambda: len([p for p in bot.seen("reaction_add")
                                   if p.message_id == message.id]) == 3
                      and bot.seen("reaction_remove"))
    adds = [p for p in bot.seen("reaction_add") if p.message_id == message.id]
    assert adds[0].user_id == alice.id and adds[0].member.id == alice.id
    assert not adds[0].burst and adds[0].type == discord.ReactionType.normal
    assert adds[1].burst and adds[1].type == discord.ReactionType.burst
    assert adds[2].emoji.id == 123456789012345678
    removed = bot.seen("reaction_remove")[-1]
    assert removed.user_id == alice.id and str(removed.emoji) == "✅"
    assert not bot.errors


async def test_clear_reactions_emit_remove_all_and_remove_emoji(shared):
    sb, bot = shared
    message = await bot_message(sb, bot)
    await sb.react("alice", message.id, "✅")
    await sb.react("bob", message.id, "❌")
    await message.clear_reaction("✅")
    await message.clear_reactions()
    await sb.wait_for(lambda: bot.seen("reaction_clear") and bot.seen("reaction_clear_emoji"))
    assert sb.reactions(message.id) == {}


async def test_a_moderator_clearing_reactions_emits_remove_emoji_then_remove_all(shared):
    sb, bot = shared
    message = await bot_message(sb, bot)
    await sb.react("alice", message.id, "✅")
    await sb.react("bob", message.id, "❌", burst=True)
    await sb.clear_reactions(message.id, "❌")
    await sb.wait_for(
        lambda: any(p.message_id == message.id for p in bot.seen("reaction_clear_emoji"))
    )
    assert list(sb.reactions(message.id)) == ["✅"]
    await sb.clear_reactions(message.id)
    await sb.wait_for(
        lambda: any(p.message_id == message.id for p in bot.seen("reaction_clear"))
    )
    assert sb.reactions(message.id) == {}


async def test_bot_removing_someones_reaction_needs_manage_messages(shared):
    sb, bot = shared
    from sandbox import Perm

    message = await bot_message(sb, bot)
    await sb.react("alice", message.id, "✅")
    member = discord.Object(sb.user("alice").id)
    sb.remove_permission(Perm.MANAGE_MESSAGES)
    try:
        with pytest.raises(discord.Forbidden) as caught:
            await message.remove_reaction("✅", member)
        assert caught.value.code == 50013
    finally:
        sb.grant_permission(Perm.MANAGE_MESSAGES)
    await message.remove_reaction("✅", member)
    assert sb.reactions(message.id) == {}


async def test_message_create_edit_delete_events(shared):
    sb, bot = shared
    message = await bot_message(sb, bot, "to edit")
    await message.edit(content="edited")
    said = await sb.say("alice", "general", "hello bot")
    sb.delete_message(message.id)
    await sb.wait_for(lambda: any(p.message_id == message.id for p in bot.seen("message_delete")))
    assert any(m.id == said.id for m in bot.seen("message"))
    assert any(p.message_id == message.id for p in bot.seen("message_edit"))
    assert [m.content for m in sb.messages("general") if m.id == message.id] == []


async def test_resume_replays_missed_events(shared):
    sb, bot = shared
    message = await bot_message(sb, bot)
    resumes = sb.gateway.resume_count
    await sb.drop_gateway(resumable=True)
    await sb.react("dave", message.id, "✅")  # sent while the bot is away
    await sb.wait_for(lambda: sb.gateway.resume_count == resumes + 1)
    await sb.wait_for(lambda: any(p.message_id == message.id for p in bot.seen("reaction_add")))
    assert bot.seen("resumed")
    await sb.wait_ready()


async def test_invalid_session_leads_to_fresh_identify_and_ready(shared):
    sb, bot = shared
    identifies = sb.gateway.identify_count
    await sb.drop_gateway(resumable=False)
    await sb.wait_for(lambda: sb.gateway.identify_count == identifies + 1)
    await sb.wait_ready()
    reply = await sb.command("alice", "ping")
    assert reply.content == "pong"
    assert bot.is_ready()


async def test_intents_gate_events():
    world = default_world()
    gateway = Gateway(world)
    only_reactions = Session("a", 0, 1, int(Intent.GUILDS | Intent.GUILD_MESSAGE_REACTIONS))
    gateway.sessions["a"] = only_reactions
    gid = world.guild.id
    gateway.dispatch("MESSAGE_CREATE", {}, gid, Intent.GUILD_MESSAGES)
    assert only_reactions.seq == 0
    gateway.dispatch("MESSAGE_REACTION_ADD", {}, gid, Intent.GUILD_MESSAGE_REACTIONS)
    gateway.dispatch("INTERACTION_CREATE", {}, gid, None)
    assert only_reactions.seq == 2


async def test_op7_reconnect_resumes(shared):
    sb, _ = shared
    resumes = sb.gateway.resume_count
    await sb.gateway.request_reconnect()
    await sb.wait_for(lambda: sb.gateway.resume_count == resumes + 1)
    await sb.wait_ready()
    assert (await sb.command("bob", "ping")).content == "pong"


async def test_a_burst_written_in_one_write_reaches_discord_py_whole_and_in_order(shared):
    sb, bot = shared
    message = await bot_message(sb, bot, "one-write burst")
    crowd = sb.world.add_users(sb.world.guild, 300, prefix="crowd")
    sent = await sb.react_burst([(user, message.id, "✅") for user in crowd], one_write=True)
    assert sent == 300

    def arrived():
        return [p.user_id for p in bot.seen("reaction_add") if p.message_id == message.id]

    await sb.wait_for(lambda: len(arrived()) == 300)
    assert arrived() == [user.id for user in crowd]
    assert not bot.errors
