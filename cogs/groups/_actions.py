"""Group actions shared by commands and buttons: approve, reject, join, leave and repair.

Each asks db/ to decide first (who may act is ruled there, given the ``Actor``), then
does the Discord side: role, channel, review message, DMs. The transaction is never
held open across those calls; each Discord step that fails is reported, not retried, so
a missing permission never loses the decision.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import discord

from bot.languages import guild_locale
from bot.limits import MESSAGE_LIMIT
from bot.permissions import actor_for, require_coordinator
from cogs.groups._place_index import PlaceIndexCache
from cogs.groups._render import proposal_embed
from core.errors import InvalidInput
from core.i18n import Translator, _
from core.text import fit
from db.engine import Database
from db.group_directory import group_by_id
from db.groups import approve_group, reject_group, set_group_role_and_channel
from db.guild_settings import load_guild_settings
from db.memberships import join_group, leave_group, member_ids
from db.models import Group, GroupStatus

if TYPE_CHECKING:
    from bot.app import GugBot

log = logging.getLogger("gugbot.groups")

# Discord channel names: lower case, no spaces, at most 100 characters.
CHANNEL_NAME_LIMIT = 100
ROLE_NAME_LIMIT = 100
CHANNEL_TOPIC_LIMIT = 1024


@dataclass
class Outcome:
    """What the Discord side managed, for the coordinator's reply."""

    notes: list[str] = field(default_factory=list)


def channel_name(name: str) -> str:
    """Turn a group name into a Discord channel name: "GUG São Paulo" → "gug-são-paulo"."""
    slug = re.sub(r"[^\w-]+", "-", name.lower()).strip("-")
    return slug[:CHANNEL_NAME_LIMIT] or "group"


