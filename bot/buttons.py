"""Buttons that outlive a restart, and whose failures are answered like commands' are.

Each is a ``DynamicItem``: discord.py rebuilds it from its custom_id, so a message posted
before a restart keeps working. Subclasses set the template and say what a press does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import discord

from bot.error_replies import reply_with_error

if TYPE_CHECKING:
    from bot.app import GugBot


class PersistentButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """A button rebuilt from its custom_id; any failure of a press gets the usual reply."""

    async def callback(  # type: ignore[override]  # discord.py: method-level ClientT
        self, interaction: discord.Interaction[GugBot]
    ) -> None:
        """Do the press, answering any failure like a command's."""
        try:
            await self.press(interaction)
        except Exception as error:
            await reply_with_error(interaction, error)

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Do what pressing the button means."""
        raise NotImplementedError


ButtonT = TypeVar("ButtonT", bound=PersistentButton)


def bound(button: type[ButtonT], **attributes: Any) -> type[ButtonT]:
    """Subclass ``button`` with ``attributes`` (what its presses use), same custom_id template.

    discord.py builds a pressed button from its class, so a bot's dependencies reach the
    press as class attributes of a subclass made for that bot.
    """
    template = button.__discord_ui_compiled_template__
    return type(button.__name__, (button,), attributes, template=template)


def button_row(*buttons: discord.ui.Item[Any]) -> discord.ui.View:
    """Lay out a message's buttons, each answered by a ``DynamicItem`` registration.

    The view is finished before it is sent, so discord.py keeps no copy of it: it would
    hold one per message, with a 15-minute timeout task for each ephemeral one, while the
    registrations made with ``bot.add_dynamic_items`` answer every press anyway.
    """
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(button)
    view.stop()
    return view


class PrivateReplyButton(PersistentButton, template=r"(?!)"):
    """A button whose press is answered privately with the text ``answer`` returns."""

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Think privately (the answer may wait on the database), then reply."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(await self.answer(interaction), ephemeral=True)

    async def answer(self, interaction: discord.Interaction[GugBot]) -> str:
        """Do what pressing the button means; return the reply."""
        raise NotImplementedError
