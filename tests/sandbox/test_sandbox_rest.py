"""REST answers as Discord gives them: limits, permissions, DMs, nonces, mentions, 429s."""

from datetime import UTC, datetime, timedelta

import discord
import pytest

from sandbox import Perm

pytestmark = pytest.mark.asyncio(loop_scope="module")


def general(sb, bot):
    return bot.get_channel(sb.channel("general").id)


async def test_every_json_answer_has_exact_content_type(shared):
    sb, _ = shared
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"{sb.base_url}/api/v10/users/@me",
                               headers={"Authorization": f"Bot {sb.token}"}) as resp:
            assert resp.headers["Content-Type"] == "application/json"
        async with session.get(f"{sb.base_url}/api/v10/users/@me") as resp:
            assert resp.status == 401


async def test_content_over_2000_is_50035(shared):
    sb, bot = shared
    with pytest.raises(discord.HTTPException) as caught:
        await general(sb, bot).send("x" * 2001)
    assert caught.value.status == 400 and caught.value.code == 50035
    assert sb.calls[-1].status == 400


@pytest.mark.parametrize("embed", [
    discord.Embed(title="t" * 257),
    discord.Embed(description="d" * 4097),
    discord.Embed(title="ok").set_footer(text="f" * 2049),
    discord.Embed(title="ok").set_author(name="a" * 257),
    discord.Embed(title="ok").add_field(name="n", value="v" * 1025),
])
async def test_embed_over_limits_is_50035_with_errors_tree(shared, embed):
    sb, bot = shared
    with pytest.raises(discord.HTTPException) as caught:
        await general(sb, bot).send(embed=embed)
    assert caught.value.code == 50035
    assert "embeds.0" in caught.value.text


async def test_embed_total_over_6000_and_26_fields(shared):
    sb, bot = shared
    big = [discord.Embed(description="d" * 4000), discord.Embed(description="d" * 2001)]
    with pytest.raises(discord.HTTPException) as caught:
        await general(sb, bot).send(embeds=big)
    assert caught.value.code == 50035
    many = discord.Embed(title="x")
    for i in range(26):
        many.add_field(name=str(i), value="v")
    with pytest.raises(discord.HTTPException):
        await general(sb, bot).send(embed=many)


async def test_empty_message_is_50006(shared):
    sb, bot = shared
    with pytest.raises(discord.HTTPException) as caught:
        await bot.http.send_message(sb.channel("general").id, params=discord.http.MultipartParameters(
            payload={"content": ""}, multipart=None, files=None))
    assert caught.value.code == 50006


async def test_missing_permission_is_403_50013(shared):
    sb, bot = shared
    guild = bot.get_guild(sb.world.guild.id)
    sb.remove_permission(Perm.MANAGE_CHANNELS)
    try:
        with pytest.raises(discord.Forbidden) as caught:
            await guild.create_text_channel("nope")
        assert caught.value.code == 50013
    finally:
        sb.grant_permission(Perm.MANAGE_CHANNELS)


async def test_closed_dms_are_403_50007_and_open_dms_arrive(shared):
    sb, bot = shared
    bob = await bot.fetch_user(sb.user("bob").id)
    sb.set_dms("bob", open=False)
    try:
        with pytest.raises(discord.Forbidden) as caught:
            await bob.send("hi")
        assert caught.value.code == 50007
    finally:
        sb.set_dms("bob", open=True)
    await bob.send("hello")
    assert [m.content for m in sb.dms("bob")] == ["hello"]


async def test_unknown_message_and_channel(shared):
    sb, bot = shared
    with pytest.raises(discord.NotFound) as caught:
        await general(sb, bot).fetch_message(1234567890123)
    assert caught.value.code == 10008
    with pytest.raises(discord.NotFound) as caught:
        await bot.http.send_message(42, params=discord.http.MultipartParameters(
            payload={"content": "x"}, multipart=None, files=None))
    assert caught.value.code == 10003


async def test_duplicate_nonce_returns_the_same_message(shared):
    sb, bot = shared
    channel = general(sb, bot)
    first = await channel.send("reminder", nonce="rem-1")
    second = await channel.send("reminder", nonce="rem-1")
    assert first.id == second.id
    assert [m.content for m in sb.messages("general")].count("reminder") == 1
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send("x", nonce="n" * 26)
    assert caught.value.code == 50035


async def test_emoji_written_as_colon_name_is_10014(shared):
    sb, bot = shared
    message = await general(sb, bot).send("react here")
    with pytest.raises(discord.HTTPException) as caught:
        await message.add_reaction(":white_check_mark:")
    assert caught.value.code == 10014
    await message.add_reaction("✅")
    assert sb.reactions(message.id) == {"✅": {"normal": [sb.world.bot.id], "burst": []}}


