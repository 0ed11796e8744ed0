"""The proposal's Approve/Reject buttons (and the reason form) and a group's Join button.

Each is a ``DynamicItem`` whose custom_id encodes the group id. ``GroupButtons`` binds
the button classes to the feature's ``GroupActions`` and registers them once with
``bot.add_dynamic_items``: a message posted before a restart keeps working after it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.buttons import PersistentButton, bound, button_row
from bot.error_replies import reply_with_error
from bot.permissions import require_coordinator
from cogs.groups._actions import GroupActions
from core.i18n import Translator, _
from core.text import require_length

if TYPE_CHECKING:
    from bot.app import GugBot

# A rejection reason is read by the proposer in a DM (2,000 characters with the preamble).
REASON_LIMIT = 1000


class _GroupButton(PersistentButton, template=r"(?!)"):
    """A button whose custom_id carries a group id, so it works after a restart.

    Subclasses name their action (the custom_id is ``gug:<action>:<group id>``) and say
    what a press does; every failure gets a reply, as commands' do. ``actions`` is set on
    the subclasses ``GroupButtons`` binds.
    """

    action: ClassVar[str]
    default_label: ClassVar[str]
    button_style: ClassVar[discord.ButtonStyle]
    actions: ClassVar[GroupActions]

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


class ApproveButton(_GroupButton, template=r"gug:approve:(?P<id>\d+)"):
    """Approve the proposal this button was posted with."""

    action, default_label, button_style = "approve", "Approve", discord.ButtonStyle.success

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Approve, answering the coordinator privately."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.actions.approve(
            interaction, self.group_id, Translator(interaction.locale)
        )
        await interaction.followup.send(reply, ephemeral=True)


class RejectReasonModal(discord.ui.Modal):
    """Ask the coordinator why the proposal is rejected."""

    def __init__(self, actions: GroupActions, group_id: int, t: Translator) -> None:
        super().__init__(title=t(_("Reject proposal")), custom_id=f"gug:reject-reason:{group_id}")
        self.actions = actions
        self.group_id = group_id
        self.reason: discord.ui.TextInput[RejectReasonModal] = discord.ui.TextInput(
            label=t(_("Reason (the proposer will read it)")),
            style=discord.TextStyle.paragraph,
            max_length=REASON_LIMIT,
            custom_id="reason",
        )
        self.add_item(self.reason)

    async def on_submit(  # type: ignore[override]  # discord.py: method-level ClientT
        self, interaction: discord.Interaction[GugBot]
    ) -> None:
        """Reject with the reason given."""
        t = Translator(interaction.locale)
        reason = require_length(t(_("The reason")), self.reason.value, REASON_LIMIT)
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.actions.reject(interaction, self.group_id, reason, t)
        await interaction.followup.send(reply, ephemeral=True)

    async def on_error(  # type: ignore[override]  # discord.py: method-level ClientT
        self, interaction: discord.Interaction[GugBot], error: Exception
    ) -> None:
        """Answer like commands do."""
        await reply_with_error(interaction, error)


class RejectButton(_GroupButton, template=r"gug:reject:(?P<id>\d+)"):
    """Reject the proposal this button was posted with, asking for a reason."""

    action, default_label, button_style = "reject", "Reject", discord.ButtonStyle.danger

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Open the reason form, for coordinators only."""
        await require_coordinator(self.actions.db, interaction)
        await interaction.response.send_modal(
            RejectReasonModal(self.actions, self.group_id, Translator(interaction.locale))
        )


class JoinButton(_GroupButton, template=r"gug:join:(?P<id>\d+)"):
    """Join the group whose card this button is on."""

    action, default_label, button_style = "join", "Join", discord.ButtonStyle.primary

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Join the group, answering privately (in a DM too: see ``GroupActions.join``)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.actions.join(
            interaction, self.group_id, Translator(interaction.locale)
        )
        await interaction.followup.send(reply, ephemeral=True)


class GroupButtons:
    """The buttons of one bot, bound to its ``GroupActions``."""

    def __init__(self, actions: GroupActions) -> None:
        self.approve = bound(ApproveButton, actions=actions)
        self.reject = bound(RejectButton, actions=actions)
        self.join = bound(JoinButton, actions=actions)
        # Registered with bot.add_dynamic_items, so that presses after a restart find them.
        self.dynamic_items = (self.approve, self.reject, self.join)

    def proposal_view(self, group_id: int, t: Translator) -> discord.ui.View:
        """Build the Approve/Reject buttons for a proposal, labelled in ``t``'s language."""
        return button_row(
            self.approve(group_id, t(_("Approve"))), self.reject(group_id, t(_("Reject")))
        )

    def join_view(self, group_id: int, t: Translator) -> discord.ui.View:
        """Build the Join button for a group card, labelled in ``t``'s language."""
        return button_row(self.join(group_id, t(_("Join"))))
