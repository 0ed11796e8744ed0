"""The coordinators' audit log: who did what to which group, when and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import Database
from db.models import AuditEntry


class AuditAction(StrEnum):
    """The coordinator actions that are recorded."""

    APPROVE = "approve"
    REJECT = "reject"
    ARCHIVE = "archive"
    RESTORE = "restore"
    ANNOUNCE = "announce"
    EDIT = "edit"
    ORGANIZER_ADD = "organizer_add"
    ORGANIZER_REMOVE = "organizer_remove"


def record_action(
    session: AsyncSession,
    *,
    guild_id: int,
    actor_id: int,
    action: AuditAction,
    when: datetime,
    group_id: int | None = None,
    reason: str | None = None,
) -> None:
    """Add an audit entry to the caller's transaction, so it commits with the act itself."""
    session.add(
        AuditEntry(
            guild_id=guild_id,
            actor_id=actor_id,
            action=str(action),
            group_id=group_id,
            reason=reason,
            created_at=when,
        )
    )


async def record_announcement(
    db: Database, *, guild_id: int, actor_id: int, when: datetime, summary: str
) -> None:
    """Record a network-wide announcement and how it went."""
    async with db.transaction() as session:
        record_action(
            session,
            guild_id=guild_id,
            actor_id=actor_id,
            action=AuditAction.ANNOUNCE,
            when=when,
            reason=summary,
        )


async def audit_entries(db: Database, guild_id: int, limit: int = 50) -> Sequence[AuditEntry]:
    """Return the server's latest audit entries, newest first."""
    async with db.read() as session:
        rows = await session.scalars(
            select(AuditEntry)
            .where(AuditEntry.guild_id == guild_id)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
        return rows.all()
