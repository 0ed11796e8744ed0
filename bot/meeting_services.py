"""The meeting machinery shared by the meetings, talks and RSVP cogs, one per bot."""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from bot.announcements import Announcements
from bot.app import GugBot
from bot.meeting_notices import Notifier

_SERVICES: WeakKeyDictionary[GugBot, MeetingServices] = WeakKeyDictionary()


@dataclass
class MeetingServices:
    """Announcements (with coalesced edits) and the notifier, shared by the cogs."""

    announcements: Announcements
    notifier: Notifier


def meeting_services(bot: GugBot) -> MeetingServices:
    """Return this bot's services, creating them on first use."""
    services = _SERVICES.get(bot)
    if services is None:
        services = MeetingServices(
            announcements=Announcements(
                bot, bot.db, bot.settings.meetings.announcement_edit_interval
            ),
            notifier=Notifier(bot, bot.direct_messages),
        )
        _SERVICES[bot] = services
    return services
