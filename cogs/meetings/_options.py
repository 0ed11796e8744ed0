"""The meetings feature's options: each one autocompletes and re-validates in one place.

`meeting` and `talk` take an id from autocomplete (or a typed title) and look it up again,
so a stale or forged id is refused; `when` echoes how it is understood in the group's zone
and is read in that zone; `duration` becomes whole minutes; `kind` is a fixed choice.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from core.durations import DurationError, parse_duration
from core.errors import InvalidInput, NotFound, UserError
from core.i18n import _
from core.text import fit
from core.when import WHEN_LIMIT, When, describe_local, echo_when, parse_when
from db.group_lookup import resolve_group
from db.meeting_lookup import meeting_choices, resolve_meeting
from db.meetings import group_of_meeting
from db.models import Meeting, MeetingKind, Talk
from db.talks import resolve_talk, talk_choices

if TYPE_CHECKING:
    from bot.app import GugBot

CHOICE_LIMIT = 100  # Discord: a choice's name and value are at most 100 characters.
TYPED_ECHO_LIMIT = 80  # How much of a typed value an error message repeats.
MAX_DURATION = timedelta(days=7)
MAX_CAPACITY = 100_000


class Kind(StrEnum):
    """The `kind` choices; discord.py shows a member's name, so names are the values."""

    social = MeetingKind.SOCIAL.value
    technical = MeetingKind.TECHNICAL.value
    mixed = MeetingKind.MIXED.value


async def find_meeting(
    interaction: discord.Interaction[GugBot], value: str, looking_back: timedelta = timedelta()
) -> Meeting:
    """Re-validate a `meeting` option (an id from autocomplete, or a typed title)."""
    if interaction.guild_id is None:
        raise NotFound(_("Meetings live in a server; run this command there."))
    bot = interaction.client
    return await resolve_meeting(
        bot.db, interaction.guild_id, value, now=bot.clock.now() - looking_back
    )


class UpcomingMeeting(app_commands.Transformer["GugBot"]):
    """A meeting of this server that has not started: autocomplete offers all of them."""

    organizer_only = False
    # Meetings that started up to this long ago count too (attendees, recaps).
    looking_back = timedelta()

    async def autocomplete(  # type: ignore[override]  # discord.py types value as int | float | str
        self, interaction: discord.Interaction[GugBot], value: str
    ) -> list[app_commands.Choice[str]]:
        """Offer upcoming meetings whose title contains what was typed."""
        if interaction.guild_id is None:
            return []
        bot = interaction.client
        pairs = await meeting_choices(
            bot.db,
            interaction.guild_id,
            value,
            now=bot.clock.now() - self.looking_back,
            organizer_id=interaction.user.id if self.organizer_only else None,
        )
        return [
            app_commands.Choice(
                name=fit(
                    f"{meeting.title} — {group.name}, "
                    f"{describe_local(meeting.starts_at, group.timezone, interaction.locale)}",
                    CHOICE_LIMIT,
                ),
                value=str(meeting.id),
            )
            for meeting, group in pairs
        ]

    async def transform(self, interaction: discord.Interaction[GugBot], value: str) -> Meeting:
        """Look the meeting up again, whatever autocomplete offered."""
        return await find_meeting(interaction, value, self.looking_back)


class OrganizedMeeting(UpcomingMeeting):
    """An upcoming meeting; autocomplete offers those of the groups the user organizes."""

    organizer_only = True


class RecentOrganizedMeeting(OrganizedMeeting):
    """An organized meeting that is upcoming or started in the last 30 days."""

    looking_back = timedelta(days=30)


