"""Who may do what: coordinators (a role chosen at run time) and group organizers.

Discord can only hide a command behind a fixed permission, so /coord, /group and
/meeting are visible to everyone and these checks run inside the commands. The Discord
side only says who acts (an ``Actor``); the rules that change data are decided again in
the db/ transaction, given that actor. These read only the user and the server, so they
take an interaction of any client.
"""

from __future__ import annotations

import discord
from sqlalchemy import select

from core.errors import NotAllowed
from core.i18n import _
from db.engine import Database
from db.groups import Actor
from db.guild_settings import load_guild_settings
from db.models import Group, GroupStatus, Membership


def _member_role_ids(user: discord.User | discord.Member) -> set[int]:
    return {role.id for role in getattr(user, "roles", [])}


def _manages_server(user: discord.User | discord.Member) -> bool:
    permissions = getattr(user, "guild_permissions", None)
    return bool(permissions and permissions.manage_guild)


async def is_coordinator(db: Database, guild_id: int, user: discord.User | discord.Member) -> bool:
    """Holders of the coordinator role, and anyone who can manage the server, coordinate."""
    if _manages_server(user):
        return True
    settings = await load_guild_settings(db, guild_id)
    role_id = settings.coordinator_role_id
    return role_id is not None and role_id in _member_role_ids(user)


async def actor_for(db: Database, interaction: discord.Interaction) -> Actor:
    """Describe who is acting, asking Discord's side whether they coordinate."""
    coordinator = interaction.guild_id is not None and await is_coordinator(
        db, interaction.guild_id, interaction.user
    )
    return Actor(user_id=interaction.user.id, is_coordinator=coordinator)


async def require_coordinator(db: Database, interaction: discord.Interaction) -> Actor:
    """Return the acting coordinator, or refuse saying which role is needed.

    For acts with no db/ transaction to decide (listing, statistics, opening a form).
    """
    actor = await actor_for(db, interaction)
    if not actor.is_coordinator:
        raise NotAllowed(
            _("Only coordinators can do this. Ask a server admin for the coordinator role.")
        )
    return actor


async def _is_organizer(db: Database, group_id: int, user_id: int) -> bool:
    async with db.read() as session:
        flag = await session.scalar(
            select(Membership.is_organizer).where(
                Membership.group_id == group_id, Membership.user_id == user_id
            )
        )
    return bool(flag)


async def require_organizer(
    db: Database, interaction: discord.Interaction, group_id: int
) -> None:
    """Refuse unless the user organizes the group or coordinates the server."""
    if await _is_organizer(db, group_id, interaction.user.id):
        return
    if interaction.guild_id is not None and await is_coordinator(
        db, interaction.guild_id, interaction.user
    ):
        return
    raise NotAllowed(
        _("Only this group's organizers (or a coordinator) can do this.")
    )


async def require_some_organizer(db: Database, interaction: discord.Interaction) -> None:
    """Refuse unless the user organizes an active group of this server or coordinates it."""
    guild_id = interaction.guild_id
    if guild_id is None:
        raise NotAllowed(_("Only organizers and coordinators can do this."))
    async with db.read() as session:
        organizes = await session.scalar(
            select(Membership.group_id)
            .join(Group, Group.id == Membership.group_id)
            .where(
                Membership.user_id == interaction.user.id,
                Membership.is_organizer.is_(True),
                Group.guild_id == guild_id,
                Group.status == GroupStatus.ACTIVE,
            )
            .limit(1)
        )
    if organizes is None and not await is_coordinator(db, guild_id, interaction.user):
        raise NotAllowed(_("Only organizers and coordinators can do this."))
