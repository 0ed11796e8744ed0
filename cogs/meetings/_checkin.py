"""Attendance: the announcement's **I'm here** button, shown while check-in is open.

From a meeting's start until three hours after it ends (db/attendance's window) the
announcement carries the button; a periodic check adds it and takes it away. Only the
components are edited, so the coalesced embed edits of the announcement are untouched.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.buttons import PersistentButton, button_row
from core.i18n import Translator, _
from db.attendance import announced_started_between, check_in, check_in_window
from db.models import Meeting

if TYPE_CHECKING:
    from bot.app import GugBot
from bot.languages import guild_locale

log = logging.getLogger("gugbot.meetings.checkin")

CHECKIN_JOB = "meeting-check-in"
# The button shows up within a minute of the start: people arrive over several minutes.
CHECK_INTERVAL = timedelta(minutes=1)
# Meetings last at most 7 days (cogs/meetings/_options.py) and check-in closes 3 h later.
LONGEST_WINDOW = timedelta(days=7, hours=3)


class CheckInButton(PersistentButton, template=r"gug:here:(?P<id>\d+)"):
    """Check in at the meeting whose announcement carries this button."""

    def __init__(self, meeting_id: int, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or "I'm here", style=discord.ButtonStyle.success, emoji="📍",
                custom_id=f"gug:here:{meeting_id}",
            )
        )
        self.meeting_id = meeting_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id, keeping its label."""
        return cls(int(match["id"]), label=getattr(item, "label", None))

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Record the check-in and answer privately."""
        t = Translator(interaction.locale)
        bot = interaction.client
        done = await check_in(
            bot.db, meeting_id=self.meeting_id, user_id=interaction.user.id,
            now=bot.clock.now(),
        )
        reply = (
            t(_("Welcome! You are checked in.")) if done.first_time
            else t(_("You were already checked in."))
        )
        await interaction.response.send_message(reply, ephemeral=True)


class CheckInWindows:
    """Show the button on announcements whose check-in is open, and remove it after."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot
        # Meeting id → whether its announcement now shows the button, as this process set it.
        self._shown: dict[int, bool] = {}

    def start(self) -> None:
        """Register the button and install the periodic check."""
        self.bot.add_dynamic_items(CheckInButton)
        self.bot.scheduler.add_job(
            self.check, "interval", seconds=CHECK_INTERVAL.total_seconds(), id=CHECKIN_JOB,
            replace_existing=True, coalesce=True, max_instances=1,
        )

    def stop(self) -> None:
        """Remove the periodic check and the button's registration."""
        if self.bot.scheduler.get_job(CHECKIN_JOB) is not None:
            self.bot.scheduler.remove_job(CHECKIN_JOB)
        self.bot.remove_dynamic_items(CheckInButton)

    async def check(self) -> None:
        """Open and close check-in on the announcements of meetings around now."""
        now = self.bot.clock.now()
        try:
            meetings = await announced_started_between(
                self.bot.db, after=now - LONGEST_WINDOW, until=now
            )
            for meeting in meetings:
                if self.bot.owns_guild(meeting.guild_id):
                    await self._show(meeting, now)
            current = {meeting.id for meeting in meetings}
            self._shown = {key: shown for key, shown in self._shown.items() if key in current}
        except Exception:
            log.exception("the check-in check failed; the next one retries")

    async def _show(self, meeting: Meeting, now: datetime) -> None:
        _opens, closes = check_in_window(meeting)
        open_now = now <= closes
        known = self._shown.get(meeting.id)
        # After a restart a long-closed window needs no edit: the button went at its close.
        long_closed = not open_now and now - closes > CHECK_INTERVAL * 2
        if known == open_now or (known is None and long_closed):
            return
        assert meeting.announcement_channel_id and meeting.announcement_message_id
        message = self.bot.get_partial_messageable(
            meeting.announcement_channel_id, guild_id=meeting.guild_id
        ).get_partial_message(meeting.announcement_message_id)
        t = Translator(guild_locale(self.bot, meeting.guild_id))
        view: discord.ui.View | None = None
        if open_now:
            view = button_row(CheckInButton(meeting.id, t(_("I'm here"))))
        try:
            await message.edit(view=view)
        except discord.HTTPException as error:
            log.info("could not change check-in on meeting %s: %s", meeting.id, error)
            return
        self._shown[meeting.id] = open_now
