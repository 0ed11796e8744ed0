"""Read what the public web directory shows: only active groups of servers that opted in.

Nothing here returns a member's id or an attendee list: counts, and the display names of
organizers and accepted speakers, are all a public page ever needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from core.slugs import unique_slugs
from db.engine import Database
from db.group_directory import as_utc
from db.meetings import Counts, count_rsvps
from db.models import (
    Group,
    GroupStatus,
    GuildSettings,
    Meeting,
    MeetingStatus,
    MemberName,
    Membership,
    Talk,
    TalkStatus,
)

# A cancelled meeting stays in the feeds this long after it was cancelled, so calendars
# that synced it see STATUS:CANCELLED; past meetings stay as long, as recent history.
FEED_HISTORY = timedelta(days=30)
# How many meetings a group page lists; the calendar feed has them all.
GROUP_PAGE_MEETINGS = 20
# Rows per round trip while a feed streams.
FEED_BATCH = 500


@dataclass(frozen=True)
class PublicGroup:
    """One public group as the directory lists it."""

    id: int
    guild_id: int
    name: str
    description: str
    city: str
    region: str
    country: str
    country_code: str
    latitude: float | None
    longitude: float | None
    timezone: str
    channel_id: int | None
    invite_url: str
    member_count: int
    next_meeting_at: datetime | None


@dataclass(frozen=True)
class AgendaTalk:
    """One accepted talk: its title and the speaker's display name ("" when unknown)."""

    title: str
    speaker: str


@dataclass(frozen=True)
class PublicMeeting:
    """One meeting of a public group, with its agenda."""

    id: int
    group_id: int
    title: str
    kind: str
    starts_at: datetime
    duration_minutes: int
    venue: str
    online_url: str
    capacity: int | None
    description: str
    status: str
    cancel_reason: str | None
    sequence: int
    created_at: datetime
    updated_at: datetime
    agenda: list[AgendaTalk] = field(default_factory=list)

    @property
    def ends_at(self) -> datetime:
        """Return when the meeting ends."""
        return self.starts_at + timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class GroupDetails:
    """A public group's page: the group, its organizers and its upcoming meetings."""

    group: PublicGroup
    organizers: list[str]
    unnamed_organizers: int
    upcoming: list[PublicMeeting]
    past_count: int


@dataclass(frozen=True)
class MeetingDetails:
    """A public meeting's page: the meeting, its group and its answer counts."""

    meeting: PublicMeeting
    group: PublicGroup
    counts: Counts


def _status() -> ColumnElement[str]:
    """Compare a meeting's status without letting a planner pick the (status, starts_at) index.

    With a bare condition SQLite walks that index through every future meeting of the
    network (100,000 rows) to find one group's next ones, or the feed's next batch by id;
    through coalesce() it uses (group_id, starts_at) or the primary key, as meant.
    """
    return func.coalesce(Meeting.status, "")


def _public(query: Select) -> Select:  # type: ignore[type-arg]  # any row shape passes through
    """Keep only active groups of servers whose directory is public."""
    return query.join(GuildSettings, GuildSettings.guild_id == Group.guild_id).where(
        Group.status == GroupStatus.ACTIVE, GuildSettings.directory_public.is_(true())
    )


_GROUP_COLUMNS = (
    Group.id,
    Group.guild_id,
    Group.name,
    Group.description,
    Group.city,
    Group.region,
    Group.country,
    Group.country_code,
    Group.latitude,
    Group.longitude,
    Group.timezone,
    Group.channel_id,
    GuildSettings.invite_url,
)

_MEETING_COLUMNS = (
    Meeting.id,
    Meeting.group_id,
    Meeting.title,
    Meeting.kind,
    Meeting.starts_at,
    Meeting.duration_minutes,
    Meeting.venue,
    Meeting.online_url,
    Meeting.capacity,
    Meeting.description,
    Meeting.status,
    Meeting.cancel_reason,
    Meeting.sequence,
    Meeting.created_at,
    Meeting.updated_at,
)


def _group(row: Sequence[object], member_count: int, next_at: datetime | None) -> PublicGroup:
    # SQLAlchemy types a Row as a tuple of unknown length: unpacking it cannot be checked.
    return PublicGroup(*row, member_count=member_count, next_meeting_at=next_at)  # type: ignore[arg-type, misc]


