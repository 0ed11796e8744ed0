"""The network-wide speaker bank: offer talks, find them, invite speakers, keep their record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotAllowed, NotFound
from core.i18n import _
from core.offer_ranking import OfferText, rank_offers
from db.engine import Database
from db.groups import Actor, require_group_organizer
from db.models import (
    Group,
    GroupStatus,
    InvitationStatus,
    Meeting,
    MeetingStatus,
    Membership,
    OfferStatus,
    SpeakerInvitation,
    Talk,
    TalkOffer,
    TalkStatus,
)

# A speaker bank of a few talks per person stays current; more are usually stale.
MAX_OPEN_OFFERS = 5
# /speaker find shows this many offers (Discord embeds hold 25 fields; 10 stay readable).
FIND_LIMIT = 10
# Discord shows at most 25 autocomplete choices.
CHOICE_LIMIT = 25


@dataclass(frozen=True)
class NewOffer:
    """What a member gives to offer a talk."""

    guild_id: int
    user_id: int
    topic: str
    description: str = ""
    languages: str = ""
    remote: bool = False


@dataclass(frozen=True)
class Offer:
    """An offered talk."""

    id: int
    guild_id: int
    user_id: int
    topic: str
    description: str
    languages: str
    remote: bool
    created_at: datetime


@dataclass(frozen=True)
class HomeGroup:
    """A group a speaker belongs to, and its city."""

    group_id: int
    name: str
    city: str


@dataclass(frozen=True)
class GivenTalk:
    """An accepted talk at a meeting that took place."""

    title: str
    meeting_id: int
    meeting_title: str
    group_name: str
    starts_at: datetime


@dataclass(frozen=True)
class FoundOffer:
    """An offer found by topic, with what an organizer wants to know of the speaker."""

    offer: Offer
    score: float
    home_groups: tuple[HomeGroup, ...]
    talks_given: tuple[GivenTalk, ...]


@dataclass(frozen=True)
class Invitation:
    """An invitation of an offered talk to a meeting."""

    id: int
    offer: Offer
    meeting_id: int
    invited_by: int
    status: InvitationStatus


@dataclass(frozen=True)
class InvitationAnswer:
    """The speaker's answer, and the talk it added to the agenda when accepted."""

    invitation: Invitation
    talk_id: int | None


def _offer(row: TalkOffer) -> Offer:
    return Offer(
        row.id,
        row.guild_id,
        row.user_id,
        row.topic,
        row.description,
        row.languages,
        row.remote,
        row.created_at,
    )


def _invitation(row: SpeakerInvitation, offer: TalkOffer) -> Invitation:
    return Invitation(
        row.id, _offer(offer), row.meeting_id, row.invited_by, InvitationStatus(row.status)
    )


async def offer_talk(db: Database, new: NewOffer, *, now: datetime) -> Offer:
    """List a talk a member can give; at most ``MAX_OPEN_OFFERS`` open at once."""
    async with db.transaction() as session:
        if db.dialect == "postgresql":
            # Two offers by one person at once must not both pass the limit check.
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": new.user_id})
        open_count = await session.scalar(
            select(func.count())
            .select_from(TalkOffer)
            .where(
                TalkOffer.guild_id == new.guild_id,
                TalkOffer.user_id == new.user_id,
                TalkOffer.status == OfferStatus.OPEN,
            )
        )
        if (open_count or 0) >= MAX_OPEN_OFFERS:
            raise InvalidInput(
                _("You already offer {count} talks; withdraw one with /speaker withdraw first."),
                count=MAX_OPEN_OFFERS,
            )
        row = TalkOffer(
            guild_id=new.guild_id,
            user_id=new.user_id,
            topic=new.topic,
            description=new.description,
            languages=new.languages,
            remote=new.remote,
            status=OfferStatus.OPEN,
            created_at=now,
        )
        session.add(row)
        await session.flush()
        return _offer(row)


async def my_offers(db: Database, *, guild_id: int, user_id: int) -> list[Offer]:
    """Return a member's open offers, oldest first."""
    async with db.read() as session:
        rows = await session.scalars(
            select(TalkOffer)
            .where(
                TalkOffer.guild_id == guild_id,
                TalkOffer.user_id == user_id,
                TalkOffer.status == OfferStatus.OPEN,
            )
            .order_by(TalkOffer.created_at, TalkOffer.id)
        )
        return [_offer(row) for row in rows]


