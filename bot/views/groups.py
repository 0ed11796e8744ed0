"""The proposal's Approve/Reject buttons and a group's Join button.

Each is a ``DynamicItem`` whose custom_id encodes the group id, registered once with
``bot.add_dynamic_items``: a message posted before a restart keeps working after it.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self

import discord

from bot.error_replies import reply_with_error
from bot.group_flows import approve, join, reject, require_coordinator_actor
from core.errors import InvalidInput
from core.i18n import Translator, _
from core.text import require_length

# A rejection reason is read by the proposer in a DM (2,000 characters with the preamble).
REASON_LIMIT = 1000


def _db(interaction: discord.Interaction) -> Any:
    return interaction.client.db  # type: ignore[attr-defined]


class _GroupButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button whose custom_id carries a group id, so it works after a restart.

    Subclasses name their action (the custom_id is ``gug:<action>:<group id>``) and say
    what a press does; every failure gets a reply, as commands' do.
    """

    action: ClassVar[str]
    default_label: ClassVar[str]
    button_style: ClassVar[discord.ButtonStyle]

    def __init__(self, group_id: int, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or self.default_label,
                style=self.button_style,
                custom_id=f"gug:{self.action}:{group_id}",
            )
        )
        self.group_id = group_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id, keeping the label it was posted with."""
        return cls(int(match["id"]), label=getattr(item, "label", None))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Do the button's action, answering any failure like a command's."""
        try:
            await self.press(interaction)
        except Exception as error:
            await reply_with_error(interaction, error)

    async def press(self, interaction: discord.Interaction) -> None:
        """Do what pressing this button means."""
        raise NotImplementedError


class ApproveButton(_GroupButton, template=r"gug:approve:(?P<id>\d+)"):
    """Approve the proposal this button was posted with."""

    action, default_label, button_style = "approve", "Approve", discord.ButtonStyle.success

    async def press(self, interaction: discord.Interaction) -> None:
        """Approve, answering the coordinator privately."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await approve(
            interaction, _db(interaction), self.group_id, Translator(interaction.locale)
        )
        await interaction.followup.send(reply, ephemeral=True)


class RejectReasonModal(discord.ui.Modal):
    """Ask the coordinator why the proposal is rejected."""

    def __init__(self, group_id: int, t: Translator) -> None:
        super().__init__(title=t(_("Reject proposal")), custom_id=f"gug:reject-reason:{group_id}")
        self.group_id = group_id
        self.reason: discord.ui.TextInput[RejectReasonModal] = discord.ui.TextInput(
            label=t(_("Reason (the proposer will read it)")),
            style=discord.TextStyle.paragraph,
            max_length=REASON_LIMIT,
            custom_id="reason",
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Reject with the reason given."""
        t = Translator(interaction.locale)
        reason = require_length(t(_("The reason")), self.reason.value, REASON_LIMIT)
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await reject(interaction, _db(interaction), self.group_id, reason, t)
        await interaction.followup.send(reply, ephemeral=True)

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction, error: Exception
    ) -> None:
        """Answer like commands do."""
        await reply_with_error(interaction, error)


class RejectButton(_GroupButton, template=r"gug:reject:(?P<id>\d+)"):
    """Reject the proposal this button was posted with, asking for a reason."""

    action, default_label, button_style = "reject", "Reject", discord.ButtonStyle.danger

    async def press(self, interaction: discord.Interaction) -> None:
        """Open the reason form, for coordinators only."""
        await require_coordinator_actor(_db(interaction), interaction)
        await interaction.response.send_modal(
            RejectReasonModal(self.group_id, Translator(interaction.locale))
        )


class JoinButton(_GroupButton, template=r"gug:join:(?P<id>\d+)"):
    """Join the group whose card this button is on."""

    action, default_label, button_style = "join", "Join", discord.ButtonStyle.primary

    async def press(self, interaction: discord.Interaction) -> None:
        """Join the group, answering privately."""
        if interaction.guild_id is None:
            raise InvalidInput(_("Groups live in a server; run this command there."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await join(
            interaction, _db(interaction), self.group_id, Translator(interaction.locale)
        )
        await interaction.followup.send(reply, ephemeral=True)


def proposal_view(group_id: int, t: Translator) -> discord.ui.View:
    """Build the Approve/Reject buttons for a proposal, labelled in ``t``'s language."""
    view = discord.ui.View(timeout=None)
    view.add_item(ApproveButton(group_id, t(_("Approve"))))
    view.add_item(RejectButton(group_id, t(_("Reject"))))
    return view


def join_view(group_id: int, t: Translator) -> discord.ui.View:
    """Build the Join button for a group card, labelled in ``t``'s language."""
    view = discord.ui.View(timeout=None)
    view.add_item(JoinButton(group_id, t(_("Join"))))
    return view


DYNAMIC_ITEMS = (ApproveButton, RejectButton, JoinButton)
