"""Tell people about meetings: a DM with a channel fallback, and chunked group notices."""

from __future__ import annotations

import logging
from collections.abc import Callable

import discord

from bot.direct_messages import DirectMessages
from bot.languages import Locales
from bot.limits import MESSAGE_LIMIT
from bot.mentions import chunk_users, mention, only_users
from core.i18n import Translator
from core.text import fit

log = logging.getLogger("gugbot.meetings")

# A mention is at most 22 characters plus a space; 60 of them leave ~600 for the text.
MENTIONS_PER_NOTICE = 60


class Notifier:
    """Send meeting news: to one person (DM, else a mention), or one notice to many."""

    def __init__(
        self, client: discord.Client, direct: DirectMessages, locales: Locales
    ) -> None:
        self.client = client
        self.direct = direct
        self.locales = locales

    async def tell(
        self,
        user_id: int,
        say: Callable[[Translator], str],
        fallback_channel_id: int | None,
        group_locale: str | None,
    ) -> None:
        """DM one person in their own language, else the group's.

        When their DMs are closed, they are mentioned in the group's channel instead.
        """
        t = Translator(await self.locales.of(user_id, group_locale))
        await self.direct.tell(user_id, say(t), fallback_channel_id)

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
