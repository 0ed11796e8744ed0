"""Discord snowflake ids: creation time in the high bits, as Discord builds them."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

# Discord's epoch, the first second of 2015, in milliseconds (Discord API docs, "Snowflakes").
DISCORD_EPOCH_MS = 1420070400000


def snowflake_time(snowflake: int) -> datetime:
    """Return the aware UTC creation time encoded in a snowflake."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


def iso_time(snowflake: int) -> str:
    """Return the ISO 8601 creation time of a snowflake, as Discord writes timestamps."""
    return snowflake_time(snowflake).isoformat()


def shard_of(guild_id: int, shard_count: int) -> int:
    """Return the shard a guild belongs to (Discord's `(guild_id >> 22) % num_shards`)."""
    return (guild_id >> 22) % shard_count


class SnowflakeGenerator:
    """Make unique, increasing snowflakes from the current time."""

    def __init__(self, worker: int = 1, process: int = 1) -> None:
        self._worker = worker & 0x1F
        self._process = process & 0x1F
        self._increment = itertools.count()
        self._last = 0

    def next(self) -> int:
        """Return a new snowflake, strictly greater than every earlier one."""
        stamp = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (
            (stamp << 22)
            | (self._worker << 17)
            | (self._process << 12)
            | (next(self._increment) & 0xFFF)
        )
        if value <= self._last:
            value = self._last + 1
        self._last = value
        return value

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """Return a new snowflake whose guild shard is `shard_id` of `shard_count`."""
        value = self.next()
        stamp = value >> 22
        stamp += (shard_id - stamp % shard_count) % shard_count
        value = (stamp << 22) | (value & 0x3FFFFF)
        self._last = max(self._last, value)
        return value