async def public_groups(db: Database, now: datetime) -> list[PublicGroup]:
    """Return every public group with its member count and next meeting, by id."""
    async with db.read() as session:
        rows = (await session.execute(_public(select(*_GROUP_COLUMNS)).order_by(Group.id))).all()
        members = dict(
            (
                await session.execute(
                    _public(
                        select(Membership.group_id, func.count()).join(
                            Group, Group.id == Membership.group_id
                        )
                    ).group_by(Membership.group_id)
                )
            ).all()
        )
        upcoming = dict(
            (
                await session.execute(
                    _public(
                        select(Meeting.group_id, func.min(Meeting.starts_at)).join(
                            Group, Group.id == Meeting.group_id
                        )
                    )
                    .where(Meeting.starts_at > now, Meeting.status == MeetingStatus.SCHEDULED)
                    .group_by(Meeting.group_id)
                )
            ).all()
        )
    return [
        _group(row, int(members.get(row.id, 0)), as_utc(upcoming.get(row.id))) for row in rows
    ]


async def _public_group(
    session: AsyncSession, group_id: int, now: datetime, *, public_only: bool = True
) -> PublicGroup | None:
    if public_only:
        query = _public(select(*_GROUP_COLUMNS))
    else:
        # Any group, for Discord's own /meeting ics: a server without /setup has no settings.
        columns = (*_GROUP_COLUMNS[:-1], func.coalesce(GuildSettings.invite_url, ""))
        query = select(*columns).outerjoin(GuildSettings, GuildSettings.guild_id == Group.guild_id)
    row = (await session.execute(query.where(Group.id == group_id))).first()
    if row is None:
        return None
    member_count = await session.scalar(
        select(func.count()).select_from(Membership).where(Membership.group_id == group_id)
    )
    next_at = await session.scalar(
        select(func.min(Meeting.starts_at)).where(
            Meeting.group_id == group_id,
            Meeting.starts_at > now,
            _status() == MeetingStatus.SCHEDULED.value,
        )
    )
    return _group(row, int(member_count or 0), as_utc(next_at))


async def _names(session: AsyncSession, guild_id: int, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = await session.execute(
        select(MemberName.user_id, MemberName.display_name).where(
            MemberName.guild_id == guild_id, MemberName.user_id.in_(user_ids)
        )
    )
    return {user_id: name for user_id, name in rows}


async def _agendas(
    session: AsyncSession, guild_ids: dict[int, int]
) -> dict[int, list[AgendaTalk]]:
    """Return accepted talks by meeting, speakers by display name; keyed by meeting id."""
    if not guild_ids:
        return {}
    talks = (
        await session.execute(
            select(Talk.meeting_id, Talk.title, Talk.speaker_id)
            .where(Talk.meeting_id.in_(list(guild_ids)), Talk.status == TalkStatus.ACCEPTED)
            .order_by(Talk.id)
        )
    ).all()
    wanted: dict[int, set[int]] = defaultdict(set)
    for meeting_id, _title, speaker_id in talks:
        wanted[guild_ids[meeting_id]].add(speaker_id)
    names = {
        guild_id: await _names(session, guild_id, speakers) for guild_id, speakers in wanted.items()
    }
    agendas: dict[int, list[AgendaTalk]] = defaultdict(list)
    for meeting_id, title, speaker_id in talks:
        speaker = names[guild_ids[meeting_id]].get(speaker_id, "")
        agendas[meeting_id].append(AgendaTalk(title, speaker))
    return agendas


def _meeting(row: Sequence[object], agenda: list[AgendaTalk]) -> PublicMeeting:
    # SQLAlchemy types a Row as a tuple of unknown length: unpacking it cannot be checked.
    return PublicMeeting(*row, agenda=agenda)  # type: ignore[arg-type, misc]


async def group_details(db: Database, group_id: int, now: datetime) -> GroupDetails | None:
    """Return a public group's page, or None when the group is not public."""
    async with db.read() as session:
        group = await _public_group(session, group_id, now)
        if group is None:
            return None
        organizer_ids = (
            await session.scalars(
                select(Membership.user_id)
                .where(Membership.group_id == group_id, Membership.is_organizer.is_(True))
                .order_by(Membership.joined_at)
            )
        ).all()
        names = await _names(session, group.guild_id, set(organizer_ids))
        rows = (
            await session.execute(
                select(*_MEETING_COLUMNS)
                .where(
                    Meeting.group_id == group_id,
                    Meeting.starts_at > now,
                    _status() == MeetingStatus.SCHEDULED.value,
                )
                .order_by(Meeting.starts_at)
                .limit(GROUP_PAGE_MEETINGS)
            )
        ).all()
        agendas = await _agendas(session, {row.id: group.guild_id for row in rows})
        past = await session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(
                Meeting.group_id == group_id,
                Meeting.starts_at <= now,
                _status() == MeetingStatus.SCHEDULED.value,
            )
        )
    named = [names[user_id] for user_id in organizer_ids if user_id in names]
    return GroupDetails(
        group=group,
        organizers=named,
        unnamed_organizers=len(organizer_ids) - len(named),
        upcoming=[_meeting(row, agendas.get(row.id, [])) for row in rows],
        past_count=int(past or 0),
    )