class ProposedTalk(app_commands.Transformer["GugBot"]):
    """A proposed talk for a meeting of a group the user organizes."""

    async def autocomplete(  # type: ignore[override]  # discord.py types value as int | float | str
        self, interaction: discord.Interaction[GugBot], value: str
    ) -> list[app_commands.Choice[str]]:
        """Offer proposed talks for upcoming meetings of the groups the user organizes."""
        if interaction.guild_id is None:
            return []
        bot = interaction.client
        pairs = await talk_choices(
            bot.db, interaction.guild_id, value, now=bot.clock.now(),
            organizer_id=interaction.user.id,
        )
        return [
            app_commands.Choice(name=fit(label, CHOICE_LIMIT), value=str(talk_id))
            for talk_id, label in pairs
        ]

    async def transform(self, interaction: discord.Interaction[GugBot], value: str) -> Talk:
        """Look the talk up again."""
        if interaction.guild_id is None:
            raise NotFound(_("Talks live in a server; run this command there."))
        talk = await resolve_talk(interaction.client.db, interaction.guild_id, value)
        if talk is None:
            raise NotFound(_("No proposed talk called “{typed}”. Pick one from the list."),
                           typed=fit(value, TYPED_ECHO_LIMIT))
        return talk


async def _zone(interaction: discord.Interaction[GugBot]) -> str:
    """Find the zone of the group (or meeting) named in the other options, if any."""
    bot = interaction.client
    default = bot.settings.groups.default_timezone
    if interaction.guild_id is None:
        return default
    namespace = interaction.namespace
    group_value = getattr(namespace, "group", None)
    if group_value:
        try:
            group = await resolve_group(bot.db, interaction.guild_id, str(group_value))
        except NotFound:
            return default
        return group.timezone
    meeting_value = getattr(namespace, "meeting", None)
    if meeting_value:
        try:
            meeting = await find_meeting(interaction, str(meeting_value))
        except UserError:
            return default
        owner = await group_of_meeting(bot.db, meeting.id)
        return owner.timezone if owner else default
    return default


class WhenOption(app_commands.Transformer["GugBot"]):
    """A start time, read in the zone of the group (or meeting) the command names."""

    async def autocomplete(  # type: ignore[override]  # discord.py types value as int | float | str
        self, interaction: discord.Interaction[GugBot], value: str
    ) -> list[app_commands.Choice[str]]:
        """Echo how the typed `when` is understood, in the group's zone."""
        if not value.strip():
            return []
        zone = await _zone(interaction)
        echo = echo_when(value, zone, interaction.client.clock.now(), interaction.locale)
        return [app_commands.Choice(name=fit(echo, CHOICE_LIMIT), value=fit(value, WHEN_LIMIT))]

    async def transform(self, interaction: discord.Interaction[GugBot], value: str) -> When:
        """Read the start in the group's zone; refuse it when unreadable or past."""
        zone = await _zone(interaction)
        return parse_when(value, zone, interaction.client.clock.now())


def read_duration(text: str) -> int:
    """Read a duration as whole minutes between one minute and a week."""
    try:
        value = parse_duration(text)
    except DurationError:
        raise InvalidInput(
            _("“{typed}” is not a duration. Use e.g. `2h`, `90m` or `1h30m`."), typed=fit(text, 40)
        ) from None
    if not timedelta(minutes=1) <= value <= MAX_DURATION:
        raise InvalidInput(_("A meeting lasts between 1 minute and 7 days."))
    return int(value.total_seconds() // 60)


class DurationOption(app_commands.Transformer["GugBot"]):
    """How long a meeting lasts, e.g. `2h` or `90m`, as whole minutes."""

    async def transform(self, interaction: discord.Interaction[GugBot], value: str) -> int:
        """Read the duration; refuse what is not one or is out of range."""
        return read_duration(value)


def read_capacity(value: int) -> int:
    """Refuse a capacity Discord's range check let through (forged or old clients)."""
    if not 1 <= value <= MAX_CAPACITY:
        raise InvalidInput(
            _("Capacity must be a whole number from 1 to {most}."), most=MAX_CAPACITY
        )
    return value


MeetingOption = app_commands.Transform[Meeting, UpcomingMeeting]
OrganizedMeetingOption = app_commands.Transform[Meeting, OrganizedMeeting]
RecentOrganizedMeetingOption = app_commands.Transform[Meeting, RecentOrganizedMeeting]
TalkOption = app_commands.Transform[Talk, ProposedTalk]
WhenInZone = app_commands.Transform[When, WhenOption]
Minutes = app_commands.Transform[int, DurationOption]
Capacity = app_commands.Range[int, 1, MAX_CAPACITY]

