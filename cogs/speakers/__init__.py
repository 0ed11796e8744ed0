"""Speakers: the network-wide speaker bank (/speaker) and invitations answered by button.

``setup()`` binds the invitation buttons to one ``Invitations`` service and hands both to
the cog; accepted talks reach the meeting's announcement through the ``agenda_changed``
event, which the meetings feature answers by refreshing it.
"""

from __future__ import annotations

from bot.app import GugBot
from cogs.speakers._invitations import InvitationButtons, Invitations
from cogs.speakers._speaker import Speakers


async def setup(bot: GugBot) -> None:
    """Build the invitation service and its buttons, and load the /speaker cog."""
    invitations = Invitations(bot)
    await bot.add_cog(Speakers(bot, invitations, InvitationButtons(invitations)))