async def meeting_details(
    db: Database, meeting_id: int, now: datetime, *, public_only: bool = True
) -> MeetingDetails | None:
    """Return a public group's meeting with its answer counts, or None when not public.

    ``public_only=False`` is for Discord, where the server's own members may see any meeting.
    """
    async with db.read() as session:
        row = (
            await session.execute(select(*_MEETING_COLUMNS).where(Meeting.id == meeting_id))
        ).first()
        if row is None:
            return None
        group = await _public_group(session, row.group_id, now, public_only=public_only)
        if group is None:
            return None
        agendas = await _agendas(session, {row.id: group.guild_id})
        counts = await count_rsvps(session, meeting_id)
    return MeetingDetails(_meeting(row, agendas.get(row.id, [])), group, counts)


def _in_feed(now: datetime) -> ColumnElement[bool]:
    since = now - FEED_HISTORY
    return or_(
        and_(_status() == MeetingStatus.SCHEDULED.value, Meeting.starts_at >= since),
        and_(_status() == MeetingStatus.CANCELLED.value, Meeting.updated_at >= since),
    )


async def feed_timezones(db: Database, group_id: int | None = None) -> list[str]:
    """Return the distinct zones of the public groups a feed covers (for its VTIMEZONEs)."""
    query = _public(select(Group.timezone).distinct())
    if group_id is not None:
        query = query.where(Group.id == group_id)
    async with db.read() as session:
        return sorted((await session.scalars(query)).all())


async def feed_meetings(
    db: Database, now: datetime, group_id: int | None = None, batch: int | None = None
) -> AsyncIterator[list[tuple[PublicMeeting, str, str]]]:
    """Yield the feed's meetings in batches as (meeting, group name, group zone).

    Each batch is its own short read (keyset on the meeting id), so a feed of the whole
    network never holds every row, nor one connection for as long as a slow client reads.
    """
    batch = batch or FEED_BATCH
    last_id = 0
    while True:
        query = (
            _public(
                select(*_MEETING_COLUMNS, Group.name, Group.timezone, Group.guild_id).join(
                    Group, Group.id == Meeting.group_id
                )
            )
            .where(Meeting.id > last_id, _in_feed(now))
            .order_by(Meeting.id)
            .limit(batch)
        )
        if group_id is not None:
            query = query.where(Meeting.group_id == group_id)
        async with db.read() as session:
            rows = (await session.execute(query)).all()
            agendas = await _agendas(session, {row.id: row.guild_id for row in rows})
        if not rows:
            return
        width = len(_MEETING_COLUMNS)
        yield [
            (_meeting(row[:width], agendas.get(row.id, [])), row.name, row.timezone)
            for row in rows
        ]
        if len(rows) < batch:
            return
        last_id = rows[-1].id



async def is_public_group(db: Database, group_id: int) -> bool:
    """Tell whether a group has pages on the directory (active, of an opted-in server)."""
    async with db.read() as session:
        found = await session.scalar(_public(select(Group.id)).where(Group.id == group_id))
    return found is not None


async def public_group_slug(db: Database, group_id: int) -> str | None:
    """Return a public group's address on the directory, or None when it has none.

    Slugs are unique across the directory, so the whole network's names are read: what
    only /group info and /meeting ics ask for, never a hot path.
    """
    async with db.read() as session:
        rows = (await session.execute(_public(select(Group.id, Group.name)))).all()
    return unique_slugs((row.id, row.name) for row in rows).get(group_id)
