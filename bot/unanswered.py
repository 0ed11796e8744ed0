"""Answer an interaction that nothing answered, before Discord's 3-second deadline passes.

discord.py drops a button press or a form whose custom_id no handler knows (a feature
retired, a handler that forgot to answer) without a word, and Discord then shows the
person "The application did not respond". Every interaction is watched instead: one
still unacknowledged after ``discord.answer_deadline`` gets the apology with an error
id (an autocomplete, no choices), and the log says which interaction it was.
"""

from __future__ import annotations

import asyncio
import contextlib

import discord

from bot.error_replies import reply_with_error


class NotAnswered(Exception):
    """No handler acknowledged the interaction in time."""


class UnansweredWatch:
    """Keep one timer per interaction in flight; answer those nobody answered."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        # The answering tasks, referenced until they finish (the loop keeps weak ones only).
        self._answering: set[asyncio.Task[None]] = set()

    def watch(self, interaction: discord.Interaction) -> None:
        """Check ``interaction`` once its deadline is near."""
        asyncio.get_running_loop().call_later(self.deadline, self._check, interaction)

    def _check(self, interaction: discord.Interaction) -> None:
        # A bot closing meanwhile has no connection left to answer with.
        if interaction.response.is_done() or interaction.client.is_closed():
            return
        task = asyncio.create_task(self._answer(interaction))
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)

    async def _answer(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.autocomplete:
            with contextlib.suppress(discord.HTTPException):
                await interaction.response.autocomplete([])
            return
        await reply_with_error(interaction, NotAnswered(f"not answered in {self.deadline} s"))
