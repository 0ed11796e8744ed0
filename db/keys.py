"""Fold names for comparison: case, accents and spacing do not make two names differ."""

from __future__ import annotations

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ``text``, drop accents and squeeze spaces: "São  Paulo" → "sao paulo"."""
    return _SPACES.sub(" ", unidecode(text).lower()).strip()
