"""What each person asked of the bot, and what Discord told us about reaching them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import Database
from db.models import UserPreference


async def set_preference(
    session: AsyncSession, user_id: int, now: datetime, **values: bool | str
) -> UserPreference:
    """Set a user's preferences inside the caller's transaction."""
    preference = await session.get(UserPreference, user_id, with_for_update=True)
    if preference is None:
        preference = UserPreference(user_id=user_id, reminder_dms=False, dms_closed=False)
        session.add(preference)
    for name, value in values.items():
        setattr(preference, name, value)
    preference.updated_at = now
    return preference


async def set_reminder_dms(db: Database, user_id: int, enabled: bool, now: datetime) -> None:
    """Turn reminder DMs on or off; turning them on forgets that DMs were closed."""
    async with db.transaction() as session:
        if enabled:
            await set_preference(session, user_id, now, reminder_dms=True, dms_closed=False)
        else:
            await set_preference(session, user_id, now, reminder_dms=False)


async def dms_known_closed(db: Database, user_id: int) -> bool:
    """Tell whether a DM to this user already failed because their DMs are closed."""
    async with db.read() as session:
        preference = await session.get(UserPreference, user_id)
    return bool(preference and preference.dms_closed)


async def remember_dms_closed(db: Database, user_id: int, now: datetime) -> None:
    """Record that Discord refused a DM to this user (50007), so we stop trying."""
    async with db.transaction() as session:
        await set_preference(session, user_id, now, dms_closed=True)


async def remember_locale(db: Database, user_id: int, locale: str, now: datetime) -> None:
    """Keep the Discord locale a person last used, so DMs reach them in their language.

    Writes only when it changed, so the everyday command costs one primary-key read.
    """
    async with db.read() as session:
        known = await session.scalar(
            select(UserPreference.locale).where(UserPreference.user_id == user_id)
        )
    if known == locale:
        return
    try:
        async with db.transaction() as session:
            await set_preference(session, user_id, now, locale=locale)
    except IntegrityError:
        # Their first two commands raced to create the row; the other one wrote it.
        pass


async def last_locale(db: Database, user_id: int) -> str | None:
    """Return the Discord locale this person last used a command in, if any."""
    async with db.read() as session:
        return await session.scalar(
            select(UserPreference.locale).where(UserPreference.user_id == user_id)
        )
