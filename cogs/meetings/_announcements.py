"""Post and update meeting announcements; edits of the counts are coalesced.

A burst of reactions asks for many refreshes; each announcement has at most one
pending edit, made no sooner than ``interval`` after the previous one, and it
renders the state read from the database when it runs, so the last edit is right.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

import discord

from bot.directory_links import meeting_page_url
from cogs.meetings._embeds import RSVP_EMOJIS, render_announcement
from db.engine import Database
from db.meetings import MeetingView, meeting_view, set_announcement

log = logging.getLogger("gugcogs.meetings._announcements")

UNKNOWN_MESSAGE = 10008
UNKNOWN_CHANNEL = 10003


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

    def _state(self, meeting_id: int) -> _EditState:
        return self._states.setdefault(meeting_id, _EditState())

    async def post(self, meeting_id: int) -> bool:
        """Post the announcement in the group's channel and add the RSVP reactions."""
        view = await meeting_view(self.db, meeting_id)
        if view is None or view.group.channel_id is None:
            return False
        channel = self.client.get_partial_messageable(
            view.group.channel_id, guild_id=view.group.guild_id
        )
        try:
            message = await channel.send(embed=await self._embed(view))
        except discord.HTTPException as error:
            log.warning("could not announce meeting %s: %s", meeting_id, error)
            return False
        await set_announcement(self.db, meeting_id, channel.id, message.id)
        self._state(meeting_id).last_edit = time.monotonic()
        for emoji in RSVP_EMOJIS:
            try:
                await message.add_reaction(emoji)
            except discord.HTTPException as error:
                # Without Add Reactions members can still react with the same emoji.
                log.info("could not add %s to meeting %s: %s", emoji, meeting_id, error)
                break
        return True

    def _locale(self, view: object) -> object:
        guild = self.client.get_guild(getattr(getattr(view, "group", None), "guild_id", 0))
        return guild.preferred_locale if guild else None

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
