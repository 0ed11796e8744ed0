"""Fold names for comparison, fit text into a limit, and check option lengths."""

from __future__ import annotations

import re

from unidecode import unidecode

from core.errors import InvalidInput
from core.i18n import _

ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ``text``, drop accents and squeeze spaces: "São  Paulo" → "sao paulo"."""
    return _SPACES.sub(" ", unidecode(text).lower()).strip()


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


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> str:
    """Return ``value`` as CSV cell text that a spreadsheet shows rather than evaluates."""
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