class GroupActions:
    """The group actions one bot shares between its cogs and buttons."""

    def __init__(self, db: Database, places: PlaceIndexCache) -> None:
        self.db = db
        self.places = places

    async def approve(
        self, interaction: discord.Interaction[GugBot], group_id: int, t: Translator
    ) -> str:
        """Approve a proposal and set it up on Discord; return the coordinator's reply."""
        assert interaction.guild is not None and interaction.guild_id is not None
        actor = await actor_for(self.db, interaction)
        group = await approve_group(
            self.db,
            guild_id=interaction.guild_id,
            group_id=group_id,
            actor=actor,
            now=interaction.client.clock.now(),
        )
        self.places.invalidate(interaction.guild_id)
        outcome = Outcome()
        channel = await self._create_role_and_channel(interaction, group, outcome, t)
        await _update_proposal_message(
            interaction.client, group, actor.user_id, interaction.guild_locale
        )

        def approved(p: Translator) -> str:
            text = p(
                _("Congratulations! Your group “{name}” was approved; you are its organizer."),
                name=group.name,
            )
            if channel is not None:
                text += " " + p(_("Its channel is {channel}."), channel=channel.mention)
            return text

        fallback = channel or await self.coordinators_channel(interaction)
        if not await _tell(interaction, group.proposer_id, approved, fallback):
            outcome.notes.append(t(_("The proposer's DMs are closed; told them in a channel.")))
        # Growth (cogs/interest) tells the people waiting nearby and gives backers the role.
        interaction.client.dispatch("group_approved", interaction, group)
        reply = t(_("Approved “{name}”."), name=group.name)
        return fit(" ".join([reply, *outcome.notes]), MESSAGE_LIMIT)

    async def reject(
        self, interaction: discord.Interaction[GugBot], group_id: int, reason: str, t: Translator
    ) -> str:
        """Reject a proposal, tell the proposer why, and return the coordinator's reply."""
        assert interaction.guild_id is not None
        actor = await actor_for(self.db, interaction)
        group = await reject_group(
            self.db,
            guild_id=interaction.guild_id,
            group_id=group_id,
            actor=actor,
            reason=reason,
            now=interaction.client.clock.now(),
        )
        await _update_proposal_message(
            interaction.client, group, actor.user_id, interaction.guild_locale
        )

        def rejected(p: Translator) -> str:
            return p(
                _("Your proposed group “{name}” was not approved. Reason: {reason}"),
                name=group.name,
                reason=reason,
            )

        reply = t(_("Rejected “{name}”; the proposer was told why."), name=group.name)
        if not await _tell(
            interaction, group.proposer_id, rejected, await self.coordinators_channel(interaction)
        ):
            reply += " " + t(_("Their DMs are closed; told them in the coordinators' channel."))
        return fit(reply, MESSAGE_LIMIT)

    async def coordinators_channel(
        self, interaction: discord.Interaction[GugBot]
    ) -> discord.TextChannel | None:
        """Return the configured coordinators' channel, if it still exists."""
        if interaction.guild is None:
            return None
        return await self.coordinators_channel_of(interaction.guild)

    async def coordinators_channel_of(self, guild: discord.Guild) -> discord.TextChannel | None:
        """Return a server's configured coordinators' channel, if it still exists."""
        settings = await load_guild_settings(self.db, guild.id)
        channel = guild.get_channel(settings.coordinator_channel_id or 0)
        return channel if isinstance(channel, discord.TextChannel) else None

    async def join(
        self, interaction: discord.Interaction[GugBot], group_id: int, t: Translator
    ) -> str:
        """Join a group (and its role, where it has one); return the reply.

        A Join button also arrives by DM (to people who waited for a group nearby): there
        the group's own server is the one joined.
        """
        guild_id = interaction.guild_id
        if guild_id is None:
            group = await group_by_id(self.db, group_id)
            guild_id = group.guild_id if group is not None else 0
        change = await join_group(
            self.db,
            guild_id=guild_id,
            group_id=group_id,
            user_id=interaction.user.id,
            now=interaction.client.clock.now(),
        )
        if not change.changed:
            return t(_("You are already a member of “{name}”."), name=change.group.name)
        reply = t(_("Welcome to “{name}”!"), name=change.group.name)
        if change.group.channel_id:
            reply += " " + t(_("Say hello in <#{channel}>."), channel=change.group.channel_id)
        if not await _set_role(interaction, change.group.role_id, add=True, guild_id=guild_id):
            reply += " " + t(_("(The bot could not give you the group's role.)"))
        return reply

    async def leave(
        self, interaction: discord.Interaction[GugBot], group_id: int, t: Translator
    ) -> str:
        """Leave a group (and its role); return the reply."""
        assert interaction.guild_id is not None
        change = await leave_group(
            self.db, guild_id=interaction.guild_id, group_id=group_id, user_id=interaction.user.id
        )
        if not change.changed:
            return t(_("You are not a member of “{name}”."), name=change.group.name)
        await _set_role(interaction, change.group.role_id, add=False)
        return t(_("You left “{name}”."), name=change.group.name)

    async def repair(
        self, interaction: discord.Interaction[GugBot], group: Group, t: Translator
    ) -> str:
        """Recreate the role and channel an active group lacks; return the coordinator's reply.

        What the bot cannot recreate is named with the missing permission; what it did
        recreate is kept, so running the command again after granting it finishes the job.
        """
        guild = interaction.guild
        assert guild is not None
        await require_coordinator(self.db, interaction)
        if group.status != GroupStatus.ACTIVE:
            raise InvalidInput(_("Only active groups can be repaired; “{name}” is not."),
                               name=group.name)
        # A link recorded but gone from Discord (deleted while the bot was away) counts too.
        lacks_role = guild.get_role(group.role_id or 0) is None
        lacks_channel = guild.get_channel(group.channel_id or 0) is None
        if not lacks_role and not lacks_channel:
            return t(_("“{name}” has its role and its channel; nothing to repair."),
                     name=group.name)
        outcome = Outcome()
        reason = f"gugbot: group {group.id} repaired by {interaction.user.id}"
        allowed = interaction.app_permissions
        role = channel = None
        if lacks_role:
            role = await self._create_role(guild, group, allowed, reason, outcome, t)
        if lacks_channel:
            channel = await self._create_channel(guild, group, allowed, reason, outcome, t)
        await self._remember(group, role, channel)
        if channel is not None:
            # Reminders held while the group had no channel go out now, if still due.
            interaction.client.dispatch("group_repaired", group.id)
        made = [t(_("its role")) if role else None, channel.mention if channel else None]
        done = [item for item in made if item]
        reply = (
            t(_("Repaired “{name}”: recreated {what}."), name=group.name, what=", ".join(done))
            if done
            else t(_("Could not repair “{name}”."), name=group.name)
        )
        return fit(" ".join([reply, *outcome.notes]), MESSAGE_LIMIT)

    async def _create_role_and_channel(
        self,
        interaction: discord.Interaction[GugBot],
        group: Group,
        outcome: Outcome,
        t: Translator,
    ) -> discord.TextChannel | None:
        guild = interaction.guild
        assert guild is not None
        allowed = interaction.app_permissions
        reason = f"gugbot: group {group.id} approved by {interaction.user.id}"
        role = await self._create_role(guild, group, allowed, reason, outcome, t)
        channel = await self._create_channel(guild, group, allowed, reason, outcome, t)
        await self._remember(group, role, channel)
        return channel

    async def _create_role(
        self,
        guild: discord.Guild,
        group: Group,
        allowed: discord.Permissions,
        reason: str,
        outcome: Outcome,
        t: Translator,
    ) -> discord.Role | None:
        """Create the group's role and give it to its members (at approval: the proposer)."""
        if not allowed.manage_roles:
            outcome.notes.append(
                t(_("No role was created: the bot lacks the Manage Roles permission."))
            )
            return None
        try:
            role = await guild.create_role(
                name=fit(group.name, ROLE_NAME_LIMIT), mentionable=False, reason=reason
            )
        except discord.HTTPException as error:
            log.warning("role setup for group %s failed: %s", group.id, error)
            outcome.notes.append(t(_("Creating or giving the group's role failed.")))
            return None
        failed = 0
        for user_id in await member_ids(self.db, group.id) or [group.proposer_id]:
            try:
                member = await guild.fetch_member(user_id)
                await member.add_roles(role, reason=reason)
            except discord.NotFound:
                continue  # left the server: nobody to give it to
            except discord.HTTPException as error:
                log.warning("giving role of group %s to %s failed: %s", group.id, user_id, error)
                failed += 1
        if failed:
            outcome.notes.append(t(_("Creating or giving the group's role failed.")))
        return role

    async def _create_channel(
        self,
        guild: discord.Guild,
        group: Group,
        allowed: discord.Permissions,
        reason: str,
        outcome: Outcome,
        t: Translator,
    ) -> discord.TextChannel | None:
        """Create the group's text channel under the configured category."""
        if not allowed.manage_channels:
            outcome.notes.append(
                t(_("No channel was created: the bot lacks the Manage Channels permission."))
            )
            return None
        settings = await load_guild_settings(self.db, guild.id)
        category = guild.get_channel(settings.group_category_id or 0)
        try:
            return await guild.create_text_channel(
                channel_name(group.name),
                category=category if isinstance(category, discord.CategoryChannel) else None,
                topic=fit(group.description, CHANNEL_TOPIC_LIMIT),
                reason=reason,
            )
        except discord.HTTPException as error:
            log.warning("channel setup for group %s failed: %s", group.id, error)
            outcome.notes.append(t(_("Creating the group's channel failed.")))
            return None

    async def _remember(
        self, group: Group, role: discord.Role | None, channel: discord.TextChannel | None
    ) -> None:
        if role is not None or channel is not None:
            await set_group_role_and_channel(
                self.db,
                group.id,
                role_id=role.id if role else None,
                channel_id=channel.id if channel else None,
            )


