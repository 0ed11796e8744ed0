"""`gugbot run` killed with SIGKILL during a wave of 200 reminders: each sent exactly once."""

from __future__ import annotations

import asyncio
import random
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.engine import create_database
from db.migrate import upgrade_database
from sandbox.driver import Sandbox
from tests.factories import reminders_of, seed_group, seed_meeting
from tests.support.processes import bot_process

WAVE = 200
CONFIG = """
[discord]
guild_ready_timeout = 0.1
[reminders]
lease = "2s"
sweep_interval = "1s"
"""


def reminder_posts(sb: Sandbox) -> list[str]:
    """The reminder messages in #general."""
    return [m.content for m in sb.messages("general") if "Reminder" in (m.content or "")]


def nonce_posts(sb: Sandbox) -> Counter[str]:
    """How many times each nonce was POSTed (a retry re-sends the same nonce)."""
    return Counter(
        str(call.json["nonce"])
        for call in sb.calls_to("POST", "/messages")
        if isinstance(call.json, dict) and call.json.get("nonce")
    )


async def test_sigkill_during_a_wave_delivers_every_reminder_exactly_once(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/gugbot.db"
    db = create_database(url)
    await upgrade_database(db)
    rng = random.Random(6)
    async with Sandbox.start() as sb:
        alice = sb.user("alice").id
        group_id = await seed_group(db, sb.world.guild.id, sb.channel("general").id, "GUG Lima")
        now = datetime.now(UTC)
        for n in range(WAVE):
            # Due 6-10 s from now, spread so the kills land in the middle of the wave. The
            # meetings start long after, so a slow machine never turns a retry into "missed".
            starts = now + timedelta(minutes=30, seconds=6 + n * 4 / WAVE)
            await seed_meeting(
                db, group_id, starts, [timedelta(minutes=30)], now, going=[alice], title=f"M{n}"
            )
        env = {**sb.env(), "GUGBOT_DATABASE_URL": url}
        kills = 0
        while kills < 8:
            async with bot_process(env, tmp_path, CONFIG) as process:
                posted = len(sb.calls_to("POST", "/messages"))
                target = posted + rng.randint(1, 25)
                try:
                    await sb.wait_for(
                        lambda target=target: len(sb.calls_to("POST", "/messages")) >= target,
                        timeout=20,
                        interval=0.001,
                    )
                except TimeoutError:
                    break  # the wave is over before this kill
                process.send_signal(signal.SIGKILL)
                await process.wait()
                kills += 1
            if len(reminder_posts(sb)) >= WAVE and any(c > 1 for c in nonce_posts(sb).values()):
                break
        async with bot_process(env, tmp_path, CONFIG):
            await sb.wait_for(lambda: len(reminder_posts(sb)) >= WAVE, timeout=120)

            async def settled() -> bool:
                rows = await reminders_of(db)
                return all(row.status == "sent" for row in rows)

            await sb.wait_for(settled, timeout=30)
            await asyncio.sleep(1.5)  # a sweep or two more: nothing may be re-sent
        posts = reminder_posts(sb)
        titles = Counter(post.split("**")[1] for post in posts)
        assert len(posts) == WAVE and set(titles.values()) == {1}
        assert kills >= 1
        # The nonce is what saved us: a retry re-POSTed a message the killed process had
        # already sent, and Discord (the sandbox) returned the original instead.
        resent = [nonce for nonce, count in nonce_posts(sb).items() if count > 1]
        assert resent, "no kill landed between a send and its mark; raise the kill count"
        assert len(sb.calls_to("POST", "/messages")) > len(posts)
    await db.dispose()
