"""A group's lifecycle: propose, approve, reject, archive and edit, each one transaction.

Who may act is decided here too: an ``Actor`` says who acts and whether the Discord
side found them a coordinator; organizer status is read inside the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotAllowed, NotFound
from core.i18n import P_, _
from core.text import fold
from db.audit import AuditAction, record_action
from db.backers import admit_backers, require_enough_backers
from db.engine import Database
from db.lifecycle import cancel_upcoming_meetings
from db.models import Group, GroupStatus, GuildSettings, Membership

# Group.name_key and Group.city_key are String(100).
KEY_LIMIT = 100


@dataclass(frozen=True)
class Actor:
    """Who is acting, and whether they hold the coordinator role (or Manage Server)."""

    user_id: int
    is_coordinator: bool = False


@dataclass(frozen=True)
class GroupPlace:
    """Where a group meets, as resolved against the gazetteer where possible."""

    city: str
    country: str
    country_code: str = ""
    region: str = ""
    latitude: float | None = None
    longitude: float | None = None
    timezone: str = "UTC"


def name_key(name: str) -> str:
    """Fold a group name for the per-server uniqueness rule."""
    return fold(name)[:KEY_LIMIT]


def _duplicate_name(name: str) -> InvalidInput:
    return InvalidInput(
        _("There is already a group called “{name}” here. Choose another name."), name=name
    )


async def locked_group(session: AsyncSession, guild_id: int, group_id: int) -> Group:
    """Load one group of the server for change, locking its row until the transaction ends."""
    # FOR UPDATE makes two coordinators' concurrent decisions queue on PostgreSQL;
    # SQLite's BEGIN IMMEDIATE already serialises writers.
    group = await session.scalar(
        select(Group).where(Group.id == group_id, Group.guild_id == guild_id).with_for_update()
    )
    if group is None:
        raise NotFound(_("That group does not exist in this server."))
    return group


async def _is_organizer(session: AsyncSession, group_id: int, user_id: int) -> bool:
    flag = await session.scalar(
        select(Membership.is_organizer).where(
            Membership.group_id == group_id, Membership.user_id == user_id
        )
    )
    return bool(flag)


def _require_coordinator(actor: Actor) -> None:
    if not actor.is_coordinator:
        raise NotAllowed(
            _("Only coordinators can do this. Ask a server admin for the coordinator role.")
        )


async def require_group_organizer(session: AsyncSession, group: Group, actor: Actor) -> None:
    """Refuse unless the actor organizes the group or coordinates the server."""
    if actor.is_coordinator or await _is_organizer(session, group.id, actor.user_id):
        return
    raise NotAllowed(_("Only this group's organizers (or a coordinator) can do this."))


def _place(group: Group, place: GroupPlace) -> None:
    group.city = place.city
    group.city_key = fold(place.city)[:KEY_LIMIT]
    group.country = place.country
    group.country_code = place.country_code
    group.region = place.region
    group.latitude = place.latitude
    group.longitude = place.longitude
    group.timezone = place.timezone


async def propose_group(
    db: Database,
    *,
    guild_id: int,
    proposer_id: int,
    name: str,
    description: str,
    place: GroupPlace,
    max_pending: int,
    now: datetime,
) -> Group:
    """Record a proposal for review, refusing duplicates and more than ``max_pending`` per user."""
    key = name_key(name)
    try:
        async with db.transaction() as session:
            if db.dialect == "postgresql":
                # Two proposals by one person at once must not both pass the limit check.
                await session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": proposer_id}
                )
            pending = await session.scalar(
                select(func.count())
                .select_from(Group)
                .where(
                    Group.guild_id == guild_id,
                    Group.proposer_id == proposer_id,
                    Group.status == GroupStatus.PENDING,
                )
            )
            if (pending or 0) >= max_pending:
                raise NotAllowed(P_(
                    "You already have {n} proposal waiting for review; "
                    "wait for a coordinator to decide on it.",
                    "You already have {n} proposals waiting for review; "
                    "wait for a coordinator to decide on them.",
                    pending or 0,
                ))
            taken = await session.scalar(
                select(Group.id).where(Group.guild_id == guild_id, Group.name_key == key)
            )
            if taken is not None:
                raise _duplicate_name(name)
            group = Group(
                guild_id=guild_id,
                name=name,
                name_key=key,
                description=description,
                status=GroupStatus.PENDING,
                proposer_id=proposer_id,
                created_at=now,
                updated_at=now,
            )
            _place(group, place)
            session.add(group)
            await session.flush()
    except IntegrityError:
        # Someone else took the name between our check and our insert.
        raise _duplicate_name(name) from None
    return group


async def set_proposal_message(
    db: Database, group_id: int, channel_id: int, message_id: int
) -> None:
    """Remember where the proposal's review message was posted."""
    async with db.transaction() as session:
        group = await session.get(Group, group_id)
        if group is not None:
            group.proposal_channel_id = channel_id
            group.proposal_message_id = message_id


