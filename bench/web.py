"""Benchmark the public web directory over 20,000 groups and 100,000 upcoming meetings.

Fills a fresh SQLite database (or ``--database-url``), serves the real site on 127.0.0.1
and times, inside the server (a middleware around the handler), the front page, searches
and group pages; then reads /calendar.ics as a client would and reports how it streamed.
Prints p50/p99 in ms as JSON.

    .venv/bin/python -m bench.web [--groups 20000] [--meetings 100000] [--runs 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from sqlalchemy import insert

from core.geography import gazetteer
from core.slugs import unique_slugs
from core.text import fold
from db.engine import Database, create_database
from db.migrate import upgrade_database
from db.models import Group, GroupStatus, GuildSettings, Meeting, Membership, Talk
from web.app import create_app

GUILDS = 20
BATCH = 2000
SEARCHES = ["rosaio", "Rosario", "santa fe", "monterey", "Rio de Janeiro", "brasil", "xqzzy"]


async def fill(db: Database, groups: int, meetings: int, rng: random.Random) -> list[str]:
    gaz = gazetteer()
    cities = [city for city in gaz.cities if city.name != "Rosario"][:8000]
    now = datetime.now(UTC)
    names: list[tuple[int, str]] = []
    rows, members, talks = [], [], []
    for number in range(1, groups + 1):
        city = rng.choice(cities)
        name = f"GUG {city.name} {number}"
        names.append((number, name))
        rows.append(
            dict(
                id=number, guild_id=number % GUILDS + 1, name=name, name_key=fold(name),
                description="A users group.", city=city.name, city_key=city.key,
                region=city.region, country=gaz.country_name(city.country_code),
                country_code=city.country_code, latitude=city.latitude,
                longitude=city.longitude, timezone=city.timezone, status=GroupStatus.ACTIVE,
                proposer_id=number, channel_id=10_000 + number,
            )
        )
        members += [
            dict(group_id=number, user_id=number * 10 + k, is_organizer=k == 0) for k in range(3)
        ]
    async with db.transaction() as session:
        await session.execute(
            insert(GuildSettings),
            [dict(guild_id=g, directory_public=True, invite_url="") for g in range(1, GUILDS + 1)],
        )
        for start in range(0, len(rows), BATCH):
            await session.execute(insert(Group), rows[start : start + BATCH])
        for start in range(0, len(members), BATCH):
            await session.execute(insert(Membership), members[start : start + BATCH])
        batch = []
        for number in range(1, meetings + 1):
            group_id = rng.randint(1, groups)
            batch.append(
                dict(
                    id=number, group_id=group_id, guild_id=group_id % GUILDS + 1,
                    title=f"Meetup {number}", starts_at=now + timedelta(hours=rng.randint(1, 4000)),
                    duration_minutes=120, venue="Somewhere 123", created_by=group_id,
                )
            )
            if number % 5 == 0:
                talks.append(dict(meeting_id=number, speaker_id=group_id * 10, title="A talk",
                                  status="accepted"))
            if len(batch) == BATCH:
                await session.execute(insert(Meeting), batch)
                batch = []
        if batch:
            await session.execute(insert(Meeting), batch)
        for start in range(0, len(talks), BATCH):
            await session.execute(insert(Talk), talks[start : start + BATCH])
    slugs = unique_slugs(names)
    return [slugs[group_id] for group_id, _name in names]


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=20_000)
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        db = create_database(url)
        await upgrade_database(db)
        started = time.perf_counter()
        slugs = await fill(db, args.groups, args.meetings, rng)
        fill_seconds = time.perf_counter() - started

        timings: dict[str, list[float]] = {}
        current: list[str] = ["warm-up"]

        @web.middleware
        async def server_time(
            request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
        ) -> web.StreamResponse:
            began = time.perf_counter()
            response = await handler(request)
            timings.setdefault(current[0], []).append(time.perf_counter() - began)
            return response

        app = create_app(db)
        app.middlewares.append(server_time)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        async with ClientSession(base_url=str(server.make_url(""))) as client:
            started = time.perf_counter()
            async with client.get("/") as response:
                await response.read()
            snapshot_seconds = time.perf_counter() - started

            async def measure(label: str, paths: list[str]) -> None:
                current[0] = label
                for path in paths:
                    async with client.get(path) as response:
                        assert response.status == 200, (path, response.status)
                        await response.read()

            await measure("warm-up", [f"/groups/{slug}" for slug in slugs[:20]])
            await measure("front_page", ["/"] * args.runs)
            await measure("search", [f"/?q={rng.choice(SEARCHES)}" for _ in range(args.runs)])
            await measure("group_page", [f"/groups/{rng.choice(slugs)}" for _ in range(args.runs)])
            await measure("meeting_page", [f"/meetings/{rng.randint(1, args.meetings)}"
                                           for _ in range(args.runs)])

            current[0] = "calendar"
            started = time.perf_counter()
            first_chunk = None
            size = chunks = 0
            async with client.get("/calendar.ics") as response:
                async for chunk in response.content.iter_any():
                    if first_chunk is None:
                        first_chunk = time.perf_counter() - started
                    size += len(chunk)
                    chunks += 1
            calendar_seconds = time.perf_counter() - started
        await server.close()
        await db.dispose()
    print(
        json.dumps(
            {
                "groups": args.groups,
                "meetings": args.meetings,
                "runs": args.runs,
                "backend": url.split(":", 1)[0],
                "fill_seconds": round(fill_seconds, 1),
                "first_request_with_snapshot_s": round(snapshot_seconds, 2),
                "server_time": {
                    label: percentiles(samples)
                    for label, samples in timings.items()
                    if label not in {"warm-up", "calendar"}
                },
                "calendar_ics": {
                    "first_bytes_ms": round((first_chunk or 0) * 1000, 1),
                    "total_s": round(calendar_seconds, 2),
                    "megabytes": round(size / 1e6, 1),
                    "chunks_received": chunks,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
