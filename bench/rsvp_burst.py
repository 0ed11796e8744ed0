"""Benchmark RSVP by reaction: 5,000 reactions on one announcement, through the sandbox.

Prints JSON: the time until every RSVP row is committed, the time a bare discord.py
client (which only counts the events) takes to dispatch the same stream, their ratio
(goal >= 0.5), the announcement edits made, the transactions (writer batches) used,
and the interaction ack p50 / p99 measured while the burst runs.

    .venv/bin/python -m bench.rsvp_burst [--count 5000] [--rounds 3] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
from sqlalchemy import func, select

from bot.app import gateway_intents
from bot.discord_api import point_discord_at
from bot.local_bot import LocalBot
from bot.settings import DatabaseSettings, DiscordSettings, Secret, Settings
from cogs.meetings._rsvp import Rsvp as RsvpCog
from db.engine import Database
from db.models import Group, GroupStatus, Meeting, Rsvp
from sandbox.driver import Sandbox

GOING = "✅"
ACK_PROBE_INTERVAL = 0.02  # seconds between /about probes while the burst runs


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which ``fraction`` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def seed_meeting(db: Database, guild_id: int, channel_id: int) -> int:
    """Create an active group and one upcoming meeting without capacity."""
    async with db.transaction() as session:
        group = Group(
            guild_id=guild_id, name="Bench", name_key="bench", city="Lima", city_key="lima",
            country="Peru", status=GroupStatus.ACTIVE, proposer_id=1, channel_id=channel_id,
            timezone="America/Lima",
        )
        session.add(group)
        await session.flush()
        meeting = Meeting(
            group_id=group.id, guild_id=guild_id, title="Bench meetup", kind="mixed",
            starts_at=datetime.now(UTC) + timedelta(days=7), created_by=1,
        )
        session.add(meeting)
        await session.flush()
        return meeting.id


async def count_rows(db: Database, meeting_id: int) -> int:
    """Count committed RSVP rows of the meeting."""
    async with db.read() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(Rsvp).where(Rsvp.meeting_id == meeting_id)
            ) or 0
        )


async def probe_acks(sb: Sandbox, user: Any, stop: asyncio.Event, out: list[float]) -> None:
    """Run /about again and again, recording each answer's round trip."""
    while not stop.is_set():
        started = time.perf_counter()
        await sb.command(user, "about", timeout=30)
        out.append(time.perf_counter() - started)
        await asyncio.sleep(ACK_PROBE_INTERVAL)


async def gugbot_burst(count: int, database_url: str) -> dict[str, Any]:
    """Replay the burst against the real bot and measure commit time, edits and acks."""
    async with Sandbox.start() as sb:
        with tempfile.TemporaryDirectory() as directory:
            url = database_url or f"sqlite+aiosqlite:///{Path(directory)}/gugbot.db"
            settings = Settings(
                discord=DiscordSettings(
                    token=Secret(sb.token), api_base=sb.base_url, guild_ready_timeout=0.05
                ),
                database=DatabaseSettings(url=url, data_dir=Path(directory)),
            )
            local = LocalBot(settings)
            await local.start()
            try:
                bot = local.bot
                meeting_id = await seed_meeting(
                    bot.db, sb.world.guild.id, sb.channel("general").id
                )
                rsvp = bot.get_cog("Rsvp")
                assert isinstance(rsvp, RsvpCog)
                announcements = rsvp.announcements
                await announcements.post(meeting_id)
                async with bot.db.read() as session:
                    meeting = await session.get(Meeting, meeting_id)
                assert meeting is not None and meeting.announcement_message_id is not None
                message = sb.message(meeting.announcement_message_id)
                users = sb.world.add_users(sb.world.guild, count)
                edits_before = announcements.edits
                batches_before = rsvp.writers.batches

                stop = asyncio.Event()
                acks: list[float] = []
                prober = asyncio.create_task(probe_acks(sb, "alice", stop, acks))
                await asyncio.sleep(0.2)  # a few probes before the burst, for a baseline
                started = time.perf_counter()
                await sb.react_burst([(user, message, GOING) for user in users])

                async def all_committed() -> bool:
                    return await count_rows(bot.db, meeting_id) >= count

                await sb.wait_for(all_committed, timeout=120, interval=0.005)
                # The moment the batch that completed the set committed, not when we noticed.
                committed = rsvp.writers.last_batch_done - started
                noticed = time.perf_counter() - started
                stop.set()
                await prober
                await announcements.flush()
                result = {
                    "commit_all_s": round(committed, 3),
                    "commit_seen_by_poll_s": round(noticed, 3),
                    "announcement_edits": announcements.edits - edits_before,
                    "transactions": rsvp.writers.batches - batches_before,
                    "ack_p50_ms": round(percentile(acks, 0.5) * 1000, 1),
                    "ack_p99_ms": round(percentile(acks, 0.99) * 1000, 1),
                    "ack_samples": len(acks),
                    "last_event_received_s": round(
                        rsvp.writers.last_submit - started, 3
                    ),
                    "counts_shown": next(
                        f["value"] for f in sb.message(message).embeds[0]["fields"]
                        if f["name"] == "RSVP"
                    ),
                }
                return result
            finally:
                await local.stop()


class CountingClient(discord.Client):
    """A bare client: the same intents, and a listener that only counts."""

    def __init__(self) -> None:
        super().__init__(intents=gateway_intents(), guild_ready_timeout=0.05)
        self.seen = 0
        self.all_seen = asyncio.Event()
        self.expected = 0

    async def on_raw_reaction_add(self, _payload: discord.RawReactionActionEvent) -> None:
        """Count one event."""
        self.seen += 1
        if self.seen >= self.expected:
            self.all_seen.set()


async def bare_client_burst(count: int) -> float:
    """Replay the same burst to a bare discord.py client; return its dispatch time."""
    async with Sandbox.start() as sb:
        restore = point_discord_at(sb.base_url)
        client = CountingClient()
        try:
            await client.login(sb.token)
            runner = asyncio.create_task(client.connect())
            await client.wait_until_ready()
            message = await sb.say("alice", "general", "Bench meetup")
            users = sb.world.add_users(sb.world.guild, count)
            client.expected = count
            started = time.perf_counter()
            await sb.react_burst([(user, message, GOING) for user in users])
            await asyncio.wait_for(client.all_seen.wait(), 120)
            elapsed = time.perf_counter() - started
            await client.close()
            with contextlib.suppress(Exception):
                await runner
            return elapsed
        finally:
            restore()


async def run(count: int, database_url: str, rounds: int) -> dict[str, Any]:
    """Alternate the bare client and gugbot on the same stream; report the median round."""
    bares: list[float] = []
    ours: list[dict[str, Any]] = []
    for _ in range(rounds):
        bares.append(await bare_client_burst(count))
        ours.append(await gugbot_burst(count, database_url))
    bare = statistics.median(bares)
    median = sorted(ours, key=lambda round_: round_["commit_all_s"])[len(ours) // 2]
    return {
        "events": count,
        "rounds": rounds,
        "bare_dispatch_s": round(bare, 3),
        **median,
        "ratio_bare_over_commit": round(bare / median["commit_all_s"], 3),
        "bare_dispatch_s_all": [round(b, 3) for b in bares],
        "commit_all_s_all": [r["commit_all_s"] for r in ours],
        "announcement_edits_all": [r["announcement_edits"] for r in ours],
    }


def main() -> None:
    """Parse arguments, run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.count, args.database_url, args.rounds)), indent=2))


if __name__ == "__main__":
    main()
