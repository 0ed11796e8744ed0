"""Mirror meetings as Discord scheduled events (external location), when allowed."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import discord

from bot.app import GugBot
from core.text import fit
from db.meetings import meeting_view, set_scheduled_event
from db.models import MeetingStatus

log = logging.getLogger("gugbot.events")

# Discord's limits for scheduled events (API reference, "Guild Scheduled Event").
EVENT_NAME_LIMIT = 100
EVENT_DESCRIPTION_LIMIT = 1000
EVENT_LOCATION_LIMIT = 100
EXTERNAL = 3  # entity_type
GUILD_ONLY = 2  # privacy_level
CANCELED = 4  # status


def _may_manage_events(bot: GugBot, guild_id: int) -> bool:
    if not bot.settings.discord.scheduled_events:
        return False
    guild = bot.get_guild(guild_id)
    return bool(guild and guild.me and guild.me.guild_permissions.manage_events)


async def mirror_meeting(bot: GugBot, meeting_id: int) -> None:
    """Create, update or cancel the meeting's scheduled event to match the meeting."""
    view = await meeting_view(bot.db, meeting_id)
    if view is None or not _may_manage_events(bot, view.meeting.guild_id):
        return
    meeting = view.meeting
    event_id = meeting.scheduled_event_id
    try:
        if meeting.status == MeetingStatus.CANCELLED:
            if event_id is not None:
                await bot.http.edit_scheduled_event(meeting.guild_id, event_id, status=CANCELED)
            return
        payload = _payload(view.group.name, meeting)
        if event_id is None:
            created = await bot.http.create_guild_scheduled_event(meeting.guild_id, **payload)
            await set_scheduled_event(bot.db, meeting_id, int(created["id"]))
        else:
            await bot.http.edit_scheduled_event(meeting.guild_id, event_id, **payload)
    except discord.NotFound:
        # Someone deleted the event by hand: create a fresh one next time.
        await set_scheduled_event(bot.db, meeting_id, None)
    except discord.HTTPException as error:
        log.warning("could not mirror meeting %s as an event: %s", meeting_id, error)


def _payload(group_name: str, meeting: Any) -> dict[str, Any]:
    ends_at = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    location = meeting.venue or meeting.online_url or group_name
    return {
        "name": fit(meeting.title, EVENT_NAME_LIMIT),
        "description": fit(meeting.description, EVENT_DESCRIPTION_LIMIT) or None,
        "scheduled_start_time": meeting.starts_at.isoformat(),
        "scheduled_end_time": ends_at.isoformat(),
        "entity_type": EXTERNAL,
        "privacy_level": GUILD_ONLY,
        "entity_metadata": {"location": fit(location, EVENT_LOCATION_LIMIT)},
    }