async def offer_choices(
    db: Database, *, guild_id: int, typed: str, user_id: int | None = None
) -> list[tuple[int, str]]:
    """Return up to 25 (id, topic) open offers for autocomplete, best match first.

    With ``user_id``, only that member's own offers (for /speaker withdraw).
    """
    query = select(TalkOffer).where(
        TalkOffer.guild_id == guild_id, TalkOffer.status == OfferStatus.OPEN
    )
    if user_id is not None:
        query = query.where(TalkOffer.user_id == user_id)
    async with db.read() as session:
        rows = list(
            await session.scalars(query.order_by(TalkOffer.created_at.desc(), TalkOffer.id.desc()))
        )
    if not typed.strip():
        return [(row.id, row.topic) for row in rows[:CHOICE_LIMIT]]
    topics = {row.id: row.topic for row in rows}
    ranked = rank_offers(
        typed, (OfferText(row.id, row.topic, row.description) for row in rows), CHOICE_LIMIT
    )
    return [(offer_id, topics[offer_id]) for offer_id, _score in ranked]


async def withdraw_offer(
    db: Database, *, guild_id: int, offer_id: int, user_id: int, now: datetime
) -> Offer:
    """Take one's own offer out of the speaker bank."""
    async with db.transaction() as session:
        row = await session.scalar(
            select(TalkOffer).where(
                TalkOffer.id == offer_id,
                TalkOffer.guild_id == guild_id,
                TalkOffer.status == OfferStatus.OPEN,
            )
        )
        if row is None:
            raise NotFound(_("That talk offer does not exist or was withdrawn."))
        if row.user_id != user_id:
            raise NotAllowed(_("You can only withdraw your own talk offers."))
        row.status = OfferStatus.WITHDRAWN
        row.withdrawn_at = now
        return _offer(row)


async def _home_groups(
    session: AsyncSession, user_ids: Sequence[int]
) -> dict[int, tuple[HomeGroup, ...]]:
    rows = await session.execute(
        select(Membership.user_id, Group.id, Group.name, Group.city)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.user_id.in_(list(user_ids)), Group.status == GroupStatus.ACTIVE)
        .order_by(Membership.joined_at, Group.id)
    )
    found: dict[int, list[HomeGroup]] = defaultdict(list)
    for user_id, group_id, name, city in rows.all():
        found[int(user_id)].append(HomeGroup(group_id, name, city))
    return {user_id: tuple(groups) for user_id, groups in found.items()}


