"""Two `gugbot run` processes as shards 0 and 1 of 2 on one PostgreSQL: 500 reminders.

Each reminder is sent exactly once, by the process owning its guild; while shard 0's
process is dead (SIGKILL mid-wave) shard 1's never posts shard 0's reminders, and the
restarted shard 0 delivers the rest.

Who made a REST call: the sandbox has one token, so a middleware put in front of it
maps each connection's client port to the bot process holding that socket (/proc).
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from db.engine import Database, create_database
from db.migrate import upgrade_database
from db.models import Group, GroupStatus, Meeting, Reminder, ReminderStatus
from sandbox.driver import Sandbox
from sandbox.rest.common import read_body
from sandbox.world import Guild, Message, default_world
from tests.support.processes import bot_process

POSTGRES_URL = os.environ.get("GUGBOT_TEST_POSTGRES_URL", "")
REMINDERS = 500
GUILDS_PER_SHARD = 2
FIRST_DUE = timedelta(seconds=4)  # after both processes are ready; they arm at each sweep
WAVE = timedelta(seconds=8)  # the reminders fall due over this span after FIRST_DUE
LEASE = timedelta(seconds=2)


def config(shard: int) -> str:
    """The config file of the process running ``shard`` of 2."""
    return f"""
[discord]
shard_count = 2
shard_ids = [{shard}]
guild_ready_timeout = 0.1
[reminders]
lease = "{int(LEASE.total_seconds())}s"
sweep_interval = "1s"
"""


# --- a PostgreSQL database of this test's own ---


async def _admin(statement: str) -> None:
    import asyncpg

    admin = make_url(POSTGRES_URL).set(drivername="postgresql")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@asynccontextmanager
async def fresh_postgres() -> AsyncIterator[str]:
    """Create and migrate a uniquely named database; drop it afterwards."""
    name = f"gugbot_shards_{uuid.uuid4().hex[:10]}"
    await _admin(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        db = create_database(url)
        await upgrade_database(db)
        await db.dispose()
        yield url
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- which process made each REST call ---


def _socket_inode(client_port: int, server_port: int) -> str | None:
    """Find the inode of the client socket 127.0.0.1:client_port → server_port."""
    wanted_local, wanted_remote = f"{client_port:04X}", f"{server_port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                local, remote, inode = fields[1], fields[2], fields[9]
                if local.endswith(":" + wanted_local) and remote.endswith(":" + wanted_remote):
                    return inode
    return None


def _owner_pid(inode: str, pids: list[int]) -> int | None:
    """Return which of ``pids`` holds the socket ``inode`` open."""
    target = f"socket:[{inode}]"
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return pid
        except OSError:  # the process died meanwhile
            continue
    return None


@dataclass
class CallerLog:
    """REST POSTs to channel messages, each with the pid of the process that made it."""

    server_port: int = 0
    pids: list[int] = field(default_factory=list)
    posts: list[tuple[int | None, int, str]] = field(default_factory=list)  # pid, channel, nonce
    by_transport: dict[object, int | None] = field(default_factory=dict)

    def caller(self, request: web.Request) -> int | None:
        """Name the process on the other end of this request's connection."""
        transport = request.transport
        if transport not in self.by_transport:
            peer = transport.get_extra_info("peername") if transport else None
            inode = _socket_inode(int(peer[1]), self.server_port) if peer else None
            self.by_transport[transport] = _owner_pid(inode, self.pids) if inode else None
        return self.by_transport[transport]

    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Note the caller of every message POST before the sandbox handles it."""
        parts = request.path.split("/")  # /api/v10/channels/{id}/messages
        if request.method == "POST" and parts[-1] == "messages" and "channels" in parts:
            # The sandbox's own reader, which caches the body for the sandbox's handlers.
            body = (await read_body(request)).json
            nonce = str(body.get("nonce")) if isinstance(body, dict) else ""
            self.posts.append((self.caller(request), int(parts[-2]), nonce))
        return await handler(request)


@asynccontextmanager
async def attributed_sandbox(callers: CallerLog) -> AsyncIterator[tuple[Sandbox, list[Guild]]]:
    """A sandbox with guilds on both shards whose message POSTs are attributed to pids."""
    world = default_world()
    alice = world.user("alice")
    guilds = []
    for shard in (0, 1):
        for n in range(GUILDS_PER_SHARD):
            guild = world.add_guild(f"Shard{shard} G{n}", shard=(shard, 2))
            world.add_channel(guild, "general")
            world.add_member(guild, alice)
            guilds.append(guild)
    sb = Sandbox(world)
    sb.app.middlewares.insert(0, callers.middleware)
    await sb.serve()
    callers.server_port = sb.port
    try:
        yield sb, guilds
    finally:
        await sb.stop()


# --- the ledger ---


def shard_of(guild_id: int) -> int:
    """Discord's shard of a guild, of 2."""
    return (guild_id >> 22) % 2


async def seed(db: Database, sb: Sandbox, guilds: list[Guild]) -> dict[str, int]:
    """Insert REMINDERS meetings round-robin over the guilds; return title → guild id."""
    first = datetime.now(UTC) + FIRST_DUE
    channels = {guild.id: sb.channel("general", guild).id for guild in guilds}
    async with db.transaction() as session:
        groups = []
        for guild in guilds:
            group = Group(
                guild_id=guild.id, name=guild.name, name_key=guild.name.lower(), city="Lima",
                city_key="lima", country="Peru", status=GroupStatus.ACTIVE, proposer_id=1,
                channel_id=channels[guild.id],
            )
            session.add(group)
            groups.append(group)
        await session.flush()
        dues = [first + WAVE * n / REMINDERS for n in range(REMINDERS)]
        rows = [
            {"group_id": groups[n % len(groups)].id, "guild_id": groups[n % len(groups)].guild_id,
             "title": f"M{n}", "starts_at": due + timedelta(hours=1), "created_by": 1}
            for n, due in enumerate(dues)
        ]
        await session.execute(insert(Meeting), rows)
        meetings = (await session.execute(select(Meeting.id, Meeting.title))).all()
        due_of = {f"M{n}": due for n, due in enumerate(dues)}
        guild_of = {f"M{n}": groups[n % len(groups)].guild_id for n in range(REMINDERS)}
        await session.execute(
            insert(Reminder),
            [
                {"meeting_id": mid, "guild_id": guild_of[title], "offset_minutes": 60,
                 "due_at": due_of[title], "status": ReminderStatus.PENDING}
                for mid, title in meetings
            ],
        )
    return guild_of


