"""/reminders: when a group is reminded of its meetings, and whether I get DMs.

Also keeps the reminder alarm clocks armed: at load, on every ready, after every
meeting change (the meetings cog dispatches ``meeting_changed``) and after a group's
channel is repaired (``group_repaired``, from /coord repair). A server that removes the
bot has its reminders paused (GUILD_DELETE without ``unavailable``; an outage pauses
nothing) until the bot is added back.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.permissions import require_organizer
from cogs.groups.options import OrganizedGroupOption
from cogs.reminders._alarm import ReminderAlarm
from core.durations import ZERO_OFFSET, DurationError, format_offsets, parse_offsets
from core.errors import InvalidInput
from core.formats import duration_in_words, format_list
from core.i18n import Translator, _
from db.guild_presence import mark_guild_present, mark_guild_removed, removed_guilds
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
        except DurationError as error:
            if error.message == ZERO_OFFSET:
                raise
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
        """Re-arm after every (re)connect and catch up what came due meanwhile.

        A server that added the bot back while it was down comes in READY, not as a
        join: its paused reminders resume here.
        """
        now = self.bot.clock.now()
        for guild_id in await removed_guilds(self.bot.db):
            if self.bot.get_guild(guild_id) is not None:
                await mark_guild_present(self.bot.db, guild_id, now)
        await self.alarm.sweep()

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Pause the reminders of a server that removed the bot (an outage is not this)."""
        # discord.py dispatches guild_remove only for GUILD_DELETE without
        # ``unavailable``; an outage is ``guild_unavailable``, which pauses nothing.
        await mark_guild_removed(self.bot.db, guild.id, self.bot.clock.now())

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Resume a server's reminders when the bot is added back; send those still due."""
        if await mark_guild_present(self.bot.db, guild.id, self.bot.clock.now()):
            await self.alarm.sweep()

    @commands.Cog.listener()
    async def on_group_repaired(self, group_id: int) -> None:
        """Send the reminders held while the group had no channel, if still due."""
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
            t.plural(
                "{group} members will be reminded {offsets} before each meeting "
                "({n} upcoming meeting re-planned).",
                "{group} members will be reminded {offsets} before each meeting "
                "({n} upcoming meetings re-planned).",
                len(meeting_ids),
                group=group.name,
                offsets=format_list(
                    (duration_in_words(o, t.language) for o in parse_offsets(offsets)),
                    t.language,
                ),
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
