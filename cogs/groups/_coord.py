"""/coord …: review proposals, archive, restore and repair groups, statistics, announcements."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.limits import EMBED_FIELD_VALUE_LIMIT, MESSAGE_LIMIT
from bot.mentions import chunk_users, mention, only_users
from bot.permissions import actor_for, require_coordinator
from bot.timefmt import discord_timestamp
from cogs.checkins._render import checkins_lines
from cogs.groups._actions import GroupActions
from cogs.groups._buttons import REASON_LIMIT
from cogs.groups._departures import OrganizerPresence
from cogs.groups._render import pending_embed, stats_csv, stats_embed
from cogs.groups.options import AnyGroupOption, ArchivedGroupOption, PendingGroupOption
from core.formats import format_list
from core.i18n import Translator, _
from core.text import fit, require_length
from db.attendance import show_up_rates
from db.audit import record_announcement
from db.checkins import checkins_for_coordinators, latest_checkins
from db.group_directory import group_channels, group_summaries
from db.groups import archive_group, pending_groups, restore_group
from db.lifecycle import CancelledMeeting, groups_needing_repair, meetings_cancelled_by_archive
from db.models import Group
from db.network_stats import network_stats

ANNOUNCEMENT_LIMIT = MESSAGE_LIMIT
# Discord allows about 5 messages per 5 s per channel and 50 requests/s per bot; one
# message every 0.25 s across channels keeps an announcement well inside both.
ANNOUNCE_PAUSE_SECONDS = 0.25
# A mention is at most 22 characters plus a space; 60 of them leave ~600 for the text.
MENTIONS_PER_NOTICE = 60


class Coord(commands.GroupCog, group_name="coord"):
    """Coordinator tools: the bot checks the coordinator role itself."""

    def __init__(
        self, bot: GugBot, actions: GroupActions, presence: OrganizerPresence
    ) -> None:
        self.bot = bot
        self.actions = actions
        self.presence = presence

    @app_commands.command(name="pending")
    @app_commands.guild_only()
    async def pending(self, interaction: discord.Interaction[GugBot]) -> None:
        """List the proposals waiting for review, and groups that lost their channel or role."""
        assert interaction.guild_id is not None
        await require_coordinator(self.bot.db, interaction)
        groups = list(await pending_groups(self.bot.db, interaction.guild_id))
        repairs = await groups_needing_repair(self.bot.db, interaction.guild_id)
        t = Translator(interaction.locale)
        embed = pending_embed(t, groups, repairs)
        asking = await checkins_for_coordinators(self.bot.db, interaction.guild_id)
        if asking:
            embed.add_field(
                name=t(_("Check-ins asking for coordinators")),
                value=fit(checkins_lines(t, asking), EMBED_FIELD_VALUE_LIMIT),
                inline=False,
            )
        await interaction.response.send_message(embed=embed, ephemeral=True)

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
        """Archive a group: hidden from discovery, its upcoming meetings cancelled."""
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
        cancelled = await meetings_cancelled_by_archive(self.bot.db, archived.id)
        for item in cancelled:
            # Drops the meeting's armed reminder jobs (the ledger already dropped them).
            self.bot.dispatch("meeting_changed", item.meeting.id)
            self.bot.dispatch("announcement_stale", item.meeting.id)
            await self._tell_cancelled(interaction, archived, item, reason)
        reply = t(_("Archived “{name}”; it no longer shows in /findgroup."), name=archived.name)
        if cancelled:
            told = sum(len(item.notify) for item in cancelled)
            reply += " " + t.plural("{n} upcoming meeting was cancelled.",
                                    "{n} upcoming meetings were cancelled.", len(cancelled))
            reply += " " + t.plural("{n} person who had answered was told.",
                                    "{n} people who had answered were told.", told)
        await interaction.followup.send(fit(reply, MESSAGE_LIMIT), ephemeral=True)

    async def _tell_cancelled(
        self,
        interaction: discord.Interaction[GugBot],
        group: Group,
        cancelled: CancelledMeeting,
        reason: str | None,
    ) -> None:
        """Give those going or maybe the usual cancel notice, in the group's channel."""
        g = Translator(interaction.guild_locale)
        meeting = cancelled.meeting
        notice = g(_("**{title}** ({when}) is cancelled."), title=meeting.title,
                   when=discord_timestamp(meeting.starts_at, "F"))
        if reason:
            notice += " " + g(_("Reason: {reason}"), reason=reason)
        channel_id = group.channel_id
        if channel_id is None or not cancelled.notify:
            for user_id in cancelled.notify:
                await self.bot.direct_messages.tell(user_id, notice, None)
            return
        channel = self.bot.get_partial_messageable(channel_id)
        for chunk in chunk_users(cancelled.notify, MENTIONS_PER_NOTICE):
            mentions = " ".join(mention(user) for user in chunk)
            body = fit(notice, MESSAGE_LIMIT - len(mentions) - 1)
            try:
                await channel.send(f"{mentions}\n{body}", allowed_mentions=only_users(chunk))
            except discord.HTTPException:
                for user_id in chunk:
                    await self.bot.direct_messages.tell(user_id, notice, None)

    @app_commands.command(name="restore")
    @app_commands.describe(group="The archived group to make active again")
    @app_commands.guild_only()
    async def restore(
        self, interaction: discord.Interaction[GugBot], group: ArchivedGroupOption
    ) -> None:
        """Make an archived group active again (its cancelled meetings stay cancelled)."""
        assert interaction.guild_id is not None
        restored = await restore_group(
            self.bot.db,
            guild_id=interaction.guild_id,
            group_id=group.id,
            actor=await actor_for(self.bot.db, interaction),
            now=self.bot.clock.now(),
        )
        self.actions.places.invalidate(interaction.guild_id)
        await interaction.response.send_message(
            Translator(interaction.locale)(
                _("Restored “{name}”; it shows in /findgroup again."), name=restored.name
            ),
            ephemeral=True,
        )

    @app_commands.command(name="repair")
    @app_commands.describe(group="The group whose role or channel is missing")
    @app_commands.guild_only()
    async def repair(self, interaction: discord.Interaction[GugBot], group: AnyGroupOption) -> None:
        """Recreate a group's missing role or channel, as at approval."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.actions.repair(interaction, group, Translator(interaction.locale))
        await interaction.followup.send(reply, ephemeral=True)

    @app_commands.command(name="stats")
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction[GugBot]) -> None:
        """Show each group's activity and the network's totals."""
        assert interaction.guild is not None
        await require_coordinator(self.bot.db, interaction)
        # Asking Discord whether organizers are still members may take a few requests.
        await interaction.response.defer(ephemeral=True, thinking=True)
        days = self.bot.settings.groups.dormant_after_days
        now = self.bot.clock.now()
        figures = await network_stats(
            self.bot.db, interaction.guild.id, now=now, dormant_after_days=days
        )
        summaries = await group_summaries(
            self.bot.db, [item.group_id for item in figures.groups], now
        )
        orphaned = await self.presence.without_organizers(
            interaction.guild, [(item.id, item.organizer_ids) for item in summaries]
        )
        rates = await show_up_rates(self.bot.db, guild_id=interaction.guild.id, now=now)
        t = Translator(interaction.locale)
        embed = stats_embed(t, figures, days, orphaned, rates)
        checkins = checkins_lines(t, await latest_checkins(self.bot.db, interaction.guild.id))
        if checkins:
            embed.add_field(
                name=t(_("Check-ins")), value=fit(checkins, EMBED_FIELD_VALUE_LIMIT), inline=False
            )
        await interaction.followup.send(
            embed=embed,
            file=discord.File(
                io.BytesIO(stats_csv(figures, orphaned)), filename="network-stats.csv"
            ),
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
        summary = t.plural(
            "Posted in {n} group channel.", "Posted in {n} group channels.", len(reached)
        )
        if failed:
            summary += " " + t(_("Failed: {names}."), names=format_list(failed, t.language))
        await record_announcement(
            self.bot.db,
            guild_id=interaction.guild.id,
            actor_id=actor.user_id,
            when=self.bot.clock.now(),
            summary=fit(summary, REASON_LIMIT),
        )
        await interaction.followup.send(fit(summary, MESSAGE_LIMIT), ephemeral=True)
