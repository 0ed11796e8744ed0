"""Tell one person something: by DM, or by a mention in a channel when their DMs are closed.

Discord answers a DM to someone who closed them with 403 / 50007; we remember that in
the database (UserPreference.dms_closed) and do not try again until they turn DMs back
on with `/reminders dm`, because failed requests count towards Discord's IP ban.
Reminder delivery sends through ``send`` too; it records closed DMs in the same
transaction as the delivery itself (db/reminders) and filters them out when it claims.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import discord

from bot.limits import CANNOT_DM, MESSAGE_LIMIT
from bot.mentions import mention, only_users
from core.clock import Clock
from core.text import fit
from db.engine import Database
from db.preferences import dms_known_closed, remember_dms_closed

log = logging.getLogger("gugbot.dm")

# DM channel ids remembered (opening one again costs a request, nothing more).
DM_CHANNELS_KEPT = 10_000
# A mention is at most 22 characters plus a space.
MENTION_ROOM = 23


class DirectMessages:
    """DMs with a channel fallback, remembering in the database whose DMs are closed."""

    def __init__(self, client: discord.Client, db: Database, clock: Clock) -> None:
        self.client = client
        self.db = db
        self.clock = clock
        # Most recently used first out last; a long-running bot DMs more people than it keeps.
        self._dm_channels: OrderedDict[int, int] = OrderedDict()

    async def send(
        self,
        user_id: int,
        content: str,
        *,
        # None, not MISSING: discord.py sends MISSING as the nonce "..." (with
        # enforce_nonce), which merged every later DM of the channel into the first one.
        nonce: str | None = None,
        view: discord.ui.View = discord.utils.MISSING,
    ) -> discord.Message:
        """Open (once) the DM channel with the user and post ``content``; errors propagate.

        Reminders pass a stable ``nonce`` so a retried DM stays one message. Without one,
        none is sent: discord.py would send ``MISSING`` as the text "..." with
        ``enforce_nonce``, and Discord would then drop every later DM to the person for
        minutes as a duplicate.
        """
        channel_id = self._dm_channels.get(user_id)
        if channel_id is None:
            channel_id = int((await self.client.http.start_private_message(user_id))["id"])
            self._dm_channels[user_id] = channel_id
            if len(self._dm_channels) > DM_CHANNELS_KEPT:
                self._dm_channels.popitem(last=False)
        else:
            self._dm_channels.move_to_end(user_id)
        messageable = self.client.get_partial_messageable(channel_id)
        if nonce is None:
            return await messageable.send(content, view=view)
        return await messageable.send(content, nonce=nonce, view=view)

    async def send_dm(
        self, user_id: int, content: str, *, view: discord.ui.View = discord.utils.MISSING
    ) -> bool:
        """DM ``content`` unless their DMs are known closed; return whether it was delivered."""
        if await dms_known_closed(self.db, user_id):
            return False
        try:
            await self.send(user_id, fit(content, MESSAGE_LIMIT), view=view)
        except discord.Forbidden as error:
            if error.code == CANNOT_DM:
                await remember_dms_closed(self.db, user_id, self.clock.now())
            else:
                log.info("DM to %s refused: %s", user_id, error)
            return False
        except discord.HTTPException as error:
            log.warning("DM to %s failed: %s", user_id, error)
            return False
        return True

    async def tell(
        self,
        user_id: int,
        content: str,
        fallback_channel_id: int | None,
        *,
        view: discord.ui.View = discord.utils.MISSING,
    ) -> bool:
        """DM the user, else mention them in the fallback channel; return whether DM worked."""
        if await self.send_dm(user_id, content, view=view):
            return True
        if fallback_channel_id is None:
            return False
        text = f"{mention(user_id)} {fit(content, MESSAGE_LIMIT - MENTION_ROOM)}"
        try:
            await self.client.get_partial_messageable(fallback_channel_id).send(
                text, allowed_mentions=only_users([user_id]), view=view
            )
        except discord.HTTPException as error:
            log.warning("could not tell %s in channel %s: %s", user_id, fallback_channel_id, error)
        return False