async def set_group_role_and_channel(
    db: Database, group_id: int, *, role_id: int | None, channel_id: int | None
) -> None:
    """Remember the role and channel the bot created for a group."""
    async with db.transaction() as session:
        group = await session.get(Group, group_id)
        if group is not None:
            group.role_id = role_id or group.role_id
            group.channel_id = channel_id or group.channel_id


_NOT_PENDING = {
    GroupStatus.ACTIVE: _("“{name}” was already approved."),
    GroupStatus.REJECTED: _(
        "“{name}” was rejected; its proposer can propose it again with /group propose."
    ),
    GroupStatus.ARCHIVED: _("“{name}” is archived and cannot be decided on again."),
}


async def make_organizer(
    session: AsyncSession, group_id: int, user_id: int, now: datetime
) -> bool:
    """Make ``user_id`` an organizer (and so a member) of the group; say if anything changed."""
    membership = await session.get(Membership, (group_id, user_id))
    if membership is None:
        session.add(
            Membership(group_id=group_id, user_id=user_id, is_organizer=True, joined_at=now)
        )
        return True
    if membership.is_organizer:
        return False
    membership.is_organizer = True
    return True


def _require_pending(group: Group) -> None:
    if group.status != GroupStatus.PENDING:
        raise InvalidInput(_NOT_PENDING[GroupStatus(group.status)], name=group.name)


async def approve_group(
    db: Database, *, guild_id: int, group_id: int, actor: Actor, now: datetime
) -> Group:
    """Activate a pending group: its proposer becomes organizer, its backers members."""
    _require_coordinator(actor)
    async with db.transaction() as session:
        group = await locked_group(session, guild_id, group_id)
        _require_pending(group)
        await require_enough_backers(session, group, await session.get(GuildSettings, guild_id))
        group.status = GroupStatus.ACTIVE
        group.decided_at = now
        group.updated_at = now
        await make_organizer(session, group.id, group.proposer_id, now)
        await admit_backers(session, group, now)
        record_action(
            session,
            guild_id=guild_id,
            actor_id=actor.user_id,
            action=AuditAction.APPROVE,
            when=now,
            group_id=group.id,
        )
    return group


async def reject_group(
    db: Database, *, guild_id: int, group_id: int, actor: Actor, reason: str, now: datetime
) -> Group:
    """Reject a pending proposal with a reason, freeing its name for a later proposal."""
    _require_coordinator(actor)
    if not reason.strip():
        raise InvalidInput(_("Say why the proposal is rejected; the proposer will read it."))
    async with db.transaction() as session:
        group = await locked_group(session, guild_id, group_id)
        _require_pending(group)
        group.status = GroupStatus.REJECTED
        group.decision_reason = reason
        group.decided_at = now
        group.updated_at = now
        # The unique name belongs to live groups; a rejected one keeps its name, not the key.
        group.name_key = f"rejected:{group.id}:{group.name_key}"[:KEY_LIMIT]
        record_action(
            session,
            guild_id=guild_id,
            actor_id=actor.user_id,
            action=AuditAction.REJECT,
            when=now,
            group_id=group.id,
            reason=reason,
        )
    return group


