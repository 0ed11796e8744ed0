from __future__ import annotations

from datetime import UTC, datetime

from db.engine import Database
from db.preferences import (
    dms_known_closed,
    last_locale,
    remember_dms_closed,
    remember_locale,
    set_reminder_dms,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


async def test_closed_dms_are_remembered_until_the_user_turns_dms_on(db: Database) -> None:
    assert not await dms_known_closed(db, 7)
    await remember_dms_closed(db, 7, NOW)
    assert await dms_known_closed(db, 7)
    await set_reminder_dms(db, 7, False, NOW)
    assert await dms_known_closed(db, 7)
    await set_reminder_dms(db, 7, True, NOW)
    assert not await dms_known_closed(db, 7)


async def test_the_last_locale_someone_used_is_kept_without_touching_their_dm_choices(
    db: Database,
) -> None:
    assert await last_locale(db, 8) is None
    await set_reminder_dms(db, 8, True, NOW)
    await remember_locale(db, 8, "pt-BR", NOW)
    await remember_locale(db, 8, "pt-BR", NOW)
    assert await last_locale(db, 8) == "pt-BR"
    await remember_locale(db, 8, "es-419", NOW)
    assert await last_locale(db, 8) == "es-419"
    assert not await dms_known_closed(db, 8)
