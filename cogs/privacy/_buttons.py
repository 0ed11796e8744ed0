"""The Forget me / Keep my data buttons under /privacy forget-me's warning.

``DynamicItem``s, like every button of the bot, so a press is answered whenever it comes:
after the confirmation's time is up, after another press, after a restart. The Forget me
button carries its deadline in its custom_id: a warning left open does not fire later.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.buttons import PersistentButton, bound, button_row
from core.i18n import Translator, _

if TYPE_CHECKING:
    from bot.app import GugBot
    from cogs.privacy._privacy import Privacy

# Long enough to read the warning, short enough that a forgotten tab does not fire later.
CONFIRM_TIMEOUT = timedelta(seconds=120)


class ForgetButton(PersistentButton, template=r"privacy:forget(?::(?P<until>\d{1,12}))?"):
    """Forget the person who pressed it, until its deadline (epoch seconds) passes.

    The ephemeral warning is only ever shown to the person who asked, so the presser is
    them. A custom_id without a deadline comes from before deadlines: it has expired.
    """

    privacy: ClassVar[Privacy]

    def __init__(self, until: int, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.danger, custom_id=f"privacy:forget:{until}"
            )
        )
        self.until = until

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id."""
        return cls(int(match["until"] or 0), label=getattr(item, "label", None))

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Forget the presser, turning the warning into the receipt."""
        t = Translator(interaction.locale)
        if interaction.client.clock.now().timestamp() > self.until:
            await interaction.response.edit_message(
                content=t(_("This confirmation has expired; run /privacy forget-me again.")),
                view=None,
            )
            return
        await interaction.response.defer()
        forgotten = await self.privacy.forget(interaction.user.id)
        await interaction.edit_original_response(
            content=t.plural(
                "Done: {n} record about you was deleted; the audit log keeps what happened "
                "without your id.",
                "Done: {n} records about you were deleted; the audit log keeps what happened "
                "without your id.",
                sum(forgotten.deleted.values()),
            ),
            view=None,
        )


class KeepButton(PersistentButton, template=r"privacy:keep"):
    """Keep everything: the warning says so and loses its buttons."""

    def __init__(self, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id="privacy:keep"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id."""
        return cls(label=getattr(item, "label", None))

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Say nothing was deleted."""
        await interaction.response.edit_message(
            content=Translator(interaction.locale)(_("Nothing was deleted.")), view=None
        )


class ConfirmationButtons:
    """The buttons of one bot, the Forget me button bound to its ``Privacy`` cog."""

    def __init__(self, privacy: Privacy) -> None:
        self.forget = bound(ForgetButton, privacy=privacy)
        # Registered with bot.add_dynamic_items, so that presses after a restart find them.
        self.dynamic_items = (self.forget, KeepButton)

    def view(self, t: Translator, now: float) -> discord.ui.View:
        """Build the buttons in ``t``'s language, Forget me valid for ``CONFIRM_TIMEOUT``."""
        return button_row(
            self.forget(int(now + CONFIRM_TIMEOUT.total_seconds()), t(_("Forget me"))),
            KeepButton(t(_("Keep my data"))),
        )
