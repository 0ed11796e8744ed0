"""A group's channel or role deleted on Discord: unlink it and tell the coordinators.

CHANNEL_DELETE and GUILD_ROLE_DELETE come with the GUILDS intent. The group keeps
working without them (its reminders wait for a channel, see db/reminders/holds) until
a coordinator runs /coord repair; /coord pending lists it meanwhile.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from cogs.groups._actions import GroupActions
from core.i18n import Translator, _
from db.lifecycle import unlink_channel, unlink_role
from db.models import Group

if TYPE_CHECKING:
    from bot.app import GugBot

log = logging.getLogger("gugbot.groups")


class GroupLinks(commands.Cog):
    """Listen for deleted group channels and roles."""

    def __init__(self, bot: GugBot, actions: GroupActions) -> None:
        self.bot = bot
        self.actions = actions

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        """Unlink the groups that posted in the deleted channel."""
        groups = await unlink_channel(
            self.bot.db, channel.guild.id, channel.id, now=self.bot.clock.now()
        )
        t = Translator(channel.guild.preferred_locale)
        for group in groups:
            await self._tell_coordinators(
                channel.guild,
                group,
                t(
                    _(
                        "The channel of “{name}” (#{channel}) was deleted; its reminders wait. "
                        "Run /coord repair to recreate it."
                    ),
                    name=group.name,
                    channel=channel.name,
                ),
            )

    @commands.Cog.listener()
    async def on_guild_role_delete(self, role: discord.Role) -> None:
        """Unlink the groups whose role was deleted."""
        groups = await unlink_role(self.bot.db, role.guild.id, role.id, now=self.bot.clock.now())
        t = Translator(role.guild.preferred_locale)
        for group in groups:
            await self._tell_coordinators(
                role.guild,
                group,
                t(
                    _("The role of “{name}” was deleted. Run /coord repair to recreate it."),
                    name=group.name,
                ),
            )

    async def _tell_coordinators(self, guild: discord.Guild, group: Group, text: str) -> None:
        """Post in the coordinators' channel; without one, /coord pending shows it."""
        channel = await self.actions.coordinators_channel_of(guild)
        if channel is None:
            return
        try:
            await channel.send(text)
        except discord.HTTPException as error:
            log.warning("could not tell coordinators about group %s: %s", group.id, error)