async def _tell(
    interaction: discord.Interaction[GugBot],
    user_id: int,
    say: Callable[[Translator], str],
    fallback: discord.abc.GuildChannel | None,
) -> bool:
    """DM the user in their language (else the server's), else mention them in ``fallback``.

    Return whether the DM worked.
    """
    client = interaction.client
    fallback_id = fallback.id if fallback is not None else None
    locale = await client.locales.of(user_id, guild_locale(client, interaction.guild_id))
    return await client.direct_messages.tell(user_id, say(Translator(locale)), fallback_id)


async def _update_proposal_message(
    client: GugBot, group: Group, decided_by: int, locale: object = None
) -> None:
    """Show the decision on the proposal's review message and drop its buttons."""
    if not group.proposal_channel_id or not group.proposal_message_id:
        return
    channel = client.get_channel(group.proposal_channel_id)
    if not isinstance(channel, discord.TextChannel):
        return
    message = channel.get_partial_message(group.proposal_message_id)
    try:
        await message.edit(
            embed=proposal_embed(Translator(locale), group, decided_by=decided_by),
            view=None,
        )
    except discord.HTTPException as error:
        log.info("could not update proposal message of group %s: %s", group.id, error)


async def _set_role(
    interaction: discord.Interaction[GugBot],
    role_id: int | None,
    *,
    add: bool,
    guild_id: int | None = None,
) -> bool:
    """Give or take a group's role; say whether it worked (no role counts as success)."""
    member = interaction.user
    if role_id is None:
        return True
    role = discord.Object(id=role_id)
    try:
        if not isinstance(member, discord.Member):
            # Pressed in a DM: the bot holds no Member there, the REST call needs none.
            if add and guild_id is not None:
                await interaction.client.http.add_role(
                    guild_id, member.id, role_id, reason="gugbot: joined a group"
                )
            return True
        if add:
            await member.add_roles(role, reason="gugbot: joined a group")
        else:
            await member.remove_roles(role, reason="gugbot: left a group")
    except discord.HTTPException as error:
        log.info("could not %s role %s: %s", "add" if add else "remove", role_id, error)
        return False
    return True
