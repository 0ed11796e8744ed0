"""Spanish speakers get gugbot in Spanish: replies by their locale, shared posts by the server's."""

from __future__ import annotations

import pytest

from db.rsvps import rsvp_status
from tests.support.group_steps import active_group, configure, proposal_message, propose
from tests.support.gug import Gug
from tests.support.meeting_steps import announcement_of, create_meeting


@pytest.fixture
async def spanish(gug: Gug) -> Gug:
    await configure(gug)
    await active_group(gug, "alice", "GUG Monterrey", "Monterrey", "México")
    # es-419 is Discord's Latin American Spanish.
    gug.sb.user("erin").locale = "es-419"
    gug.sb.user("dave").locale = "es-ES"
    return gug


async def test_findgroup_without_a_match_answers_in_spanish(spanish: Gug) -> None:
    reply = await spanish.sb.command("erin", "findgroup", place="Xqzzyville")
    assert reply.ephemeral
    assert "No se encontró ningún grupo" in reply.text
    assert "Nada coincide con “Xqzzyville”" in reply.text and "/group propose" in reply.text


async def test_findgroup_with_a_match_labels_the_group_in_spanish(spanish: Gug) -> None:
    reply = await spanish.sb.command("erin", "findgroup", place="monterrey")
    assert "Grupos para “monterrey”" in reply.text
    assert "Organizadores: <@" in reply.text and "Miembros: 1" in reply.text
    assert "Próxima reunión: ninguna programada" in reply.text


async def test_refusal_to_a_non_coordinator_is_in_spanish(spanish: Gug) -> None:
    reply = await spanish.sb.command("dave", "coord pending")
    assert reply.ephemeral
    assert reply.text == (
        "Solo los coordinadores pueden hacer esto. "
        "Pídele el rol de coordinador a un admin del servidor."
    )


async def test_invalid_input_is_refused_in_spanish(spanish: Gug) -> None:
    reply = await spanish.sb.command("erin", "findgroup", place="   ")
    assert reply.ephemeral
    assert reply.text == "El lugar no puede quedar en blanco."


async def test_english_speakers_in_the_same_server_still_get_english(spanish: Gug) -> None:
    reply = await spanish.sb.command("bob", "findgroup", place="Xqzzyville")
    assert "No group found" in reply.text and "Nothing matches" in reply.text


async def test_spanish_server_gets_announcements_and_notices_in_spanish(gug: Gug) -> None:
    sb = gug.sb
    # The bot reads the server's language when it connects.
    sb.world.guild.locale = "es-419"
    await gug.restart()
    reply, meeting_id = await create_meeting(gug)
    assert meeting_id is not None, reply.text
    assert "Scheduled" in reply.text  # alice's own Discord is in English
    announcement = await announcement_of(gug, meeting_id)
    embed = announcement.embeds[0]
    fields = {item["name"] for item in embed["fields"]}
    assert {"Cuándo", "Tipo", "Duración", "Dónde", "Asistencia"} <= fields
    assert "Reacciona" in embed["footer"]["text"]
    await sb.react("bob", announcement, "✅")
    await sb.wait_for(lambda: rsvp_status(gug.db, meeting_id, sb.user("bob").id))
    await sb.command("alice", "meeting cancel", meeting=str(meeting_id), reason="se inundó")
    assert "CANCELADA" in sb.message(announcement).embeds[0]["title"]
    notice = next(m for m in sb.messages("general") if "se canceló" in m.content)
    assert "Motivo: se inundó" in notice.content


async def test_spanish_server_gets_proposal_buttons_in_spanish_that_still_work(gug: Gug) -> None:
    gug.sb.world.guild.locale = "es-419"
    await gug.restart()
    await configure(gug)
    await propose(gug, "bob", "GUG Cuenca", "Cuenca", "Ecuador")
    message = proposal_message(gug, "GUG Cuenca")
    labels = [
        button.get("label")
        for row in gug.sb.snapshot(message).components
        for button in row.get("components", [])
    ]
    assert labels == ["Aprobar", "Rechazar"]
    await gug.restart()  # the buttons are rebuilt from their custom_id after a restart
    approve_id = next(cid for cid in gug.sb.snapshot(message).custom_ids() if "approve" in cid)
    reply = await gug.sb.press_button("coord", message, approve_id)
    assert "GUG Cuenca" in reply.text
