"""/speaker: members offer talks; organizers find speakers across cities and invite them."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.mentions import mention
from bot.permissions import actor_for, require_some_organizer
from cogs.meetings._options import OrganizedMeetingOption
from cogs.speakers._invitations import InvitationButtons, Invitations
from cogs.speakers._options import OfferOption, OwnOfferOption
from cogs.speakers._render import render_found, render_own
from core.errors import NotFound
from core.i18n import Translator, _
from core.text import require_length
from db.meetings import group_of_meeting
from db.speakers import (
    NewOffer,
    find_offers,
    invite_speaker,
    my_offers,
    offer_talk,
    withdraw_offer,
)

# TalkOffer's column sizes (db/models/exchange.py); a description fits an embed field.
TOPIC_LIMIT = 200
DESCRIPTION_LIMIT = 1000
LANGUAGES_LIMIT = 100


def _guild_id(interaction: discord.Interaction[GugBot]) -> int:
    if interaction.guild_id is None:
        raise NotFound(_("The speaker bank lives in a server; run this command there."))
    return interaction.guild_id


class Speakers(commands.GroupCog, group_name="speaker"):
    """The speaker bank: talks members can give, anywhere in the network."""

    def __init__(self, bot: GugBot, invitations: Invitations, buttons: InvitationButtons) -> None:
        self.bot = bot
        self.invitations = invitations
        self.buttons = buttons

    async def cog_load(self) -> None:
        """Register the invitation buttons, so invitations sent before a restart work."""
        self.bot.add_dynamic_items(*self.buttons.dynamic_items)

    async def cog_unload(self) -> None:
        """Unregister the invitation buttons."""
        self.bot.remove_dynamic_items(*self.buttons.dynamic_items)

    @app_commands.command(name="offer")
    @app_commands.describe(
        topic="What your talk is about",
        description="A few lines for organizers",
        languages="Languages you can give it in, e.g. es, pt, en",
        remote="Whether you can present it remotely",
    )
    async def offer(
        self,
        interaction: discord.Interaction[GugBot],
        topic: str,
        description: str | None = None,
        languages: str | None = None,
        remote: bool = False,
    ) -> None:
        """Offer a talk you can give; organizers of every group can find it."""
        t = Translator(interaction.locale)
        new = NewOffer(
            guild_id=_guild_id(interaction),
            user_id=interaction.user.id,
            topic=require_length(t(_("Topic")), topic, TOPIC_LIMIT),
            description=require_length(
                t(_("Description")), description or "", DESCRIPTION_LIMIT, required=False
            ),
            languages=require_length(
                t(_("Languages")), languages or "", LANGUAGES_LIMIT, required=False
            ),
            remote=remote,
        )
        offered = await offer_talk(self.bot.db, new, now=self.bot.clock.now())
        await interaction.response.send_message(
            t(_("Thanks! **{topic}** is in the speaker bank; organizers can invite you."),
              topic=offered.topic),
            ephemeral=True,
        )

    @app_commands.command(name="offers")
    async def offers(self, interaction: discord.Interaction[GugBot]) -> None:
        """List the talks you offer."""
        t = Translator(interaction.locale)
        mine = await my_offers(
            self.bot.db, guild_id=_guild_id(interaction), user_id=interaction.user.id
        )
        await interaction.response.send_message(render_own(mine, t), ephemeral=True)

    @app_commands.command(name="withdraw")
    @app_commands.describe(offer="One of your talk offers")
    async def withdraw(
        self, interaction: discord.Interaction[GugBot], offer: OwnOfferOption
    ) -> None:
        """Take one of your talk offers out of the speaker bank."""
        t = Translator(interaction.locale)
        withdrawn = await withdraw_offer(
            self.bot.db, guild_id=_guild_id(interaction), offer_id=offer,
            user_id=interaction.user.id, now=self.bot.clock.now(),
        )
        await interaction.response.send_message(
            t(_("Withdrew **{topic}**."), topic=withdrawn.topic), ephemeral=True
        )

    @app_commands.command(name="find")
    @app_commands.describe(topic="What the talk should be about")
    async def find(self, interaction: discord.Interaction[GugBot], topic: str) -> None:
        """Find offered talks by topic across every group (organizers and coordinators)."""
        t = Translator(interaction.locale)
        guild_id = _guild_id(interaction)
        await require_some_organizer(self.bot.db, interaction)
        wanted = require_length(t(_("Topic")), topic, TOPIC_LIMIT)
        found = await find_offers(
            self.bot.db, guild_id=guild_id, topic=wanted, now=self.bot.clock.now()
        )
        if not found:
            await interaction.response.send_message(
                t(_("Nobody offers a talk about “{topic}” yet."), topic=wanted), ephemeral=True
            )
            return
        await interaction.response.send_message(
            embed=render_found(wanted, found, t), ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(name="invite")
    @app_commands.describe(
        offer="The offered talk", meeting="An upcoming meeting of a group you organize"
    )
    async def invite(
        self,
        interaction: discord.Interaction[GugBot],
        offer: OfferOption,
        meeting: OrganizedMeetingOption,
    ) -> None:
        """Invite a speaker to give their talk at your meeting; they answer by DM."""
        t = Translator(interaction.locale)
        _guild_id(interaction)
        actor = await actor_for(self.bot.db, interaction)
        invitation = await invite_speaker(
            self.bot.db, offer_id=offer, meeting_id=meeting.id, by=actor,
            now=self.bot.clock.now(),
        )
        group = await group_of_meeting(self.bot.db, meeting.id)
        if group is None:
            raise NotFound(_("That meeting no longer exists."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        g = self.invitations.guild_translator(group.guild_id)
        delivered = await self.invitations.send(
            invitation, meeting, group, self.buttons.view(invitation.id, g),
            interaction.channel_id,
        )
        speaker = mention(invitation.offer.user_id)
        reply = (
            _("Invited {speaker} to give **{topic}** at **{meeting}**. "
              "You will be told when they answer.") if delivered
            else _("Invited {speaker} to give **{topic}** at **{meeting}**; their DMs are "
                   "closed, so they were asked in this channel.")
        )
        await interaction.followup.send(
            t(reply, speaker=speaker, topic=invitation.offer.topic, meeting=meeting.title),
            ephemeral=True,
        )
