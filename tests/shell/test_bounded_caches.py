"""Caches a long-running bot keeps stay bounded however many meetings and people it sees."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import direct_messages
from bot.direct_messages import DirectMessages
from cogs.meetings import _announcements
from cogs.meetings._announcements import Announcements
from cogs.reminders._alarm import ReminderAlarm, tick_of


class FakeChannel:
    async def send(self, content: str, nonce: Any = None, view: Any = None) -> str:
        return content


class FakeClient:
    """Answers the two calls DirectMessages makes, counting DM channels opened."""

    def __init__(self) -> None:
        self.opened = 0
        self.http = self

    async def start_private_message(self, user_id: int) -> dict[str, str]:
        self.opened += 1
        return {"id": str(user_id + 1)}

    def get_partial_messageable(self, channel_id: int) -> FakeChannel:
        return FakeChannel()


async def test_dm_channel_cache_keeps_the_most_recent_people_only(monkeypatch) -> None:
    monkeypatch.setattr(direct_messages, "DM_CHANNELS_KEPT", 3)
    client = FakeClient()
    dms = DirectMessages(client, None, None)  # type: ignore[arg-type]
    for user_id in (1, 2, 3, 1, 4):
        await dms.send(user_id, "hi")
    assert client.opened == 4
    assert list(dms._dm_channels) == [3, 1, 4]  # 2 was the least recently used


async def test_announcement_edit_states_of_idle_meetings_are_dropped(monkeypatch) -> None:
    monkeypatch.setattr(_announcements, "STATES_KEPT", 10)
    announcements = Announcements(None, None, timedelta(seconds=0), "")  # type: ignore[arg-type]
    for meeting_id in range(100):
        announcements._state(meeting_id).last_edit = time.monotonic() - 1
    assert len(announcements._states) <= 10
    busy = announcements._state(500)
    busy.dirty = True
    for meeting_id in range(1000, 1100):
        announcements._state(meeting_id).last_edit = time.monotonic() - 1
    assert announcements._states[500] is busy  # a pending edit is never forgotten


class Deliverer:
    async def deliver_many(self, batch: list[int]) -> dict[int, datetime]:
        return {}


async def test_fired_reminders_leave_the_meeting_index() -> None:
    now = datetime.now(UTC)
    bot = SimpleNamespace(scheduler=AsyncIOScheduler(), clock=SimpleNamespace(now=lambda: now))
    alarm = ReminderAlarm(bot, Deliverer(), timedelta(seconds=30))  # type: ignore[arg-type]
    due = now + timedelta(minutes=5)
    for reminder_id in range(50):
        reminder = SimpleNamespace(id=reminder_id, meeting_id=reminder_id // 2, due_at=due)
        alarm._arm(reminder, replace=False)  # type: ignore[arg-type]
    assert len(alarm.by_meeting) == 25
    await alarm.fire(tick_of(due))
    assert alarm.by_meeting == {} and alarm.tick_by_reminder == {}
