"""Brazilian Portuguese end to end: replies by the asker's locale, channel posts by the
group's language, DMs by the recipient's last seen locale, Babel dates and plurals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.formats import local_datetime
from db.meetings import get_meeting
from db.models import Group, Meeting, UserPreference
from db.rsvps import rsvp_status
from tests.factories import seed_meeting
from tests.support.group_steps import active_group, configure
from tests.support.gug import Gug
from tests.support.meeting_steps import announcement_of, when_in

ZONE = "America/Sao_Paulo"


async def group_row(gug: Gug, group_id: int) -> Group:
    async with gug.db.read() as session:
        group = await session.get(Group, group_id)
    assert group is not None
    return group


async def remembered_locale(gug: Gug, user: str) -> str | None:
    async with gug.db.read() as session:
        return await session.scalar(
            select(UserPreference.locale).where(UserPreference.user_id == gug.sb.user(user).id)
        )


@pytest.fixture
async def brazil(gug: Gug) -> Gug:
    """A server in English, set up for groups; erin and dave read Brazilian Portuguese."""
    await configure(gug)
    gug.sb.user("erin").locale = "pt-BR"
    gug.sb.user("dave").locale = "pt-BR"
    return gug


async def test_a_brazilian_member_finds_groups_in_portuguese_with_distances(brazil: Gug) -> None:
    await active_group(brazil, "alice", "GUG Porto Alegre", "Porto Alegre", "Brazil")
    found = await brazil.sb.command("erin", "findgroup", place="porto alegre")
    assert "Grupos para “porto alegre”" in found.text and "Membros: 1" in found.text
    nearby = await brazil.sb.command("erin", "findgroup", place="Recife")
    assert "Ainda não há nenhum grupo em “Recife”." in nearby.text
    assert "Grupos mais próximos" in nearby.text
    # About 3,000 km, written with the Portuguese thousands separator.
    assert "GUG Porto Alegre — Porto Alegre, Brazil: 2.9" in nearby.text
    assert " km" in nearby.text


async def test_group_info_speaks_the_asker_s_language(brazil: Gug) -> None:
    group_id = await active_group(brazil, "alice", "GUG Porto Alegre", "Porto Alegre", "Brazil")
    portuguese = await brazil.sb.command("erin", "group info", group=str(group_id))
    english = await brazil.sb.command("bob", "group info", group=str(group_id))
    assert "Membros" in portuguese.text and "Próximo encontro" in portuguese.text
    assert "Members" in english.text and "Membros" not in english.text


async def test_a_group_in_portuguese_announces_with_portuguese_dates(brazil: Gug) -> None:
    sb = brazil.sb
    group_id = await active_group(brazil, "alice", "GUG Porto Alegre", "Porto Alegre", "Brazil")
    edited = await sb.command("alice", "group edit", group=str(group_id), language="pt-BR")
    assert "posts in Brazilian Portuguese" in edited.text  # alice reads English
    group = await group_row(brazil, group_id)
    assert group.language == "pt-BR" and group.timezone == ZONE
    sb.user("alice").locale = "pt-BR"
    reply = await sb.command(
        "alice", "meeting create", group=str(group_id), title="Encontro mensal",
        when=when_in(), kind="social", duration="90m", timeout=10,
    )
    assert "Você agendou **Encontro mensal**" in reply.text
    meeting = await get_meeting(brazil.db, await _meeting_id(brazil, "Encontro mensal"))
    assert meeting is not None
    announcement = await announcement_of(brazil, meeting.id)
    text = sb.snapshot(announcement).text
    local = local_datetime(meeting.starts_at, ZONE, "pt-BR")
    assert f"Horário local: {local}" in text
    assert "de 2026" in local or "de 2027" in local  # "terça-feira, 8 de dezembro de 2026 19:00"
    assert "Duração" in text and "1 hora e 30 minutos" in text


async def test_rsvp_notices_reach_a_brazilian_in_portuguese_in_an_english_group(
    brazil: Gug,
) -> None:
    sb = brazil.sb
    group_id = await active_group(brazil, "alice", "GUG Porto Alegre", "Porto Alegre", "Brazil")
    await sb.command("dave", "findgroup", place="porto alegre")
    await sb.wait_for(lambda: remembered_locale(brazil, "dave"), timeout=5)
    assert await remembered_locale(brazil, "dave") == "pt-BR"
    await sb.command(
        "alice", "meeting create", group=str(group_id), title="Meetup", when=when_in(),
        kind="social", capacity=1, timeout=10,
    )
    meeting_id = await _meeting_id(brazil, "Meetup")
    announcement = await announcement_of(brazil, meeting_id)
    await sb.react("bob", announcement, "✅")
    await sb.wait_for(lambda: rsvp_status(brazil.db, meeting_id, sb.user("bob").id), timeout=5)
    await sb.react("dave", announcement, "✅")
    await sb.wait_for(lambda: bool(sb.dms("dave")), timeout=5)
    assert "lista de espera" in sb.dms("dave")[0].content
    # The channel itself still speaks the group's (the server's) English.
    assert "Going" in sb.snapshot(announcement).text


async def test_a_group_in_portuguese_reminds_in_portuguese_and_dms_each_in_their_language(
    brazil: Gug,
) -> None:
    sb = brazil.sb
    group_id = await active_group(brazil, "alice", "GUG Porto Alegre", "Porto Alegre", "Brazil")
    await sb.command("alice", "group edit", group=str(group_id), language="pt-BR")
    sb.user("bob").locale = "es-419"
    for reader in ("bob", "dave"):
        await sb.command(reader, "reminders dm", enabled=True)
    await sb.wait_for(lambda: remembered_locale(brazil, "bob"), timeout=5)
    group = await group_row(brazil, group_id)
    channel = group.channel_id
    assert channel is not None
    now = brazil.bot.clock.now()
    starts = now + timedelta(seconds=63)
    meeting_id = await seed_meeting(
        brazil.db, group_id, starts, [timedelta(minutes=1)], now,
        going=[sb.user("bob").id, sb.user("dave").id],
    )
    brazil.bot.dispatch("meeting_changed", meeting_id)

    def reminder() -> str:
        return next(
            (m.content for m in sb.messages(channel) if "⏰" in (m.content or "")), ""
        )

    await sb.wait_for(lambda: bool(reminder()), timeout=10)
    stored = await get_meeting(brazil.db, meeting_id)
    assert stored is not None
    assert f"Horário local: {local_datetime(stored.starts_at, ZONE, 'pt-BR')}" in reminder()
    assert "Reminder" not in reminder()
    await sb.wait_for(lambda: bool(sb.dms("bob")) and bool(sb.dms("dave")), timeout=5)
    assert f"Hora local: {local_datetime(stored.starts_at, ZONE, 'es-419')}" in (
        sb.dms("bob")[-1].content
    )
    assert "Lembrete" in sb.dms("dave")[-1].content


async def test_member_counts_take_the_plural_form_of_each_language(brazil: Gug) -> None:
    sb = brazil.sb
    await active_group(brazil, "alice", "GUG Porto Alegre", "Porto Alegre", "Brazil")
    sb.user("coord").locale = "en-US"
    one = await sb.command("coord", "coord stats")
    assert "1 member ·" in one.text and "1 members" not in one.text
    group_id = await _group_id(brazil, "GUG Porto Alegre")
    await sb.command("bob", "group join", group=str(group_id))
    two = await sb.command("coord", "coord stats")
    assert "2 members ·" in two.text
    sb.user("coord").locale = "pt-BR"
    em_portugues = await sb.command("coord", "coord stats")
    assert "2 membros ·" in em_portugues.text and "1 grupo ativo" in em_portugues.text
    sb.user("coord").locale = "es-419"
    en_espanol = await sb.command("coord", "coord stats")
    assert "2 miembros ·" in en_espanol.text and "1 grupo activo" in en_espanol.text


async def _meeting_id(gug: Gug, title: str) -> int:
    async with gug.db.read() as session:
        meeting_id = await session.scalar(select(Meeting.id).where(Meeting.title == title))
    assert meeting_id is not None
    return meeting_id


async def _group_id(gug: Gug, name: str) -> int:
    async with gug.db.read() as session:
        group_id = await session.scalar(select(Group.id).where(Group.name == name))
    assert group_id is not None
    return group_id
