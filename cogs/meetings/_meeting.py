"""/meeting: organizers schedule, edit and cancel meetings; anyone lists them."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.meeting_option import meeting_from_option, my_meeting_autocomplete
from bot.meeting_services import meeting_services
from bot.permissions import require_organizer
from bot.render.announcement import (
    attendees_csv,
    render_attendees,
    render_meeting_line,
)
from bot.scheduled_events import mirror_meeting
from bot.timefmt import discord_timestamp
from cogs.groups.options import GroupOption
from core.durations import DurationError, parse_duration
from core.errors import InvalidInput, NotFound, UserError
from core.i18n import Translator, _
from core.text import fit, require_length
from core.when import WHEN_LIMIT, echo_when, parse_when
from db.group_lookup import GroupLookupError, resolve_group
from db.meetings import (
    MeetingChange,
    MeetingError,
    NewMeeting,
    cancel_meeting,
    create_meeting,
    edit_meeting,
    group_of_meeting,
    list_attendees,
    upcoming_meetings,
)
from db.models import Group, Meeting, MeetingKind

# Column sizes in db/models.py, and room in the announcement embed (6,000 in all).
TITLE_LIMIT = 200
VENUE_LIMIT = 300
URL_LIMIT = 500
DESCRIPTION_LIMIT = 3000
REASON_LIMIT = 1000
MAX_DURATION = timedelta(days=7)
MAX_CAPACITY = 100_000
LIST_LIMIT = 10
CHOICE_LIMIT = 100  # Discord: a choice's name and value are at most 100 characters.

KIND_CHOICES = [app_commands.Choice(name=kind.value, value=kind.value) for kind in MeetingKind]

MEETING_ERRORS = {
    "past": _("That time is in the past. Meetings must start in the future."),
    "group_inactive": _("This group is not active, so it cannot schedule meetings."),
    "cancelled": _("This meeting was cancelled; schedule a new one with /meeting create."),
    "started": _("This meeting has already started, so it can no longer be changed."),
    "not_found": _("That meeting no longer exists."),
}


def refuse(error: MeetingError) -> UserError:
    """Turn a meeting rule's refusal into what the user reads."""
    return InvalidInput(MEETING_ERRORS.get(error.reason, _("That cannot be done.")))


