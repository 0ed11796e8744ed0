"""Invitations to speak: the DM with Accept / Decline, and what an answer sets off.

The buttons are ``DynamicItem``s whose custom_id carries the invitation id, registered
once with ``bot.add_dynamic_items``: an invitation sent before a restart can still be
answered after it. Only the invited speaker can answer (db/speakers decides).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.buttons import PersistentButton, bound, button_row
from bot.languages import guild_locale
from bot.limits import MESSAGE_LIMIT
from bot.mentions import mention
from bot.timefmt import discord_timestamp
from core.i18n import Translator, _
from core.text import fit
from db.meetings import get_meeting, group_of_meeting
from db.speakers import Invitation, answer_invitation

if TYPE_CHECKING:
    from bot.app import GugBot
    from db.models import Group, Meeting


class Invitations:
    """Send invitations to speakers and carry out their answers."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot

    def guild_translator(self, guild_id: int) -> Translator:
        return Translator(guild_locale(self.bot, guild_id))

    async def send(
        self,
        invitation: Invitation,
        meeting: Meeting,
        group: Group,
        view: discord.ui.View,
        fallback_channel_id: int | None,
    ) -> bool:
        """DM the speaker the invitation with its buttons; return whether the DM went."""
        t = self.guild_translator(group.guild_id)
        text = t(
            _("{organizer} invites you to give your talk **{topic}** at **{meeting}** "
              "of {group} ({when}). Will you?"),
            organizer=mention(invitation.invited_by), topic=invitation.offer.topic,
            meeting=meeting.title, group=group.name,
            when=discord_timestamp(meeting.starts_at, "F"),
        )
        return await self.bot.direct_messages.tell(
            invitation.offer.user_id, text, fallback_channel_id, view=view
        )

    async def answer(
        self, interaction: discord.Interaction[GugBot], invitation_id: int, *, accept: bool
    ) -> None:
        """Record the answer, put the talk on the agenda if accepted, tell the organizer."""
        t = Translator(interaction.locale)
        answered = await answer_invitation(
            self.bot.db, invitation_id=invitation_id, user_id=interaction.user.id,
            accept=accept, now=self.bot.clock.now(),
        )
        invitation = answered.invitation
        meeting = await get_meeting(self.bot.db, invitation.meeting_id)
        group = await group_of_meeting(self.bot.db, invitation.meeting_id)
        title = meeting.title if meeting else ""
        reply = (
            t(_("You accepted: **{topic}** is on the agenda of **{meeting}**."),
              topic=invitation.offer.topic, meeting=title) if accept
            else t(_("You declined the invitation to **{meeting}**."), meeting=title)
        )
        original = interaction.message.content if interaction.message else ""
        await interaction.response.edit_message(
            content=fit(f"{original}\n\n{reply}", MESSAGE_LIMIT), view=None
        )
        if accept:
            # The meetings feature refreshes the announcement, as for /talk accept.
            self.bot.dispatch("agenda_changed", invitation.meeting_id)
        if group is None:
            return
        g = self.guild_translator(group.guild_id)
        news = (
            _("{speaker} accepted to give **{topic}** at **{meeting}**; it is on the agenda.")
            if accept else _("{speaker} declined to give **{topic}** at **{meeting}**.")
        )
        await self.bot.direct_messages.tell(
            invitation.invited_by,
            g(news, speaker=mention(invitation.offer.user_id), topic=invitation.offer.topic,
              meeting=title),
            group.channel_id,
        )


class _AnswerButton(PersistentButton, template=r"(?!)"):
    """A button whose custom_id carries an invitation id (``gug:<action>:<id>``)."""

    action: ClassVar[str]
    accept: ClassVar[bool]
    button_style: ClassVar[discord.ButtonStyle]
    invitations: ClassVar[Invitations]

    def __init__(self, invitation_id: int, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or self.action,
                style=self.button_style,
                custom_id=f"gug:{self.action}:{invitation_id}",
            )
        )
        self.invitation_id = invitation_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id, keeping its label."""
        return cls(int(match["id"]), label=getattr(item, "label", None))

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Answer the invitation."""
        await self.invitations.answer(interaction, self.invitation_id, accept=self.accept)


class AcceptButton(_AnswerButton, template=r"gug:speaker-accept:(?P<id>\d+)"):
    """Accept the invitation."""

    action, accept, button_style = "speaker-accept", True, discord.ButtonStyle.success


class DeclineButton(_AnswerButton, template=r"gug:speaker-decline:(?P<id>\d+)"):
    """Decline the invitation."""

    action, accept, button_style = "speaker-decline", False, discord.ButtonStyle.secondary


class InvitationButtons:
    """The Accept / Decline buttons of one bot, bound to its ``Invitations``."""

    def __init__(self, invitations: Invitations) -> None:
        self.accept = bound(AcceptButton, invitations=invitations)
        self.decline = bound(DeclineButton, invitations=invitations)
        self.dynamic_items = (self.accept, self.decline)

    def view(self, invitation_id: int, t: Translator) -> discord.ui.View:
        """Build the buttons for one invitation, labelled in ``t``'s language."""
        return button_row(
            self.accept(invitation_id, t(_("Accept"))),
            self.decline(invitation_id, t(_("Decline"))),
        )
