"""/reminders: when a group is reminded of its meetings, and whether I get DMs.

Also keeps the reminder alarm clocks armed: at load, on every ready, and after every
meeting change (the meetings cog dispatches ``meeting_changed``).
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.permissions import require_organizer
from cogs.groups.options import OrganizedGroupOption
from cogs.reminders._alarm import ReminderAlarm
from core.durations import DurationError, format_offsets, parse_offsets
from core.errors import InvalidInput
from core.i18n import Translator, _
from db.preferences import set_reminder_dms
from db.reminders import set_reminder_offsets

# Offsets a person may type: days, hours and minutes (seconds are for tests only).
OFFSET_UNITS = set("dhm")
MAX_OFFSETS = 5  # more pings than this per meeting is noise, not reminding


class Offsets(app_commands.Transformer[GugBot]):
    """Offsets typed by an organizer (``1d, 1h``), validated and normalised (``1d,1h``)."""

    async def transform(self, interaction: discord.Interaction[GugBot], value: str) -> str:
        """Refuse anything but up to five offsets in days, hours and minutes."""
        cleaned = value.strip().lower()
        if any(char.isalpha() and char not in OFFSET_UNITS for char in cleaned):
            raise InvalidInput(_("Use offsets like `1d,1h` or `30m` (units d, h, m)."))
        try:
            offsets = parse_offsets(cleaned)
        except DurationError:
            raise InvalidInput(_("Use offsets like `1d,1h` or `30m` (units d, h, m).")) from None
        if len(offsets) > MAX_OFFSETS:
            raise InvalidInput(_("At most {count} reminders per meeting."), count=MAX_OFFSETS)
        return format_offsets(offsets)


OffsetsOption = app_commands.Transform[str, Offsets]


class Reminders(commands.GroupCog, group_name="reminders"):
    """Reminder settings, and the listeners that keep reminders armed."""

    def __init__(self, bot: GugBot, alarm: ReminderAlarm) -> None:
        self.bot = bot
        self.alarm = alarm

    async def cog_load(self) -> None:
        """Arm every pending reminder and start the sweep."""
        self.alarm.start()
        await self.alarm.arm_all()

    async def cog_unload(self) -> None:
        """Disarm, so a reloaded cog does not leave orphan jobs."""
        self.alarm.stop()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Re-arm after every (re)connect and catch up what came due meanwhile."""
        await self.alarm.sweep()

    @commands.Cog.listener()
    async def on_meeting_changed(self, meeting_id: int) -> None:
        """Re-arm one meeting's reminders after it was created, moved or cancelled."""
        await self.alarm.arm_meeting(meeting_id)

    @app_commands.command(name="offsets")
    @app_commands.describe(
        group="The group whose meetings get these reminders",
        offsets="How long before each meeting, e.g. 1d,1h or 30m",
    )
    async def offsets(
        self,
        interaction: discord.Interaction[GugBot],
        group: OrganizedGroupOption,
        offsets: OffsetsOption,
    ) -> None:
        """Set when your group's members are reminded before each meeting."""
        t = Translator(interaction.locale)
        await require_organizer(self.bot.db, interaction, group.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        meeting_ids = await set_reminder_offsets(
            self.bot.db,
            group.id,
            offsets,
            self.bot.settings.reminders.default_offsets,
            self.bot.clock.now(),
        )
        for meeting_id in meeting_ids:
            await self.alarm.arm_meeting(meeting_id)
        await interaction.followup.send(
            t(
                _("{group} members will be reminded {offsets} before each meeting "
                  "({count} upcoming meeting(s) re-planned)."),
                group=group.name,
                offsets=offsets,
                count=len(meeting_ids),
            ),
            ephemeral=True,
        )

    @app_commands.command(name="dm")
    @app_commands.describe(enabled="Also send me my meeting reminders by direct message")
    async def dm(self, interaction: discord.Interaction[GugBot], enabled: bool) -> None:
        """Turn reminder DMs on or off for yourself."""
        t = Translator(interaction.locale)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await set_reminder_dms(self.bot.db, interaction.user.id, enabled, self.bot.clock.now())
        if enabled:
            reply = t(_("You'll get meeting reminders by DM. Keep DMs from this server open."))
        else:
            reply = t(_("You won't get meeting reminders by DM any more."))
        await interaction.followup.send(reply, ephemeral=True)
