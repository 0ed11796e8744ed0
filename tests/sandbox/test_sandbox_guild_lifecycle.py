"""A guild over years as discord.py sees it: roles deleted, members leaving, the bot
kicked and added back, an outage."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from sandbox import Sandbox


def record(bot: Any, *events: str) -> None:
    """Record the given discord.py events in ``bot.seen``."""
    for event in events:

        async def listener(*args: Any, name: str = event) -> None:
            bot.record(name, args[-1] if args else None)

        bot.add_listener(listener, f"on_{event}")


async def test_a_deleted_role_reaches_discord_py_and_leaves_members(bot_runner: Any) -> None:
    async with Sandbox.start() as sb, bot_runner(sb) as bot:
        record(bot, "guild_role_delete")
        role = sb.world.role("Coordinators")
        sb.delete_role(role)
        await sb.wait_for(lambda: bot.seen("guild_role_delete"))
        assert bot.seen("guild_role_delete")[0].id == role.id
        assert bot.get_guild(sb.world.guild.id).get_role(role.id) is None
        assert role.id not in sb.world.guild.members[sb.user("coord").id].roles


async def test_a_member_who_left_is_unknown_to_fetch_member(bot_runner: Any) -> None:
    async with Sandbox.start() as sb, bot_runner(sb) as bot:
        guild = bot.get_guild(sb.world.guild.id)
        assert (await guild.fetch_member(sb.user("alice").id)).id == sb.user("alice").id
        sb.remove_member("alice")
        with pytest.raises(discord.NotFound) as error:
            await guild.fetch_member(sb.user("alice").id)
        assert error.value.code == 10007


async def test_kick_is_guild_remove_outage_is_unavailable_and_re_add_is_join(
    bot_runner: Any,
) -> None:
    async with Sandbox.start() as sb, bot_runner(sb) as bot:
        record(bot, "guild_remove", "guild_unavailable", "guild_available", "guild_join")
        guild_id = sb.world.guild.id

        sb.guild_outage()
        await sb.wait_for(lambda: bot.seen("guild_available"))
        assert [g.id for g in bot.seen("guild_unavailable")] == [guild_id]
        assert bot.seen("guild_remove") == []

        sb.remove_bot()
        await sb.wait_for(lambda: bot.seen("guild_remove"))
        assert bot.get_guild(guild_id) is None
        with pytest.raises(discord.Forbidden):
            await bot.get_partial_messageable(sb.channel("general").id).send("still here?")

        sb.add_bot()
        await sb.wait_for(lambda: bot.seen("guild_join"))
        assert bot.seen("guild_join")[0].id == guild_id
        assert bot.get_guild(guild_id) is not None


async def test_a_guild_the_bot_left_is_not_in_the_next_ready(bot_runner: Any) -> None:
    async with Sandbox.start() as sb:
        sb.remove_bot()
        async with bot_runner(sb) as bot:
            assert list(bot.guilds) == []