async def test_allowed_mentions_none_pings_nobody(shared):
    sb, bot = shared
    role = sb.world.role("Coordinators")
    alice = sb.user("alice")
    text = f"@everyone <@&{role.id}> <@{alice.id}>"
    silent = await general(sb, bot).send(text, allowed_mentions=discord.AllowedMentions.none())
    assert sb.pinged(silent.id) == set()
    default = await general(sb, bot).send(text)
    # The bot lacks Mention Everyone: @everyone is inert, the mentionable role pings coord.
    assert sb.pinged(default.id) == {alice.id, sb.user("coord").id}
    only_alice = await general(sb, bot).send(
        text, allowed_mentions=discord.AllowedMentions(everyone=False, roles=False,
                                                       users=[discord.Object(alice.id)]))
    assert sb.pinged(only_alice.id) == {alice.id}


async def test_429_with_via_is_retried_and_succeeds(shared):
    sb, bot = shared
    sb.faults.rate_limit("POST", "/channels/*/messages", times=1, retry_after=0.05)
    message = await general(sb, bot).send("after a 429")
    statuses = [c.status for c in sb.calls_to("POST", "/messages")][-2:]
    assert statuses == [429, 200]
    assert message.content == "after a 429"


async def test_slow_response_fault_delays(shared):
    sb, bot = shared
    import time

    sb.faults.slow("GET", "/users/@me", delay=0.2)
    start = time.monotonic()
    await bot.http.get_user(sb.world.bot.id)  # not faulted: different path
    await bot.http.static_login(sb.token)
    assert time.monotonic() - start >= 0.2


async def test_reaction_users_paginate_100_per_page_with_after(shared):
    sb, bot = shared
    crowd = sb.world.add_users(sb.world.guild, 150)
    message = await general(sb, bot).send("crowd")
    await sb.react_burst([(u, message.id, "✅") for u in crowd])
    await sb.react("alice", message.id, "✅", burst=True)
    fetched = await general(sb, bot).fetch_message(message.id)
    reaction = fetched.reactions[0]
    assert reaction.normal_count == 150 and reaction.burst_count == 1
    users = [u async for u in reaction.users(limit=None)]
    assert sorted(u.id for u in users) == sorted(u.id for u in crowd)
    pages = [c for c in sb.calls_to("GET", "/reactions/") if c.status == 200]
    assert len(pages) >= 2 and "after" in pages[-1].query
    burst = await bot.http.get_reaction_users(sb.channel("general").id, message.id, "✅",
                                              100, type=1)
    assert [u["id"] for u in burst] == [str(sb.user("alice").id)]


async def test_role_hierarchy_and_manage_roles(shared):
    sb, bot = shared
    guild = bot.get_guild(sb.world.guild.id)
    member = await guild.fetch_member(sb.user("alice").id)
    coordinators = guild.get_role(sb.world.role("Coordinators").id)
    await member.add_roles(coordinators)
    assert coordinators.id in sb.world.guild.members[member.id].roles
    above = sb.world.add_role(sb.world.guild, "Top")
    above.position = 99
    with pytest.raises(discord.Forbidden) as caught:
        await bot.http.add_role(guild.id, member.id, above.id)
    assert caught.value.code == 50013
    with pytest.raises(discord.NotFound) as caught:
        await bot.http.add_role(guild.id, 1234567890123, coordinators.id)
    assert caught.value.code == 10007
    await member.remove_roles(coordinators)


async def test_channel_and_role_creation_emit_events(shared):
    sb, bot = shared
    guild = bot.get_guild(sb.world.guild.id)
    category = discord.utils.get(guild.categories, name="Groups")
    channel = await guild.create_text_channel("GUG Rosario", category=category)
    assert channel.name == "gug-rosario" and channel.category_id == category.id
    role = await guild.create_role(name="GUG Rosario")
    await sb.wait_for(lambda: bot.seen("channel_create") and bot.seen("role_create"))
    assert bot.get_channel(channel.id) is not None and guild.get_role(role.id) is not None
    sb.delete_channel(channel.id)
    await sb.wait_for(lambda: bot.seen("channel_delete"))
    assert bot.get_channel(channel.id) is None


async def test_scheduled_events_crud_emit_events(shared):
    sb, bot = shared
    guild = bot.get_guild(sb.world.guild.id)
    start = datetime.now(UTC) + timedelta(days=3)
    event = await guild.create_scheduled_event(
        name="Meetup", start_time=start, end_time=start + timedelta(hours=2),
        entity_type=discord.EntityType.external, location="Café",
        privacy_level=discord.PrivacyLevel.guild_only)
    await event.edit(name="Meetup 2")
    await event.delete()
    await sb.wait_for(lambda: bot.seen("scheduled_event_delete"))
    assert len(bot.seen("scheduled_event_create")) == 1
    assert bot.seen("scheduled_event_update")[0].name == "Meetup 2"
    with pytest.raises(discord.HTTPException) as caught:
        await guild.create_scheduled_event(
            name="No place", start_time=start, end_time=start + timedelta(hours=1),
            entity_type=discord.EntityType.external, location="",
            privacy_level=discord.PrivacyLevel.guild_only)
    assert caught.value.code == 50035