async def _talks_given(
    session: AsyncSession, user_ids: Sequence[int], now: datetime
) -> dict[int, tuple[GivenTalk, ...]]:
    rows = await session.execute(
        select(
            Talk.speaker_id, Talk.title, Meeting.id, Meeting.title, Group.name, Meeting.starts_at
        )
        .join(Meeting, Meeting.id == Talk.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(
            Talk.speaker_id.in_(list(user_ids)),
            Talk.status == TalkStatus.ACCEPTED,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at <= now,
        )
        .order_by(Meeting.starts_at.desc(), Talk.id)
    )
    found: dict[int, list[GivenTalk]] = defaultdict(list)
    for speaker, title, meeting_id, meeting_title, group_name, starts_at in rows.all():
        found[int(speaker)].append(
            GivenTalk(title, meeting_id, meeting_title, group_name, starts_at)
        )
    return {user_id: tuple(talks) for user_id, talks in found.items()}


async def find_offers(
    db: Database, *, guild_id: int, topic: str, now: datetime, limit: int = FIND_LIMIT
) -> list[FoundOffer]:
    """Search the server's open offers by topic and description, best match first."""
    async with db.read() as session:
        rows = {
            row.id: row
            for row in await session.scalars(
                select(TalkOffer)
                .where(TalkOffer.guild_id == guild_id, TalkOffer.status == OfferStatus.OPEN)
                .order_by(TalkOffer.created_at.desc(), TalkOffer.id.desc())
            )
        }
        ranked = rank_offers(
            topic,
            (OfferText(row.id, row.topic, row.description) for row in rows.values()),
            limit,
        )
        speakers = list({rows[offer_id].user_id for offer_id, _score in ranked})
        homes = await _home_groups(session, speakers)
        given = await _talks_given(session, speakers, now)
    return [
        FoundOffer(
            offer=_offer(rows[offer_id]),
            score=score,
            home_groups=homes.get(rows[offer_id].user_id, ()),
            talks_given=given.get(rows[offer_id].user_id, ()),
        )
        for offer_id, score in ranked
    ]


async def talk_history(db: Database, *, user_id: int, now: datetime) -> list[GivenTalk]:
    """Return a speaker's accepted talks at meetings that took place, newest first."""
    async with db.read() as session:
        return list((await _talks_given(session, [user_id], now)).get(user_id, ()))


async def invite_speaker(
    db: Database, *, offer_id: int, meeting_id: int, by: Actor, now: datetime
) -> Invitation:
    """Invite an offered talk to an upcoming meeting of a group the inviter organizes."""
    try:
        async with db.transaction() as session:
            offer = await session.get(TalkOffer, offer_id)
            if offer is None or offer.status != OfferStatus.OPEN:
                raise NotFound(_("That talk offer does not exist or was withdrawn."))
            meeting = await session.get(Meeting, meeting_id)
            if meeting is None or meeting.guild_id != offer.guild_id:
                raise NotFound(_("That meeting does not exist in this server."))
            if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at <= now:
                raise InvalidInput(_("Speakers can only be invited to upcoming meetings."))
            group = await session.get(Group, meeting.group_id)
            assert group is not None  # A meeting's group is deleted with it (cascade).
            await require_group_organizer(session, group, by)
            row = SpeakerInvitation(
                offer_id=offer.id,
                meeting_id=meeting.id,
                invited_by=by.user_id,
                status=InvitationStatus.PENDING,
                created_at=now,
            )
            session.add(row)
            await session.flush()
            return _invitation(row, offer)
    except IntegrityError:
        raise InvalidInput(_("That talk was already invited to that meeting.")) from None


async def answer_invitation(
    db: Database, *, invitation_id: int, user_id: int, accept: bool, now: datetime
) -> InvitationAnswer:
    """Accept or decline an invitation; accepting puts the talk, accepted, on the agenda."""
    async with db.transaction() as session:
        row = await session.scalar(
            select(SpeakerInvitation).where(SpeakerInvitation.id == invitation_id).with_for_update()
        )
        if row is None:
            raise NotFound(_("That invitation no longer exists."))
        offer = await session.get(TalkOffer, row.offer_id)
        assert offer is not None  # Invitations are deleted with their offer (cascade).
        if offer.user_id != user_id:
            raise NotAllowed(_("Only the invited speaker can answer this invitation."))
        if row.status != InvitationStatus.PENDING:
            raise InvalidInput(_("You already answered this invitation."))
        meeting = await session.get(Meeting, row.meeting_id)
        assert meeting is not None  # Invitations are deleted with their meeting (cascade).
        if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at <= now:
            raise InvalidInput(_("That meeting is over or was cancelled."))
        row.answered_at = now
        talk_id = None
        if accept:
            talk = Talk(
                meeting_id=meeting.id,
                speaker_id=offer.user_id,
                title=offer.topic,
                abstract=offer.description,
                status=TalkStatus.ACCEPTED,
                decided_by=row.invited_by,
                created_at=now,
            )
            session.add(talk)
            await session.flush()
            row.talk_id = talk_id = talk.id
        row.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        return InvitationAnswer(_invitation(row, offer), talk_id)


async def open_offer(db: Database, *, guild_id: int, offer_id: int) -> Offer | None:
    """Return an open offer of this server, or None."""
    async with db.read() as session:
        row = await session.scalar(
            select(TalkOffer).where(
                TalkOffer.id == offer_id,
                TalkOffer.guild_id == guild_id,
                TalkOffer.status == OfferStatus.OPEN,
            )
        )
        return _offer(row) if row is not None else None
