"""The Notify me and Back this group buttons (``DynamicItem``s: they survive restarts)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.buttons import PrivateReplyButton, bound, button_row
from cogs.interest._growth import Growth
from cogs.interest._places import place_label, resolve_place
from core.errors import InvalidInput
from core.i18n import Translator, _
from core.text import fit
from db.interest import add_interest

ECHO_LIMIT = 100

if TYPE_CHECKING:
    from bot.app import GugBot

# A custom_id is at most 100 characters; "gug:notify:" takes 11 of them.
PLACE_ID_LIMIT = 89


class _GrowthButton(PrivateReplyButton, template=r"(?!)"):
    """A button rebuilt from its custom_id; ``growth`` is set by ``bound_buttons``."""

    growth: ClassVar[Growth]

    def __init__(self, key: str, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label, custom_id=self.custom_id_for(key)))
        self.key = key

    @classmethod
    def custom_id_for(cls, key: str) -> str:
        """Return the custom_id this button answers."""
        raise NotImplementedError

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id."""
        return cls(match["key"], label=getattr(item, "label", None))


class NotifyButton(_GrowthButton, template=r"gug:notify:(?P<key>.+)"):
    """Wait for a group in the place /findgroup found none in."""

    @classmethod
    def custom_id_for(cls, key: str) -> str:
        """Return the custom_id: the place as "City, Country"."""
        return f"gug:notify:{key}"

    async def answer(self, interaction: discord.Interaction[GugBot]) -> str:
        """Record the wait."""
        return await wait_for_group(self.growth, interaction, self.key)


class BackButton(_GrowthButton, template=r"gug:back:(?P<key>\d+)"):
    """Back the proposal this button was posted with."""

    @classmethod
    def custom_id_for(cls, key: str) -> str:
        """Return the custom_id: the proposal's group id."""
        return f"gug:back:{key}"

    async def answer(self, interaction: discord.Interaction[GugBot]) -> str:
        """Back the proposal."""
        return await self.growth.back(interaction, int(self.key))


async def wait_for_group(
    growth: Growth, interaction: discord.Interaction[GugBot], text: str
) -> str:
    """Record that the user waits for a group in the place ``text``; return the reply."""
    t = Translator(interaction.locale)
    if interaction.guild_id is None:
        raise InvalidInput(_("Groups live in a server; run this command there."))
    place = resolve_place(growth.gazetteer, text)
    if place is None:
        # The refusal quotes what was typed, cut short: a pasted page must not overflow it.
        raise InvalidInput(_("No city called “{place}” is known."), place=fit(text, ECHO_LIMIT))
    await add_interest(
        growth.bot.db,
        guild_id=interaction.guild_id,
        user_id=interaction.user.id,
        place=place,
        now=growth.bot.clock.now(),
    )
    return t(
        _("You will be told when a group starts near {place}."),
        place=place_label(growth.gazetteer, place),
    )


def bound_buttons(growth: Growth) -> tuple[type[_GrowthButton], ...]:
    """Subclass the buttons so their presses use ``growth`` (same custom_id templates)."""
    return bound(NotifyButton, growth=growth), bound(BackButton, growth=growth)


def notify_view(label: str, t: Translator) -> discord.ui.View:
    """Build the Notify me button for a place."""
    return button_row(
        discord.ui.Button(
            label=t(_("Notify me")),
            style=discord.ButtonStyle.primary,
            custom_id=NotifyButton.custom_id_for(fit(label, PLACE_ID_LIMIT)),
        )
    )
