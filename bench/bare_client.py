"""The bare discord.py client the benchmarks compare gugbot with.

gugbot's intents and a reaction listener that only counts; prints `done <epoch seconds>`
after --expect events.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

import discord

from bot.discord_api import point_discord_at


class CountingClient(discord.Client):
    """Counts raw reaction events; says when ``expect`` have arrived."""

    def __init__(self, expect: int) -> None:
        # gugbot's intents (bot.app.gateway_intents), not imported: that would load gugbot.
        intents = discord.Intents.none()
        intents.guilds = intents.guild_reactions = True
        super().__init__(intents=intents)
        self.expect, self.seen = expect, 0

    async def on_raw_reaction_add(self, _payload: discord.RawReactionActionEvent) -> None:
        """Count one event."""
        self.seen += 1
        if self.seen == self.expect:
            print(f"done {time.time()}", flush=True)


def main() -> None:
    """Connect to the API in GUGBOT_DISCORD_API and count until stopped."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--expect", type=int, default=5000)
    args = parser.parse_args()
    point_discord_at(os.environ["GUGBOT_DISCORD_API"])
    asyncio.run(CountingClient(args.expect).start(os.environ["DISCORD_TOKEN"]))


if __name__ == "__main__":
    main()
