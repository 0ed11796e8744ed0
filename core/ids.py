"""Read a row id typed in an option (autocomplete sends ids as text)."""

from __future__ import annotations

import re

# Database integer keys are signed 64-bit; a longer number cannot name a row.
ROW_ID_MAX = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def row_id(text: str) -> int | None:
    """Return ``text`` as a row id, or None when it is not plain ASCII digits in range.

    ``str.isdigit`` accepts "²" (which ``int`` refuses) and 20-digit numbers overflow the
    database driver, so both must read as "not an id" rather than raise.
    """
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= ROW_ID_MAX else None
