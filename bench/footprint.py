"""Benchmark gugbot's footprint against a bare discord.py client, each in its own process.

The sandbox runs in a process of its own (`python -m sandbox`); a bare discord.py client
(gugbot's intents, a listener that counts reactions) and `gugbot run` are started the same
way against it, one after the other, and measured by the kernel (/proc): start → ready
(the sandbox saw the session IDENTIFY and get its guilds: for gugbot that is after command
sync and every cog's load), RSS once ready and idle, CPU and peak RSS while a burst of
5,000 MESSAGE_REACTION_ADD frames (pre-encoded, written in one socket write) is absorbed
(gugbot: until every RSVP row is committed), and gugbot's RSS with 20,000 groups,
100,000 meetings and 200,000 RSVPs stored after serving the same burst.

    .venv/bin/python -m bench.footprint [--count 5000] [--code DIR] [--no-large]

``--code DIR`` runs gugbot from another checkout (a before/after comparison).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.processes import (
    PeakRss,
    SandboxProcess,
    bare_client,
    cpu_s,
    gugbot,
    percentile,
    rss_mib,
    stop,
)
from db.engine import create_database
from db.migrate import upgrade_database
from db.models import Group, GroupStatus, Meeting, Rsvp

GOING = "✅"
IDLE_SETTLE_S = 3.0
ACK_PROBE_INTERVAL_S = 0.02
EDIT_WINDOW_S = 5.0
COMMIT_DEADLINE_S = 120.0
BATCH = 5000


def world_ids(sandbox: SandboxProcess) -> tuple[int, int, int]:
    """Return the guild id, the #general channel id and the bot's user id."""
    world = sandbox.call("GET", "/_sandbox/world")
    guild = world["guilds"][0]
    return int(guild["id"]), int(guild["channels"]["general"]), int(world["bot_id"])


def group_row(number: int, guild_id: int, now: datetime) -> dict[str, Any]:
    return dict(
        guild_id=guild_id, name=f"GUG {number}", name_key=f"gug {number}", description="",
        city="Lima", city_key="lima", region="Lima", country="Peru", country_code="PE",
        latitude=-12.04, longitude=-77.03, timezone="America/Lima",
        status=GroupStatus.ACTIVE, proposer_id=number, created_at=now, updated_at=now,
    )


async def seed(url: str, guild_id: int, channel_id: int, message_id: int, large: bool) -> int:
    """Create the benchmark meeting announced by ``message_id`` (and the large data set)."""
    db = create_database(url)
    try:
        await upgrade_database(db)
        now = datetime.now(UTC)
        async with db.transaction() as session:
            group = Group(**group_row(0, guild_id, now))
            session.add(group)
            await session.flush()
            meeting = Meeting(
                group_id=group.id, guild_id=guild_id, title="Bench meetup", kind="mixed",
                starts_at=now + timedelta(days=7), created_by=1,
                announcement_channel_id=channel_id, announcement_message_id=message_id,
            )
            session.add(meeting)
            await session.flush()
            meeting_id = meeting.id
        if large:
            await seed_large(db, guild_id, now)
        return meeting_id
    finally:
        await db.dispose()


async def seed_large(db: Any, guild_id: int, now: datetime) -> None:
    """20,000 groups, 100,000 meetings (mostly past), 200,000 RSVPs."""
    async with db.transaction() as session:
        groups = [group_row(n, guild_id, now) for n in range(1, 20_001)]
        for start in range(0, len(groups), BATCH):
            await session.execute(insert(Group), groups[start : start + BATCH])
    async with db.transaction() as session:
        meetings = [
            dict(group_id=2 + n % 20_000, guild_id=guild_id, title=f"m{n}", kind="mixed",
                 starts_at=now + timedelta(days=(n % 5) * 20 - 70), created_by=1,
                 created_at=now, updated_at=now)
            for n in range(100_000)
        ]
        for start in range(0, len(meetings), BATCH):
            await session.execute(insert(Meeting), meetings[start : start + BATCH])
    async with db.transaction() as session:
        rsvps = [
            dict(meeting_id=2 + n // 2, user_id=1000 + n, status="going", position=n,
                 answered_at=now)
            for n in range(200_000)
        ]
        for start in range(0, len(rsvps), BATCH):
            await session.execute(insert(Rsvp), rsvps[start : start + BATCH])


