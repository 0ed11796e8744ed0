"""Reminders: /reminders, and the alarm that delivers each reminder once.

A reminder's path: db/reminders plans it with its meeting; ``_alarm`` arms a job for
its tick; ``_delivery`` claims it, posts in the group's channel and DMs through the
bot's one DM path, then marks it; ``_render`` writes the text.
"""

from __future__ import annotations

import asyncio

from bot.app import GugBot
from cogs.reminders._alarm import ReminderAlarm
from cogs.reminders._delivery import Deliverer
from cogs.reminders._reminders import Reminders

# Sends running at once: enough to keep up with a wave, few enough not to flood the
# connection pool or Discord (which rate-limits the rest).
CONCURRENT_DELIVERIES = 16


async def setup(bot: GugBot) -> None:
    """Build the delivery and the alarm, and hand them to the reminders cog."""
    settings = bot.settings.reminders
    deliverer = Deliverer(
        bot,
        bot.direct_messages,
        bot.db,
        settings.lease,
        bot.clock.now,
        asyncio.Semaphore(CONCURRENT_DELIVERIES),
    )
    alarm = ReminderAlarm(bot, deliverer, settings.sweep_interval)
    await bot.add_cog(Reminders(bot, alarm))
