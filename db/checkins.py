"""Check-ins with quiet groups: planned and claimed in the database like reminders.

A group is quiet when it is active, had no meeting in the last ``dormant_after_days``
and has none scheduled. It gets at most one check-in per ``interval_days``; a check-in
not yet sent is dropped when a meeting gets scheduled meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update

from core.errors import InvalidInput, NotAllowed, NotFound
from core.i18n import _
from db.engine import Database
from db.groups import Actor, require_group_organizer
from db.models import (
    CheckinAnswer,
    CheckinStatus,
    Group,
    GroupCheckin,
    GroupStatus,
    Meeting,
    MeetingStatus,
    Membership,
)

# Answers the coordinators are told about.
NEEDS_COORDINATOR = (CheckinAnswer.NEED_HELP, CheckinAnswer.PLEASE_ARCHIVE)


@dataclass(frozen=True)
class ClaimedCheckin:
    """A check-in claimed for sending, with what the message needs."""

    id: int
    token: str
    group_id: int
    guild_id: int
    group_name: str
    channel_id: int | None
    organizer_ids: tuple[int, ...]
    due_at: datetime


@dataclass(frozen=True)
class CheckinAnswered:
    """An organizer's recorded answer, and whether coordinators must hear of it."""

    checkin_id: int
    group_id: int
    guild_id: int
    group_name: str
    answer: CheckinAnswer
    answered_by: int
    tell_coordinators: bool


@dataclass(frozen=True)
class CheckinSummary:
    """A group's latest check-in, as /coord stats shows it."""

    group_id: int
    group_name: str
    asked_at: datetime
    answer: CheckinAnswer | None
    answered_at: datetime | None


def _quiet(now: datetime, dormant_after: timedelta) -> ColumnElement[bool]:
    """Active, created long enough ago, no recent meeting and none coming."""
    recent = exists().where(
        Meeting.group_id == Group.id,
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at > now - dormant_after,
    )
    return and_(
        Group.status == GroupStatus.ACTIVE,
        func.coalesce(Group.decided_at, Group.created_at) <= now - dormant_after,
        ~recent,
    )


def _asked_lately(now: datetime, interval: timedelta) -> ColumnElement[bool]:
    return exists().where(
        GroupCheckin.group_id == Group.id,
        GroupCheckin.created_at > now - interval,
    )


async def plan_checkins(
    db: Database,
    *,
    now: datetime,
    dormant_after_days: int,
    interval_days: int,
    guild_ids: Sequence[int] | None = None,
) -> list[int]:
    """Plan a check-in, due now, for every quiet group not asked in ``interval_days``."""
    dormant_after = timedelta(days=dormant_after_days)
    interval = timedelta(days=interval_days)
    candidates = select(Group.id).where(_quiet(now, dormant_after), ~_asked_lately(now, interval))
    if guild_ids is not None:
        candidates = candidates.where(Group.guild_id.in_(list(guild_ids)))
    async with db.transaction() as session:
        group_ids = list((await session.scalars(candidates)).all())
        if not group_ids:
            return []
        # Lock the groups, then ask again: a second planner (another process) waits here
        # on PostgreSQL and then sees the first one's check-ins, so none is planned twice.
        await session.execute(select(Group.id).where(Group.id.in_(group_ids)).with_for_update())
        groups = (
            await session.execute(
                candidates.add_columns(Group.guild_id).where(Group.id.in_(group_ids))
            )
        ).all()
        rows = [
            GroupCheckin(
                group_id=group_id,
                guild_id=guild_id,
                due_at=now,
                status=CheckinStatus.PENDING,
                attempts=0,
                created_at=now,
            )
            for group_id, guild_id in groups
        ]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        GroupCheckin.status == CheckinStatus.PENDING,
        and_(GroupCheckin.status == CheckinStatus.CLAIMED, GroupCheckin.lease_until <= now),
    )


