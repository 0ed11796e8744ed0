"""/coord …: review proposals, archive groups, network statistics and announcements."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.limits import MESSAGE_LIMIT
from bot.permissions import actor_for, require_coordinator
from cogs.groups._actions import GroupActions
from cogs.groups._buttons import REASON_LIMIT
from cogs.groups._render import pending_embed, stats_csv, stats_embed
from cogs.groups.options import AnyGroupOption, PendingGroupOption
from core.i18n import Translator, _
from core.text import fit, require_length
from db.audit import record_announcement
from db.group_directory import group_channels
from db.groups import archive_group, pending_groups
from db.network_stats import network_stats

ANNOUNCEMENT_LIMIT = MESSAGE_LIMIT
# Discord allows about 5 messages per 5 s per channel and 50 requests/s per bot; one
# message every 0.25 s across channels keeps an announcement well inside both.
ANNOUNCE_PAUSE_SECONDS = 0.25


class Coord(commands.GroupCog, group_name="coord"):
    """Coordinator tools: the bot checks the coordinator role itself."""

    def __init__(self, bot: GugBot, actions: GroupActions) -> None:
        self.bot = bot
        self.actions = actions

    @app_commands.command(name="pending")
    @app_commands.guild_only()
    async def pending(self, interaction: discord.Interaction[GugBot]) -> None:
        """List the proposals waiting for review."""
        assert interaction.guild_id is not None
        await require_coordinator(self.bot.db, interaction)
        groups = list(await pending_groups(self.bot.db, interaction.guild_id))
        await interaction.response.send_message(
            embed=pending_embed(Translator(interaction.locale), groups), ephemeral=True
        )

    @app_commands.command(name="approve")
    @app_commands.describe(group="The proposal to approve")
    @app_commands.guild_only()
    async def approve(
        self, interaction: discord.Interaction[GugBot], group: PendingGroupOption
    ) -> None:
        """Approve a proposed group: it becomes active with its role and channel."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.actions.approve(interaction, group.id, Translator(interaction.locale))
        await interaction.followup.send(reply, ephemeral=True)

    @app_commands.command(name="reject")
    @app_commands.describe(group="The proposal to reject", reason="Why; the proposer reads it")
    @app_commands.guild_only()
    async def reject(
        self, interaction: discord.Interaction[GugBot], group: PendingGroupOption, reason: str
    ) -> None:
        """Reject a proposed group, saying why."""
        t = Translator(interaction.locale)
        reason = require_length(t(_("The reason")), reason, REASON_LIMIT)
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.actions.reject(interaction, group.id, reason, t)
        await interaction.followup.send(reply, ephemeral=True)

    @app_commands.command(name="archive")
    @app_commands.describe(group="The group to archive", reason="Why (kept in the audit log)")
    @app_commands.guild_only()
    async def archive(
        self,
        interaction: discord.Interaction[GugBot],
        group: AnyGroupOption,
        reason: str | None = None,
    ) -> None:
        """Archive a group: hidden from discovery, its history kept."""
        assert interaction.guild_id is not None
        t = Translator(interaction.locale)
        if reason is not None:
            reason = require_length(t(_("The reason")), reason, REASON_LIMIT)
        await interaction.response.defer(ephemeral=True, thinking=True)
        archived = await archive_group(
            self.bot.db,
            guild_id=interaction.guild_id,
            group_id=group.id,
            actor=await actor_for(self.bot.db, interaction),
            reason=reason,
            now=self.bot.clock.now(),
        )
        self.actions.places.invalidate(interaction.guild_id)
        await interaction.followup.send(
            t(_("Archived “{name}”; it no longer shows in /findgroup."), name=archived.name),
            ephemeral=True,
        )

    @app_commands.command(name="stats")
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction[GugBot]) -> None:
        """Show each group's activity and the network's totals."""
        assert interaction.guild_id is not None
        await require_coordinator(self.bot.db, interaction)
        days = self.bot.settings.groups.dormant_after_days
        figures = await network_stats(
            self.bot.db, interaction.guild_id, now=self.bot.clock.now(), dormant_after_days=days
        )
        await interaction.response.send_message(
            embed=stats_embed(Translator(interaction.locale), figures, days),
            file=discord.File(io.BytesIO(stats_csv(figures)), filename="network-stats.csv"),
            ephemeral=True,
        )

    @app_commands.command(name="announce")
    @app_commands.describe(message="What to post in every group's channel (pings nobody)")
    @app_commands.guild_only()
    async def announce(self, interaction: discord.Interaction[GugBot], message: str) -> None:
        """Post a message in every active group's channel."""
        assert interaction.guild is not None
        t = Translator(interaction.locale)
        actor = await require_coordinator(self.bot.db, interaction)
        text = require_length(t(_("The message")), message, ANNOUNCEMENT_LIMIT)
        await interaction.response.defer(ephemeral=True, thinking=True)
        reached: list[str] = []
        failed: list[str] = []
        for _group_id, name, channel_id in await group_channels(self.bot.db, interaction.guild.id):
            channel = interaction.guild.get_channel(channel_id or 0)
            if not isinstance(channel, discord.TextChannel):
                failed.append(t(_("{name} (no channel)"), name=name))
                continue
            try:
                await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
                reached.append(name)
            except discord.HTTPException as error:
                failed.append(t(_("{name} ({error})"), name=name, error=error.status))
            await asyncio.sleep(ANNOUNCE_PAUSE_SECONDS)
        summary = t(_("Posted in {count} group channels."), count=len(reached))
        if failed:
            summary += " " + t(_("Failed: {names}."), names=", ".join(failed))
        await record_announcement(
            self.bot.db,
            guild_id=interaction.guild.id,
            actor_id=actor.user_id,
            when=self.bot.clock.now(),
            summary=fit(summary, REASON_LIMIT),
        )
        await interaction.followup.send(fit(summary, MESSAGE_LIMIT), ephemeral=True)