def read_duration(text: str) -> int:
    """Read `duration` as whole minutes between one minute and a week."""
    try:
        value = parse_duration(text)
    except DurationError:
        raise InvalidInput(
            _("“{typed}” is not a duration. Use e.g. `2h`, `90m` or `1h30m`."), typed=fit(text, 40)
        ) from None
    if not timedelta(minutes=1) <= value <= MAX_DURATION:
        raise InvalidInput(_("A meeting lasts between 1 minute and 7 days."))
    return int(value.total_seconds() // 60)


def read_url(text: str) -> str:
    """Accept only an http(s) link with a host."""
    value = require_length("online_url", text, URL_LIMIT, required=False)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise InvalidInput(_("The online link must start with http:// or https://."))
    return value


def read_capacity(value: int) -> int:
    """Accept a capacity of at least one."""
    if not 1 <= value <= MAX_CAPACITY:
        raise InvalidInput(
            _("Capacity must be a whole number from 1 to {most}."), most=MAX_CAPACITY
        )
    return value


async def _zone_for_autocomplete(interaction: discord.Interaction) -> str:
    """Find the zone of the group (or meeting) named in the other options, if any."""
    bot: GugBot = interaction.client  # type: ignore[assignment]
    default = bot.settings.groups.default_timezone
    if interaction.guild_id is None:
        return default
    namespace = interaction.namespace
    group_value = getattr(namespace, "group", None)
    if group_value:
        try:
            group = await resolve_group(bot.db, interaction.guild_id, str(group_value))
        except GroupLookupError:
            return default
        return group.timezone
    meeting_value = getattr(namespace, "meeting", None)
    if meeting_value:
        try:
            meeting = await meeting_from_option(interaction, str(meeting_value))
        except UserError:
            return default
        owner = await group_of_meeting(bot.db, meeting.id)
        return owner.timezone if owner else default
    return default


async def when_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Echo how the typed `when` is understood, in the group's zone."""
    if not current.strip():
        return []
    bot: GugBot = interaction.client  # type: ignore[assignment]
    zone = await _zone_for_autocomplete(interaction)
    echo = echo_when(current, zone, bot.clock.now(), interaction.locale)
    return [
        app_commands.Choice(name=fit(echo, CHOICE_LIMIT), value=fit(current, WHEN_LIMIT))
    ]


class Meetings(commands.GroupCog, group_name="meeting"):
    """Schedule and follow a group's meetings."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot
        self.services = meeting_services(bot)

    # ---- helpers shared by the commands --------------------------------------------

    async def _group_of(self, meeting: Meeting) -> Group:
        group = await group_of_meeting(self.bot.db, meeting.id)
        if group is None:
            raise NotFound(_("That meeting no longer exists."))
        return group

    async def _after_change(self, meeting_id: int) -> None:
        """Mirror as a scheduled event and let reminders re-arm."""
        await mirror_meeting(self.bot, meeting_id)
        self.bot.dispatch("meeting_changed", meeting_id)

    def _read_when(self, text: str, group: Group) -> Any:
        return parse_when(text, group.timezone, self.bot.clock.now())

    # ---- commands -------------------------------------------------------------------

    @app_commands.command(name="create")
    @app_commands.describe(
        group="The group that meets",
        title="What the meeting is called",
        when="When it starts, in the group's time zone (e.g. 2026-12-10 19:00, next thursday 7pm)",
        kind="Social, technical or both",
        duration="How long it lasts, e.g. 2h or 90m (default 2h)",
        venue="Where it takes place",
        online_url="A link to join online (http or https)",
        capacity="How many can attend; more go to a waitlist",
        description="What to expect",
    )
    @app_commands.autocomplete(when=when_autocomplete)
    @app_commands.choices(kind=KIND_CHOICES)
    async def create(
        self,
        interaction: discord.Interaction,
        group: GroupOption,
        title: str,
        when: str,
        kind: app_commands.Choice[str],
        duration: str | None = None,
        venue: str | None = None,
        online_url: str | None = None,
        capacity: int | None = None,
        description: str | None = None,
    ) -> None:
        """Schedule a meeting and announce it in the group's channel."""
        t = Translator(interaction.locale)
        chosen = group
        await require_organizer(self.bot.db, interaction, chosen.id)
        starts = self._read_when(when, chosen)
        minutes = (
            read_duration(duration) if duration
            else int(self.bot.settings.meetings.default_duration.total_seconds() // 60)
        )
        new = NewMeeting(
            group_id=chosen.id,
            created_by=interaction.user.id,
            title=require_length(t(_("Title")), title, TITLE_LIMIT),
            kind=kind.value,
            starts_at=starts.utc,
            duration_minutes=minutes,
            venue=require_length(t(_("Venue")), venue or "", VENUE_LIMIT, required=False),
            online_url=read_url(online_url or ""),
            capacity=read_capacity(capacity) if capacity is not None else None,
            description=require_length(
                t(_("Description")), description or "", DESCRIPTION_LIMIT, required=False
            ),
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            meeting = await create_meeting(
                self.bot.db, new,
                default_offsets=self.bot.settings.reminders.default_offsets,
                now=self.bot.clock.now(),
            )
        except MeetingError as error:
            raise refuse(error) from None
        posted = await self.services.announcements.post(meeting.id)
        await self._after_change(meeting.id)
        if posted:
            reply = t(_("Scheduled **{title}** for {when}; announced in <#{channel}>."),
                      title=meeting.title, when=discord_timestamp(meeting.starts_at),
                      channel=chosen.channel_id)
        else:
            reply = t(_("Scheduled **{title}** for {when}. The group has no channel I can post "
                        "in, so there is no announcement."),
                      title=meeting.title, when=discord_timestamp(meeting.starts_at))
        await interaction.followup.send(reply, ephemeral=True)

    @app_commands.command(name="edit")
    @app_commands.describe(
        meeting="The meeting to change",
        title="New title",
        when="New start, in the group's time zone",
        kind="Social, technical or both",
        duration="New length, e.g. 2h",
        venue="New venue",
        online_url="New online link (http or https)",
        capacity="New capacity",
        description="New description",
    )
    @app_commands.autocomplete(meeting=my_meeting_autocomplete, when=when_autocomplete)
    @app_commands.choices(kind=KIND_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction,
        meeting: str,
        title: str | None = None,
        when: str | None = None,
        kind: app_commands.Choice[str] | None = None,
        duration: str | None = None,
        venue: str | None = None,
        online_url: str | None = None,
        capacity: int | None = None,
        description: str | None = None,
    ) -> None:
        """Change a meeting; those going or maybe are told."""
        t = Translator(interaction.locale)
        target = await meeting_from_option(interaction, meeting)
        group = await self._group_of(target)
        await require_organizer(self.bot.db, interaction, group.id)
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = require_length(t(_("Title")), title, TITLE_LIMIT)
        if when is not None:
            changes["starts_at"] = self._read_when(when, group).utc
        if kind is not None:
            changes["kind"] = kind.value
        if duration is not None:
            changes["duration_minutes"] = read_duration(duration)
        if venue is not None:
            changes["venue"] = require_length(t(_("Venue")), venue, VENUE_LIMIT, required=False)
        if online_url is not None:
            changes["online_url"] = read_url(online_url)
        if capacity is not None:
            changes["capacity"] = read_capacity(capacity)
        if description is not None:
            changes["description"] = require_length(
                t(_("Description")), description, DESCRIPTION_LIMIT, required=False
            )
        if not changes:
            raise InvalidInput(_("Nothing to change: give at least one field to edit."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            change = await edit_meeting(
                self.bot.db, target.id, changes,
                default_offsets=self.bot.settings.reminders.default_offsets,
                now=self.bot.clock.now(),
            )
        except MeetingError as error:
            raise refuse(error) from None
        announcements = self.services.announcements
        if not await announcements.refresh_now(target.id):
            await announcements.post(target.id)  # It was deleted: announce again.
        await self._tell_about_edit(change, group)
        await self._after_change(target.id)
        await interaction.followup.send(
            t(_("Updated **{title}**; {count} people who answered were told."),
              title=change.meeting.title, count=len(change.notify)),
            ephemeral=True,
        )

    async def _tell_about_edit(self, change: MeetingChange, group: Group) -> None:
        meeting = change.meeting
        notifier = self.services.notifier
        t = Translator(self._guild_locale(meeting.guild_id))
        await notifier.notice(
            group.channel_id, change.notify,
            t(_("**{title}** was changed. It starts {when} ({relative})."),
              title=meeting.title, when=discord_timestamp(meeting.starts_at, "F"),
              relative=discord_timestamp(meeting.starts_at, "R")),
        )
        for user_id in change.promoted:
            await notifier.tell(
                user_id,
                t(_("A place opened up: you are now going to **{title}** ({when})."),
                  title=meeting.title, when=discord_timestamp(meeting.starts_at, "F")),
                group.channel_id,
            )

    def _guild_locale(self, guild_id: int) -> object:
        guild = self.bot.get_guild(guild_id)
        return guild.preferred_locale if guild else None

    @app_commands.command(name="cancel")
    @app_commands.describe(meeting="The meeting to cancel", reason="Why, for those who answered")
    @app_commands.autocomplete(meeting=my_meeting_autocomplete)
    async def cancel(
        self, interaction: discord.Interaction, meeting: str, reason: str | None = None
    ) -> None:
        """Cancel a meeting; those going or maybe are told."""
        t = Translator(interaction.locale)
        target = await meeting_from_option(interaction, meeting)
        group = await self._group_of(target)
        await require_organizer(self.bot.db, interaction, group.id)
        why = require_length(t(_("Reason")), reason or "", REASON_LIMIT, required=False)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            change = await cancel_meeting(self.bot.db, target.id, why, now=self.bot.clock.now())
        except MeetingError as error:
            raise refuse(error) from None
        await self.services.announcements.refresh_now(target.id)
        g = Translator(self._guild_locale(target.guild_id))
        notice = g(_("**{title}** ({when}) is cancelled."), title=target.title,
                   when=discord_timestamp(target.starts_at, "F"))
        if why:
            notice += " " + g(_("Reason: {reason}"), reason=why)
        await self.services.notifier.notice(group.channel_id, change.notify, notice)
        await self._after_change(target.id)
        await interaction.followup.send(
            t(_("Cancelled **{title}**; {count} people who answered were told."),
              title=target.title, count=len(change.notify)),
            ephemeral=True,
        )

    @app_commands.command(name="list")
    @app_commands.describe(group="Only this group's meetings (default: your groups)")
    async def list_meetings(
        self, interaction: discord.Interaction, group: GroupOption | None = None
    ) -> None:
        """Show upcoming meetings of a group, or of your groups."""
        t = Translator(interaction.locale)
        if interaction.guild_id is None:
            raise NotFound(_("Meetings live in a server; run this command there."))
        now = self.bot.clock.now()
        if group:
            chosen = group
            views = await upcoming_meetings(
                self.bot.db, interaction.guild_id, now=now, group_id=chosen.id, limit=LIST_LIMIT
            )
            heading = t(_("Upcoming meetings of {group}"), group=chosen.name)
        else:
            views = await upcoming_meetings(
                self.bot.db, interaction.guild_id, now=now, member_id=interaction.user.id,
                limit=LIST_LIMIT,
            )
            heading = t(_("Upcoming meetings of your groups"))
            if not views:
                views = await upcoming_meetings(
                    self.bot.db, interaction.guild_id, now=now, limit=LIST_LIMIT
                )
                heading = t(_("Upcoming meetings"))
        if not views:
            await interaction.response.send_message(
                t(_("No upcoming meetings. Organizers schedule them with /meeting create.")),
                ephemeral=True,
            )
            return
        lines = [render_meeting_line(view, interaction.locale) for view in views]
        embed = discord.Embed(title=fit(heading, 256), description=fit("\n".join(lines), 4096))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="attendees")
    @app_commands.describe(meeting="The meeting")
    @app_commands.autocomplete(meeting=my_meeting_autocomplete)
    async def attendees(self, interaction: discord.Interaction, meeting: str) -> None:
        """List who is going, maybe, waiting and not going, with a CSV."""
        target = await meeting_from_option(interaction, meeting)
        group = await self._group_of(target)
        await require_organizer(self.bot.db, interaction, group.id)
        people = await list_attendees(self.bot.db, target.id)
        file = discord.File(io.BytesIO(attendees_csv(people)), filename=f"meeting-{target.id}.csv")
        await interaction.response.send_message(
            embed=render_attendees(target.title, people, interaction.locale),
            file=file,
            ephemeral=True,
        )
