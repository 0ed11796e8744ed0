"""Who reads what: the asker their own language, a channel its group's, a DM its reader's.

Replies follow ``interaction.locale``. Posts in a group's channel (announcements,
reminders, notices) follow the group's ``language`` (``/group edit language``), else the
server's preferred locale. A DM follows the locale its recipient last used a command in,
else the group's language; that locale is remembered after each command, off the reply's
path.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

import discord

from core.clock import Clock
from core.i18n import Translator, _, language_of
from db.engine import Database
from db.preferences import last_locale, remember_locale

log = logging.getLogger("gugbot.languages")

# The languages gugbot writes in, named for a sentence (catalog language → name).
LANGUAGE_NAMES = {
    "en": _("English"),
    "es": _("Spanish"),
    "pt_BR": _("Brazilian Portuguese"),
}
# Beyond this many people the memory starts afresh; a miss costs one read.
REMEMBERED_PEOPLE = 10_000


class HasGuild(Protocol):
    """A group, or a row of one: which server it is in and what language it chose."""

    guild_id: int
    language: str | None


def guild_locale(client: discord.Client, guild_id: int | None) -> str | None:
    """Return the server's preferred locale, as Discord reports it (None: unknown)."""
    guild = client.get_guild(guild_id) if guild_id is not None else None
    return guild.preferred_locale.value if guild else None


def group_locale(client: discord.Client, group: HasGuild | None) -> str | None:
    """Return the language a group's channel is written in: its own, else the server's."""
    if group is None:
        return None
    return group.language or guild_locale(client, group.guild_id)


def language_name(locale: str | None, t: Translator) -> str:
    """Name, in ``t``'s language, the language gugbot writes in for ``locale``."""
    return t(LANGUAGE_NAMES[language_of(locale)])


class Locales:
    """The locale each person last used a command in, kept in the database for DMs."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._known: dict[int, str | None] = {}
        self._pending: set[asyncio.Task[None]] = set()

    def saw(self, user_id: int, locale: discord.Locale | str) -> None:
        """Note the locale someone just used; the write happens in the background."""
        value = str(getattr(locale, "value", locale))
        if self._known.get(user_id) == value:
            return
        if len(self._known) >= REMEMBERED_PEOPLE:
            self._known.clear()
        self._known[user_id] = value
        task = asyncio.create_task(self._store(user_id, value))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _store(self, user_id: int, locale: str) -> None:
        try:
            await remember_locale(self.db, user_id, locale, self.clock.now())
        except Exception:
            # Only DMs' language depends on it; the next command tries again.
            self._known.pop(user_id, None)
            log.exception("could not remember the locale of %s", user_id)

    async def of(self, user_id: int, fallback: str | None = None) -> str | None:
        """Return the locale to DM this person in: their last seen, else ``fallback``."""
        if user_id not in self._known:
            self._known[user_id] = await last_locale(self.db, user_id)
        return self._known[user_id] or fallback

    async def flush(self) -> None:
        """Wait for the pending writes (tests and shutdown)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