async def statuses(db: Database) -> list[tuple[str, str | None, int]]:
    """Every reminder's status, final claimer and guild."""
    async with db.read() as session:
        rows = (
            await session.execute(select(Reminder.status, Reminder.claimed_by, Reminder.guild_id))
        ).all()
    return [(str(status), claimed_by, int(guild_id)) for status, claimed_by, guild_id in rows]


@pytest.mark.skipif(not POSTGRES_URL, reason="GUGBOT_TEST_POSTGRES_URL is not set")
async def test_two_shard_processes_send_each_reminder_once_from_the_owner_even_across_a_kill(
    tmp_path: Path,
) -> None:
    callers = CallerLog()
    async with AsyncExitStack() as stack:
        url = await stack.enter_async_context(fresh_postgres())
        db = create_database(url)
        stack.push_async_callback(db.dispose)
        sb, guilds = await stack.enter_async_context(attributed_sandbox(callers))
        channel_shard = {sb.channel("general", g).id: shard_of(g.id) for g in guilds}

        def posted(shard: int) -> int:
            return sum(
                1 for m in reminder_messages(sb, guilds) if channel_shard[m.channel_id] == shard
            )

        env = {**sb.env(), "GUGBOT_DATABASE_URL": url}
        pids: dict[int, list[int]] = {0: [], 1: []}

        async def start(shard: int) -> asyncio.subprocess.Process:
            workdir = tmp_path / f"shard{shard}-{len(pids[shard])}"
            workdir.mkdir()
            process = await stack.enter_async_context(
                bot_process(env, workdir, config(shard))
            )
            pids[shard].append(process.pid)
            callers.pids.append(process.pid)
            return process

        first = await start(0)
        await start(1)
        await sb.wait_ready(shard=0, timeout=40)
        await sb.wait_ready(shard=1, timeout=40)
        # Seeded once both run (a slow start must not make the wave late); the next
        # sweep of each process arms the reminders of its own guilds.
        guild_of = await seed(db, sb, guilds)
        expected = Counter(shard_of(gid) for gid in guild_of.values())
        assert expected[0] > 100 and expected[1] > 100

        # Kill shard 0 with SIGKILL in the middle of its part of the wave.
        await sb.wait_for(lambda: posted(0) >= expected[0] // 3, timeout=40, interval=0.005)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        await asyncio.sleep(0.3)  # a request already on the wire may still land
        frozen = posted(0)
        assert frozen < expected[0], "shard 0 finished before the kill; kill earlier"

        # Shard 1 delivers all of its own, and none of shard 0's, though they fall due
        # and their leases run out (the sweep runs every second).
        await sb.wait_for(lambda: posted(1) >= expected[1], timeout=40)
        last_due = max(row.due_at for row in await ledger(db))
        quiet_until = last_due + LEASE + timedelta(seconds=3)
        await asyncio.sleep(max(0.0, (quiet_until - datetime.now(UTC)).total_seconds()))
        assert posted(0) == frozen
        unsent = [s for s in await statuses(db) if s[0] != ReminderStatus.SENT]
        assert unsent and {shard_of(gid) for _, _, gid in unsent} == {0}

        # Shard 0 comes back and delivers the rest.
        await start(0)

        async def settled() -> bool:
            return all(s[0] == ReminderStatus.SENT for s in await statuses(db))

        await sb.wait_for(settled, timeout=30, interval=0.1)
        await asyncio.sleep(1.5)  # a sweep or two more: nothing may be re-sent

        # Exactly once, in the right guild.
        messages = reminder_messages(sb, guilds)
        titles = Counter(m.content.split("**")[1] for m in messages)
        assert len(messages) == REMINDERS and set(titles.values()) == {1}
        for message in messages:
            title = message.content.split("**")[1]
            assert message.guild_id in (None, guild_of[title])
            assert channel_shard[message.channel_id] == shard_of(guild_of[title])

        # Every message POST came from a process of the channel's shard.
        reminder_posts = [p for p in callers.posts if p[1] in channel_shard]
        assert len(reminder_posts) >= REMINDERS
        for pid, channel_id, _nonce in reminder_posts:
            assert pid in pids[channel_shard[channel_id]], (pid, channel_id, pids)
        # And the ledger agrees: the final claim of each was made by its shard's process.
        for _, claimed_by, guild_id in await statuses(db):
            assert claimed_by is not None
            assert int(claimed_by.split(":")[1]) in pids[shard_of(guild_id)]


def reminder_messages(sb: Sandbox, guilds: list[Guild]) -> list[Message]:
    """Reminder posts in every test guild's #general, as they now stand."""
    return [
        message
        for guild in guilds
        for message in sb.messages(sb.channel("general", guild))
        if "Reminder" in (message.content or "")
    ]


async def ledger(db: Database) -> list[Reminder]:
    """Every reminder row."""
    async with db.read() as session:
        return list((await session.scalars(select(Reminder))).all())
