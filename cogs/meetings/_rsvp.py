"""RSVP by reaction: ✅ going, ❔ maybe, ❌ not going, from raw events.

Every new gateway session of a shard (READY, not a RESUME, whose events are replayed)
reconciles the announcements of that shard's guilds: events of a lost session are gone.
Reactions cleared by a moderator withdraw the answers they carried.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any, Literal

import discord
from discord.ext import commands

from bot.app import GugBot
from bot.languages import group_locale
from bot.metrics import observe_rsvp_batch
from bot.timefmt import discord_timestamp
from cogs.meetings._announcements import Announcements
from cogs.meetings._embeds import EMOJI_FOR, RSVP_EMOJIS
from cogs.meetings._notices import Notifier
from cogs.meetings._rsvp_writer import RECONCILE, Clear, RsvpWriters
from core.i18n import Translator, _
from db.meetings import (
    announced_upcoming,
    get_meeting,
    group_of_meeting,
    meeting_for_announcement,
    set_announcement,
)
from db.models import Meeting
from db.reaction_clearing import withdraw_all_answers, withdraw_answers_for
from db.rsvps import (
    PREFERENCE,
    ReactionChange,
    RsvpOutcome,
    answer_of,
    apply_reactions,
    reconcile_rsvps,
    rsvp_status,
)

log = logging.getLogger("gugbot.rsvp")

REACTIONS_PAGE = 100  # Discord lists at most 100 reacting users per request.
NORMAL: Literal[0] = 0  # Reaction types: super-reactions ("burst") are listed separately.
SUPER: Literal[1] = 1
Listing = dict[str, list[int]]


class Rsvp(commands.Cog):
    """Turn reactions on announcements into answers, in order and in batches."""

    def __init__(self, bot: GugBot, announcements: Announcements, notifier: Notifier) -> None:
        self.bot = bot
        self.announcements = announcements
        self.notifier = notifier
        self.writers = RsvpWriters(self._apply_batch, self._reconcile, self._clear)
        # (message, member) → answers whose replaced reaction the bot has yet to remove:
        # the member still holds them, and goes back to one by removing the newer reaction.
        self._still_held: dict[tuple[int, int], set[str]] = {}
        self._background: set[asyncio.Task[None]] = set()

    async def cog_unload(self) -> None:
        """Stop the writers; the next ready reconciles what they had not applied."""
        self.bot.on_dispatch("raw_reaction_add", None)
        self.bot.on_dispatch("raw_reaction_remove", None)
        await self.writers.close()
        for task in self._background:
            task.cancel()

    # ---- gateway events ------------------------------------------------------------

    def _change(self, payload: discord.RawReactionActionEvent, added: bool) -> None:
        if payload.guild_id is None or payload.emoji.id is not None:
            return
        answer = RSVP_EMOJIS.get(payload.emoji.name or "")
        if answer is None or (self.bot.user and payload.user_id == self.bot.user.id):
            return
        self.writers.submit(
            payload.message_id, ReactionChange(payload.user_id, answer, added, payload.burst)
        )
        if not added:
            self._forget_held(payload.message_id, payload.user_id, answer)

    async def cog_load(self) -> None:
        """Take reactions straight from dispatch, without a task per reaction.

        During a burst of thousands, a task each costs more than queueing the change.
        """
        self.bot.on_dispatch("raw_reaction_add", lambda payload: self._change(payload, True))
        self.bot.on_dispatch("raw_reaction_remove", lambda payload: self._change(payload, False))

    @commands.Cog.listener()
    async def on_shard_ready(self, shard_id: int) -> None:
        """Reconcile the announcements of a shard's guilds after each new session."""
        shard_count = self.bot.shard_count or 1
        meetings = await announced_upcoming(self.bot.db, self.bot.clock.now())
        for meeting in meetings:
            if (meeting.guild_id >> 22) % shard_count != shard_id:
                continue
            message_id = meeting.announcement_message_id
            assert message_id is not None
            self.announcements.remember(message_id, meeting.id)
            self.writers.submit(message_id, RECONCILE)

    @commands.Cog.listener()
    async def on_announcement_stale(self, meeting_id: int) -> None:
        """Show what another feature changed (an archive's cancellation, a forgotten answer)."""
        await self.announcements.refresh_now(meeting_id)

    @commands.Cog.listener()
    async def on_raw_reaction_clear(self, payload: discord.RawReactionClearEvent) -> None:
        """Withdraw every answer: a moderator removed all reactions (in line with live events)."""
        if payload.guild_id is not None:
            self.writers.submit(payload.message_id, Clear())

    @commands.Cog.listener()
    async def on_raw_reaction_clear_emoji(
        self, payload: discord.RawReactionClearEmojiEvent
    ) -> None:
        """Withdraw the answers of one emoji a moderator cleared, normal and super alike."""
        answer = RSVP_EMOJIS.get(payload.emoji.name or "") if payload.emoji.id is None else None
        if payload.guild_id is not None and answer is not None:
            self.writers.submit(payload.message_id, Clear(answer))

    # ---- the writer's work -------------------------------------------------------

    async def _apply_batch(self, message_id: int, changes: list[ReactionChange]) -> None:
        meeting_id = await self.announcements.meeting_of(message_id)
        if meeting_id is None:
            return
        started = time.perf_counter()
        outcome = await apply_reactions(
            self.bot.db, meeting_id, changes, now=self.bot.clock.now()
        )
        observe_rsvp_batch(len(changes), time.perf_counter() - started)
        await self._follow_up(meeting_id, outcome, message_id)

    async def _clear(self, message_id: int, answer: str | None) -> None:
        meeting_id = await self.announcements.meeting_of(message_id)
        if meeting_id is None:
            return
        now = self.bot.clock.now()
        cleared = await (
            withdraw_all_answers(self.bot.db, meeting_id, now=now) if answer is None
            else withdraw_answers_for(self.bot.db, meeting_id, answer, now=now)
        )
        if cleared.applied:
            await self._follow_up(
                meeting_id, RsvpOutcome(changed=bool(cleared.withdrawn), promoted=cleared.promoted)
            )

    async def _reconcile(self, message_id: int, arrival: Sequence[int]) -> None:
        meeting = await meeting_for_announcement(self.bot.db, message_id)
        if meeting is None or meeting.announcement_channel_id is None:
            return
        try:
            normal, burst = await self._reactions_on(meeting.announcement_channel_id, message_id)
        except discord.NotFound:
            # The announcement was deleted while we were away; the meeting lives on.
            await set_announcement(self.bot.db, meeting.id, None, None)
            self.announcements.remember(message_id, None)
            return
        except discord.HTTPException as error:
            log.warning("could not list reactions of meeting %s: %s", meeting.id, error)
            return
        outcome = await reconcile_rsvps(
            self.bot.db, meeting.id, _in_arrival_order(normal, arrival),
            burst=_in_arrival_order(burst, arrival), now=self.bot.clock.now(),
        )
        await self._follow_up(meeting.id, outcome, message_id)

    async def _reactions_on(self, channel_id: int, message_id: int) -> tuple[Listing, Listing]:
        """List who reacted with each RSVP emoji, normal and super apart, every page."""
        bot_id = self.bot.user.id if self.bot.user else 0
        normal: Listing = {}
        burst: Listing = {}
        for emoji, answer in RSVP_EMOJIS.items():
            for kind, listing in ((NORMAL, normal), (SUPER, burst)):
                users = listing.setdefault(answer, [])
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
                    users.extend(int(user["id"]) for user in page if int(user["id"]) != bot_id)
                    if len(page) < REACTIONS_PAGE:
                        break
                    after = int(page[-1]["id"])
        return normal, burst

    async def _follow_up(
        self, meeting_id: int, outcome: RsvpOutcome, message_id: int | None = None
    ) -> None:
        """Refresh the counts, tidy replaced reactions and tell whom it concerns."""
        if not outcome.applied or not (outcome.changed or outcome.replaced):
            return
        if message_id is not None:
            self._track_held(message_id, outcome)
        if outcome.changed:
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
        locale = group_locale(self.bot, group)
        when = discord_timestamp(meeting.starts_at, "F")
        notifier = self.notifier

        def promoted(t: Translator) -> str:
            return t(_("A place opened up: you are now going to **{title}** ({when})."),
                     title=meeting.title, when=when)

        for user_id in outcome.promoted:
            await notifier.tell(user_id, promoted, channel_id, locale)

        def waitlisted(place: int) -> Callable[[Translator], str]:
            return lambda t: t(
                _("**{title}** is full; you are number {place} on the waitlist. "
                  "You will be told if a place opens up."), title=meeting.title, place=place
            )

        # Far down the line, one channel message tells many: a burst costs no DM each.
        limit = self.bot.settings.meetings.waitlist_dm_limit
        line = sorted(outcome.waitlisted.items(), key=lambda item: item[1])
        for user_id, place in line:
            if place > limit:
                break
            await notifier.tell(user_id, waitlisted(place), channel_id, locale)
        further = [(user_id, place) for user_id, place in line if place > limit]
        if further:
            t = Translator(locale)
            await notifier.notice(
                channel_id,
                [user_id for user_id, _place in further],
                t(_("**{title}** is full; you are on the waitlist, from place {first} to "
                    "{last} in the order mentioned. You will be told if a place opens up."),
                  title=meeting.title, first=further[0][1], last=further[-1][1]),
            )

    async def _remove_replaced(self, meeting: Meeting, outcome: RsvpOutcome) -> None:
        """Remove reactions that no longer count, when the bot may (Manage Messages)."""
        channel_id, message_id = meeting.announcement_channel_id, meeting.announcement_message_id
        if channel_id is None or message_id is None:
            return
        may = self._may_manage(meeting, channel_id)
        message = self.bot.get_partial_messageable(
            channel_id, guild_id=meeting.guild_id
        ).get_partial_message(message_id)
        for user_id, answer in outcome.replaced:
            try:
                if may and await self._still_replaced(meeting, message_id, user_id, answer):
                    await message.remove_reaction(EMOJI_FOR[answer], discord.Object(id=user_id))
            except discord.Forbidden:
                may = False  # The permission was taken away: stop trying.
            except discord.HTTPException as error:
                log.info("could not remove a replaced reaction: %s", error)
            finally:
                self._forget_held(message_id, user_id, answer)

    def _track_held(self, message_id: int, outcome: RsvpOutcome) -> None:
        """Note replaced reactions still on the message; go back to one if the answer went.

        Someone who removes their new reaction while the old one is still there (its
        removal not made yet) has gone back to the old one. Done before any await, so
        the next events and the removals already see it.
        """
        for user_id, answer in outcome.replaced:
            self._still_held.setdefault((message_id, user_id), set()).add(answer)
        for user_id in outcome.withdrawn:
            held = self._still_held.get((message_id, user_id))
            # Not if they reacted again meanwhile: their latest reaction decides.
            if held and not self.writers.pending(message_id, user_id, later=True):
                back = min(held, key=PREFERENCE.__getitem__)
                self.writers.submit(message_id, ReactionChange(user_id, back, True))

    def _forget_held(self, message_id: int, user_id: int, answer: str) -> None:
        held = self._still_held.get((message_id, user_id))
        if held is not None:
            held.discard(answer)
            if not held:
                del self._still_held[message_id, user_id]

    async def _still_replaced(
        self, meeting: Meeting, message_id: int, user_id: int, answer: str
    ) -> bool:
        """Tell whether ``answer`` is still not the person's answer, right before removing it.

        Decided now, not when the batch ended: they may have gone back to it since, and
        an event about that reaction not yet written means they touched it again.
        """
        if self.writers.pending(message_id, user_id, answer):
            return False
        status = await rsvp_status(self.bot.db, meeting.id, user_id)
        return status is None or answer_of(status) != answer

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


def _in_arrival_order(listing: Listing, arrival: Iterable[int]) -> Listing:
    """Order each answer's people by when their reaction arrived, if known, else as listed."""
    rank = {user_id: place for place, user_id in enumerate(arrival)}
    if not rank:
        return listing
    return {
        answer: sorted(users, key=lambda user: rank.get(user, len(rank)))
        for answer, users in listing.items()
    }
