"""Post and update meeting announcements; edits of the counts are coalesced.

A burst of reactions asks for many refreshes; each announcement has at most one
pending edit, made no sooner than ``interval`` after the previous one, and it
renders the state read from the database when it runs, so the last edit is right.

Which message is which meeting's announcement is known here from the moment Discord
answers the post, before the database has it, so the first reactions count.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

import discord

from bot.directory_links import meeting_page_url
from bot.languages import group_locale
from cogs.meetings._embeds import RSVP_EMOJIS, render_announcement
from db.engine import Database
from db.meetings import (
    MeetingView,
    get_meeting,
    meeting_for_announcement,
    meeting_view,
    move_announcement,
    set_announcement,
)

log = logging.getLogger("gugcogs.meetings._announcements")

UNKNOWN_MESSAGE = 10008
UNKNOWN_CHANNEL = 10003
# A message that is not an announcement is remembered briefly, so reactions elsewhere
# cost no query; briefly, as another process may have posted it.
NOT_AN_ANNOUNCEMENT_TTL = 30.0
CACHE_LIMIT = 10_000
# How long a reaction on an unknown message waits for posts under way.
POST_WAIT = 30.0
STATES_KEPT = 1000  # Edit states kept before idle ones are dropped (one per meeting edited).


@dataclass
class _EditState:
    last_edit: float = float("-inf")
    dirty: bool = False
    task: asyncio.Task[None] | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Announcements:
    """The announcements of every meeting this process handles."""

    def __init__(
        self, client: discord.Client, db: Database, interval: timedelta, base_url: str
    ) -> None:
        self.client = client
        self.db = db
        self.base_url = base_url
        self.interval = interval.total_seconds()
        self.edits = 0
        self._states: dict[int, _EditState] = {}
        self._meetings: dict[int, tuple[int | None, float]] = {}
        self._posting = 0
        self._posts_done = asyncio.Event()
        self._posts_done.set()

    def _state(self, meeting_id: int) -> _EditState:
        if meeting_id not in self._states and len(self._states) >= STATES_KEPT:
            self._forget_idle()
        return self._states.setdefault(meeting_id, _EditState())

    def remember(self, message_id: int, meeting_id: int | None) -> None:
        """Note which meeting a message announces (None: it announces none)."""
        if len(self._meetings) >= CACHE_LIMIT:
            self._meetings.clear()
        self._meetings[message_id] = (meeting_id, time.monotonic())

    async def meeting_of(self, message_id: int) -> int | None:
        """Return the meeting ``message_id`` announces, or None."""
        cached = self._meetings.get(message_id)
        if cached is not None:
            meeting_id, since = cached
            if meeting_id is not None or time.monotonic() - since < NOT_AN_ANNOUNCEMENT_TTL:
                return meeting_id
        if self._posting:
            # A reaction can arrive before Discord's answer to the post that made the
            # message: wait for the posts under way to be remembered.
            try:
                await asyncio.wait_for(self._posts_done.wait(), POST_WAIT)
            except TimeoutError:
                log.warning("posting announcements takes more than %ss", POST_WAIT)
            cached = self._meetings.get(message_id)
            if cached is not None and cached[0] is not None:
                return cached[0]
        meeting = await meeting_for_announcement(self.db, message_id)
        self.remember(message_id, meeting.id if meeting else None)
        return meeting.id if meeting else None

    def _forget_idle(self) -> None:
        """Drop states with nothing pending and no edit within the interval: they pace nothing."""
        settled = time.monotonic() - self.interval
        for meeting_id, state in list(self._states.items()):
            busy = state.dirty or state.lock.locked() or (state.task and not state.task.done())
            if not busy and state.last_edit < settled:
                del self._states[meeting_id]

    async def post(self, meeting_id: int) -> bool:
        """Post the announcement in the group's channel and add the RSVP reactions."""
        return await self._post(meeting_id, repost=False)

    async def repost(self, meeting_id: int) -> bool:
        """Post the announcement again; delete the old one; every answer stands.

        False if the group has no channel or Discord refused the post.
        """
        old = await get_meeting(self.db, meeting_id)
        if not await self._post(meeting_id, repost=True):
            return False
        if old is None or old.announcement_message_id is None:
            return True
        self.remember(old.announcement_message_id, None)
        assert old.announcement_channel_id is not None
        message = self.client.get_partial_messageable(
            old.announcement_channel_id, guild_id=old.guild_id
        ).get_partial_message(old.announcement_message_id)
        try:
            await message.delete()
        except discord.HTTPException as error:
            # Gone already, or no Manage Messages: the old one simply stops counting.
            log.info("could not delete the old announcement of %s: %s", meeting_id, error)
        return True

    async def _post(self, meeting_id: int, *, repost: bool) -> bool:
        view = await meeting_view(self.db, meeting_id)
        if view is None or view.group.channel_id is None:
            return False
        channel = self.client.get_partial_messageable(
            view.group.channel_id, guild_id=view.group.guild_id
        )
        # Until the post is recorded, reactions on messages not known yet wait for it
        # (a re-post's answers must be carried over before new reactions count).
        self._posting += 1
        self._posts_done.clear()
        message: discord.Message | None = None
        try:
            message = await channel.send(embed=await self._embed(view))
            record = move_announcement if repost else set_announcement
            await record(self.db, meeting_id, channel.id, message.id)
        except discord.HTTPException as error:
            log.warning("could not announce meeting %s: %s", meeting_id, error)
            return False
        finally:
            if message is not None:
                self.remember(message.id, meeting_id)
            self._posting -= 1
            if not self._posting:
                self._posts_done.set()
        self._state(meeting_id).last_edit = time.monotonic()
        for emoji in RSVP_EMOJIS:
            try:
                await message.add_reaction(emoji)
            except discord.HTTPException as error:
                # Without Add Reactions members can still react with the same emoji.
                log.info("could not add %s to meeting %s: %s", emoji, meeting_id, error)
                break
        return True

    def _locale(self, view: MeetingView) -> str | None:
        return group_locale(self.client, view.group)

    async def _embed(self, view: MeetingView) -> discord.Embed:
        page = await meeting_page_url(self.db, self.base_url, view.group.id, view.meeting.id)
        return render_announcement(view, self._locale(view), page)

    async def refresh_now(self, meeting_id: int) -> bool:
        """Edit the announcement at once (after an edit or cancel); False only if it is gone."""
        state = self._state(meeting_id)
        state.dirty = False
        return await self._edit(meeting_id, state)

    def request_refresh(self, meeting_id: int) -> None:
        """Ask for the counts to be shown; coalesced to one edit per interval."""
        state = self._state(meeting_id)
        state.dirty = True
        if state.task is None or state.task.done():
            state.task = asyncio.create_task(self._coalesce(meeting_id, state))

    async def _coalesce(self, meeting_id: int, state: _EditState) -> None:
        while state.dirty:
            wait = state.last_edit + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            state.dirty = False
            try:
                await self._edit(meeting_id, state)
            except Exception:
                log.exception("refreshing the announcement of meeting %s failed", meeting_id)

    async def _edit(self, meeting_id: int, state: _EditState) -> bool:
        async with state.lock:
            view = await meeting_view(self.db, meeting_id)
            if view is None:
                return False
            meeting = view.meeting
            if meeting.announcement_message_id is None or meeting.announcement_channel_id is None:
                return False
            message = self.client.get_partial_messageable(
                meeting.announcement_channel_id, guild_id=meeting.guild_id
            ).get_partial_message(meeting.announcement_message_id)
            try:
                await message.edit(embed=await self._embed(view))
            except discord.NotFound:
                # A moderator deleted it (or its channel): the meeting lives on without it.
                await set_announcement(self.db, meeting_id, None, None)
                return False
            except discord.HTTPException as error:
                # Still there (a 403 or 5xx): keep it, the next change retries the edit.
                log.warning("could not edit the announcement of %s: %s", meeting_id, error)
                return True
            finally:
                state.last_edit = time.monotonic()
            self.edits += 1
            return True

    async def flush(self) -> None:
        """Wait for every pending edit (tests and shutdown)."""
        while tasks := [s.task for s in self._states.values() if s.task and not s.task.done()]:
            await asyncio.gather(*tasks, return_exceptions=True)
