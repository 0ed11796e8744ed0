"""Benchmark reminders: 10,000 due within one minute, through the real bot and the sandbox.

Prints JSON: the time to arm every job at start, and the lateness (sent_at - due_at) p50,
p99 and max. Goals: arm <= 2 s, p99 lateness <= 1 s.

The reminders are spread round-robin over ``--groups`` groups (default 100: 20 guilds of
5 groups, each group posting in its own channel), as a network of groups would have them.
``--groups 1`` puts them all in one channel.

    .venv/bin/python -m bench.reminders [--count 10000] [--groups 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from bot.runner import assembled_bot
from bot.settings import DatabaseSettings, DiscordSettings, Secret, Settings
from cogs.reminders._alarm import ReminderAlarm
from db.engine import create_database
from db.migrate import upgrade_database
from db.models import Group, GroupStatus, Meeting, Reminder, ReminderStatus
from sandbox.driver import Sandbox
from sandbox.world import World, default_world

LEAD = timedelta(seconds=15)  # time to start the bot before the first reminder is due
SPREAD = timedelta(seconds=60)
GROUPS_PER_GUILD = 5


def bench_world(groups: int) -> tuple[World, list[tuple[int, int]]]:
    """Build guilds with one channel per group; return the world and (guild, channel) pairs."""
    world = default_world()
    places = [(world.guild.id, world.channel("general").id)]
    guild = world.guild
    for n in range(1, groups):
        if n % GROUPS_PER_GUILD == 0:
            guild = world.add_guild(f"Bench {n // GROUPS_PER_GUILD}")
        places.append((guild.id, world.add_channel(guild, f"group-{n}").id))
    return world, places


async def seed(url: str, places: list[tuple[int, int]], count: int) -> datetime:
    """Insert ``count`` meetings with one reminder each, due over one minute after LEAD."""
    db = create_database(url)
    await upgrade_database(db)
    first_due = datetime.now(UTC) + LEAD
    async with db.transaction() as session:
        groups = [
            Group(
                guild_id=guild_id, name=f"Bench {n}", name_key=f"bench {n}", city="Lima",
                city_key="lima", country="Peru", status=GroupStatus.ACTIVE, proposer_id=1,
                channel_id=channel_id,
            )
            for n, (guild_id, channel_id) in enumerate(places)
        ]
        session.add_all(groups)
        await session.flush()
        dues = [first_due + SPREAD * n / count for n in range(count)]
        meetings = [
            {"group_id": groups[n % len(groups)].id, "guild_id": groups[n % len(groups)].guild_id,
             "title": f"M{n}", "starts_at": due + timedelta(hours=1), "created_by": 1}
            for n, due in enumerate(dues)
        ]
        await session.execute(insert(Meeting), meetings)
        rows = (await session.execute(
            select(Meeting.id, Meeting.guild_id).order_by(Meeting.id)
        )).all()
        await session.execute(
            insert(Reminder),
            [
                {"meeting_id": mid, "guild_id": guild_id, "offset_minutes": 60,
                 "due_at": due, "status": ReminderStatus.PENDING}
                for (mid, guild_id), due in zip(rows, dues, strict=True)
            ],
        )
    await db.dispose()
    return first_due


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which ``fraction`` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run(count: int, groups: int, database_url: str) -> dict[str, object]:
    """Seed, start the bot, wait for every reminder and measure."""
    world, places = bench_world(groups)
    async with Sandbox.start(world) as sb:
        with tempfile.TemporaryDirectory() as directory:
            url = database_url or f"sqlite+aiosqlite:///{Path(directory)}/gugbot.db"
            await seed(url, places, count)
            settings = Settings(
                discord=DiscordSettings(
                    token=Secret(sb.token), api_base=sb.base_url, guild_ready_timeout=0.05
                ),
                database=DatabaseSettings(url=url, data_dir=Path(directory)),
            )
            async with assembled_bot(settings) as bot:
                task = asyncio.create_task(bot.start(sb.token))
                while not bot.is_ready():
                    if task.done():
                        task.result()
                    await asyncio.sleep(0.05)
                cog = bot.get_cog("Reminders")
                alarm: ReminderAlarm = cog.alarm  # type: ignore[union-attr]
                # Measure arming as at start: forget the jobs, arm them all again.
                alarm.stop()
                started = time.perf_counter()
                armed = await alarm.arm_all()
                arm_seconds = time.perf_counter() - started
                alarm.start()
                deadline = time.monotonic() + LEAD.total_seconds() + 180
                while time.monotonic() < deadline:
                    async with bot.db.read() as session:
                        rows = (await session.execute(
                            select(Reminder.status, Reminder.due_at, Reminder.sent_at)
                        )).all()
                    if all(status == ReminderStatus.SENT for status, _, _ in rows):
                        break
                    await asyncio.sleep(1)
                await bot.close()
                await asyncio.gather(task, return_exceptions=True)
    lateness = [(sent - due).total_seconds() for _, due, sent in rows if sent is not None]
    return {
        "reminders": count,
        "groups": groups,
        "guilds": len({guild_id for guild_id, _ in places}),
        "database": "postgresql" if database_url.startswith("postgresql") else "sqlite",
        "armed": armed,
        "arm_seconds": round(arm_seconds, 3),
        "sent": len(lateness),
        "lateness_p50_seconds": round(statistics.median(lateness), 3) if lateness else None,
        "lateness_p99_seconds": round(percentile(lateness, 0.99), 3) if lateness else None,
        "lateness_max_seconds": round(max(lateness), 3) if lateness else None,
        "goals": {"arm_seconds": 2.0, "lateness_p99_seconds": 1.0},
    }


def main() -> None:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()
    figures = asyncio.run(run(arguments.count, arguments.groups, arguments.database_url))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