def committed(database: Path, meeting_id: int) -> int:
    """Count RSVP rows committed for the meeting (read by another connection)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT count(*) FROM rsvps WHERE meeting_id = ?", (meeting_id,)
        ).fetchone()
    finally:
        connection.close()
    return int(row[0])


def burst(sandbox: SandboxProcess, message_id: int, count: int) -> dict[str, Any]:
    """Ask the sandbox for the one-write burst; return when it started and was written."""
    return dict(sandbox.call(
        "POST", "/_sandbox/reaction_burst",
        {"message_id": str(message_id), "emoji": GOING, "count": count},
    ))


def measure_bare(count: int) -> dict[str, Any]:
    """Start the bare client; time its start, idle RSS and the burst."""
    sandbox = SandboxProcess.start()
    try:
        _guild, channel_id, _bot = world_ids(sandbox)
        started = time.time()
        client = bare_client(sandbox, count)
        try:
            sandbox.wait_ready()
            ready_s = time.time() - started
            time.sleep(IDLE_SETTLE_S)
            idle = rss_mib(client.pid)
            message = sandbox.call("POST", "/_sandbox/say",
                                   {"user": "alice", "channel": channel_id, "content": "m"})
            cpu_before = cpu_s(client.pid)
            with PeakRss(client.pid) as peak:
                sent = burst(sandbox, int(message["id"]), count)
                assert client.stdout is not None
                line = client.stdout.readline()
            done = float(line.split()[1])
            return {
                "start_to_ready_s": round(ready_s, 2), "rss_ready_mib": round(idle, 1),
                "burst_s": round(done - sent["written"], 3),
                "burst_cpu_s": round(cpu_s(client.pid) - cpu_before, 2),
                "burst_peak_rss_mib": round(peak.peak, 1),
            }
        finally:
            stop(client)
    finally:
        sandbox.stop()


class AckProbe:
    """Run /about again and again in a thread, recording each answer's round trip."""

    def __init__(self, sandbox: SandboxProcess) -> None:
        self.sandbox, self.round_trips = sandbox, list[float]()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def once(self) -> float:
        """Run /about once; return its round trip in seconds."""
        started = time.perf_counter()
        self.sandbox.call("POST", "/_sandbox/command",
                          {"user": "alice", "name": "about", "options": {}, "timeout": 30})
        return time.perf_counter() - started

    def _run(self) -> None:
        while not self._stop.is_set():
            self.round_trips.append(self.once())
            time.sleep(ACK_PROBE_INTERVAL_S)

    def __enter__(self) -> AckProbe:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure_gugbot(
    count: int, code: Path | None, large: bool, probe: bool = False
) -> dict[str, Any]:
    """Start `gugbot run`; time its start, idle RSS and the burst until every row commits."""
    sandbox = SandboxProcess.start()
    try:
        guild_id, channel_id, bot_id = world_ids(sandbox)
        message = sandbox.call("POST", "/_sandbox/say",
                               {"user": str(bot_id), "channel": channel_id, "content": "m"})
        message_id = int(message["id"])
        with tempfile.TemporaryDirectory() as name:
            directory = Path(name)
            database = directory / "gugbot.db"
            meeting_id = asyncio.run(seed(
                f"sqlite+aiosqlite:///{database}", guild_id, channel_id, message_id, large
            ))
            started = time.time()
            process = gugbot(sandbox, directory, code)
            try:
                sandbox.wait_ready()
                ready_s = time.time() - started
                time.sleep(IDLE_SETTLE_S)
                idle = rss_mib(process.pid)
                cpu_before = cpu_s(process.pid)
                if probe:
                    # The first command pays for one-time work (tree lookups, caches).
                    AckProbe(sandbox).once()
                with PeakRss(process.pid) as peak, contextlib.ExitStack() as stack:
                    acks = stack.enter_context(AckProbe(sandbox)) if probe else None
                    sent = burst(sandbox, message_id, count)
                    # Rows still missing when the deadline passes are lost.
                    deadline = time.monotonic() + COMMIT_DEADLINE_S
                    while (rows := committed(database, meeting_id)) < count:
                        if time.monotonic() > deadline:
                            break
                        time.sleep(0.005)
                    done = time.time()
                # Edits are coalesced: wait out the last window before counting them.
                time.sleep(EDIT_WINDOW_S)
                edits = sum(
                    1 for call in sandbox.call("GET", "/_sandbox/calls")
                    if call["method"] == "PATCH" and call["path"].endswith(f"/{message_id}")
                )
                return {
                    "start_to_ready_s": round(ready_s, 2), "rss_ready_mib": round(idle, 1),
                    "burst_s": round(done - sent["written"], 3),
                    "burst_cpu_s": round(cpu_s(process.pid) - cpu_before, 2),
                    "burst_peak_rss_mib": round(peak.peak, 1),
                    "rss_after_burst_mib": round(rss_mib(process.pid), 1),
                    "announcement_edits": edits,
                    "rows_lost": count - rows,
                    **({"ack_p50_ms": round(percentile(acks.round_trips, 0.5) * 1000, 1),
                        "ack_p99_ms": round(percentile(acks.round_trips, 0.99) * 1000, 1),
                        "ack_samples": len(acks.round_trips)} if acks else {}),
                }
            finally:
                stop(process)
    finally:
        sandbox.stop()


