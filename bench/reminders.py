"""Benchmark reminders: 10,000 due within one minute, through the real bot and the sandbox.

Prints JSON: the time to arm every job at start, and the lateness (sent_at - due_at) p50,
p99 and max. Goals: arm <= 2 s, p99 lateness <= 1 s.

    .venv/bin/python -m bench.reminders [--count 10000] [--database-url URL]
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

from bot.reminders.alarm import ReminderAlarm
from bot.runner import assembled_bot
from bot.settings import DatabaseSettings, DiscordSettings, Secret, Settings
from db.engine import create_database
from db.migrate import upgrade_database
from db.models import Group, GroupStatus, Meeting, Reminder, ReminderStatus
from sandbox.driver import Sandbox

LEAD = timedelta(seconds=15)  # time to start the bot before the first reminder is due
SPREAD = timedelta(seconds=60)


async def seed(url: str, guild_id: int, channel_id: int, count: int) -> datetime:
    """Insert ``count`` meetings with one reminder each, due over one minute after LEAD."""
    db = create_database(url)
    await upgrade_database(db)
    first_due = datetime.now(UTC) + LEAD
    async with db.transaction() as session:
        group = Group(
            guild_id=guild_id, name="Bench", name_key="bench", city="Lima", city_key="lima",
            country="Peru", status=GroupStatus.ACTIVE, proposer_id=1, channel_id=channel_id,
        )
        session.add(group)
        await session.flush()
        dues = [first_due + SPREAD * n / count for n in range(count)]
        meetings = [
            {"group_id": group.id, "guild_id": guild_id, "title": f"M{n}",
             "starts_at": due + timedelta(hours=1), "created_by": 1}
            for n, due in enumerate(dues)
        ]
        await session.execute(insert(Meeting), meetings)
        ids = (await session.scalars(select(Meeting.id).order_by(Meeting.id))).all()
        await session.execute(
            insert(Reminder),
            [
                {"meeting_id": mid, "guild_id": guild_id, "offset_minutes": 60,
                 "due_at": due, "status": ReminderStatus.PENDING}
                for mid, due in zip(ids, dues, strict=True)
            ],
        )
    await db.dispose()
    return first_due


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which ``fraction`` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run(count: int, database_url: str) -> dict[str, object]:
    """Seed, start the bot, wait for every reminder and measure."""
    async with Sandbox.start() as sb:
        with tempfile.TemporaryDirectory() as directory:
            url = database_url or f"sqlite+aiosqlite:///{Path(directory)}/gugbot.db"
            await seed(url, sb.world.guild.id, sb.channel("general").id, count)
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
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()
    print(json.dumps(asyncio.run(run(arguments.count, arguments.database_url)), indent=2))


if __name__ == "__main__":
    main()
