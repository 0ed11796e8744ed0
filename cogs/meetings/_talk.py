"""/talk: members propose talks for a meeting; organizers accept or decline them."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.meeting_option import (
    meeting_from_option,
    my_talk_autocomplete,
    talk_from_option,
    upcoming_meeting_autocomplete,
)
from bot.meeting_services import meeting_services
from bot.permissions import require_organizer
from core.errors import InvalidInput, NotFound
from core.i18n import Translator, _
from core.text import require_length
from db.meetings import group_of_meeting
from db.models import Group, Talk
from db.talks import TalkDecision, TalkError, decide_talk, propose_talk

TITLE_LIMIT = 200  # Talk.title's column size; it also fits an embed field line.
ABSTRACT_LIMIT = 1000

TALK_ERRORS = {
    "meeting_not_found": _("That meeting no longer exists."),
    "meeting_over": _("That meeting was cancelled or has already started."),
    "not_found": _("That talk no longer exists."),
    "decided": _("That talk was already accepted or declined."),
}


def refuse(error: TalkError) -> InvalidInput:
    """Turn a talk rule's refusal into what the user reads."""
    return InvalidInput(TALK_ERRORS.get(error.reason, _("That cannot be done.")))


class Talks(commands.GroupCog, group_name="talk"):
    """Talks: what members present at meetings."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot
        self.services = meeting_services(bot)

    @app_commands.command(name="propose")
    @app_commands.describe(
        meeting="The meeting you would like to speak at",
        title="Your talk's title",
        abstract="What it is about",
    )
    @app_commands.autocomplete(meeting=upcoming_meeting_autocomplete)
    async def propose(
        self,
        interaction: discord.Interaction,
        meeting: str,
        title: str,
        abstract: str | None = None,
    ) -> None:
        """Propose a talk; the group's organizers decide."""
        t = Translator(interaction.locale)
        target = await meeting_from_option(interaction, meeting)
        talk_title = require_length(t(_("Title")), title, TITLE_LIMIT)
        summary = require_length(t(_("Abstract")), abstract or "", ABSTRACT_LIMIT, required=False)
        try:
            await propose_talk(
                self.bot.db, target.id, interaction.user.id, talk_title, summary,
                now=self.bot.clock.now(),
            )
        except TalkError as error:
            raise refuse(error) from None
        await interaction.response.send_message(
            t(_("Thanks! Your talk **{title}** for **{meeting}** was sent to the organizers."),
              title=talk_title, meeting=target.title),
            ephemeral=True,
        )

    @app_commands.command(name="accept")
    @app_commands.describe(talk="The proposed talk")
    @app_commands.autocomplete(talk=my_talk_autocomplete)
    async def accept(self, interaction: discord.Interaction, talk: str) -> None:
        """Accept a talk: it joins the meeting's agenda and the speaker is told."""
        await self._decide(interaction, talk, accept=True)

    @app_commands.command(name="decline")
    @app_commands.describe(talk="The proposed talk")
    @app_commands.autocomplete(talk=my_talk_autocomplete)
    async def decline(self, interaction: discord.Interaction, talk: str) -> None:
        """Decline a talk; the speaker is told."""
        await self._decide(interaction, talk, accept=False)

    async def _decide(self, interaction: discord.Interaction, value: str, *, accept: bool) -> None:
        t = Translator(interaction.locale)
        talk = await talk_from_option(interaction, value)
        group = await self._group_of(talk)
        await require_organizer(self.bot.db, interaction, group.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            decision = await decide_talk(
                self.bot.db, talk.id, accept=accept, decided_by=interaction.user.id,
                now=self.bot.clock.now(),
            )
        except TalkError as error:
            raise refuse(error) from None
        if accept:
            await self.services.announcements.refresh_now(decision.meeting.id)
        await self._tell_speaker(decision, group, accept=accept)
        reply = _("Accepted **{title}**.") if accept else _("Declined **{title}**.")
        await interaction.followup.send(t(reply, title=decision.talk.title), ephemeral=True)

    async def _group_of(self, talk: Talk) -> Group:
        group = await group_of_meeting(self.bot.db, talk.meeting_id)
        if group is None:
            raise NotFound(_("That talk no longer exists."))
        return group

    async def _tell_speaker(self, decision: TalkDecision, group: Group, *, accept: bool) -> None:
        guild = self.bot.get_guild(group.guild_id)
        g = Translator(guild.preferred_locale if guild else None)
        text = (
            _("Your talk **{title}** was accepted for **{meeting}**. See you there!") if accept
            else _("Your talk **{title}** for **{meeting}** was not accepted this time.")
        )
        await self.services.notifier.tell(
            decision.talk.speaker_id,
            g(text, title=decision.talk.title, meeting=decision.meeting.title),
            group.channel_id,
        )
