"""Read and write short durations such as ``2h``, ``1d,1h`` or ``30m``."""

from __future__ import annotations

import re
from datetime import timedelta

from core.errors import InvalidInput
from core.i18n import _

_PART = re.compile(r"(\d+)\s*([dhms])", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


# The one reason to refuse offsets that is worth telling apart from "unreadable".
ZERO_OFFSET = _("An offset must be longer than zero.")


class DurationError(InvalidInput, ValueError):
    """Raised when a duration cannot be read; its message is marked for translation."""


def parse_duration(text: str) -> timedelta:
    """Read one duration like ``1h30m`` or ``90s``; units d, h, m, s."""
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned:
        raise DurationError(_("The duration is empty."))
    if cleaned.startswith("-"):
        raise DurationError(_("A duration cannot be negative: “{text}”."), text=text)
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
        raise DurationError(_("“{text}” is not a duration like 2h, 30m or 1d."), text=text)
    return total


def parse_offsets(text: str) -> list[timedelta]:
    """Read a comma-separated list of positive offsets, largest first, without repeats."""
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise DurationError(_("No offsets were given."))
    offsets = {parse_duration(part) for part in parts}
    if timedelta() in offsets:
        raise DurationError(ZERO_OFFSET)
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
