"""The speaker bank end to end: offer in one city, find and invite from another, answer by DM."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.meetings import get_meeting
from db.models import Meeting, Membership, SpeakerInvitation
from sandbox.replies import Reply
from sandbox.world import Message
from tests.factories import make_group
from tests.support.group_steps import configure
from tests.support.gug import Gug
from tests.support.meeting_steps import announcement_of, group_for, when_in


async def _rosario_meeting(gug: Gug) -> int:
    """GUG Rosario (organized by carol, in its own channel) schedules a meeting."""
    sb = gug.sb
    channel = sb.world.add_channel(sb.world.guild, "rosario")
    group = await make_group(
        gug.db, guild_id=sb.world.guild.id, name="GUG Rosario", city="Rosario",
        country="Argentina", timezone="America/Argentina/Cordoba", channel_id=channel.id,
        organizer_ids=[sb.user("carol").id],
    )
    reply = await sb.command(
        "carol", "meeting create", group=str(group.id), title="Rosario cloud night",
        when=when_in(), kind="technical", timeout=10,
    )
    assert "Scheduled" in reply.text, reply.text
    async with gug.db.read() as session:
        meeting_id = await session.scalar(
            select(Meeting.id).where(Meeting.title == "Rosario cloud night")
        )
    assert meeting_id is not None
    return meeting_id


async def _montevideo_speaker_offers(gug: Gug) -> int:
    """bob, a member of GUG Montevideo, offers a talk; return the offer's id."""
    sb = gug.sb
    montevideo = await group_for(gug)
    async with gug.db.transaction() as session:
        session.add(Membership(group_id=montevideo.id, user_id=sb.user("bob").id))
    reply = await sb.command(
        "bob", "speaker offer", topic="Kubernetes para principiantes",
        description="Desplegar una app en un clúster, paso a paso.", languages="es, pt",
        remote=True,
    )
    assert reply.ephemeral and "speaker bank" in reply.text, reply.text
    choices = await sb.autocomplete("carol", "speaker invite", "offer", "kubern")
    return int(choices[0]["value"])


async def _invite(gug: Gug, offer_id: int, meeting_id: int) -> tuple[Reply, Message]:
    """carol invites the offer to her meeting; return her reply and bob's DM."""
    sb = gug.sb
    before = len(sb.dms("bob"))
    reply = await sb.command(
        "carol", "speaker invite", offer=str(offer_id), meeting=str(meeting_id), timeout=10
    )
    await sb.wait_for(lambda: len(sb.dms("bob")) > before)
    return reply, sb.dms("bob")[-1]


async def test_an_organizer_finds_a_speaker_of_another_city_by_a_misspelt_topic(gug: Gug) -> None:
    sb = gug.sb
    await _rosario_meeting(gug)
    await _montevideo_speaker_offers(gug)
    reply = await sb.command("carol", "speaker find", topic="kubernets principantes")
    text = reply.text
    assert reply.ephemeral
    assert "Kubernetes para principiantes" in text
    assert f"<@{sb.user('bob').id}>" in text
    assert "GUG Montevideo (Montevideo)" in text
    assert "es, pt" in text and "Presents remotely" in text
    assert "No talks given here yet" in text


async def test_only_organizers_and_coordinators_search_the_bank(gug: Gug) -> None:
    await _montevideo_speaker_offers(gug)
    refused = await gug.sb.command("dave", "speaker find", topic="kubernetes")
    assert refused.ephemeral and "Only organizers and coordinators" in refused.text
    await configure(gug)
    allowed = await gug.sb.command("coord", "speaker find", topic="kubernetes")
    assert "Kubernetes para principiantes" in allowed.text