async def archive_group(
    db: Database,
    *,
    guild_id: int,
    group_id: int,
    actor: Actor,
    reason: str | None,
    now: datetime,
) -> Group:
    """Hide an active group from discovery, keeping its members and past meetings as history.

    Its upcoming meetings are cancelled (stamped with the archive's time, so
    ``db.lifecycle.meetings_cancelled_by_archive`` lists them with whom to tell), their
    reminders dropped and their RSVPs closed.
    """
    _require_coordinator(actor)
    async with db.transaction() as session:
        group = await locked_group(session, guild_id, group_id)
        if group.status == GroupStatus.ARCHIVED:
            raise InvalidInput(_("“{name}” is already archived."), name=group.name)
        if group.status != GroupStatus.ACTIVE:
            raise InvalidInput(
                _("“{name}” is not an active group; reject a proposal with /coord reject."),
                name=group.name,
            )
        group.status = GroupStatus.ARCHIVED
        group.decision_reason = reason
        group.decided_at = now
        group.updated_at = now
        await cancel_upcoming_meetings(session, group.id, reason, now)
        record_action(
            session,
            guild_id=guild_id,
            actor_id=actor.user_id,
            action=AuditAction.ARCHIVE,
            when=now,
            group_id=group.id,
            reason=reason,
        )
    return group


async def restore_group(
    db: Database, *, guild_id: int, group_id: int, actor: Actor, now: datetime
) -> Group:
    """Make an archived group active again; its cancelled meetings stay cancelled."""
    _require_coordinator(actor)
    async with db.transaction() as session:
        group = await locked_group(session, guild_id, group_id)
        if group.status != GroupStatus.ARCHIVED:
            raise InvalidInput(_("“{name}” is not archived."), name=group.name)
        group.status = GroupStatus.ACTIVE
        group.decision_reason = None
        group.decided_at = now
        group.updated_at = now
        record_action(
            session,
            guild_id=guild_id,
            actor_id=actor.user_id,
            action=AuditAction.RESTORE,
            when=now,
            group_id=group.id,
        )
    return group


async def edit_group(
    db: Database,
    *,
    guild_id: int,
    group_id: int,
    actor: Actor,
    now: datetime,
    name: str | None = None,
    description: str | None = None,
    place: GroupPlace | None = None,
    timezone: str | None = None,
    language: str | None = None,
) -> Group:
    """Change an active group's details; organizers and coordinators only."""
    try:
        async with db.transaction() as session:
            group = await locked_group(session, guild_id, group_id)
            if group.status != GroupStatus.ACTIVE:
                raise InvalidInput(_("Only active groups can be edited."))
            await require_group_organizer(session, group, actor)
            if name is not None and name_key(name) != group.name_key:
                taken = await session.scalar(
                    select(Group.id).where(
                        Group.guild_id == guild_id, Group.name_key == name_key(name)
                    )
                )
                if taken is not None:
                    raise _duplicate_name(name)
                group.name_key = name_key(name)
            if name is not None:
                group.name = name
            if description is not None:
                group.description = description
            if place is not None:
                _place(group, place)
            if timezone is not None:
                group.timezone = timezone
            if language is not None:
                group.language = language
            group.updated_at = now
            record_action(
                session,
                guild_id=guild_id,
                actor_id=actor.user_id,
                action=AuditAction.EDIT,
                when=now,
                group_id=group.id,
            )
    except IntegrityError:
        raise _duplicate_name(name or "") from None
    return group


async def pending_groups(db: Database, guild_id: int) -> Sequence[Group]:
    """Return the server's proposals waiting for review, oldest first."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Group)
            .where(Group.guild_id == guild_id, Group.status == GroupStatus.PENDING)
            .order_by(Group.created_at, Group.id)
        )
        return rows.all()
