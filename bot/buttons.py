"""Buttons that outlive a restart, and whose failures are answered like commands' are.

Each is a ``DynamicItem``: discord.py rebuilds it from its custom_id, so a message posted
before a restart keeps working. Subclasses set the template and say what a press does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


class PrivateReplyButton(PersistentButton, template=r"(?!)"):
    """A button whose press is answered privately with the text ``answer`` returns."""

    async def press(self, interaction: discord.Interaction[GugBot]) -> None:
        """Think privately (the answer may wait on the database), then reply."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(await self.answer(interaction), ephemeral=True)

    async def answer(self, interaction: discord.Interaction[GugBot]) -> str:
        """Do what pressing the button means; return the reply."""
        raise NotImplementedError
