"""What growth does on Discord around a proposal and an approval.

People waiting nearby hear of a proposal (with a Back button) and of an approval (with
the groups package's Join button); the review post shows the backers and the waiting
count; backers get the group's role once the group is approved.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.buttons import button_row
from bot.mentions import mention
from core.geography import Gazetteer
from core.i18n import Translator, _
from core.text import fit
from db.backers import back_proposal, backers_of
from db.group_directory import group_by_id
from db.guild_settings import load_guild_settings
from db.interest import count_waiting_near, fulfil_interests_near, waiting_near
from db.models import Group

if TYPE_CHECKING:
    from bot.app import GugBot
from bot.languages import guild_locale

log = logging.getLogger("gugbot.growth")

# One DM at a time, a little apart: a city with many waiting people must not burst
# against Discord's global rate limit (50 requests/s) while commands wait behind it.
DM_PAUSE_SECONDS = 0.1
FIELD_LIMIT = 1024
# How many backers the review post names; the count says the rest.
NAMED_BACKERS = 30


class Growth:
    """Interest and backing, bound to one bot and its gazetteer."""

    def __init__(self, bot: GugBot, gazetteer: Gazetteer) -> None:
        self.bot = bot
        self.gazetteer = gazetteer

    @property
    def radius_km(self) -> float:
        """How near a waiting person must be to count for a place."""
        return self.bot.settings.groups.interest_radius_km

    async def waiting_count(self, group: Group) -> int:
        """Count the people waiting near a group's place (0 when it has no coordinates)."""
        if group.latitude is None or group.longitude is None:
            return 0
        return await count_waiting_near(
            self.bot.db,
            guild_id=group.guild_id,
            latitude=group.latitude,
            longitude=group.longitude,
            radius_km=self.radius_km,
        )

    async def proposed(self, group: Group, guild_locale: object, share_in: int | None) -> None:
        """Show the waiting count on the review post, tell the waiting, post the invitation."""
        group = await group_by_id(self.bot.db, group.id) or group
        await self.refresh_review(group)
        t = Translator(guild_locale)
        if share_in is not None:
            await self._post(share_in, self.invitation(group, t), self.back_view(group.id, t))
        if group.latitude is None or group.longitude is None:
            return
        waiting = await waiting_near(
            self.bot.db,
            guild_id=group.guild_id,
            latitude=group.latitude,
            longitude=group.longitude,
            radius_km=self.radius_km,
        )
        text = t(
            _(
                "Someone proposes “{name}” near you ({city}). Back it, and you join it "
                "as soon as a coordinator approves it."
            ),
            name=group.name,
            city=group.city,
        )
        for user_id in waiting:
            if user_id != group.proposer_id:
                await self.bot.direct_messages.send_dm(
                    user_id, text, view=self.back_view(group.id, t)
                )
                await asyncio.sleep(DM_PAUSE_SECONDS)

    def invitation(self, group: Group, t: Translator) -> str:
        """Return the shareable invitation to back a proposal."""
        return t(
            _("{proposer} proposes “{name}” in {city}. Back it to start it together!"),
            proposer=mention(group.proposer_id),
            name=group.name,
            city=group.city,
        )

    def back_view(self, group_id: int, t: Translator) -> discord.ui.View:
        """Build the Back this group button for a proposal."""
        return button_row(
            discord.ui.Button(
                label=t(_("Back this group")),
                style=discord.ButtonStyle.success,
                custom_id=f"gug:back:{group_id}",
            )
        )

    async def back(self, interaction: discord.Interaction[GugBot], group_id: int) -> str:
        """Back a proposal (from a server or a DM) and return the reply."""
        t = Translator(interaction.locale)
        group = await group_by_id(self.bot.db, group_id)
        backing = await back_proposal(
            self.bot.db,
            guild_id=group.guild_id if group is not None else 0,
            group_id=group_id,
            user_id=interaction.user.id,
            now=self.bot.clock.now(),
        )
        assert group is not None  # back_proposal raised NotFound otherwise.
        await self.refresh_review(group)
        if not backing.added:
            return t(_("You already back “{name}”."), name=group.name)
        return t(
            _("You back “{name}”; you will be a member as soon as it is approved."),
            name=group.name,
        )

    async def refresh_review(self, group: Group) -> None:
        """Show the backers and the waiting count on the proposal's review post."""
        channel = self.bot.get_channel(group.proposal_channel_id or 0)
        if not isinstance(channel, discord.TextChannel) or not group.proposal_message_id:
            return
        t = Translator(guild_locale(self.bot, group.guild_id))
        backers = await backers_of(self.bot.db, group.id)
        try:
            message = await channel.fetch_message(group.proposal_message_id)
            if not message.embeds:
                return
            embed = message.embeds[0]
            names = {t(_("Backers")), t(_("Waiting nearby"))}
            kept = [field for field in embed.fields if field.name not in names]
            embed.clear_fields()
            for field in kept:
                embed.add_field(name=field.name, value=field.value, inline=field.inline)
            named = " ".join(mention(user) for user in backers[:NAMED_BACKERS])
            embed.add_field(
                name=t(_("Backers")),
                value=fit(f"{len(backers)} {named}".strip(), FIELD_LIMIT),
                inline=False,
            )
            embed.add_field(name=t(_("Waiting nearby")), value=str(await self.waiting_count(group)))
            await message.edit(embed=embed, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as error:
            log.info("could not update the review post of group %s: %s", group.id, error)

    async def approved(self, group: Group, guild_locale: object) -> None:
        """Tell everyone waiting nearby (with a Join button) and give backers the role."""
        group = await group_by_id(self.bot.db, group.id) or group
        db = self.bot.db
        if group.role_id:
            for user_id in await backers_of(db, group.id):
                try:
                    await self.bot.http.add_role(
                        group.guild_id, user_id, group.role_id, reason="gugbot: backed the group"
                    )
                except discord.HTTPException as error:
                    log.info("could not give backer %s the role: %s", user_id, error)
        told = await fulfil_interests_near(
            db,
            guild_id=group.guild_id,
            group_id=group.id,
            radius_km=self.radius_km,
            now=self.bot.clock.now(),
        )
        t = Translator(guild_locale)
        settings = await load_guild_settings(db, group.guild_id)
        fallback = group.channel_id or settings.coordinator_channel_id
        for interest in told:
            text = t(
                _("Good news: the group “{name}” now meets near {city}. Join it!"),
                name=group.name,
                city=interest.place.city,
            )
            view = button_row(
                discord.ui.Button(
                    label=t(_("Join")),
                    style=discord.ButtonStyle.primary,
                    # The groups package's Join button answers this custom_id.
                    custom_id=f"gug:join:{group.id}",
                )
            )
            await self.bot.direct_messages.tell(interest.user_id, text, fallback, view=view)
            await asyncio.sleep(DM_PAUSE_SECONDS)

    async def _post(self, channel_id: int, text: str, view: discord.ui.View) -> None:
        try:
            await self.bot.get_partial_messageable(channel_id).send(
                text, view=view, allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.HTTPException as error:
            log.info("could not post the invitation in %s: %s", channel_id, error)
