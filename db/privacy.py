"""What gugbot stores about one person: exported on request, or forgotten.

A Discord user id is global, so both cover every server. Forgetting keeps only what the
coordinators' audit log must keep (that an act happened), with the person's id removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotAllowed
from core.i18n import _
from db.audit import AuditAction
from db.engine import Database
from db.models import (
    AuditEntry,
    Backer,
    Group,
    GroupCheckin,
    GroupStatus,
    Interest,
    Meeting,
    MeetingStatus,
    Membership,
    ReminderDelivery,
    Rsvp,
    Talk,
    UserPreference,
)
from db.rsvps import withdraw_answers

# Put in place of a forgotten person's id where a row must stay (audit, group history).
ANONYMOUS = 0
# Audit actions whose ``reason`` holds the id of the person acted on.
ABOUT_A_PERSON = (AuditAction.ORGANIZER_ADD, AuditAction.ORGANIZER_REMOVE)


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _about(user_id: int) -> Any:
    return or_(
        AuditEntry.actor_id == user_id,
        (AuditEntry.action.in_([str(action) for action in ABOUT_A_PERSON]))
        & (AuditEntry.reason == str(user_id)),
    )


async def export_user_data(db: Database, user_id: int) -> dict[str, Any]:
    """Return everything stored about the person, as a JSON-serialisable dict."""
    async with db.read() as session:
        memberships = (
            await session.execute(
                select(Membership, Group.name, Group.guild_id)
                .join(Group, Group.id == Membership.group_id)
                .where(Membership.user_id == user_id)
                .order_by(Membership.joined_at, Group.id)
            )
        ).all()
        rsvps = (
            await session.execute(
                select(Rsvp, Meeting.title, Meeting.starts_at, Meeting.guild_id)
                .join(Meeting, Meeting.id == Rsvp.meeting_id)
                .where(Rsvp.user_id == user_id)
                .order_by(Meeting.starts_at, Meeting.id)
            )
        ).all()
        talks = (
            await session.execute(
                select(Talk, Meeting.title, Meeting.guild_id)
                .join(Meeting, Meeting.id == Talk.meeting_id)
                .where(Talk.speaker_id == user_id)
                .order_by(Talk.created_at, Talk.id)
            )
        ).all()
        preference = await session.get(UserPreference, user_id)
        proposals = (
            await session.scalars(
                select(Group).where(Group.proposer_id == user_id).order_by(Group.created_at)
            )
        ).all()
        audit = (
            await session.scalars(
                select(AuditEntry).where(_about(user_id)).order_by(AuditEntry.created_at)
            )
        ).all()
        interests = (
            await session.scalars(
                select(Interest).where(Interest.user_id == user_id).order_by(Interest.created_at)
            )
        ).all()
        backings = (
            await session.execute(
                select(Backer, Group.name, Group.guild_id)
                .join(Group, Group.id == Backer.group_id)
                .where(Backer.user_id == user_id)
                .order_by(Backer.backed_at)
            )
        ).all()
    return {
        "user_id": str(user_id),
        "memberships": [
            {
                "guild_id": str(guild_id), "group_id": membership.group_id, "group": name,
                "organizer": membership.is_organizer, "joined_at": _when(membership.joined_at),
            }
            for membership, name, guild_id in memberships
        ],
        "organizer_of": [
            {"guild_id": str(guild_id), "group_id": membership.group_id, "group": name}
            for membership, name, guild_id in memberships
            if membership.is_organizer
        ],
        "rsvps": [
            {
                "guild_id": str(guild_id), "meeting_id": rsvp.meeting_id, "meeting": title,
                "starts_at": _when(starts_at), "answer": rsvp.status,
                "answered_at": _when(rsvp.answered_at),
            }
            for rsvp, title, starts_at, guild_id in rsvps
        ],
        "talks": [
            {
                "guild_id": str(guild_id), "meeting_id": talk.meeting_id, "meeting": title,
                "title": talk.title, "abstract": talk.abstract, "status": talk.status,
                "proposed_at": _when(talk.created_at),
            }
            for talk, title, guild_id in talks
        ],
        "reminder_preferences": None if preference is None else {
            "reminder_dms": preference.reminder_dms,
            "dms_closed": preference.dms_closed,
            "updated_at": _when(preference.updated_at),
        },
        "proposals": [
            {
                "guild_id": str(group.guild_id), "group_id": group.id, "name": group.name,
                "city": group.city, "country": group.country, "status": group.status,
                "description": group.description, "proposed_at": _when(group.created_at),
            }
            for group in proposals
        ],
        "audit_entries": [
            {
                "guild_id": str(entry.guild_id), "action": entry.action,
                "group_id": entry.group_id,
                "as": "actor" if entry.actor_id == user_id else "subject",
                "reason": entry.reason if entry.actor_id == user_id else None,
                "at": _when(entry.created_at),
            }
            for entry in audit
        ],
        "waiting_for_a_group": [
            {
                "guild_id": str(interest.guild_id), "city": interest.city,
                "country_code": interest.country_code, "since": _when(interest.created_at),
                "fulfilled_at": _when(interest.fulfilled_at),
            }
            for interest in interests
        ],
        "backed_proposals": [
            {
                "guild_id": str(guild_id), "group_id": backer.group_id, "group": name,
                "backed_at": _when(backer.backed_at),
            }
            for backer, name, guild_id in backings
        ],
    }


@dataclass(frozen=True)
class AnnouncementReactions:
    """An upcoming meeting's announcement the person had reacted on (to remove their reactions)."""

    meeting_id: int
    channel_id: int | None
    message_id: int | None


