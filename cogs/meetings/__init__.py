"""Meetings: /meeting and /talk, announcements with RSVP by reaction, and notices.

``setup()`` builds the services the three cogs share, once per bot, and hands them in:
the announcements (posted, edited at once or coalesced) and the notifier (DMs and notices).
The /meeting cog also runs two periodic checks: series occurrences announced as they come
due (``_series.py``) and the **I'm here** check-in button (``_checkin.py``). Talks added
from elsewhere (an invited speaker accepting) arrive as the ``agenda_changed`` event.
"""

from __future__ import annotations

from bot.app import GugBot
from cogs.meetings._announcements import Announcements
from cogs.meetings._meeting import Meetings
from cogs.meetings._notices import Notifier
from cogs.meetings._rsvp import Rsvp
from cogs.meetings._talk import Talks


async def setup(bot: GugBot) -> None:
    """Build the shared services and load the meetings feature's cogs."""
    announcements = Announcements(
        bot, bot.db, bot.settings.meetings.announcement_edit_interval, bot.settings.web.base_url
    )
    notifier = Notifier(bot, bot.direct_messages, bot.locales)
    await bot.add_cog(Meetings(bot, announcements, notifier))
    await bot.add_cog(Talks(bot, announcements, notifier))
    await bot.add_cog(Rsvp(bot, announcements, notifier))
