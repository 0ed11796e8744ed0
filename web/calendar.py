"""Meetings as iCalendar (RFC 5545): one .ics per meeting, and feeds that stream.

Each meeting is one VEVENT whose UID never changes and whose SEQUENCE grows with every edit
(db/meetings.py counts them), so calendar apps replace their copy instead of adding one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Event, Timezone

from core.i18n import Translator, _
from db.directory import PublicMeeting, feed_meetings, feed_timezones, meeting_details
from db.engine import Database
from db.models import MeetingStatus

PRODID = "-//gugbot//users groups directory//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def zone(name: str) -> ZoneInfo:
    """Return the group's zone; a name the system no longer knows falls back to UTC."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def uid_domain(configured_base_url: str) -> str:
    """Return the right-hand side of every UID: the configured site's host, else "gugbot".

    Not the host a request came in by: the same meeting must keep one UID however it was
    fetched, or calendars would show it twice.
    """
    return urlsplit(configured_base_url).hostname or "gugbot"


@cache
def _vtimezone(name: str) -> bytes:
    # Computing a zone's transitions takes milliseconds: once per zone per process.
    return Timezone.from_tzid(zone(name).key).to_ical()


def header(name: str) -> bytes:
    """Open a VCALENDAR named ``name`` (shown by calendar apps as the feed's title)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


FOOTER = b"END:VCALENDAR\r\n"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def describe(meeting: PublicMeeting, t: Translator) -> str:
    """Write the event's DESCRIPTION: the meeting's text, then its agenda."""
    parts = []
    if meeting.status == MeetingStatus.CANCELLED:
        parts.append(t(_("Cancelled.")))
        if meeting.cancel_reason:
            parts.append(meeting.cancel_reason)
    if meeting.description:
        parts.append(meeting.description)
    if meeting.agenda:
        talks = [
            t(_("• {title} — {speaker}"), title=talk.title, speaker=talk.speaker)
            if talk.speaker
            else t(_("• {title}"), title=talk.title)
            for talk in meeting.agenda
        ]
        parts.append("\n".join([t(_("Agenda:")), *talks]))
    if meeting.online_url:
        parts.append(t(_("Online: {url}"), url=meeting.online_url))
    return "\n\n".join(parts)


def meeting_event(
    meeting: PublicMeeting,
    group_name: str,
    zone_name: str,
    *,
    site: str,
    t: Translator,
    uid_host: str = "gugbot",
) -> Event:
    """Build the VEVENT of one meeting; ``site`` is the public base URL of the pages."""
    local = zone(zone_name)
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{uid_host}")
    event.add("dtstamp", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(local))
    event.add("dtend", meeting.ends_at.astimezone(local))
    event.add("summary", f"{group_name}: {meeting.title}")
    description = describe(meeting, t)
    if description:
        event.add("description", description)
    location = meeting.venue or meeting.online_url
    if location:
        event.add("location", location)
    event.add("url", f"{site}/meetings/{meeting.id}")
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


async def meeting_ics(
    db: Database, meeting_id: int, now: datetime, *, site: str, t: Translator, uid_host: str
) -> bytes | None:
    """Render one public meeting as a whole .ics file, or None when it is not public.

    Also what `/meeting ics` attaches in Discord.
    """
    details = await meeting_details(db, meeting_id, now)
    if details is None:
        return None
    group = details.group
    event = meeting_event(
        details.meeting, group.name, group.timezone, site=site, t=t, uid_host=uid_host
    )
    return b"".join(
        [header(details.meeting.title), _vtimezone(group.timezone), event.to_ical(), FOOTER]
    )


async def feed(
    db: Database,
    now: datetime,
    *,
    name: str,
    site: str,
    t: Translator,
    uid_host: str,
    group_id: int | None = None,
) -> AsyncIterator[bytes]:
    """Yield a feed's .ics in chunks: header and zones, one chunk per batch of meetings."""
    zones = await feed_timezones(db, group_id)
    yield header(name) + b"".join(_vtimezone(zone_name) for zone_name in zones)
    async for batch in feed_meetings(db, now, group_id):
        yield b"".join(
            meeting_event(
                meeting, group_name, zone_name, site=site, t=t, uid_host=uid_host
            ).to_ical()
            for meeting, group_name, zone_name in batch
        )
    yield FOOTER
