"""Tell people about meetings: a DM with a channel fallback, and chunked group notices."""

from __future__ import annotations

import logging

import discord

from bot.mentions import chunk_users, mention, only_users
from bot.text import MESSAGE_LIMIT, fit

log = logging.getLogger("gugbot.meetings")

# A mention is at most 22 characters plus a space; 60 of them leave ~600 for the text.
MENTIONS_PER_NOTICE = 60
CANNOT_DM = 50007  # Discord: "Cannot send messages to this user".


class Notifier:
    """Send meeting news; remembers whose DMs are closed so it does not retry them."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self._dm_channels: dict[int, int] = {}
        self._dms_closed: set[int] = set()

    async def _dm(self, user_id: int, content: str) -> bool:
        if user_id in self._dms_closed:
            return False
        http = self.client.http
        try:
            channel_id = self._dm_channels.get(user_id)
            if channel_id is None:
                channel_id = int((await http.start_private_message(user_id))["id"])
                self._dm_channels[user_id] = channel_id
            await self.client.get_partial_messageable(channel_id).send(
                fit(content, MESSAGE_LIMIT)
            )
        except discord.Forbidden as error:
            if error.code == CANNOT_DM:
                self._dms_closed.add(user_id)
            return False
        except discord.HTTPException as error:
            log.warning("DM to %s failed: %s", user_id, error)
            return False
        return True

    async def tell(self, user_id: int, content: str, fallback_channel_id: int | None) -> None:
        """DM one person; when DMs are closed, mention them in the group's channel."""
        if await self._dm(user_id, content):
            return
        if fallback_channel_id is None:
            return
        text = fit(f"{mention(user_id)} {content}", MESSAGE_LIMIT)
        try:
            await self.client.get_partial_messageable(fallback_channel_id).send(
                text, allowed_mentions=only_users([user_id])
            )
        except discord.HTTPException as error:
            log.warning("could not tell %s in channel %s: %s", user_id, fallback_channel_id, error)

    async def notice(self, channel_id: int | None, user_ids: list[int], content: str) -> None:
        """Post one notice in the channel mentioning exactly these people, in chunks."""
        if channel_id is None or not user_ids:
            return
        channel = self.client.get_partial_messageable(channel_id)
        for chunk in chunk_users(user_ids, MENTIONS_PER_NOTICE):
            mentions = " ".join(mention(user) for user in chunk)
            body = fit(content, MESSAGE_LIMIT - len(mentions) - 1)
            try:
                await channel.send(f"{mentions}\n{body}", allowed_mentions=only_users(chunk))
            except discord.HTTPException as error:
                log.warning("could not post a notice in %s: %s", channel_id, error)
                return
