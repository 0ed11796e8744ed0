"""Fit user text into Discord's limits and check option lengths."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.i18n import _

# Discord's limits (API reference, "Embed Limits" and "Create Message").
MESSAGE_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
ELLIPSIS = "…"


def fit(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)] + ELLIPSIS


def require_length(label: str, text: str, limit: int, *, required: bool = True) -> str:
    """Return ``text`` stripped, or refuse it when it is empty or longer than ``limit``."""
    value = text.strip()
    if required and not value:
        raise InvalidInput(_("{label} cannot be empty."), label=label)
    if len(value) > limit:
        raise InvalidInput(
            _("{label} is {length} characters long; the limit is {limit}."),
            label=label,
            length=len(value),
            limit=limit,
        )
    return value
