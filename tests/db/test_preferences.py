from __future__ import annotations

from datetime import UTC, datetime

from db.engine import Database
from db.preferences import dms_known_closed, remember_dms_closed, set_reminder_dms

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


async def test_closed_dms_are_remembered_until_the_user_turns_dms_on(db: Database) -> None:
    assert not await dms_known_closed(db, 7)
    await remember_dms_closed(db, 7, NOW)
    assert await dms_known_closed(db, 7)
    await set_reminder_dms(db, 7, False, NOW)
    assert await dms_known_closed(db, 7)
    await set_reminder_dms(db, 7, True, NOW)
    assert not await dms_known_closed(db, 7)
