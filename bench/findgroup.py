"""Benchmark /findgroup and its autocomplete in-process over 20,000 active groups.

Fills a fresh SQLite database (or ``--database-url``), then times exactly what the cog runs,
``findgroup_answer``: index lookup, matching (typos, regions, nearest groups), the reads of
organizers, member counts and next meetings, and the embed; prints p50/p99 in ms as JSON.

    .venv/bin/python bench/findgroup.py [--groups 20000] [--runs 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cogs.findgroup import findgroup_answer, place_choices
from sqlalchemy import insert

from core.geography import gazetteer
from core.i18n import Translator
from core.text import fold
from db.engine import create_database
from db.migrate import upgrade_database
from db.models import Group, GroupStatus, Meeting, Membership

GUILD = 1
BATCH = 2000


async def fill(db, count: int, rng: random.Random) -> None:
    gaz = gazetteer()
    cities = gaz.cities[:5000]
    now = datetime.now(UTC)
    groups, members, meetings = [], [], []
    for number in range(1, count + 1):
        city = rng.choice(cities)
        name = f"GUG {city.name} {number}"
        groups.append(
            dict(
                id=number,
                guild_id=GUILD,
                name=name,
                name_key=fold(name),
                description="",
                city=city.name,
                city_key=city.key,
                region=city.region,
                country=gaz.country_name(city.country_code),
                country_code=city.country_code,
                latitude=city.latitude,
                longitude=city.longitude,
                timezone=city.timezone,
                status=GroupStatus.ACTIVE,
                proposer_id=number,
                created_at=now,
                updated_at=now,
            )
        )
        for user in range(3):
            members.append(
                dict(
                    group_id=number,
                    user_id=number * 10 + user,
                    is_organizer=user == 0,
                    joined_at=now,
                )
            )
        meetings.append(
            dict(
                group_id=number,
                guild_id=GUILD,
                title="m",
                kind="mixed",
                starts_at=now + timedelta(days=rng.randint(1, 60)),
                status="scheduled",
                created_by=number,
                created_at=now,
                updated_at=now,
            )
        )
    async with db.transaction() as session:
        for table, rows in ((Group, groups), (Membership, members), (Meeting, meetings)):
            for start in range(0, len(rows), BATCH):
                await session.execute(insert(table), rows[start : start + BATCH])


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        db = create_database(url)
        await upgrade_database(db)
        started = time.perf_counter()
        await fill(db, args.groups, rng)
        fill_seconds = time.perf_counter() - started
        gaz = gazetteer()
        t = Translator("en-US")
        # A mix of what people type: exact cities, typos, countries, regions, cities without
        # groups (the nearest-groups path).
        names = [city.name for city in gaz.cities[:8000]]
        regions = sorted({city.region for city in gaz.cities[:5000] if city.region})
        queries = []
        for _ in range(args.runs):
            name = rng.choice(names)
            kind = rng.random()
            if kind < 0.2 and len(name) > 5:
                cut = rng.randrange(1, len(name) - 1)
                name = name[:cut] + name[cut + 1 :]
            elif kind < 0.3:
                name = rng.choice(["Brasil", "México", "Uruguay", "Spain", "Peru"])
            elif kind < 0.35:
                name = rng.choice(regions)
            queries.append(name)
        started = time.perf_counter()
        await findgroup_answer(db, GUILD, "warm up", t, datetime.now(UTC))
        index_seconds = time.perf_counter() - started
        find_times, complete_times = [], []
        for query in queries:
            started = time.perf_counter()
            await findgroup_answer(db, GUILD, query, t, datetime.now(UTC))
            find_times.append(time.perf_counter() - started)
            prefix = query[: rng.randint(1, min(6, len(query)))]
            started = time.perf_counter()
            await place_choices(db, GUILD, prefix)
            complete_times.append(time.perf_counter() - started)
        await db.dispose()
    print(
        json.dumps(
            {
                "groups": args.groups,
                "runs": args.runs,
                "backend": url.split(":", 1)[0],
                "fill_seconds": round(fill_seconds, 2),
                "index_build_seconds": round(index_seconds, 3),
                "findgroup": percentiles(find_times),
                "autocomplete": percentiles(complete_times),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
