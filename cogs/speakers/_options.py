"""The `offer` options: an open talk offer of this server, or one of the user's own.

Autocomplete gives an offer's id; a typed topic is matched like the autocomplete does.
Either way the result is only an id: the db/ rule that uses it checks it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from core.errors import NotFound
from core.i18n import _
from core.ids import row_id
from core.text import fit
from db.speakers import offer_choices

if TYPE_CHECKING:
    from bot.app import GugBot

CHOICE_LIMIT = 100  # Discord: a choice's name is at most 100 characters.
TYPED_ECHO_LIMIT = 80


class AnyOffer(app_commands.Transformer["GugBot"]):
    """An open talk offer of this server."""

    own_only = False

    def _owner(self, interaction: discord.Interaction[GugBot]) -> int | None:
        return interaction.user.id if self.own_only else None

    async def autocomplete(  # type: ignore[override]  # discord.py types value as int | float | str
        self, interaction: discord.Interaction[GugBot], value: str
    ) -> list[app_commands.Choice[str]]:
        """Offer open offers whose topic or description is near what was typed."""
        if interaction.guild_id is None:
            return []
        pairs = await offer_choices(
            interaction.client.db, guild_id=interaction.guild_id, typed=value,
            user_id=self._owner(interaction),
        )
        return [
            app_commands.Choice(name=fit(topic, CHOICE_LIMIT), value=str(offer_id))
            for offer_id, topic in pairs
        ]

    async def transform(self, interaction: discord.Interaction[GugBot], value: str) -> int:
        """Return the offer's id: the chosen one, or the best match of a typed topic."""
        chosen = row_id(value)
        if chosen is not None:
            return chosen
        if interaction.guild_id is not None:
            pairs = await offer_choices(
                interaction.client.db, guild_id=interaction.guild_id, typed=value,
                user_id=self._owner(interaction),
            )
            if pairs:
                return pairs[0][0]
        raise NotFound(
            _("No talk offer matches “{typed}”. Pick one from the list."),
            typed=fit(value, TYPED_ECHO_LIMIT),
        )


class OwnOffer(AnyOffer):
    """One of the user's own open offers."""

    own_only = True


OfferOption = app_commands.Transform[int, AnyOffer]
OwnOfferOption = app_commands.Transform[int, OwnOffer]
