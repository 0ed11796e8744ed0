"""The `group` option shared by many commands: autocomplete and re-validation."""

from __future__ import annotations

from collections.abc import Sequence

import discord
from discord import app_commands

from core.errors import NotFound
from core.i18n import _
from core.text import fit
from db.group_lookup import GroupLookupError, group_choices, resolve_group
from db.models import Group, GroupStatus

CHOICE_NAME_LIMIT = 100  # Discord: a choice's name is at most 100 characters.

async def _choices(
    interaction: discord.Interaction, current: str, **filters: object
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    pairs = await group_choices(
        interaction.client.db,  # type: ignore[attr-defined]
        interaction.guild_id,
        current,
        **filters,  # type: ignore[arg-type]
    )
    return [
        app_commands.Choice(name=fit(label, CHOICE_NAME_LIMIT), value=str(group_id))
        for group_id, label in pairs
    ]

async def active_group_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer the server's active groups whose name contains what was typed."""
    return await _choices(interaction, current)

async def my_organized_group_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer the active groups the user organizes."""
    return await _choices(interaction, current, organizer_id=interaction.user.id)

async def my_group_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer the active groups the user is a member of."""
    return await _choices(interaction, current, member_id=interaction.user.id)

async def pending_group_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer the server's proposals waiting for review."""
    return await _choices(interaction, current, statuses=(GroupStatus.PENDING,))

async def group_from_option(
    interaction: discord.Interaction,
    value: str,
    *,
    statuses: Sequence[str] = (GroupStatus.ACTIVE,),
) -> Group:
    """Re-validate a `group` option (an id from autocomplete, or a typed name)."""
    if interaction.guild_id is None:
        raise NotFound(_("Groups live in a server; run this command there."))
    try:
        return await resolve_group(
            interaction.client.db,  # type: ignore[attr-defined]
            interaction.guild_id,
            value,
            statuses=statuses,
        )
    except GroupLookupError as error:
        if error.candidates:
            raise NotFound(
                _("“{typed}” matches several groups: {names}. Pick one from the list."),
                typed=fit(value, 80),
                names=", ".join(error.candidates[:5]),
            ) from None
        raise NotFound(
            _("No group called “{typed}” here. Try /group list or pick one from the list."),
            typed=fit(value, 80),
        ) from None
