"""Whether a group's organizers are still in the server, asked over REST and cached.

A member leaving (GUILD_MEMBER_REMOVE) needs the privileged members intent, which the
bot does not ask for; ``fetch_member`` needs none and answers 404 (10007 Unknown Member)
for someone who left. Each answer is cached for a while so /coord stats on a large
network costs a handful of requests, not one per organizer every time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import discord

log = logging.getLogger("gugbot.groups")

# Long enough that repeated /coord stats cost nothing; short enough that someone who
# comes back stops being flagged within the hour.
MEMBERSHIP_TTL = timedelta(minutes=15)


class OrganizerPresence:
    """Answer "is this person still in the server?", caching each answer."""

    def __init__(self, now: Callable[[], datetime], ttl: timedelta = MEMBERSHIP_TTL) -> None:
        self.now = now
        self.ttl = ttl
        self._known: dict[tuple[int, int], tuple[bool, datetime]] = {}

    async def is_member(self, guild: discord.Guild, user_id: int) -> bool:
        """Tell whether the user is in the server; an unclear answer counts as yes."""
        key = (guild.id, user_id)
        cached = self._known.get(key)
        if cached is not None and cached[1] > self.now():
            return cached[0]
        try:
            await guild.fetch_member(user_id)
            present = True
        except discord.NotFound:
            present = False
        except discord.HTTPException as error:
            # A 429 or 5xx says nothing about the member: don't flag, don't cache.
            log.info("could not look up member %s of %s: %s", user_id, guild.id, error)
            return True
        self._known[key] = (present, self.now() + self.ttl)
        return present

    async def without_organizers(
        self, guild: discord.Guild, organizers: Iterable[tuple[int, Iterable[int]]]
    ) -> set[int]:
        """Return the ids of the groups none of whose organizers is still in the server."""
        orphaned = set()
        for group_id, user_ids in organizers:
            present = False
            for user_id in user_ids:
                if await self.is_member(guild, user_id):
                    present = True
                    break
            if not present:
                orphaned.add(group_id)
        return orphaned
