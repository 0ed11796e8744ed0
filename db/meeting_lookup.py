"""Find one meeting from what a user typed or picked in an autocomplete list."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select

from core.errors import NotFound
from core.i18n import _
from core.ids import row_id
from core.text import fit, fold
from db.engine import Database
from db.models import Group, Meeting, MeetingStatus, Membership

AUTOCOMPLETE_LIMIT = 25  # Discord shows at most 25 choices.
TYPED_ECHO = 80  # How much of what was typed a refusal repeats.


def not_started_query(guild_id: int, now: datetime) -> Select[Meeting, Group]:
    """Select the server's scheduled meetings that have not started, with their groups."""
    return (
        select(Meeting, Group)
        .join(Group, Group.id == Meeting.group_id)
        .where(
            Meeting.guild_id == guild_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now,
        )
    )


def _organized_by(
    query: Select[Meeting, Group], organizer_id: int
) -> Select[Meeting, Group]:
    return query.join(Membership, Membership.group_id == Group.id).where(
        Membership.user_id == organizer_id, Membership.is_organizer.is_(True)
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def meeting_choices(
    db: Database, guild_id: int, typed: str, *, now: datetime, organizer_id: int | None = None
) -> list[tuple[Meeting, Group]]:
    """Return up to 25 upcoming meetings whose title or group name contains what was typed."""
    query = not_started_query(guild_id, now)
    if organizer_id is not None:
        query = _organized_by(query, organizer_id)
    text = typed.strip()
    if text:
        pattern = f"%{_escape(text)}%"
        query = query.where(
            Meeting.title.ilike(pattern, escape="\\")
            | Group.name_key.contains(fold(text), autoescape=True)
        )
    query = query.order_by(Meeting.starts_at, Meeting.id).limit(AUTOCOMPLETE_LIMIT)
    async with db.read() as session:
        return [(m, g) for m, g in (await session.execute(query)).all()]


async def resolve_meeting(
    db: Database, guild_id: int, value: str, *, now: datetime
) -> Meeting:
    """Return the upcoming meeting whose id (from autocomplete) or unambiguous title is given."""
    text = value.strip()
    async with db.read() as session:
        if (typed_id := row_id(text)) is not None:
            row = (
                await session.execute(
                    not_started_query(guild_id, now).where(Meeting.id == typed_id)
                )
            ).first()
            if row is not None:
                return row[0]
        key = fold(text)
        if not key:
            raise _no_such_meeting(value)
        rows = (
            await session.execute(
                not_started_query(guild_id, now).order_by(Meeting.starts_at).limit(200)
            )
        ).all()
    exact = [m for m, _group in rows if fold(m.title) == key]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [m for m, _group in rows if key in fold(m.title)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise NotFound(
            _("“{typed}” matches several meetings: {names}. Pick one from the list."),
            typed=fit(value, TYPED_ECHO), names=", ".join(m.title for m in partial[:5]),
        )
    raise _no_such_meeting(value)


def _no_such_meeting(value: str) -> NotFound:
    return NotFound(
        _("No upcoming meeting called “{typed}”. Pick one from the list."),
        typed=fit(value, TYPED_ECHO),
    )
