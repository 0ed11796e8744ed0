"""Recurring meetings on Discord: the `repeat` and `scope` choices and the announcer.

Occurrences exist as meetings ahead of time (db/series); each is announced
``meetings.announce_ahead`` before it starts by a periodic check, which also keeps every
series filled up to its horizon.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from discord import app_commands

from cogs.meetings._announcements import Announcements
from core.i18n import Translator, _
from core.recurrence import Frequency
from db.meetings import NewMeeting
from db.series import NewSeries, Scope, SeriesInfo, create_series, extend_series
from db.series import meetings_due_for_announcement as due_for_announcement

if TYPE_CHECKING:
    from bot.app import GugBot

log = logging.getLogger("gugbot.meetings.series")

SERIES_JOB = "meeting-series"
# Announcing a few minutes late is fine a week ahead; checking costs two small queries.
CHECK_INTERVAL = timedelta(minutes=5)
# Occurrences beyond the announcement window exist too, so they can be edited or cancelled.
BEYOND_ANNOUNCEMENT = timedelta(days=28)


# Choice names are what people read, translated by bot/command_translator; values are stored.
REPEAT_CHOICES = [
    app_commands.Choice(name="weekly", value=Frequency.WEEKLY.value),
    app_commands.Choice(name="every 2 weeks", value=Frequency.BIWEEKLY.value),
    app_commands.Choice(name="monthly, same weekday (e.g. 2nd Thursday)",
                        value=Frequency.MONTHLY_WEEKDAY.value),
    app_commands.Choice(name="monthly, last weekday (e.g. last Friday)",
                        value=Frequency.MONTHLY_LAST_WEEKDAY.value),
    app_commands.Choice(name="monthly, same date", value=Frequency.MONTHLY_DATE.value),
]
SCOPE_CHOICES = [
    app_commands.Choice(name="this occurrence only", value=Scope.THIS.value),
    app_commands.Choice(name="this and the following", value=Scope.FOLLOWING.value),
]


def chosen_scope(choice: app_commands.Choice[str] | None) -> Scope:
    """Return the occurrences a `scope` option names: this one alone when left out."""
    return Scope(choice.value) if choice is not None else Scope.THIS


def describe_series(info: SeriesInfo, t: Translator) -> str:
    """Say how a series repeats, for /meeting list."""
    labels = {
        Frequency.WEEKLY: _("weekly"),
        Frequency.BIWEEKLY: _("every 2 weeks"),
        Frequency.MONTHLY_WEEKDAY: _("monthly, same weekday"),
        Frequency.MONTHLY_LAST_WEEKDAY: _("monthly, last weekday"),
        Frequency.MONTHLY_DATE: _("monthly, same date"),
    }
    return "🔁 " + t(labels[info.frequency])


class SeriesAnnouncer:
    """Fill every series ahead and announce its occurrences when they come due."""

    def __init__(
        self,
        bot: GugBot,
        announcements: Announcements,
        after_post: Callable[[int], Awaitable[None]],
    ) -> None:
        self.bot = bot
        self.announcements = announcements
        self.after_post = after_post

    @property
    def _ahead(self) -> timedelta:
        return self.bot.settings.meetings.announce_ahead

    def start(self) -> None:
        """Install the periodic check."""
        self.bot.scheduler.add_job(
            self.check, "interval", seconds=CHECK_INTERVAL.total_seconds(), id=SERIES_JOB,
            replace_existing=True, coalesce=True, max_instances=1,
        )

    def stop(self) -> None:
        """Remove the periodic check."""
        if self.bot.scheduler.get_job(SERIES_JOB) is not None:
            self.bot.scheduler.remove_job(SERIES_JOB)

    async def create(self, new: NewMeeting, repeat: Frequency) -> tuple[int, int]:
        """Schedule a series; return its first meeting and how many were announced now."""
        created = await create_series(
            self.bot.db, NewSeries(new, repeat),
            horizon=self._ahead + BEYOND_ANNOUNCEMENT,
            default_offsets=self.bot.settings.reminders.default_offsets,
            now=self.bot.clock.now(),
        )
        return created.meeting_ids[0], await self.announce_due()

    async def check(self) -> None:
        """Extend every series and announce what is due (the periodic job)."""
        try:
            await extend_series(
                self.bot.db, now=self.bot.clock.now(), horizon=self._ahead + BEYOND_ANNOUNCEMENT,
                default_offsets=self.bot.settings.reminders.default_offsets,
            )
            await self.announce_due()
        except Exception:
            log.exception("the series check failed; the next one retries")

    async def announce_due(self) -> int:
        """Announce the occurrences of this process's guilds that start within the window."""
        due = await due_for_announcement(
            self.bot.db, now=self.bot.clock.now(), ahead=self._ahead
        )
        posted = 0
        for meeting in due:
            if not self.bot.owns_guild(meeting.guild_id):
                continue
            # A group without a channel is retried at each check until it has one.
            if await self.announcements.post(meeting.id):
                posted += 1
                await self.after_post(meeting.id)
        return posted