async def test_an_accepted_invitation_puts_the_talk_on_the_announcement(gug: Gug) -> None:
    sb = gug.sb
    meeting_id = await _rosario_meeting(gug)
    offer_id = await _montevideo_speaker_offers(gug)
    reply, dm = await _invite(gug, offer_id, meeting_id)
    assert "Invited" in reply.text and "Rosario cloud night" in reply.text, reply.text
    assert "Kubernetes para principiantes" in dm.content and "GUG Rosario" in dm.content
    accept = next(cid for cid in sb.snapshot(dm).custom_ids() if "accept" in cid)

    intruder = await sb.press_button("erin", dm, accept)
    assert "Only the invited speaker" in intruder.text

    carol_dms = len(sb.dms("carol"))
    answer = await sb.press_button("bob", dm, accept)
    assert "on the agenda" in answer.text
    assert sb.snapshot(dm).custom_ids() == []  # The buttons are gone once answered.
    announcement = await announcement_of(gug, meeting_id)

    def on_agenda() -> bool:
        return "Kubernetes para principiantes" in sb.snapshot(announcement).text

    await sb.wait_for(on_agenda)
    await sb.wait_for(lambda: len(sb.dms("carol")) > carol_dms)
    assert "accepted" in sb.dms("carol")[-1].content

    again = await sb.command(
        "carol", "speaker invite", offer=str(offer_id), meeting=str(meeting_id)
    )
    assert "already invited" in again.text

    # Once the meeting took place, the talk is part of bob's record.
    meeting = await get_meeting(gug.db, meeting_id)
    assert meeting is not None
    gug.clock.advance(meeting.starts_at - gug.clock.now() + timedelta(hours=1))
    found = await sb.command("carol", "speaker find", topic="kubernetes")
    assert "1 talk given before:" in found.text, found.text
    assert "Kubernetes para principiantes — GUG Rosario" in found.text


async def test_a_declined_invitation_tells_the_organizer(gug: Gug) -> None:
    sb = gug.sb
    meeting_id = await _rosario_meeting(gug)
    offer_id = await _montevideo_speaker_offers(gug)
    refused = await sb.command(
        "dave", "speaker invite", offer=str(offer_id), meeting=str(meeting_id)
    )
    assert "Only this group's organizers" in refused.text
    _reply, dm = await _invite(gug, offer_id, meeting_id)
    decline = next(cid for cid in sb.snapshot(dm).custom_ids() if "decline" in cid)
    carol_dms = len(sb.dms("carol"))
    answer = await sb.press_button("bob", dm, decline)
    assert "declined" in answer.text
    await sb.wait_for(lambda: len(sb.dms("carol")) > carol_dms)
    assert "declined" in sb.dms("carol")[-1].content
    announcement = await announcement_of(gug, meeting_id)
    assert "Kubernetes" not in sb.snapshot(announcement).text
    async with gug.db.read() as session:
        status = await session.scalar(select(SpeakerInvitation.status))
    assert status == "declined"


async def test_invitations_are_answered_after_a_restart(make_gug) -> None:  # type: ignore[no-untyped-def]
    gug = await make_gug()
    sb = gug.sb
    meeting_id = await _rosario_meeting(gug)
    offer_id = await _montevideo_speaker_offers(gug)
    _reply, dm = await _invite(gug, offer_id, meeting_id)
    await gug.stop()
    await gug.start()
    accept = next(cid for cid in sb.snapshot(dm).custom_ids() if "accept" in cid)
    answer = await sb.press_button("bob", dm, accept)
    assert "on the agenda" in answer.text


async def test_members_list_and_withdraw_their_own_offers(gug: Gug) -> None:
    sb = gug.sb
    await sb.command("bob", "speaker offer", topic="Rust en producción", languages="es")
    await sb.command("carol", "speaker offer", topic="Observabilidad con OpenTelemetry")
    listed = await sb.command("bob", "speaker offers")
    assert "Rust en producción" in listed.text and "OpenTelemetry" not in listed.text
    own = await sb.autocomplete("bob", "speaker withdraw", "offer", "")
    assert [choice["name"] for choice in own] == ["Rust en producción"]
    others = await sb.autocomplete("carol", "speaker invite", "offer", "rust")
    refused = await sb.command("carol", "speaker withdraw", offer=others[0]["value"])
    assert "only withdraw your own" in refused.text
    withdrawn = await sb.command("bob", "speaker withdraw", offer=own[0]["value"])
    assert "Withdrew **Rust en producción**" in withdrawn.text
    assert "You offer no talks" in (await sb.command("bob", "speaker offers")).text


async def test_an_invitation_after_an_earlier_dm_is_a_new_message(gug: Gug) -> None:
    """Each DM carries its own nonce; a repeated one would return the earlier DM instead."""
    sb = gug.sb
    await gug.bot.direct_messages.send_dm(sb.user("bob").id, "An earlier DM")
    meeting_id = await _rosario_meeting(gug)
    offer_id = await _montevideo_speaker_offers(gug)
    _reply, dm = await _invite(gug, offer_id, meeting_id)
    assert [message.content for message in sb.dms("bob")][:1] == ["An earlier DM"]
    assert "Kubernetes para principiantes" in dm.content
    assert len(sb.dms("bob")) == 2
