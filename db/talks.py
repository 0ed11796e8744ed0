"""Talks: members propose them for a meeting; organizers accept or decline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core.errors import InvalidInput, NotFound
from core.i18n import _
from core.ids import row_id
from core.text import fold
from db.engine import Database
from db.models import Group, Meeting, MeetingStatus, Membership, Talk, TalkStatus

AUTOCOMPLETE_LIMIT = 25  # Discord shows at most 25 choices.
PENDING_TALKS_LIMIT = 5  # Per member and server, so nobody floods the organizers' review.


MEETING_OVER = _("That meeting was cancelled or has already started.")


@dataclass(frozen=True)
class TalkDecision:
    """A decided talk with its meeting, for telling the speaker and updating the agenda."""

    talk: Talk
    meeting: Meeting


async def propose_talk(
    db: Database, meeting_id: int, speaker_id: int, title: str, abstract: str, *, now: datetime
) -> Talk:
    """Propose a talk for an upcoming meeting."""
    async with db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound(_("That meeting no longer exists."))
        if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at <= now:
            raise InvalidInput(MEETING_OVER)
        same = await session.scalar(
            select(Talk).where(
                Talk.meeting_id == meeting_id, Talk.speaker_id == speaker_id,
                Talk.title == title, Talk.status == TalkStatus.PROPOSED,
            )
        )
        if same is not None:
            # A retried interaction (Discord resends after a slow answer) is the same proposal.
            return same
        pending = await session.scalar(
            select(func.count(Talk.id))
            .join(Meeting, Meeting.id == Talk.meeting_id)
            .where(
                Talk.speaker_id == speaker_id, Talk.status == TalkStatus.PROPOSED,
                Meeting.guild_id == meeting.guild_id, Meeting.starts_at > now,
                Meeting.status == MeetingStatus.SCHEDULED,
            )
        )
        if (pending or 0) >= PENDING_TALKS_LIMIT:
            raise InvalidInput(
                _("You already have {count} talks waiting for an organizer; wait until they "
                  "are decided before proposing another."),
                count=PENDING_TALKS_LIMIT,
            )
        talk = Talk(
            meeting_id=meeting_id,
            speaker_id=speaker_id,
            title=title,
            abstract=abstract,
            status=TalkStatus.PROPOSED,
            created_at=now,
        )
        session.add(talk)
        await session.flush()
    return talk


async def decide_talk(
    db: Database, talk_id: int, *, accept: bool, decided_by: int, now: datetime
) -> TalkDecision:
    """Accept or decline a proposed talk of an upcoming meeting."""
    async with db.transaction() as session:
        talk = await session.scalar(select(Talk).where(Talk.id == talk_id).with_for_update())
        if talk is None:
            raise NotFound(_("That talk no longer exists."))
        meeting = await session.get(Meeting, talk.meeting_id)
        assert meeting is not None  # Talks are deleted with their meeting (cascade).
        if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at <= now:
            raise InvalidInput(MEETING_OVER)
        if talk.status != TalkStatus.PROPOSED:
            raise InvalidInput(_("That talk was already accepted or declined."))
        talk.status = TalkStatus.ACCEPTED if accept else TalkStatus.DECLINED
        talk.decided_by = decided_by
    return TalkDecision(talk, meeting)


async def talk_choices(
    db: Database, guild_id: int, typed: str, *, now: datetime, organizer_id: int | None
) -> list[tuple[int, str]]:
    """Return up to 25 (id, label) proposed talks of upcoming meetings, newest first.

    With ``organizer_id``, only talks for groups that person organizes.
    """
    query = (
        select(Talk.id, Talk.title, Meeting.title)
        .join(Meeting, Meeting.id == Talk.meeting_id)
        .where(
            Meeting.guild_id == guild_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now,
            Talk.status == TalkStatus.PROPOSED,
        )
    )
    if organizer_id is not None:
        query = query.join(Group, Group.id == Meeting.group_id).join(
            Membership, Membership.group_id == Group.id
        ).where(Membership.user_id == organizer_id, Membership.is_organizer.is_(True))
    text = typed.strip()
    if text:
        query = query.where(Talk.title.ilike(f"%{_escape(text)}%", escape="\\"))
    query = query.order_by(Talk.id.desc()).limit(AUTOCOMPLETE_LIMIT)
    async with db.read() as session:
        rows = (await session.execute(query)).all()
    return [(talk_id, f"{title} — {meeting}") for talk_id, title, meeting in rows]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def resolve_talk(db: Database, guild_id: int, value: str) -> Talk | None:
    """Return the talk whose id (from autocomplete) or unambiguous title is ``value``."""
    text = value.strip()
    async with db.read() as session:
        if (typed_id := row_id(text)) is not None:
            talk = await session.scalar(
                select(Talk).join(Meeting, Meeting.id == Talk.meeting_id).where(
                    Talk.id == typed_id, Meeting.guild_id == guild_id
                )
            )
            if talk is not None:
                return talk
        rows = (
            await session.scalars(
                select(Talk)
                .join(Meeting, Meeting.id == Talk.meeting_id)
                .where(Meeting.guild_id == guild_id, Talk.status == TalkStatus.PROPOSED)
                .limit(200)
            )
        ).all()
    matches = [talk for talk in rows if fold(talk.title) == fold(text)]
    return matches[0] if len(matches) == 1 else None
