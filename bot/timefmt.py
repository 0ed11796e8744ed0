"""Write times for people: Discord timestamps and short elapsed durations."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

TimestampStyle = Literal["t", "T", "d", "D", "f", "F", "R"]


def discord_timestamp(moment: datetime, style: TimestampStyle = "F") -> str:
    """Render ``<t:unix:style>``, which each reader's client shows in their own zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def humanize_elapsed(elapsed: timedelta) -> str:
    """Write an elapsed time as ``3d 4h``, ``2h 5m`` or ``40s``."""
    seconds = max(0, int(elapsed.total_seconds()))
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    if minutes:
        return f"{minutes}m {seconds}s"
    return f"{seconds}s"
