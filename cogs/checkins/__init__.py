"""Check-ins with quiet groups: a periodic job asks their organizers how it is going.

Answers come back through buttons; *need help* and *please archive* reach the
coordinators' channel, where *please archive* waits for a coordinator's Archive button.
"""

from __future__ import annotations

from bot.app import GugBot
from cogs.checkins._buttons import AnswerButton, ArchiveButton
from cogs.checkins._checkins import Checkins


async def setup(bot: GugBot) -> None:
    """Register the buttons and start the check-ins job."""
    bot.add_dynamic_items(AnswerButton, ArchiveButton)
    await bot.add_cog(Checkins(bot))
