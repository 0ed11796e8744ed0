"""Arm one APScheduler job per pending reminder, and sweep for anything missed.

The database is the ledger; these in-memory jobs are only alarm clocks. Losing one
(a restart, a clock jump) costs at most one sweep interval, never the reminder.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.reminders.delivery import Deliverer
from db.reminders import PendingReminder, list_due_reminders, list_pending_reminders

log = logging.getLogger("gugbot.reminders")

# Jobs are armed for reminders due within this horizon; the sweep arms later ones as
# they come near, so a year of planned reminders does not sit in memory.
ARM_HORIZON = timedelta(hours=6)
# Deliveries running at once: enough to keep up with Discord's 50 requests/s, few
# enough not to exhaust the database pool in a wave of reminders.
CONCURRENT_DELIVERIES = 16
SWEEP_JOB = "reminders:sweep"
# Every job runs however late it fires (None = no misfire grace): a late reminder is
# the ledger's to judge (sent late or missed), never APScheduler's to drop silently.
JOB_OPTIONS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


def job_id(reminder_id: int) -> str:
    """Name the job of one reminder."""
    return f"reminder:{reminder_id}"


class ReminderAlarm:
    """Keep the scheduler's jobs in step with the ledger for the guilds this process owns."""

    def __init__(self, bot: Any, sweep_interval: timedelta, lease: timedelta) -> None:
        self.bot = bot
        self.scheduler: AsyncIOScheduler = bot.scheduler
        self.sweep_interval = sweep_interval
        self.deliverer = Deliverer(bot, bot.db, lease, bot.clock.now)
        self.slots = asyncio.Semaphore(CONCURRENT_DELIVERIES)
        self.by_meeting: dict[int, set[int]] = {}

    def start(self) -> None:
        """Install the periodic sweep."""
        self.scheduler.add_job(
            self.sweep,
            "interval",
            seconds=self.sweep_interval.total_seconds(),
            id=SWEEP_JOB,
            replace_existing=True,
            **JOB_OPTIONS,
        )

    def stop(self) -> None:
        """Remove every reminder job and the sweep."""
        for job in self.scheduler.get_jobs():
            if job.id.startswith("reminder"):
                job.remove()
        self.by_meeting.clear()

    def _wall_time(self, moment: datetime) -> datetime:
        # The scheduler runs on the wall clock; the bot's clock may be shifted (tests).
        return moment - (self.bot.clock.now() - datetime.now(UTC))

    def _arm(self, reminder: PendingReminder, *, replace: bool) -> None:
        name = job_id(reminder.id)
        self.by_meeting.setdefault(reminder.meeting_id, set()).add(reminder.id)
        if not replace and self.scheduler.get_job(name) is not None:
            return
        self.scheduler.add_job(
            self.fire,
            DateTrigger(run_date=self._wall_time(reminder.due_at)),
            args=[reminder.id],
            id=name,
            replace_existing=True,
            **JOB_OPTIONS,
        )

    async def arm_all(self) -> int:
        """Arm a job for every owned reminder due within the horizon; return how many."""
        horizon = self.bot.clock.now() + ARM_HORIZON
        pending = await list_pending_reminders(self.bot.db, until=horizon)
        owned = [item for item in pending if self.bot.owns_guild(item.guild_id)]
        for item in owned:
            self._arm(item, replace=False)
        return len(owned)

    async def arm_meeting(self, meeting_id: int) -> None:
        """Re-arm one meeting's reminders after it was created, moved or cancelled."""
        pending = await list_pending_reminders(self.bot.db, meeting_id=meeting_id)
        horizon = self.bot.clock.now() + ARM_HORIZON
        armed = {item.id for item in pending if item.due_at <= horizon}
        for stale in self.by_meeting.pop(meeting_id, set()) - armed:
            job = self.scheduler.get_job(job_id(stale))
            if job is not None:
                job.remove()
        for item in pending:
            if item.due_at <= horizon and self.bot.owns_guild(item.guild_id):
                self._arm(item, replace=True)

    async def fire(self, reminder_id: int) -> None:
        """Deliver one reminder (the job's body); re-arm it if it must be retried."""
        async with self.slots:
            try:
                retry_at = await self.deliverer.deliver(reminder_id)
            except Exception:
                # The lease will expire and the sweep retry it; a job must not die loudly.
                log.exception("reminder %s: delivery failed", reminder_id)
                return
        if retry_at is not None:
            self.scheduler.add_job(
                self.fire,
                DateTrigger(run_date=self._wall_time(retry_at)),
                args=[reminder_id],
                id=job_id(reminder_id),
                replace_existing=True,
                **JOB_OPTIONS,
            )

    async def sweep(self) -> None:
        """Deliver whatever is due and was not delivered; arm reminders coming near."""
        try:
            due = await list_due_reminders(self.bot.db, self.bot.clock.now())
            owned = [item for item in due if self.bot.owns_guild(item.guild_id)]
            if owned:
                log.info("sweep: %d reminder(s) due and not delivered", len(owned))
            await asyncio.gather(*(self.fire(item.id) for item in owned))
            await self.arm_all()
        except Exception:
            log.exception("reminder sweep failed")