def warm_gazetteer(code: Path | None) -> None:
    """Build the gazetteer's cache once, so starts measure a machine already set up."""
    env = {"PYTHONPATH": str(code)} if code else {}
    subprocess.run(
        [sys.executable, "-c", "from core.geography import gazetteer; gazetteer()"],
        check=True, env={**os.environ, **env},
    )


def goal(value: float, limit: float, ratio: float | None = None) -> dict[str, Any]:
    return {"value": value, "limit": limit, **({"ratio": ratio} if ratio is not None else {}),
            "met": value <= limit}


def run(count: int, code: Path | None, large: bool) -> dict[str, Any]:
    """Measure both clients and state every goal."""
    warm_gazetteer(code)
    bare = measure_bare(count)
    ours = measure_gugbot(count, code, large=False)
    result: dict[str, Any] = {"bare": bare, "gugbot": ours}
    rss = bare["rss_ready_mib"]
    result["goals"] = {
        "rss_ready_x_bare<=1.5": goal(
            round(ours["rss_ready_mib"] / rss, 2), 1.5),
        "start_to_ready_minus_bare_s<=1.5": goal(
            round(ours["start_to_ready_s"] - bare["start_to_ready_s"], 2), 1.5),
        "burst_peak_rss_x_bare<=1.5": goal(
            round(ours["burst_peak_rss_mib"] / bare["burst_peak_rss_mib"], 2), 1.5),
        "burst_rate_bare_over_gugbot>=0.8": {
            "value": round(bare["burst_s"] / ours["burst_s"], 2), "limit": 0.8,
            "met": bare["burst_s"] / ours["burst_s"] >= 0.8},
        "burst_cpu_x_bare": round(ours["burst_cpu_s"] / max(bare["burst_cpu_s"], 0.01), 2),
    }
    if large:
        loaded = measure_gugbot(count, code, large=True)
        result["gugbot_large_data"] = loaded
        result["goals"]["large_data_rss_x_bare<=2"] = goal(
            round(loaded["rss_after_burst_mib"] / rss, 2), 2.0)
    return result


def main() -> None:
    """Parse arguments, run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--code", type=Path, default=None, help="gugbot checkout to run")
    parser.add_argument("--no-large", action="store_true", help="skip the large data set")
    args = parser.parse_args()
    print(json.dumps(run(args.count, args.code, not args.no_large), indent=2))


if __name__ == "__main__":
    main()
