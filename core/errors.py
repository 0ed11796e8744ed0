"""Domain errors that reach the user as short, translated, ephemeral replies.

Raise these from cogs or db/ rules; the command tree's error handler turns them
into a reply in the user's language. Messages are English source strings with
``{placeholders}``; parameters are filled in after translation.
"""

from __future__ import annotations

from typing import Any

from core.i18n import Counted


class UserError(Exception):
    """Something the user asked for cannot be done, and they can fix it."""

    def __init__(self, message: str, **params: Any) -> None:
        english = message.in_english(**params) if isinstance(message, Counted) else (
            message.format(**params) if params else message
        )
        super().__init__(english)
        self.message = message
        self.params = params


class NotFound(UserError):
    """The group, meeting or talk the user named does not exist (for them)."""


class NotAllowed(UserError):
    """The user lacks the role or status this action needs."""


class InvalidInput(UserError):
    """An option's value is malformed or out of range."""
