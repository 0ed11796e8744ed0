"""Meetings as iCalendar (RFC 5545): one .ics per meeting, and feeds that stream.

Each meeting is one VEVENT whose UID never changes and whose SEQUENCE grows with every edit
(db/meetings.py counts them), so calendar apps replace their copy instead of adding one.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.i18n import Translator, _
from db.directory import PublicMeeting, feed_meetings, feed_timezones, meeting_details
from db.engine import Database
from db.models import MeetingStatus

PRODID = "-//gugbot//users groups directory//EN"
# RFC 5545 3.1: content lines are folded at 75 octets.
LINE_OCTETS = 75
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
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
def _vtimezone(name: str, year: int) -> bytes:
    """Describe a zone's rules from last year to four years ahead: the feeds' whole span.

    Every transition since 1970 would cost 50 ms a zone and a few kilobytes each.
    """
    from icalendar import Timezone  # 95 modules, imported by the first calendar served

    return Timezone.from_tzid(
        zone(name).key, first_date=date(year - 1, 1, 1), last_date=date(year + 4, 1, 1)
    ).to_ical()


def header(name: str) -> bytes:
    """Open a VCALENDAR named ``name`` (shown by calendar apps as the feed's title)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    return b"".join(_fold(line) for line in lines)


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


def _fold(name_and_value: str) -> bytes:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 3.1)."""
    data = name_and_value.encode()
    parts, start, limit = [], 0, LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _text(value: str) -> str:
    """Escape a TEXT value; other control characters from user text are dropped."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _escape(value)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime, local: ZoneInfo) -> str:
    return f";TZID={local.key}:{moment.astimezone(local).strftime('%Y%m%dT%H%M%S')}"


def vevent(
    meeting: PublicMeeting,
    group_name: str,
    zone_name: str,
    *,
    site: str,
    t: Translator,
    uid_host: str = "gugbot",
) -> bytes:
    """Write one meeting's VEVENT; ``site`` is the public base URL of the pages.

    Written by hand rather than through icalendar's Event: a network feed has 100,000 of
    them, and icalendar takes over a millisecond each where this takes a few microseconds.
    The tests parse the output back with icalendar.
    """
    local = zone(zone_name)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.id}@{uid_host}",
        f"DTSTAMP:{_utc(meeting.updated_at)}",
        f"CREATED:{_utc(meeting.created_at)}",
        f"LAST-MODIFIED:{_utc(meeting.updated_at)}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTART{_local(meeting.starts_at, local)}",
        f"DTEND{_local(meeting.ends_at, local)}",
        f"SUMMARY:{_text(f'{group_name}: {meeting.title}')}",
    ]
    description = describe(meeting, t)
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    location = meeting.venue or meeting.online_url
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    if site:
        lines.append(f"URL:{site}/meetings/{meeting.id}")
    lines.append(f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}")
    lines.append("END:VEVENT")
    return b"".join(_fold(line) for line in lines)


async def meeting_ics(
    db: Database,
    meeting_id: int,
    now: datetime,
    *,
    site: str,
    t: Translator,
    uid_host: str,
    public_only: bool = True,
) -> bytes | None:
    """Render one meeting as a whole .ics file, or None when it is not (public and) known.

    Also what `/meeting ics` attaches in Discord, with ``public_only=False``:
    ``site`` and ``uid_host`` from ``[web] base_url`` (``uid_domain``), so the file's UID
    matches the feeds'.
    """
    details = await meeting_details(db, meeting_id, now, public_only=public_only)
    if details is None:
        return None
    group = details.group
    event = vevent(details.meeting, group.name, group.timezone, site=site, t=t, uid_host=uid_host)
    window = now.year
    return b"".join(
        [header(details.meeting.title), _vtimezone(group.timezone, window), event, FOOTER]
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
    yield header(name)
    zones = await feed_timezones(db, group_id)
    yield b"".join(_vtimezone(zone_name, now.year) for zone_name in zones)
    async for batch in feed_meetings(db, now, group_id):
        yield b"".join(
            vevent(meeting, group_name, zone_name, site=site, t=t, uid_host=uid_host)
            for meeting, group_name, zone_name in batch
        )
    yield FOOTER
