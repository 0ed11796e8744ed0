"""Read and write short durations such as ``2h``, ``1d,1h`` or ``30m``."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)\s*([dhms])", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


class DurationError(ValueError):
    """Raised when a duration cannot be read."""


def parse_duration(text: str) -> timedelta:
    """Read one duration like ``1h30m`` or ``90s``; units d, h, m, s."""
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned:
        raise DurationError("empty duration")
    if cleaned.startswith("-"):
        raise DurationError(f"negative duration {text!r}")
    position = 0
    total = timedelta()
    for match in _PART.finditer(cleaned):
        if match.start() != position:
            break
        try:
            total += timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        except OverflowError:
            raise DurationError(f"{text!r} is too long a duration") from None
        position = match.end()
    if position != len(cleaned):
        raise DurationError(f"{text!r} is not a duration like 2h, 30m or 1d")
    return total


def parse_offsets(text: str) -> list[timedelta]:
    """Read a comma-separated list of positive offsets, largest first, without repeats."""
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise DurationError("no offsets given")
    offsets = {parse_duration(part) for part in parts}
    if timedelta() in offsets:
        raise DurationError("an offset must be longer than zero")
    return sorted(offsets, reverse=True)


def format_duration(value: timedelta) -> str:
    """Write a duration compactly, e.g. ``1d2h`` or ``30m``."""
    seconds = int(value.total_seconds())
    if seconds == 0:
        return "0m"
    pieces = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            pieces.append(f"{count}{unit}")
    return "".join(pieces)


def format_offsets(offsets: list[timedelta]) -> str:
    """Write offsets as the user would type them: ``1d,1h``."""
    return ",".join(format_duration(offset) for offset in sorted(offsets, reverse=True))
