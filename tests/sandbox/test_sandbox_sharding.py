"""Sharding: each session gets only its guilds, and events go to the session owning them."""


from sandbox import Sandbox, default_world
from sandbox.snowflakes import shard_of


def two_shard_world():
    world = default_world()
    world.guilds.clear()
    first = world.add_guild("Shard Zero", shard=(0, 2))
    second = world.add_guild("Shard One", shard=(1, 2))
    for guild in (first, second):
        world.add_channel(guild, "general")
        world.add_member(guild, world.user("alice"))
    return world, first, second


async def test_snowflakes_land_on_the_requested_shard():
    _, first, second = two_shard_world()
    assert shard_of(first.id, 2) == 0 and shard_of(second.id, 2) == 1


async def test_two_shards_each_get_their_guilds_and_events(bot_runner):
    world, first, second = two_shard_world()
    async with Sandbox.start(world) as sb, bot_runner(sb, shard_count=2) as bot:
        await sb.wait_ready(shard=0)
        await sb.wait_ready(shard=1)
        assert bot.get_guild(first.id).shard_id == 0
        assert bot.get_guild(second.id).shard_id == 1
        sessions = {s.shard_id: s for s in sb.gateway.live_sessions()}
        channel = bot.get_channel(sb.channel("general", second).id)
        message = await channel.send("on shard one")
        before = sessions[0].seq
        await sb.react("alice", message.id, "✅")
        await sb.wait_for(lambda: bot.seen("reaction_add"))
        assert sessions[0].seq == before
        assert bot.seen("reaction_add")[0].guild_id == second.id


async def test_a_process_running_one_shard_sees_only_its_guilds(bot_runner):
    world, first, second = two_shard_world()
    async with Sandbox.start(world) as sb, bot_runner(sb, shard_ids=[1], shard_count=2) as bot:
        assert bot.get_guild(second.id) is not None
        assert bot.get_guild(first.id) is None
        assert [s.shard_id for s in sb.gateway.live_sessions()] == [1]
