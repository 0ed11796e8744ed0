"""What happens on Discord when a coordinator decides: role, channel, messages, DMs.

Shared by the /coord commands and the proposal's buttons. The database decision comes
first and is never held open across these calls; each Discord step that fails is
reported, not retried, so a missing permission never loses the decision.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import discord

from bot.direct_messages import DirectMessages
from bot.limits import MESSAGE_LIMIT
from bot.permissions import is_coordinator
from bot.place_indexes import place_indexes
from bot.render.groups import proposal_embed
from core.errors import NotAllowed
from core.i18n import Translator, _
from core.text import fit
from db.engine import Database
from db.groups import Actor, approve_group, reject_group, set_group_role_and_channel
from db.guild_settings import load_guild_settings
from db.memberships import join_group, leave_group
from db.models import Group

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


async def actor_for(db: Database, interaction: discord.Interaction) -> Actor:
    """Describe who is acting, asking Discord's side whether they coordinate."""
    coordinator = interaction.guild_id is not None and await is_coordinator(
        db, interaction.guild_id, interaction.user
    )
    return Actor(user_id=interaction.user.id, is_coordinator=coordinator)


async def require_coordinator_actor(db: Database, interaction: discord.Interaction) -> Actor:
    """Return the acting coordinator, or refuse saying which role is needed."""
    actor = await actor_for(db, interaction)
    if not actor.is_coordinator:
        raise NotAllowed(
            _("Only coordinators can do this. Ask a server admin for the coordinator role.")
        )
    return actor


async def approve(
    interaction: discord.Interaction, db: Database, group_id: int, t: Translator
) -> str:
    """Approve a proposal and set it up on Discord; return the coordinator's reply."""
    assert interaction.guild is not None and interaction.guild_id is not None
    actor = await require_coordinator_actor(db, interaction)
    now = interaction.client.clock.now()  # type: ignore[attr-defined]
    group = await approve_group(
        db, guild_id=interaction.guild_id, group_id=group_id, actor=actor, now=now
    )
    place_indexes(db).invalidate(interaction.guild_id)
    outcome = Outcome()
    channel = await _create_role_and_channel(interaction, db, group, outcome, t)
    await update_proposal_message(
        interaction.client, group, actor.user_id, interaction.guild_locale
    )
    text = t(
        _("Congratulations! Your group “{name}” was approved; you are its organizer."),
        name=group.name,
    )
    if channel is not None:
        text += " " + t(_("Its channel is {channel}."), channel=channel.mention)
    fallback = channel or await coordinators_channel(interaction, db)
    if not await _tell(interaction, group.proposer_id, text, fallback):
        outcome.notes.append(t(_("The proposer's DMs are closed; told them in a channel.")))
    reply = t(_("Approved “{name}”."), name=group.name)
    return fit(" ".join([reply, *outcome.notes]), MESSAGE_LIMIT)


async def reject(
    interaction: discord.Interaction, db: Database, group_id: int, reason: str, t: Translator
) -> str:
    """Reject a proposal, tell the proposer why, and return the coordinator's reply."""
    assert interaction.guild_id is not None
    actor = await require_coordinator_actor(db, interaction)
    now = interaction.client.clock.now()  # type: ignore[attr-defined]
    group = await reject_group(
        db, guild_id=interaction.guild_id, group_id=group_id, actor=actor, reason=reason, now=now
    )
    await update_proposal_message(
        interaction.client, group, actor.user_id, interaction.guild_locale
    )
    text = t(
        _("Your proposed group “{name}” was not approved. Reason: {reason}"),
        name=group.name,
        reason=reason,
    )
    reply = t(_("Rejected “{name}”; the proposer was told why."), name=group.name)
    if not await _tell(
        interaction, group.proposer_id, text, await coordinators_channel(interaction, db)
    ):
        reply += " " + t(_("Their DMs are closed; told them in the coordinators' channel."))
    return fit(reply, MESSAGE_LIMIT)


async def coordinators_channel(
    interaction: discord.Interaction, db: Database
) -> discord.TextChannel | None:
    """Return the configured coordinators' channel, if it still exists."""
    if interaction.guild is None:
        return None
    settings = await load_guild_settings(db, interaction.guild.id)
    channel = interaction.guild.get_channel(settings.coordinator_channel_id or 0)
    return channel if isinstance(channel, discord.TextChannel) else None


