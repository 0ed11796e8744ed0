"""A small public network for the web tests: two servers, one of them public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.text import fold
from db.engine import Database
from db.guild_settings import set_directory
from db.meetings import NewMeeting, create_meeting
from db.member_names import record_display_name
from db.models import Group, Meeting, Membership, Rsvp, Talk
from tests.factories import place

PUBLIC_GUILD = 111
PRIVATE_GUILD = 222
INVITE = "https://discord.gg/gugnet"
ORGANIZER = 7_000_000_000_000_001
SPEAKER = 7_000_000_000_000_002
MEMBER = 7_000_000_000_000_003
SECRET_MEMBER_NAME = "Mallory Member"


@dataclass(frozen=True)
class Network:
    """Ids of what was seeded."""

    rosario: int
    sao_paulo: int
    pending: int
    archived: int
    hidden: int
    meeting: int
    hidden_meeting: int


async def add_group(
    db: Database,
    guild_id: int,
    name: str,
    city: str,
    country_code: str,
    *,
    status: str = "active",
    organizers: tuple[int, ...] = (ORGANIZER,),
    members: tuple[int, ...] = (),
    channel_id: int | None = 555,
) -> int:
    """Insert a group placed by the gazetteer, with organizers and members."""
    where = place(city, country_code)
    async with db.transaction() as session:
        group = Group(
            guild_id=guild_id, name=name, name_key=fold(name), city=where.city,
            city_key=fold(where.city), region=where.region, country=where.country,
            country_code=country_code, latitude=where.latitude, longitude=where.longitude,
            timezone=where.timezone, status=status, proposer_id=organizers[0],
            channel_id=channel_id, description=f"The users group of {where.city}.",
        )
        session.add(group)
        await session.flush()
        for user_id in organizers:
            session.add(Membership(group_id=group.id, user_id=user_id, is_organizer=True))
        for user_id in members:
            session.add(Membership(group_id=group.id, user_id=user_id, is_organizer=False))
        return group.id


async def add_meeting(
    db: Database, group_id: int, title: str, starts_in: timedelta, *, venue: str = ""
) -> Meeting:
    """Schedule a meeting through the real rule."""
    now = datetime.now(UTC)
    return await create_meeting(
        db,
        NewMeeting(
            group_id=group_id, created_by=ORGANIZER, title=title, kind="technical",
            starts_at=now + starts_in, duration_minutes=90, venue=venue,
        ),
        default_offsets=[timedelta(hours=1)],
        now=now,
    )


async def seed_network(db: Database) -> Network:
    """Seed the public server (Rosario, São Paulo, a pending and an archived group) and a
    private one, with names, answers and an accepted talk."""
    await set_directory(db, PUBLIC_GUILD, True, INVITE)
    rosario = await add_group(
        db, PUBLIC_GUILD, "GUG Rosario", "Rosario", "AR", members=(MEMBER, SPEAKER)
    )
    sao_paulo = await add_group(db, PUBLIC_GUILD, "GUG São Paulo", "São Paulo", "BR")
    pending = await add_group(db, PUBLIC_GUILD, "GUG Pendiente", "Córdoba", "AR", status="pending")
    archived = await add_group(db, PUBLIC_GUILD, "GUG Archivado", "Mendoza", "AR", status="archived")
    hidden = await add_group(db, PRIVATE_GUILD, "GUG Escondido", "Lima", "PE")
    now = datetime.now(UTC)
    await record_display_name(db, PUBLIC_GUILD, ORGANIZER, "Olga Organizer", now)
    await record_display_name(db, PUBLIC_GUILD, SPEAKER, "Sam Speaker", now)
    await record_display_name(db, PUBLIC_GUILD, MEMBER, SECRET_MEMBER_NAME, now)
    meeting = await add_meeting(db, rosario, "Charlas de diciembre", timedelta(days=9), venue="Bv. Oroño 1000")
    hidden_meeting = await add_meeting(db, hidden, "Reunión secreta", timedelta(days=3))
    async with db.transaction() as session:
        # Kept from before the group was archived: never public again.
        session.add(
            Meeting(
                group_id=archived, guild_id=PUBLIC_GUILD, title="Never shown", created_by=ORGANIZER,
                starts_at=now + timedelta(days=4),
            )
        )
        session.add(Talk(meeting_id=meeting.id, speaker_id=SPEAKER, title="Gradle sin miedo", status="accepted"))
        session.add(Talk(meeting_id=meeting.id, speaker_id=MEMBER, title="Declined talk", status="declined"))
        session.add(Rsvp(meeting_id=meeting.id, user_id=MEMBER, status="going", position=1))
        session.add(Rsvp(meeting_id=meeting.id, user_id=SPEAKER, status="maybe", position=2))
    return Network(rosario, sao_paulo, pending, archived, hidden, meeting.id, hidden_meeting.id)
