"""RSVP by reaction: ✅ going, ❔ maybe, ❌ not going, from raw events, and reconcile on ready."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import Any, Literal

import discord
from discord.ext import commands

from bot.app import GugBot
from bot.metrics import observe_rsvp_batch
from bot.timefmt import discord_timestamp
from cogs.meetings._announcements import Announcements
from cogs.meetings._embeds import EMOJI_FOR, RSVP_EMOJIS
from cogs.meetings._notices import Notifier
from cogs.meetings._rsvp_writer import RECONCILE, RsvpWriters
from core.i18n import Translator, _
from db.meetings import (
    announced_upcoming,
    get_meeting,
    group_of_meeting,
    meeting_for_announcement,
    set_announcement,
)
from db.models import Meeting
from db.rsvps import ReactionChange, RsvpOutcome, answer_of, apply_reactions, reconcile_rsvps

log = logging.getLogger("gugbot.rsvp")

REACTIONS_PAGE = 100  # Discord lists at most 100 reacting users per request.
NORMAL: Literal[0] = 0  # Reaction types: super-reactions ("burst") are listed separately.
SUPER: Literal[1] = 1
# A message that is not an announcement is remembered briefly, so reactions elsewhere
# cost no query; briefly, because an announcement can be reacted to before it is saved.
NOT_AN_ANNOUNCEMENT_TTL = 30.0
CACHE_LIMIT = 10_000


class Rsvp(commands.Cog):
    """Turn reactions on announcements into answers, in order and in batches."""

    def __init__(self, bot: GugBot, announcements: Announcements, notifier: Notifier) -> None:
        self.bot = bot
        self.announcements = announcements
        self.notifier = notifier
        self.writers = RsvpWriters(self._apply_batch, self._reconcile)
        self._meetings: dict[int, tuple[int | None, float]] = {}
        self._background: set[asyncio.Task[None]] = set()

    async def cog_unload(self) -> None:
        """Stop the writers; the next ready reconciles what they had not applied."""
        self.bot.on_dispatch("raw_reaction_add", None)
        self.bot.on_dispatch("raw_reaction_remove", None)
        await self.writers.close()

    # ---- gateway events ------------------------------------------------------------

    def _change(self, payload: discord.RawReactionActionEvent, added: bool) -> None:
        if payload.guild_id is None or payload.emoji.id is not None:
            return
        answer = RSVP_EMOJIS.get(payload.emoji.name or "")
        if answer is None or (self.bot.user and payload.user_id == self.bot.user.id):
            return
        self.writers.submit(payload.message_id, ReactionChange(payload.user_id, answer, added))

    async def cog_load(self) -> None:
        """Take reactions straight from dispatch, without a task per reaction.

        During a burst of thousands, a task each costs more than queueing the change.
        """
        self.bot.on_dispatch("raw_reaction_add", lambda payload: self._change(payload, True))
        self.bot.on_dispatch("raw_reaction_remove", lambda payload: self._change(payload, False))

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Reconcile every upcoming announcement (start, and after a lost session)."""
        meetings = await announced_upcoming(self.bot.db, self.bot.clock.now())
        for meeting in meetings:
            if not self.bot.owns_guild(meeting.guild_id):
                continue
            message_id = meeting.announcement_message_id
            assert message_id is not None
            self._remember(message_id, meeting.id)
            self.writers.submit(message_id, RECONCILE)

    # ---- the writer's work -------------------------------------------------------

    def _remember(self, message_id: int, meeting_id: int | None) -> None:
        if len(self._meetings) >= CACHE_LIMIT:
            self._meetings.clear()
        self._meetings[message_id] = (meeting_id, time.monotonic())

    async def _meeting_id(self, message_id: int) -> int | None:
        cached = self._meetings.get(message_id)
        if cached is not None:
            meeting_id, since = cached
            if meeting_id is not None or time.monotonic() - since < NOT_AN_ANNOUNCEMENT_TTL:
                return meeting_id
        meeting = await meeting_for_announcement(self.bot.db, message_id)
        self._remember(message_id, meeting.id if meeting else None)
        return meeting.id if meeting else None

    async def _apply_batch(self, message_id: int, changes: list[ReactionChange]) -> None:
        meeting_id = await self._meeting_id(message_id)
        if meeting_id is None:
            return
        started = time.perf_counter()
        outcome = await apply_reactions(
            self.bot.db, meeting_id, changes, now=self.bot.clock.now()
        )
        observe_rsvp_batch(len(changes), time.perf_counter() - started)
        await self._follow_up(meeting_id, outcome)

    async def _reconcile(self, message_id: int) -> None:
        meeting = await meeting_for_announcement(self.bot.db, message_id)
        if meeting is None or meeting.announcement_channel_id is None:
            return
        try:
            present = await self._reactions_on(meeting.announcement_channel_id, message_id)
        except discord.NotFound:
            # The announcement was deleted while we were away; the meeting lives on.
            await set_announcement(self.bot.db, meeting.id, None, None)
            self._meetings.pop(message_id, None)
            return
        except discord.HTTPException as error:
            log.warning("could not list reactions of meeting %s: %s", meeting.id, error)
            return
        outcome = await reconcile_rsvps(
            self.bot.db, meeting.id, present, now=self.bot.clock.now()
        )
        await self._follow_up(meeting.id, outcome)

    async def _reactions_on(self, channel_id: int, message_id: int) -> dict[str, set[int]]:
        """List who reacted with each RSVP emoji: normal and super, every page."""
        bot_id = self.bot.user.id if self.bot.user else 0
        present: dict[str, set[int]] = {}
        for emoji, answer in RSVP_EMOJIS.items():
            users = present.setdefault(answer, set())
            for kind in (NORMAL, SUPER):
                after: int | None = None
                while True:
                    try:
                        page = await self.bot.http.get_reaction_users(
                            channel_id, message_id, emoji, REACTIONS_PAGE, after=after, type=kind
                        )
                    except discord.NotFound as error:
                        if error.code == 10014:  # Unknown Emoji: nobody reacted with it.
                            break
                        raise
                    users.update(int(user["id"]) for user in page)
                    if len(page) < REACTIONS_PAGE:
                        break
                    after = int(page[-1]["id"])
            users.discard(bot_id)
        return present

    async def _follow_up(self, meeting_id: int, outcome: RsvpOutcome) -> None:
        """Refresh the counts, tidy replaced reactions and tell whom it concerns."""
        if not outcome.applied or not outcome.changed:
            return
        self.announcements.request_refresh(meeting_id)
        if not (outcome.replaced or outcome.promoted or outcome.waitlisted):
            return
        meeting = await get_meeting(self.bot.db, meeting_id)
        if meeting is None:
            return
        self._spawn(self._tell(meeting, outcome))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _tell(self, meeting: Meeting, outcome: RsvpOutcome) -> None:
        group = await group_of_meeting(self.bot.db, meeting.id)
        channel_id = group.channel_id if group else None
        await self._remove_replaced(meeting, outcome)
        guild = self.bot.get_guild(meeting.guild_id)
        t = Translator(guild.preferred_locale if guild else None)
        when = discord_timestamp(meeting.starts_at, "F")
        notifier = self.notifier
        for user_id in outcome.promoted:
            await notifier.tell(
                user_id,
                t(_("A place opened up: you are now going to **{title}** ({when})."),
                  title=meeting.title, when=when),
                channel_id,
            )
        for user_id, place in outcome.waitlisted.items():
            await notifier.tell(
                user_id,
                t(_("**{title}** is full; you are number {place} on the waitlist. "
                    "You will be told if a place opens up."), title=meeting.title, place=place),
                channel_id,
            )

    async def _remove_replaced(self, meeting: Meeting, outcome: RsvpOutcome) -> None:
        """Remove reactions that no longer count, when the bot may (Manage Messages)."""
        channel_id, message_id = meeting.announcement_channel_id, meeting.announcement_message_id
        if channel_id is None or message_id is None or not self._may_manage(meeting, channel_id):
            return
        message = self.bot.get_partial_messageable(
            channel_id, guild_id=meeting.guild_id
        ).get_partial_message(message_id)
        for user_id, answer in outcome.replaced:
            current = outcome.current.get(user_id)
            if current is not None and answer_of(current) == answer:
                continue  # They came back to it within the batch.
            try:
                await message.remove_reaction(EMOJI_FOR[answer], discord.Object(id=user_id))
            except discord.Forbidden:
                return  # The permission was taken away: stop trying.
            except discord.HTTPException as error:
                log.info("could not remove a replaced reaction: %s", error)

    def _may_manage(self, meeting: Meeting, channel_id: int) -> bool:
        guild = self.bot.get_guild(meeting.guild_id)
        if guild is None or guild.me is None:
            return False
        channel = guild.get_channel(channel_id)
        permissions = (
            channel.permissions_for(guild.me) if channel is not None
            else guild.me.guild_permissions
        )
        return permissions.manage_messages

    async def idle(self) -> None:
        """Wait until queued reactions are applied and their follow-ups done (tests, bench)."""
        await self.writers.idle()
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)
