"""Benchmark reminders at Discord's pace: 10,000 due, the sandbox enforcing the global limit.

The sandbox runs in its own process and answers 429 (global, with `retry_after` and
`X-RateLimit-Global`) beyond 50 requests per second, as Discord does; `gugbot run` runs in
another. Two loads, each 10,000 reminders posted in a group channel:

- ``minute``: all due within one minute (167/s, more than the limit allows): paced by
  discord.py's rate limiter, every reminder sent once, none failed, the last one sent
  within the time the limit dictates (count / 50 s) plus 10 %;
- ``five-minutes``: due over five minutes (33/s, within the limit): p99 lateness ≤ 1 s.

Prints JSON with each goal and whether it is met.

    .venv/bin/python -m bench.reminders [--load minute|five-minutes|both] [--count 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bench.footprint import warm_gazetteer
from bench.processes import SandboxProcess, gugbot, percentile, stop
from db.engine import create_database
from db.migrate import upgrade_database
from db.models import Group, GroupStatus, Meeting, Reminder, ReminderStatus

LEAD = timedelta(seconds=20)  # time to start the bot before the first reminder is due
GLOBAL_LIMIT = 50
LOADS = {"minute": timedelta(minutes=1), "five-minutes": timedelta(minutes=5)}
GROUPS = 100


async def seed(url: str, guild_id: int, channel_id: int, count: int, spread: timedelta
               ) -> datetime:
    """Insert ``count`` meetings with one reminder each, due over ``spread`` after LEAD."""
    db = create_database(url)
    await upgrade_database(db)
    first_due = datetime.now(UTC) + LEAD
    async with db.transaction() as session:
        groups = [
            Group(guild_id=guild_id, name=f"Bench {n}", name_key=f"bench {n}", city="Lima",
                  city_key="lima", country="Peru", status=GroupStatus.ACTIVE, proposer_id=1,
                  channel_id=channel_id)
            for n in range(GROUPS)
        ]
        session.add_all(groups)
        await session.flush()
        dues = [first_due + spread * n / count for n in range(count)]
        await session.execute(insert(Meeting), [
            {"group_id": groups[n % GROUPS].id, "guild_id": guild_id, "title": f"M{n}",
             "starts_at": due + timedelta(hours=1), "created_by": 1}
            for n, due in enumerate(dues)
        ])
        ids = (await session.execute(select(Meeting.id).order_by(Meeting.id))).scalars().all()
        await session.execute(insert(Reminder), [
            {"meeting_id": meeting_id, "guild_id": guild_id, "offset_minutes": 60,
             "due_at": due, "status": ReminderStatus.PENDING}
            for meeting_id, due in zip(ids, dues, strict=True)
        ])
    await db.dispose()
    return first_due


def reminder_rows(database: Path) -> list[tuple[str, str, str | None]]:
    """Read every reminder's status, due and sent times (another connection, read only)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT status, due_at, sent_at FROM reminders").fetchall()
    finally:
        connection.close()


def _when(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_load(load: str, count: int) -> dict[str, Any]:
    """Seed one load, run gugbot against the rate-limited sandbox, and measure it."""
    spread = LOADS[load]
    sandbox = SandboxProcess.start("--global-rate-limit", str(GLOBAL_LIMIT))
    try:
        world = sandbox.call("GET", "/_sandbox/world")
        guild = world["guilds"][0]
        channel_id = int(guild["channels"]["general"])
        with tempfile.TemporaryDirectory() as name:
            directory = Path(name)
            database = directory / "gugbot.db"
            first_due = asyncio.run(seed(
                f"sqlite+aiosqlite:///{database}", int(guild["id"]), channel_id, count, spread
            ))
            process = gugbot(sandbox, directory, None)
            try:
                limit_s = max(spread.total_seconds(), count / GLOBAL_LIMIT)
                # Long enough to see a slow bot finish: unsent at the deadline counts as lost.
                deadline = time.monotonic() + LEAD.total_seconds() + limit_s * 3 + 60
                while time.monotonic() < deadline:
                    rows = reminder_rows(database)
                    if all(status == ReminderStatus.SENT for status, _due, _sent in rows):
                        break
                    time.sleep(1)
            finally:
                stop(process)
        posts = [call for call in sandbox.call("GET", "/_sandbox/calls")
                 if call["method"] == "POST" and call["path"] == f"/channels/{channel_id}/messages"]
    finally:
        sandbox.stop()
    sent = [(_when(due), _when(at)) for status, due, at in rows if at is not None]
    lateness = [(at - due).total_seconds() for due, at in sent]
    last_s = (max(at for _due, at in sent) - first_due).total_seconds() if sent else None
    delivered = sum(1 for call in posts if call["status"] == 200)
    failed = sum(1 for call in posts if call["status"] not in (200, 429))
    result: dict[str, Any] = {
        "load": load, "reminders": count, "spread_s": spread.total_seconds(),
        "sent": len(sent), "lost": count - len(sent), "duplicated": delivered - len(sent),
        "answered_429": sum(1 for call in posts if call["status"] == 429),
        "failed_requests": failed,
        "lateness_p50_s": round(percentile(lateness, 0.5), 3) if lateness else None,
        "lateness_p99_s": round(percentile(lateness, 0.99), 3) if lateness else None,
        "lateness_max_s": round(max(lateness), 3) if lateness else None,
        "last_sent_after_first_due_s": round(last_s, 1) if last_s is not None else None,
    }
    ok = result["lost"] == 0 and result["duplicated"] == 0 and failed == 0
    if load == "minute":
        allowed = count / GLOBAL_LIMIT * 1.1
        result["goals"] = {"no_loss_no_duplicate_no_failure": ok,
                           f"last_sent_s<={allowed:.0f}": last_s is not None and last_s <= allowed}
    else:
        result["goals"] = {"no_loss_no_duplicate_no_failure": ok,
                           "lateness_p99_s<=1": bool(lateness) and percentile(lateness, 0.99) <= 1}
    return result


def main() -> None:
    """Parse arguments, run the chosen loads and print their JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--load", choices=[*LOADS, "both"], default="minute")
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    warm_gazetteer(None)
    loads = list(LOADS) if args.load == "both" else [args.load]
    print(json.dumps([run_load(load, args.count) for load in loads], indent=2))


if __name__ == "__main__":
    main()
