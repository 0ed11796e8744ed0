"""Arm one APScheduler job per tick with reminders due, and sweep for anything missed.

The database is the ledger; these in-memory jobs are only alarm clocks. Losing one
(a restart, a clock jump) costs at most one sweep interval, never the reminder.
Reminders due within the same tick (a tenth of a second) share one job, are claimed
in one transaction and marked in one: a wave of 10,000 is a few hundred jobs and
transactions, not 10,000 jobs and 30,000 transactions.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from cogs.reminders._delivery import Deliverer
from db.reminders import PendingReminder, list_due_reminders, list_pending_reminders

if TYPE_CHECKING:
    from bot.app import GugBot

log = logging.getLogger("gugbot.reminders")

# Jobs are armed for reminders due within this horizon; the sweep arms later ones as
# they come near, so a year of planned reminders does not sit in memory.
ARM_HORIZON = timedelta(hours=6)
# Reminders due within one tick fire together, at its end (never early).
TICK = timedelta(milliseconds=100)
# Claimed per transaction: short enough not to hold SQLite's write lock for long, and
# a batch is sent well within its lease.
BATCH = 200
SWEEP_JOB = "reminders:sweep"
# Every job runs however late it fires (None = no misfire grace): a late reminder is
# the ledger's to judge (sent late or missed), never APScheduler's to drop silently.
JOB_OPTIONS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


def tick_of(moment: datetime) -> datetime:
    """Round a due time up to the end of its tick."""
    step = TICK.total_seconds()
    return datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, UTC)


def job_id(tick: datetime) -> str:
    """Name the job of one tick."""
    return f"reminders:tick:{tick.timestamp():.1f}"


class ReminderAlarm:
    """Keep the scheduler's jobs in step with the ledger for the guilds this process owns."""

    def __init__(self, bot: GugBot, deliverer: Deliverer, sweep_interval: timedelta) -> None:
        self.bot = bot
        self.scheduler: AsyncIOScheduler = bot.scheduler
        self.sweep_interval = sweep_interval
        self.deliverer = deliverer
        self.ticks: dict[datetime, set[int]] = {}
        self.tick_by_reminder: dict[int, datetime] = {}
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
        self.ticks.clear()
        self.tick_by_reminder.clear()
        self.by_meeting.clear()

    def _wall_time(self, moment: datetime) -> datetime:
        # The scheduler runs on the wall clock; the bot's clock may be shifted (tests).
        return moment - (self.bot.clock.now() - datetime.now(UTC))

    def _disarm(self, reminder_id: int) -> None:
        tick = self.tick_by_reminder.pop(reminder_id, None)
        if tick is None:
            return
        waiting = self.ticks.get(tick)
        if waiting is not None:
            waiting.discard(reminder_id)
            if not waiting:
                del self.ticks[tick]
                job = self.scheduler.get_job(job_id(tick))
                if job is not None:
                    job.remove()

    def _arm_at(self, reminder_id: int, moment: datetime) -> None:
        self._disarm(reminder_id)
        tick = tick_of(moment)
        self.tick_by_reminder[reminder_id] = tick
        waiting = self.ticks.setdefault(tick, set())
        waiting.add(reminder_id)
        if len(waiting) == 1:
            self.scheduler.add_job(
                self.fire,
                DateTrigger(run_date=self._wall_time(tick)),
                args=[tick],
                id=job_id(tick),
                replace_existing=True,
                **JOB_OPTIONS,
            )

    def _arm(self, reminder: PendingReminder, *, replace: bool) -> None:
        self.by_meeting.setdefault(reminder.meeting_id, set()).add(reminder.id)
        if not replace and reminder.id in self.tick_by_reminder:
            return
        self._arm_at(reminder.id, reminder.due_at)

    async def arm_all(self) -> int:
        """Arm every owned reminder due within the horizon; return how many."""
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
            self._disarm(stale)
        for item in pending:
            if item.due_at <= horizon and self.bot.owns_guild(item.guild_id):
                self._arm(item, replace=True)

    async def fire(self, tick: datetime) -> None:
        """Deliver the reminders of one tick (the job's body)."""
        reminder_ids = sorted(self.ticks.pop(tick, set()))
        for reminder_id in reminder_ids:
            if self.tick_by_reminder.get(reminder_id) == tick:
                del self.tick_by_reminder[reminder_id]
        await self._deliver(reminder_ids)
        self._forget_fired(reminder_ids)

    def _forget_fired(self, reminder_ids: Sequence[int]) -> None:
        """Keep ``by_meeting`` to armed reminders: fired ones would pile up for ever."""
        done = {rid for rid in reminder_ids if rid not in self.tick_by_reminder}
        if not done:
            return
        for meeting_id, armed in list(self.by_meeting.items()):
            armed -= done
            if not armed:
                del self.by_meeting[meeting_id]

    async def _deliver(self, reminder_ids: Sequence[int]) -> None:
        """Deliver in batches; re-arm those that must be retried."""
        for start in range(0, len(reminder_ids), BATCH):
            batch = reminder_ids[start : start + BATCH]
            try:
                retries = await self.deliverer.deliver_many(batch)
            except Exception:
                # The leases will expire and the sweep retry them; a job must not die loudly.
                log.exception("reminders %s..%s: delivery failed", batch[0], batch[-1])
                continue
            for reminder_id, retry_at in retries.items():
                self._arm_at(reminder_id, retry_at)

    async def sweep(self) -> None:
        """Deliver whatever is due and was not delivered; arm reminders coming near."""
        try:
            due = await list_due_reminders(self.bot.db, self.bot.clock.now())
            owned = [item.id for item in due if self.bot.owns_guild(item.guild_id)]
            if owned:
                log.info("sweep: %d reminder(s) due and not delivered", len(owned))
            await self._deliver(owned)
            await self.arm_all()
        except Exception:
            log.exception("reminder sweep failed")