async def claim_due_checkins(
    db: Database, *, token: str, now: datetime, lease: timedelta, limit: int = 50
) -> list[ClaimedCheckin]:
    """Claim due check-ins for ``lease``; drop those whose group is busy or gone again."""
    async with db.transaction() as session:
        # SKIP LOCKED: a second claimer passes over rows the first is taking.
        rows = (
            await session.scalars(
                select(GroupCheckin)
                .where(GroupCheckin.due_at <= now, _claimable(now))
                .order_by(GroupCheckin.due_at, GroupCheckin.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not rows:
            return []
        groups = {
            group.id: group
            for group in await session.scalars(
                select(Group).where(Group.id.in_({row.group_id for row in rows}))
            )
        }
        busy = set(
            (
                await session.scalars(
                    select(Meeting.group_id).where(
                        Meeting.group_id.in_(list(groups)),
                        Meeting.status == MeetingStatus.SCHEDULED,
                        Meeting.starts_at > now,
                    )
                )
            ).all()
        )
        claimed: list[ClaimedCheckin] = []
        for row in rows:
            group = groups.get(row.group_id)
            if group is None or group.status != GroupStatus.ACTIVE or group.id in busy:
                row.status = CheckinStatus.CANCELLED
                continue
            row.status = CheckinStatus.CLAIMED
            row.claimed_by = token
            row.lease_until = now + lease
            row.attempts += 1
            organizers = await session.scalars(
                select(Membership.user_id)
                .where(Membership.group_id == group.id, Membership.is_organizer.is_(True))
                .order_by(Membership.joined_at, Membership.user_id)
            )
            claimed.append(
                ClaimedCheckin(
                    id=row.id,
                    token=token,
                    group_id=group.id,
                    guild_id=group.guild_id,
                    group_name=group.name,
                    channel_id=group.channel_id,
                    organizer_ids=tuple(int(user) for user in organizers),
                    due_at=row.due_at,
                )
            )
    return claimed


async def mark_checkin_sent(db: Database, claim: ClaimedCheckin, *, now: datetime) -> bool:
    """Record that a claimed check-in was sent; False if the lease was lost meanwhile."""
    async with db.transaction() as session:
        result = await session.execute(
            update(GroupCheckin)
            .where(
                GroupCheckin.id == claim.id,
                GroupCheckin.status == CheckinStatus.CLAIMED,
                GroupCheckin.claimed_by == claim.token,
            )
            .values(status=CheckinStatus.SENT, sent_at=now, lease_until=None)
            .execution_options(synchronize_session=False)
        )
    return bool(getattr(result, "rowcount", 0))


async def record_checkin_answer(
    db: Database, *, checkin_id: int, answer: CheckinAnswer, by: Actor, now: datetime
) -> CheckinAnswered:
    """Record an organizer's answer to a sent check-in; a later press changes it."""
    async with db.transaction() as session:
        row = await session.scalar(
            select(GroupCheckin).where(GroupCheckin.id == checkin_id).with_for_update()
        )
        if row is None:
            raise NotFound(_("That check-in no longer exists."))
        if row.status not in (CheckinStatus.SENT, CheckinStatus.ANSWERED, CheckinStatus.CLAIMED):
            raise InvalidInput(_("That check-in was withdrawn; nothing to answer."))
        group = await session.get(Group, row.group_id)
        assert group is not None  # Check-ins are deleted with their group (cascade).
        try:
            await require_group_organizer(session, group, by)
        except NotAllowed:
            raise NotAllowed(_("Only this group's organizers can answer its check-in.")) from None
        row.status = CheckinStatus.ANSWERED
        row.answer = answer
        row.answered_by = by.user_id
        row.answered_at = now
    return CheckinAnswered(
        checkin_id=row.id,
        group_id=group.id,
        guild_id=group.guild_id,
        group_name=group.name,
        answer=answer,
        answered_by=by.user_id,
        tell_coordinators=answer in NEEDS_COORDINATOR,
    )


async def latest_checkins(db: Database, guild_id: int) -> list[CheckinSummary]:
    """Return each group's latest sent or answered check-in, for /coord stats."""
    latest = (
        select(func.max(GroupCheckin.id).label("id"))
        .where(
            GroupCheckin.guild_id == guild_id,
            GroupCheckin.status.in_([CheckinStatus.SENT, CheckinStatus.ANSWERED]),
        )
        .group_by(GroupCheckin.group_id)
        .subquery()
    )
    async with db.read() as session:
        rows = await session.execute(
            select(GroupCheckin, Group.name)
            .join(latest, latest.c.id == GroupCheckin.id)
            .join(Group, Group.id == GroupCheckin.group_id)
            .order_by(Group.name)
        )
        return [
            CheckinSummary(
                group_id=row.group_id,
                group_name=name,
                asked_at=row.sent_at or row.due_at,
                answer=CheckinAnswer(row.answer) if row.answer else None,
                answered_at=row.answered_at,
            )
            for row, name in rows.all()
        ]


async def checkins_for_coordinators(db: Database, guild_id: int) -> list[CheckinSummary]:
    """Return the active groups whose latest check-in asked for help or for an archive."""
    summaries = [
        summary
        for summary in await latest_checkins(db, guild_id)
        if summary.answer in NEEDS_COORDINATOR
    ]
    if not summaries:
        return []
    async with db.read() as session:
        active = set(
            (
                await session.scalars(
                    select(Group.id).where(
                        Group.id.in_([summary.group_id for summary in summaries]),
                        Group.status == GroupStatus.ACTIVE,
                    )
                )
            ).all()
        )
    return [summary for summary in summaries if summary.group_id in active]
