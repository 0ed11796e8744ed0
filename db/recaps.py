"""Recaps: what happened at a meeting, written by an organizer and posted for the network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.errors import InvalidInput, NotFound
from core.i18n import _
from db.engine import Database
from db.groups import Actor, require_group_organizer
from db.meetings import AgendaItem
from db.models import (
    AttendanceCheckin,
    Group,
    GuildSettings,
    Meeting,
    MeetingRecap,
    MeetingStatus,
    Rsvp,
    RsvpStatus,
    Talk,
    TalkStatus,
    utc_now,
)


@dataclass(frozen=True)
class Recap:
    """A saved recap with everything its post shows and where it was posted before."""

    meeting_id: int
    meeting_title: str
    starts_at: datetime
    group_id: int
    group_name: str
    group_channel_id: int | None
    notes: str
    links: tuple[str, ...]
    going: int
    checked_in: int
    talks: tuple[AgendaItem, ...]
    # Set when the recap was posted before: edit those messages instead of posting again.
    group_message_id: int | None
    highlights_channel_id: int | None
    highlights_message_id: int | None
    edited: bool


async def save_recap(
    db: Database,
    *,
    meeting_id: int,
    notes: str,
    links: Sequence[str],
    by: Actor,
    now: datetime,
) -> Recap:
    """Write (or rewrite) a meeting's recap; organizers only, once the meeting started.

    The highlights channel is the server's current one, unless the recap was already
    posted somewhere: then that message is the one to edit.
    """
    async with db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound(_("That meeting does not exist."))
        if meeting.status != MeetingStatus.SCHEDULED:
            raise InvalidInput(_("That meeting was cancelled; there is nothing to recap."))
        if meeting.starts_at > now:
            raise InvalidInput(_("A recap can be written once the meeting has started."))
        group = await session.get(Group, meeting.group_id)
        assert group is not None  # A meeting's group is deleted with it (cascade).
        await require_group_organizer(session, group, by)
        settings = await session.get(GuildSettings, meeting.guild_id)
        recap = await session.get(MeetingRecap, meeting_id)
        edited = recap is not None
        if recap is None:
            recap = MeetingRecap(meeting_id=meeting_id, created_at=now)
            session.add(recap)
        recap.notes = notes
        recap.links = "\n".join(link.strip() for link in links if link.strip())
        recap.written_by = by.user_id
        recap.updated_at = now
        if recap.highlights_message_id is None:
            recap.highlights_channel_id = settings.highlights_channel_id if settings else None
        going = await session.scalar(
            select(func.count())
            .select_from(Rsvp)
            .where(Rsvp.meeting_id == meeting_id, Rsvp.status == RsvpStatus.GOING)
        )
        checked_in = await session.scalar(
            select(func.count())
            .select_from(AttendanceCheckin)
            .where(AttendanceCheckin.meeting_id == meeting_id)
        )
        talks = await session.execute(
            select(Talk.title, Talk.speaker_id)
            .where(Talk.meeting_id == meeting_id, Talk.status == TalkStatus.ACCEPTED)
            .order_by(Talk.id)
        )
        return Recap(
            meeting_id=meeting.id,
            meeting_title=meeting.title,
            starts_at=meeting.starts_at,
            group_id=group.id,
            group_name=group.name,
            group_channel_id=group.channel_id,
            notes=recap.notes,
            links=tuple(recap.links.splitlines()),
            going=int(going or 0),
            checked_in=int(checked_in or 0),
            talks=tuple(AgendaItem(title, speaker) for title, speaker in talks.all()),
            group_message_id=recap.group_message_id,
            highlights_channel_id=recap.highlights_channel_id,
            highlights_message_id=recap.highlights_message_id,
            edited=edited,
        )


async def set_recap_messages(
    db: Database,
    meeting_id: int,
    *,
    group_message_id: int | None,
    highlights_message_id: int | None,
) -> None:
    """Remember where a recap was posted, so running /meeting recap again edits it."""
    async with db.transaction() as session:
        recap = await session.get(MeetingRecap, meeting_id)
        if recap is None:
            raise NotFound(_("That meeting has no recap."))
        recap.group_message_id = group_message_id
        recap.highlights_message_id = highlights_message_id


async def set_highlights_channel(db: Database, guild_id: int, channel_id: int | None) -> None:
    """Post future recaps also in ``channel_id`` (None stops it)."""
    async with db.transaction() as session:
        row = await session.get(GuildSettings, guild_id)
        if row is None:
            row = GuildSettings(guild_id=guild_id)
            session.add(row)
        row.highlights_channel_id = channel_id
        row.updated_at = utc_now()