@dataclass(frozen=True)
class Forgotten:
    """What forgetting a person did, and what the Discord side should still do."""

    # Per meeting, people promoted from the waitlist into the place freed (to tell them).
    promoted: dict[int, list[int]] = field(default_factory=dict)
    # Upcoming meetings whose announcements carry their reactions (remove them, or a
    # reconcile would bring the answers back).
    reactions: list[AnnouncementReactions] = field(default_factory=list)
    # Rows deleted, by table.
    deleted: dict[str, int] = field(default_factory=dict)


async def _refuse_if_last_organizer(session: AsyncSession, user_id: int) -> None:
    organized = (
        await session.execute(
            select(Group.id, Group.name)
            .join(Membership, Membership.group_id == Group.id)
            .where(
                Membership.user_id == user_id,
                Membership.is_organizer.is_(True),
                Group.status == GroupStatus.ACTIVE,
            )
            .order_by(Group.name)
            .with_for_update(of=Group)
        )
    ).all()
    for group_id, name in organized:
        organizers = await session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.group_id == group_id, Membership.is_organizer.is_(True))
        )
        if (organizers or 0) <= 1:
            raise NotAllowed(
                _(
                    "You are the last organizer of “{name}”: hand over first "
                    "(/group organizer-add), then ask again."
                ),
                name=name,
            )


async def forget_user(db: Database, user_id: int, now: datetime) -> Forgotten:
    """Delete everything stored about a person, in one transaction.

    RSVPs (past and future; waitlists move), memberships, preferences, pending proposals,
    talks and the record of DMs sent to them go; audit entries and the history of
    groups and meetings stay with their id replaced by ``ANONYMOUS``. The last organizer
    of an active group is refused: the group must be handed over first.
    """
    promoted: dict[int, list[int]] = {}
    reactions: list[AnnouncementReactions] = []
    deleted: dict[str, int] = {}
    async with db.transaction() as session:
        await _refuse_if_last_organizer(session, user_id)
        answers = await session.scalar(
            select(func.count()).select_from(Rsvp).where(Rsvp.user_id == user_id)
        )
        upcoming = (
            await session.execute(
                select(Meeting.id, Meeting.announcement_channel_id, Meeting.announcement_message_id)
                .join(Rsvp, Rsvp.meeting_id == Meeting.id)
                .where(
                    Rsvp.user_id == user_id,
                    Meeting.status == MeetingStatus.SCHEDULED,
                    Meeting.starts_at > now,
                )
                .order_by(Meeting.id)
            )
        ).all()
        for meeting_id, channel_id, message_id in upcoming:
            outcome = await withdraw_answers(session, meeting_id, now=now, user_ids={user_id})
            if outcome.promoted:
                promoted[meeting_id] = outcome.promoted
            if message_id is not None:
                reactions.append(AnnouncementReactions(meeting_id, channel_id, message_id))
        # What is left: answers to past or cancelled meetings, history without a waitlist.
        statements = {
            "rsvps": delete(Rsvp).where(Rsvp.user_id == user_id),
            "memberships": delete(Membership).where(Membership.user_id == user_id),
            "user_preferences": delete(UserPreference).where(UserPreference.user_id == user_id),
            "talks": delete(Talk).where(Talk.speaker_id == user_id),
            "reminder_deliveries": delete(ReminderDelivery).where(
                ReminderDelivery.user_id == user_id
            ),
            "interests": delete(Interest).where(Interest.user_id == user_id),
            "backers": delete(Backer).where(Backer.user_id == user_id),
            "groups": delete(Group).where(
                Group.proposer_id == user_id, Group.status == GroupStatus.PENDING
            ),
        }
        for table, statement in statements.items():
            result = await session.execute(statement)
            deleted[table] = int(result.rowcount or 0)  # type: ignore[attr-defined]  # DELETE gives a CursorResult
        deleted["rsvps"] = int(answers or 0)
        deleted = {table: count for table, count in deleted.items() if count}
        await _anonymise(session, user_id)
    return Forgotten(promoted, reactions, deleted)


async def _anonymise(session: AsyncSession, user_id: int) -> None:
    """Remove the person's id from the rows that must stay."""
    await session.execute(
        update(AuditEntry).where(AuditEntry.actor_id == user_id).values(actor_id=ANONYMOUS)
    )
    await session.execute(
        update(AuditEntry)
        .where(
            AuditEntry.action.in_([str(action) for action in ABOUT_A_PERSON]),
            AuditEntry.reason == str(user_id),
        )
        .values(reason=None)
    )
    await session.execute(
        update(Group).where(Group.proposer_id == user_id).values(proposer_id=ANONYMOUS)
    )
    await session.execute(
        update(Meeting).where(Meeting.created_by == user_id).values(created_by=ANONYMOUS)
    )
    await session.execute(
        update(Talk).where(Talk.decided_by == user_id).values(decided_by=ANONYMOUS)
    )
    await session.execute(
        update(GroupCheckin)
        .where(GroupCheckin.answered_by == user_id)
        .values(answered_by=ANONYMOUS)
    )
