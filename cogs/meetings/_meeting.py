"""/meeting: organizers schedule, edit and cancel meetings; anyone lists them."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.languages import group_locale, guild_locale
from bot.permissions import actor_for, require_organizer
from bot.timefmt import discord_timestamp
from cogs.groups.options import GroupOption
from cogs.meetings._announcements import Announcements
from cogs.meetings._checkin import CheckInWindows
from cogs.meetings._embeds import attendees_csv, render_attendees, render_meeting_line
from cogs.meetings._ics import calendar_reply
from cogs.meetings._notices import Notifier
from cogs.meetings._options import (
    Capacity,
    Kind,
    MeetingOption,
    Minutes,
    OrganizedMeetingOption,
    RecentOrganizedMeetingOption,
    WhenInZone,
    read_capacity,
)
from cogs.meetings._recap import NOTES_LIMIT, publish_recap, read_links
from cogs.meetings._scheduled_events import mirror_meeting
from cogs.meetings._series import (
    REPEAT_CHOICES,
    SCOPE_CHOICES,
    SeriesAnnouncer,
    chosen_scope,
    describe_series,
)
from core.errors import InvalidInput, NotFound
from core.formats import duration_in_words
from core.i18n import Translator, _
from core.recurrence import Frequency
from core.text import fit, require_length
from db.attendance import meeting_attendance
from db.meetings import (
    MeetingChange,
    NewMeeting,
    create_meeting,
    group_of_meeting,
    upcoming_meetings,
)
from db.models import Group, Meeting, MeetingStatus
from db.recaps import save_recap
from db.series import cancel_occurrences, edit_occurrences, series_of_meetings

# Column sizes in db/models/, and room in the announcement embed (6,000 in all).
TITLE_LIMIT = 200
VENUE_LIMIT = 300
URL_LIMIT = 500
DESCRIPTION_LIMIT = 3000
REASON_LIMIT = 1000
LIST_LIMIT = 10


def read_url(text: str) -> str:
    """Accept only an http(s) link with a host."""
    value = require_length("online_url", text, URL_LIMIT, required=False)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise InvalidInput(_("The online link must start with http:// or https://."))
    return value


class Meetings(commands.GroupCog, group_name="meeting"):
    """Schedule and follow a group's meetings."""

    def __init__(self, bot: GugBot, announcements: Announcements, notifier: Notifier) -> None:
        self.bot = bot
        self.announcements = announcements
        self.notifier = notifier
        self.series = SeriesAnnouncer(bot, announcements, self._after_change)
        self.checkins = CheckInWindows(bot)

    async def cog_load(self) -> None:
        """Start announcing series occurrences and opening check-in as they come due."""
        self.series.start()
        self.checkins.start()

    async def cog_unload(self) -> None:
        """Stop the periodic checks."""
        self.series.stop()
        self.checkins.stop()

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
        repeat="Repeat it: each occurrence is announced ahead of time",
    )
    @app_commands.choices(repeat=REPEAT_CHOICES)
    async def create(
        self,
        interaction: discord.Interaction[GugBot],
        group: GroupOption,
        title: str,
        when: WhenInZone,
        kind: Kind,
        duration: Minutes | None = None,
        venue: str | None = None,
        online_url: str | None = None,
        capacity: Capacity | None = None,
        description: str | None = None,
        repeat: app_commands.Choice[str] | None = None,
    ) -> None:
        """Schedule a meeting and announce it in the group's channel."""
        t = Translator(interaction.locale)
        await require_organizer(self.bot.db, interaction, group.id)
        minutes = (
            duration if duration is not None
            else int(self.bot.settings.meetings.default_duration.total_seconds() // 60)
        )
        new = NewMeeting(
            group_id=group.id,
            created_by=interaction.user.id,
            title=require_length(t(_("Title")), title, TITLE_LIMIT),
            kind=kind.value,
            starts_at=when.utc,
            duration_minutes=minutes,
            venue=require_length(t(_("Venue")), venue or "", VENUE_LIMIT, required=False),
            online_url=read_url(online_url or ""),
            capacity=read_capacity(capacity) if capacity is not None else None,
            description=require_length(
                t(_("Description")), description or "", DESCRIPTION_LIMIT, required=False
            ),
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        if repeat is not None:
            await self._create_series(interaction, new, Frequency(repeat.value), group, t)
            return
        meeting = await create_meeting(
            self.bot.db, new,
            default_offsets=self.bot.settings.reminders.default_offsets,
            now=self.bot.clock.now(),
        )
        posted = await self.announcements.post(meeting.id)
        await self._after_change(meeting.id)
        if posted:
            reply = t(_("Scheduled **{title}** for {when}; announced in <#{channel}>."),
                      title=meeting.title, when=discord_timestamp(meeting.starts_at),
                      channel=group.channel_id)
        else:
            reply = t(_("Scheduled **{title}** for {when}. The group has no channel I can post "
                        "in, so there is no announcement."),
                      title=meeting.title, when=discord_timestamp(meeting.starts_at))
        await interaction.followup.send(reply, ephemeral=True)

    async def _create_series(
        self,
        interaction: discord.Interaction[GugBot],
        new: NewMeeting,
        repeat: Frequency,
        group: Group,
        t: Translator,
    ) -> None:
        first, announced = await self.series.create(new, repeat)
        ahead = self.bot.settings.meetings.announce_ahead
        reply = t(_("Scheduled the series **{title}**, first on {when}. Each meeting is announced "
                    "in <#{channel}> {ahead} before it."),
                  title=new.title, when=discord_timestamp(new.starts_at), channel=group.channel_id,
                  ahead=duration_in_words(ahead, t.language))
        if not announced:
            await self._after_change(first)
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
        scope="For a recurring meeting: this occurrence only, or this and the following",
    )
    @app_commands.choices(scope=SCOPE_CHOICES)
    async def edit(
        self,
        interaction: discord.Interaction[GugBot],
        meeting: OrganizedMeetingOption,
        title: str | None = None,
        when: WhenInZone | None = None,
        kind: Kind | None = None,
        duration: Minutes | None = None,
        venue: str | None = None,
        online_url: str | None = None,
        capacity: Capacity | None = None,
        description: str | None = None,
        scope: app_commands.Choice[str] | None = None,
    ) -> None:
        """Change a meeting; those going or maybe are told."""
        t = Translator(interaction.locale)
        group = await self._group_of(meeting)
        await require_organizer(self.bot.db, interaction, group.id)
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = require_length(t(_("Title")), title, TITLE_LIMIT)
        if when is not None:
            changes["starts_at"] = when.utc
        if kind is not None:
            changes["kind"] = kind.value
        if duration is not None:
            changes["duration_minutes"] = duration
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
        edited = await edit_occurrences(
            self.bot.db, meeting_id=meeting.id, changes=changes, scope=chosen_scope(scope),
            default_offsets=self.bot.settings.reminders.default_offsets,
            now=self.bot.clock.now(),
        )
        in_series = await series_of_meetings(self.bot.db, [c.meeting.id for c in edited])
        due = self.bot.clock.now() + self.bot.settings.meetings.announce_ahead
        for change in edited:
            if not await self.announcements.refresh_now(change.meeting.id) and (
                change.meeting.id not in in_series or change.meeting.starts_at <= due
            ):
                # Deleted (or a series' occurrence now due): announce it again.
                await self.announcements.repost(change.meeting.id)
            await self._tell_about_edit(change, group)
            await self._after_change(change.meeting.id)
        await interaction.followup.send(
            t.plural("Updated **{title}**; {n} person who answered was told.",
                     "Updated **{title}**; {n} people who answered were told.",
                     sum(len(change.notify) for change in edited),
                     title=edited[0].meeting.title if edited else meeting.title),
            ephemeral=True,
        )

    async def _tell_about_edit(self, change: MeetingChange, group: Group) -> None:
        meeting = change.meeting
        notifier = self.notifier
        locale = group_locale(self.bot, group)
        g = Translator(locale)
        await notifier.notice(
            group.channel_id, change.notify,
            g(_("**{title}** was changed. It starts {when} ({relative})."),
              title=meeting.title, when=discord_timestamp(meeting.starts_at, "F"),
              relative=discord_timestamp(meeting.starts_at, "R")),
        )

        def promoted(t: Translator) -> str:
            return t(_("A place opened up: you are now going to **{title}** ({when})."),
                     title=meeting.title, when=discord_timestamp(meeting.starts_at, "F"))

        for user_id in change.promoted:
            await notifier.tell(user_id, promoted, group.channel_id, locale)

    @app_commands.command(name="cancel")
    @app_commands.describe(
        meeting="The meeting to cancel",
        reason="Why, for those who answered",
        scope="For a recurring meeting: this occurrence only, or this and the following",
    )
    @app_commands.choices(scope=SCOPE_CHOICES)
    async def cancel(
        self,
        interaction: discord.Interaction[GugBot],
        meeting: OrganizedMeetingOption,
        reason: str | None = None,
        scope: app_commands.Choice[str] | None = None,
    ) -> None:
        """Cancel a meeting; those going or maybe are told."""
        t = Translator(interaction.locale)
        group = await self._group_of(meeting)
        await require_organizer(self.bot.db, interaction, group.id)
        why = require_length(t(_("Reason")), reason or "", REASON_LIMIT, required=False)
        await interaction.response.defer(ephemeral=True, thinking=True)
        cancelled = await cancel_occurrences(
            self.bot.db, meeting_id=meeting.id, scope=chosen_scope(scope), reason=why,
            now=self.bot.clock.now(),
        )
        g = Translator(group_locale(self.bot, group))
        for change in cancelled:
            await self.announcements.refresh_now(change.meeting.id)
            notice = g(_("**{title}** ({when}) is cancelled."), title=change.meeting.title,
                       when=discord_timestamp(change.meeting.starts_at, "F"))
            if why:
                notice += " " + g(_("Reason: {reason}"), reason=why)
            await self.notifier.notice(group.channel_id, change.notify, notice)
            await self._after_change(change.meeting.id)
        await interaction.followup.send(
            t.plural("Cancelled **{title}**; {n} person who answered was told.",
                     "Cancelled **{title}**; {n} people who answered were told.",
                     sum(len(change.notify) for change in cancelled), title=meeting.title),
            ephemeral=True,
        )

    @app_commands.command(name="announce")
    @app_commands.describe(meeting="The meeting to announce again")
    async def announce(
        self, interaction: discord.Interaction[GugBot], meeting: OrganizedMeetingOption
    ) -> None:
        """Post the announcement again (after it was deleted, or to bump it); answers stand."""
        t = Translator(interaction.locale)
        group = await self._group_of(meeting)
        await require_organizer(self.bot.db, interaction, group.id)
        if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at <= self.bot.clock.now():
            raise InvalidInput(_("Only a meeting that has not started can be announced again."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        if await self.announcements.repost(meeting.id):
            reply = t(_("Announced **{title}** again in <#{channel}>; every answer given so far "
                        "stands until its person reacts on the new message."),
                      title=meeting.title, channel=group.channel_id)
        else:
            reply = t(_("The group has no channel I can post in, so there is no announcement."))
        await interaction.followup.send(reply, ephemeral=True)

    @app_commands.command(name="list")
    @app_commands.describe(group="Only this group's meetings (default: your groups)")
    async def list_meetings(
        self, interaction: discord.Interaction[GugBot], group: GroupOption | None = None
    ) -> None:
        """Show upcoming meetings of a group, or of your groups."""
        t = Translator(interaction.locale)
        if interaction.guild_id is None:
            raise NotFound(_("Meetings live in a server; run this command there."))
        now = self.bot.clock.now()
        if group:
            views = await upcoming_meetings(
                self.bot.db, interaction.guild_id, now=now, group_id=group.id, limit=LIST_LIMIT
            )
            heading = t(_("Upcoming meetings of {group}"), group=group.name)
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
        series = await series_of_meetings(self.bot.db, [view.meeting.id for view in views])
        lines = [
            render_meeting_line(view, interaction.locale)
            + (f" {describe_series(series[view.meeting.id], t)}" if view.meeting.id in series
               else "")
            for view in views
        ]
        embed = discord.Embed(title=fit(heading, 256), description=fit("\n".join(lines), 4096))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="recap")
    @app_commands.describe(
        meeting="A meeting that took place",
        notes="What happened, for the group and the other cities",
        links="Links to slides or recordings, separated by spaces",
    )
    async def recap(
        self,
        interaction: discord.Interaction[GugBot],
        meeting: RecentOrganizedMeetingOption,
        notes: str,
        links: str | None = None,
    ) -> None:
        """Post a meeting's recap in its group's channel and the highlights; again edits it."""
        t = Translator(interaction.locale)
        text = require_length(t(_("Notes")), notes, NOTES_LIMIT)
        urls = read_links(links or "", URL_LIMIT)
        actor = await actor_for(self.bot.db, interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        saved = await save_recap(
            self.bot.db, meeting_id=meeting.id, notes=text, links=urls, by=actor,
            now=self.bot.clock.now(),
        )
        in_group, in_highlights = await publish_recap(
            self.bot, self.bot.db, saved, guild_locale(self.bot, meeting.guild_id)
        )
        where = [f"<#{saved.group_channel_id}>"] if in_group else []
        if in_highlights:
            where.append(f"<#{saved.highlights_channel_id}>")
        reply = (
            t(_("Recap of **{title}** posted in {where}."), title=saved.meeting_title,
              where=", ".join(where)) if where
            else t(_("Recap of **{title}** saved; there was no channel I could post it in."),
                   title=saved.meeting_title)
        )
        await interaction.followup.send(reply, ephemeral=True)

    @app_commands.command(name="attendees")
    @app_commands.describe(meeting="The meeting")
    async def attendees(
        self, interaction: discord.Interaction[GugBot], meeting: RecentOrganizedMeetingOption
    ) -> None:
        """List who is going, maybe, waiting and not going, and who checked in, with a CSV."""
        group = await self._group_of(meeting)
        await require_organizer(self.bot.db, interaction, group.id)
        attendance = await meeting_attendance(self.bot.db, meeting.id)
        people = attendance.answered
        file = discord.File(io.BytesIO(attendees_csv(people)), filename=f"meeting-{meeting.id}.csv")
        embed = render_attendees(meeting.title, people, interaction.locale)
        if attendance.checked_in:
            t = Translator(interaction.locale)
            embed.add_field(
                name=t(_("Checked in ({count})"), count=len(attendance.checked_in)),
                value=fit(" ".join(f"<@{user}>" for user in attendance.checked_in), 1024),
                inline=False,
            )
        await interaction.response.send_message(
            embed=embed,
            file=file,
            ephemeral=True,
        )

    @app_commands.command(name="ics")
    @app_commands.describe(meeting="The meeting")
    async def ics(self, interaction: discord.Interaction[GugBot], meeting: MeetingOption) -> None:
        """Get the meeting's calendar file (.ics) and its group's calendar feed."""
        reply = await calendar_reply(self.bot, meeting, Translator(interaction.locale))
        await interaction.response.send_message(reply.text, file=reply.file, ephemeral=True)
