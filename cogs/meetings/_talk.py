"""/talk: members propose talks for a meeting; organizers accept or decline them."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.languages import group_locale
from bot.permissions import require_organizer
from cogs.meetings._announcements import Announcements
from cogs.meetings._notices import Notifier
from cogs.meetings._options import MeetingOption, TalkOption
from core.errors import NotFound
from core.i18n import Translator, _
from core.text import require_length
from db.meetings import group_of_meeting
from db.models import Group, Talk
from db.talks import TalkDecision, decide_talk, propose_talk

TITLE_LIMIT = 200  # Talk.title's column size; it also fits an embed field line.
ABSTRACT_LIMIT = 1000


class Talks(commands.GroupCog, group_name="talk"):
    """Talks: what members present at meetings."""

    def __init__(self, bot: GugBot, announcements: Announcements, notifier: Notifier) -> None:
        self.bot = bot
        self.announcements = announcements
        self.notifier = notifier

    @commands.Cog.listener()
    async def on_agenda_changed(self, meeting_id: int) -> None:
        """Show a talk added elsewhere (an invited speaker accepted) on the announcement."""
        await self.announcements.refresh_now(meeting_id)

    @app_commands.command(name="propose")
    @app_commands.describe(
        meeting="The meeting you would like to speak at",
        title="Your talk's title",
        abstract="What it is about",
    )
    async def propose(
        self,
        interaction: discord.Interaction[GugBot],
        meeting: MeetingOption,
        title: str,
        abstract: str | None = None,
    ) -> None:
        """Propose a talk; the group's organizers decide."""
        t = Translator(interaction.locale)
        talk_title = require_length(t(_("Title")), title, TITLE_LIMIT)
        summary = require_length(t(_("Abstract")), abstract or "", ABSTRACT_LIMIT, required=False)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await propose_talk(
            self.bot.db, meeting.id, interaction.user.id, talk_title, summary,
            now=self.bot.clock.now(),
        )
        await interaction.followup.send(
            t(_("Thanks! Your talk **{title}** for **{meeting}** was sent to the organizers."),
              title=talk_title, meeting=meeting.title),
            ephemeral=True,
        )

    @app_commands.command(name="accept")
    @app_commands.describe(talk="The proposed talk")
    async def accept(self, interaction: discord.Interaction[GugBot], talk: TalkOption) -> None:
        """Accept a talk: it joins the meeting's agenda and the speaker is told."""
        await self._decide(interaction, talk, accept=True)

    @app_commands.command(name="decline")
    @app_commands.describe(talk="The proposed talk")
    async def decline(self, interaction: discord.Interaction[GugBot], talk: TalkOption) -> None:
        """Decline a talk; the speaker is told."""
        await self._decide(interaction, talk, accept=False)

    async def _decide(
        self, interaction: discord.Interaction[GugBot], talk: Talk, *, accept: bool
    ) -> None:
        t = Translator(interaction.locale)
        group = await self._group_of(talk)
        await require_organizer(self.bot.db, interaction, group.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        decision = await decide_talk(
            self.bot.db, talk.id, accept=accept, decided_by=interaction.user.id,
            now=self.bot.clock.now(),
        )
        if accept:
            await self.announcements.refresh_now(decision.meeting.id)
        await self._tell_speaker(decision, group, accept=accept)
        reply = _("Accepted **{title}**.") if accept else _("Declined **{title}**.")
        await interaction.followup.send(t(reply, title=decision.talk.title), ephemeral=True)

    async def _group_of(self, talk: Talk) -> Group:
        group = await group_of_meeting(self.bot.db, talk.meeting_id)
        if group is None:
            raise NotFound(_("That talk no longer exists."))
        return group

    async def _tell_speaker(self, decision: TalkDecision, group: Group, *, accept: bool) -> None:
        text = (
            _("Your talk **{title}** was accepted for **{meeting}**. See you there!") if accept
            else _("Your talk **{title}** for **{meeting}** was not accepted this time.")
        )
        await self.notifier.tell(
            decision.talk.speaker_id,
            lambda t: t(text, title=decision.talk.title, meeting=decision.meeting.title),
            group.channel_id,
            group_locale(self.bot, group),
        )
