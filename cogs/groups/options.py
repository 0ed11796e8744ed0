"""The `group` option shared by many commands: autocomplete and re-validation in one place.

A chosen value is a group id from autocomplete; a typed name is accepted too when it is
unambiguous. Either way db/ looks the group up again, so a stale or forged id is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.permissions import is_coordinator
from core.errors import NotFound
from core.i18n import _
from core.text import fit
from db.group_lookup import group_choices, resolve_group
from db.models import Group, GroupStatus

if TYPE_CHECKING:
    from bot.app import GugBot

CHOICE_NAME_LIMIT = 100  # Discord: a choice's name is at most 100 characters.


async def find_group(
    interaction: discord.Interaction[GugBot],
    value: str,
    *,
    statuses: Sequence[str] = (GroupStatus.ACTIVE,),
) -> Group:
    """Re-validate a `group` option (an id from autocomplete, or a typed name)."""
    if interaction.guild_id is None:
        raise NotFound(_("Groups live in a server; run this command there."))
    return await resolve_group(
        interaction.client.db, interaction.guild_id, value, statuses=statuses
    )


class ActiveGroup(app_commands.Transformer["GugBot"]):
    """An active group of this server: the default `group` option."""

    statuses: Sequence[str] = (GroupStatus.ACTIVE,)

    def filters(self, interaction: discord.Interaction[GugBot]) -> dict[str, Any]:
        """Narrow what autocomplete offers (the lookup itself accepts ``statuses``)."""
        return {}

    async def autocomplete(  # type: ignore[override]  # discord.py types value as int | float | str
        self, interaction: discord.Interaction[GugBot], value: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the server's groups whose name contains what was typed."""
        if interaction.guild_id is None:
            return []
        pairs = await group_choices(
            interaction.client.db, interaction.guild_id, value, **self.filters(interaction)
        )
        return [
            app_commands.Choice(name=fit(label, CHOICE_NAME_LIMIT), value=str(group_id))
            for group_id, label in pairs
        ]

    async def transform(self, interaction: discord.Interaction[GugBot], value: str) -> Group:
        """Look the group up again, whatever autocomplete offered."""
        return await find_group(interaction, value, statuses=self.statuses)


class OrganizedGroup(ActiveGroup):
    """An active group, offering first the ones the user organizes."""

    def filters(self, interaction: discord.Interaction[GugBot]) -> dict[str, Any]:
        """Offer the groups the user organizes."""
        return {"organizer_id": interaction.user.id}


class PendingGroup(ActiveGroup):
    """A proposal waiting for review (or already decided, so the reply can say so)."""

    statuses = tuple(GroupStatus)

    def filters(self, interaction: discord.Interaction[GugBot]) -> dict[str, Any]:
        """Offer the proposals waiting for review."""
        return {"statuses": (GroupStatus.PENDING,)}

    async def autocomplete(  # type: ignore[override]  # discord.py types value as int | float | str
        self, interaction: discord.Interaction[GugBot], value: str
    ) -> list[app_commands.Choice[str]]:
        """Offer proposals to coordinators only: until approved, their names stay private."""
        if interaction.guild_id is None or not await is_coordinator(
            interaction.client.db, interaction.guild_id, interaction.user
        ):
            return []
        return await super().autocomplete(interaction, value)


class AnyGroup(ActiveGroup):
    """A group in any state, for coordinators (autocomplete offers active ones)."""

    statuses = tuple(GroupStatus)


class ArchivedGroup(ActiveGroup):
    """An archived group, for /coord restore (any state is looked up, so the reply can say why)."""

    statuses = tuple(GroupStatus)

    def filters(self, interaction: discord.Interaction[GugBot]) -> dict[str, Any]:
        """Offer the archived groups."""
        return {"statuses": (GroupStatus.ARCHIVED,)}


GroupOption = app_commands.Transform[Group, ActiveGroup]
OrganizedGroupOption = app_commands.Transform[Group, OrganizedGroup]
PendingGroupOption = app_commands.Transform[Group, PendingGroup]
AnyGroupOption = app_commands.Transform[Group, AnyGroup]
ArchivedGroupOption = app_commands.Transform[Group, ArchivedGroup]
