"""Reminders on the bot side: arm jobs from the ledger, deliver, render."""

from bot.reminders.alarm import ReminderAlarm

__all__ = ["ReminderAlarm"]