async def _tell(
    interaction: discord.Interaction,
    user_id: int,
    text: str,
    fallback: discord.abc.GuildChannel | None,
) -> bool:
    """DM the user, else mention them in ``fallback``; return whether the DM worked."""
    direct: DirectMessages = interaction.client.direct_messages  # type: ignore[attr-defined]
    return await direct.tell(user_id, text, fallback.id if fallback is not None else None)


async def update_proposal_message(
    client: discord.Client, group: Group, decided_by: int, guild_locale: object = None
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
            embed=proposal_embed(Translator(guild_locale), group, decided_by=decided_by),
            view=None,
        )
    except discord.HTTPException as error:
        log.info("could not update proposal message of group %s: %s", group.id, error)


async def _create_role_and_channel(
    interaction: discord.Interaction,
    db: Database,
    group: Group,
    outcome: Outcome,
    t: Translator,
) -> discord.TextChannel | None:
    guild = interaction.guild
    assert guild is not None
    allowed = interaction.app_permissions
    role: discord.Role | None = None
    channel: discord.TextChannel | None = None
    reason = f"gugbot: group {group.id} approved by {interaction.user.id}"
    if allowed.manage_roles:
        try:
            role = await guild.create_role(
                name=fit(group.name, ROLE_NAME_LIMIT), mentionable=False, reason=reason
            )
            member = await guild.fetch_member(group.proposer_id)
            await member.add_roles(role, reason=reason)
        except discord.HTTPException as error:
            log.warning("role setup for group %s failed: %s", group.id, error)
            outcome.notes.append(t(_("Creating or giving the group's role failed.")))
    else:
        outcome.notes.append(
            t(_("No role was created: the bot lacks the Manage Roles permission."))
        )
    if allowed.manage_channels:
        settings = await load_guild_settings(db, guild.id)
        category = guild.get_channel(settings.group_category_id or 0)
        try:
            channel = await guild.create_text_channel(
                channel_name(group.name),
                category=category if isinstance(category, discord.CategoryChannel) else None,
                topic=fit(group.description, CHANNEL_TOPIC_LIMIT),
                reason=reason,
            )
        except discord.HTTPException as error:
            log.warning("channel setup for group %s failed: %s", group.id, error)
            outcome.notes.append(t(_("Creating the group's channel failed.")))
    else:
        outcome.notes.append(
            t(_("No channel was created: the bot lacks the Manage Channels permission."))
        )
    if role is not None or channel is not None:
        await set_group_role_and_channel(
            db,
            group.id,
            role_id=role.id if role else None,
            channel_id=channel.id if channel else None,
        )
    return channel


async def join(interaction: discord.Interaction, db: Database, group_id: int, t: Translator) -> str:
    """Join a group (and its role, where it has one); return the reply."""
    assert interaction.guild_id is not None
    now = interaction.client.clock.now()  # type: ignore[attr-defined]
    change = await join_group(
        db, guild_id=interaction.guild_id, group_id=group_id, user_id=interaction.user.id, now=now
    )
    if not change.changed:
        return t(_("You are already a member of “{name}”."), name=change.group.name)
    reply = t(_("Welcome to “{name}”!"), name=change.group.name)
    if change.group.channel_id:
        reply += " " + t(_("Say hello in <#{channel}>."), channel=change.group.channel_id)
    if not await _set_role(interaction, change.group.role_id, add=True):
        reply += " " + t(_("(The bot could not give you the group's role.)"))
    return reply


async def leave(
    interaction: discord.Interaction, db: Database, group_id: int, t: Translator
) -> str:
    """Leave a group (and its role); return the reply."""
    assert interaction.guild_id is not None
    change = await leave_group(
        db, guild_id=interaction.guild_id, group_id=group_id, user_id=interaction.user.id
    )
    if not change.changed:
        return t(_("You are not a member of “{name}”."), name=change.group.name)
    await _set_role(interaction, change.group.role_id, add=False)
    return t(_("You left “{name}”."), name=change.group.name)


async def _set_role(interaction: discord.Interaction, role_id: int | None, *, add: bool) -> bool:
    """Give or take a group's role; say whether it worked (no role counts as success)."""
    member = interaction.user
    if role_id is None or not isinstance(member, discord.Member):
        return True
    role = discord.Object(id=role_id)
    try:
        if add:
            await member.add_roles(role, reason="gugbot: joined a group")
        else:
            await member.remove_roles(role, reason="gugbot: left a group")
    except discord.HTTPException as error:
        log.info("could not %s role %s: %s", "add" if add else "remove", role_id, error)
        return False
    return True
