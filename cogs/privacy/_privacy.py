"""/privacy: a member sees everything stored about them, or has it forgotten.

Forgetting asks for a confirmation button first. The database forgets in one
transaction (db/privacy), then the Discord side follows: those promoted from a waitlist
into the freed places are told, and the person's reactions on upcoming announcements
are removed where the bot may (Manage Messages), or a reconcile would read them as
answers again.
"""

from __future__ import annotations

import io
import json
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.languages import group_locale
from bot.timefmt import discord_timestamp
from cogs.privacy._buttons import ConfirmationButtons
from core.i18n import Translator, _
from db.meetings import get_meeting, group_of_meeting
from db.privacy import AnnouncementReactions, Forgotten, export_user_data, forget_user

log = logging.getLogger("gugbot.privacy")


class Privacy(commands.GroupCog, group_name="privacy"):
    """Each member's own data: export it, or have it forgotten."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot
        self.buttons = ConfirmationButtons(self)

    async def cog_load(self) -> None:
        """Make buttons posted before a restart work."""
        self.bot.add_dynamic_items(*self.buttons.dynamic_items)

    async def cog_unload(self) -> None:
        """Stop answering the buttons (the bot is closing or reloading the cog)."""
        self.bot.remove_dynamic_items(*self.buttons.dynamic_items)

    @app_commands.command(name="export")
    async def export(self, interaction: discord.Interaction[GugBot]) -> None:
        """Get everything gugbot stores about you, as a JSON file only you see."""
        t = Translator(interaction.locale)
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await export_user_data(self.bot.db, interaction.user.id)
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        await interaction.followup.send(
            t(_("Everything gugbot stores about you, in every server.")),
            file=discord.File(io.BytesIO(body), filename=f"gugbot-{interaction.user.id}.json"),
            ephemeral=True,
        )

    @app_commands.command(name="forget-me")
    async def forget_me(self, interaction: discord.Interaction[GugBot]) -> None:
        """Delete everything gugbot stores about you (asks to confirm first)."""
        t = Translator(interaction.locale)
        await interaction.response.send_message(
            t(
                _(
                    "This deletes your answers to meetings (past and upcoming; your place "
                    "goes to the waitlist), your group memberships, reminder settings, "
                    "pending proposals and talks, in every server. It cannot be undone."
                )
            ),
            view=self.buttons.view(t, self.bot.clock.now().timestamp()),
            ephemeral=True,
        )

    async def forget(self, user_id: int) -> Forgotten:
        """Forget the person, then tell the promoted and remove their reactions."""
        forgotten = await forget_user(self.bot.db, user_id, self.bot.clock.now())
        for meeting_id, promoted in forgotten.promoted.items():
            await self._tell_promoted(meeting_id, promoted)
        for announcement in forgotten.reactions:
            await self._remove_reactions(announcement, user_id)
            # Their answer is gone: whoever keeps the meeting's announcement and reminders
            # in step hears of it as of any other change.
            self.bot.dispatch("meeting_changed", announcement.meeting_id)
            self.bot.dispatch("announcement_stale", announcement.meeting_id)
        return forgotten

    async def _tell_promoted(self, meeting_id: int, user_ids: list[int]) -> None:
        meeting = await get_meeting(self.bot.db, meeting_id)
        group = await group_of_meeting(self.bot.db, meeting_id)
        if meeting is None:
            return
        t = Translator(group_locale(self.bot, group))
        text = t(
            _("A place opened up: you are now going to **{title}** ({when})."),
            title=meeting.title,
            when=discord_timestamp(meeting.starts_at, "F"),
        )
        for user_id in user_ids:
            await self.bot.direct_messages.tell(
                user_id, text, group.channel_id if group else None
            )

    async def _remove_reactions(self, announcement: AnnouncementReactions, user_id: int) -> None:
        """Remove the person's reactions from one announcement, if the bot may."""
        channel = self.bot.get_channel(announcement.channel_id or 0)
        if not isinstance(channel, discord.TextChannel) or announcement.message_id is None:
            return
        if not channel.permissions_for(channel.guild.me).manage_messages:
            return  # Asking anyway would be a 403, and failures count towards a ban.
        try:
            message = await channel.fetch_message(announcement.message_id)
            for reaction in message.reactions:
                await message.remove_reaction(reaction.emoji, discord.Object(id=user_id))
        except discord.HTTPException as error:
            log.info("could not remove reactions of a forgotten member: %s", error)
