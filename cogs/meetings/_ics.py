"""/meeting ics: a meeting's calendar file, and the feed of its group when it is public."""

from __future__ import annotations

import io
from dataclasses import dataclass

import discord

from bot.app import GugBot
from bot.directory_links import group_page_url
from core.errors import NotFound
from core.i18n import Translator, _
from db.models import Meeting
from web.calendar import meeting_ics, uid_domain


@dataclass(frozen=True)
class CalendarReply:
    """The .ics to attach and the words that go with it."""

    file: discord.File
    text: str


async def calendar_reply(bot: GugBot, meeting: Meeting, t: Translator) -> CalendarReply:
    """Render the meeting as the site does: same UID and SEQUENCE as the public feeds."""
    base_url = bot.settings.web.base_url
    now = bot.clock.now()
    ics = await meeting_ics(
        bot.db, meeting.id, now, site=base_url, t=t, uid_host=uid_domain(base_url),
        public_only=False,
    )
    if ics is None:
        raise NotFound(_("That meeting no longer exists."))
    lines = [
        t(_("Open the attached file to add **{title}** to your calendar."), title=meeting.title)
    ]
    page = await group_page_url(bot.db, base_url, meeting.group_id)
    if page:
        lines.append(
            t(_("Subscribe to every meeting of the group: {url}"), url=f"{page}/calendar.ics")
        )
    file = discord.File(io.BytesIO(ics), filename=f"meeting-{meeting.id}.ics")
    return CalendarReply(file, "\n".join(lines))
