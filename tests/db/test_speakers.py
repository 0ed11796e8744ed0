"""The speaker bank: offer limits, search ranking, invitations and each speaker's record."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import InvalidInput, NotAllowed
from db.engine import Database
from db.groups import Actor
from db.meetings import meeting_view
from db.speakers import (
    MAX_OPEN_OFFERS,
    NewOffer,
    answer_invitation,
    find_offers,
    invite_speaker,
    my_offers,
    offer_choices,
    offer_talk,
    talk_history,
    withdraw_offer,
)
from tests.factories import GUILD_ID, NOW, make_group, make_meeting

SPEAKER = 20
ORGANIZER = 30


async def offer(db: Database, topic: str, user_id: int = SPEAKER, description: str = "") -> int:
    made = await offer_talk(
        db,
        NewOffer(GUILD_ID, user_id, topic, description, languages="es, pt", remote=True),
        now=NOW,
    )
    return made.id


async def test_a_member_has_at_most_five_open_offers(db: Database) -> None:
    ids = [await offer(db, f"Talk {n}") for n in range(MAX_OPEN_OFFERS)]
    with pytest.raises(InvalidInput):
        await offer(db, "One too many")
    await offer(db, "Someone else's", user_id=SPEAKER + 1)
    await withdraw_offer(db, guild_id=GUILD_ID, offer_id=ids[0], user_id=SPEAKER, now=NOW)
    await offer(db, "Room again")
    topics = [o.topic for o in await my_offers(db, guild_id=GUILD_ID, user_id=SPEAKER)]
    assert topics == ["Talk 1", "Talk 2", "Talk 3", "Talk 4", "Room again"]


async def test_only_the_speaker_withdraws_an_offer(db: Database) -> None:
    offer_id = await offer(db, "Kubernetes")
    with pytest.raises(NotAllowed):
        await withdraw_offer(db, guild_id=GUILD_ID, offer_id=offer_id, user_id=99, now=NOW)


async def test_find_ranks_a_misspelt_topic_and_describes_the_speaker(db: Database) -> None:
    home = await make_group(
        db, name="GUG Montevideo", city="Montevideo", organizer_ids=[1], member_ids=[SPEAKER]
    )
    past = await make_meeting(db, home, starts_in=timedelta(days=1), now=NOW - timedelta(days=30))
    given = await offer(db, "Python asíncrono")
    invitation = await invite_speaker(
        db, offer_id=given, meeting_id=past.id, by=Actor(1), now=NOW - timedelta(days=30)
    )
    await answer_invitation(
        db,
        invitation_id=invitation.id,
        user_id=SPEAKER,
        accept=True,
        now=NOW - timedelta(days=30),
    )
    await offer(db, "Observabilidad", description="Métricas de Kubernetes")
    best = await offer(db, "Kubernetes en producción")
    await offer(db, "Rust", user_id=SPEAKER + 1)
    found = await find_offers(db, guild_id=GUILD_ID, topic="kubernets", now=NOW)
    assert [item.offer.topic for item in found] == ["Kubernetes en producción", "Observabilidad"]
    top = found[0]
    assert top.offer.id == best
    assert (top.offer.languages, top.offer.remote) == ("es, pt", True)
    assert [(g.name, g.city) for g in top.home_groups] == [("GUG Montevideo", "Montevideo")]
    assert [talk.title for talk in top.talks_given] == ["Python asíncrono"]


async def test_accepting_an_invitation_puts_the_talk_on_the_agenda(db: Database) -> None:
    group = await make_group(db, name="GUG Rosario", city="Rosario", organizer_ids=[ORGANIZER])
    meeting = await make_meeting(db, group, now=NOW)
    offer_id = await offer(db, "Kubernetes en producción")
    with pytest.raises(NotAllowed):
        await invite_speaker(db, offer_id=offer_id, meeting_id=meeting.id, by=Actor(99), now=NOW)
    invitation = await invite_speaker(
        db, offer_id=offer_id, meeting_id=meeting.id, by=Actor(ORGANIZER), now=NOW
    )
    with pytest.raises(InvalidInput):
        await invite_speaker(
            db, offer_id=offer_id, meeting_id=meeting.id, by=Actor(ORGANIZER), now=NOW
        )
    with pytest.raises(NotAllowed):
        await answer_invitation(
            db, invitation_id=invitation.id, user_id=ORGANIZER, accept=True, now=NOW
        )
    answer = await answer_invitation(
        db, invitation_id=invitation.id, user_id=SPEAKER, accept=True, now=NOW
    )
    assert answer.talk_id is not None
    assert answer.invitation.invited_by == ORGANIZER
    view = await meeting_view(db, meeting.id)
    assert view is not None
    assert [(item.title, item.speaker_id) for item in view.agenda] == [
        ("Kubernetes en producción", SPEAKER)
    ]
    with pytest.raises(InvalidInput):
        await answer_invitation(
            db, invitation_id=invitation.id, user_id=SPEAKER, accept=False, now=NOW
        )


async def test_a_declined_invitation_adds_nothing(db: Database) -> None:
    group = await make_group(db, name="GUG Rosario", city="Rosario", organizer_ids=[ORGANIZER])
    meeting = await make_meeting(db, group, now=NOW)
    offer_id = await offer(db, "Kubernetes")
    invitation = await invite_speaker(
        db, offer_id=offer_id, meeting_id=meeting.id, by=Actor(ORGANIZER), now=NOW
    )
    answer = await answer_invitation(
        db, invitation_id=invitation.id, user_id=SPEAKER, accept=False, now=NOW
    )
    assert answer.talk_id is None
    view = await meeting_view(db, meeting.id)
    assert view is not None and view.agenda == []


async def test_talk_history_holds_accepted_talks_of_meetings_that_took_place(
    db: Database,
) -> None:
    group = await make_group(db, name="GUG Rosario", city="Rosario", organizer_ids=[ORGANIZER])
    meeting = await make_meeting(db, group, starts_in=timedelta(days=2), now=NOW)
    offer_id = await offer(db, "Kubernetes")
    invitation = await invite_speaker(
        db, offer_id=offer_id, meeting_id=meeting.id, by=Actor(ORGANIZER), now=NOW
    )
    await answer_invitation(db, invitation_id=invitation.id, user_id=SPEAKER, accept=True, now=NOW)
    assert await talk_history(db, user_id=SPEAKER, now=NOW) == []
    later = await talk_history(db, user_id=SPEAKER, now=NOW + timedelta(days=3))
    assert [(t.title, t.group_name, t.meeting_id) for t in later] == [
        ("Kubernetes", "GUG Rosario", meeting.id)
    ]


async def test_offer_choices_rank_by_what_was_typed_and_can_be_ones_own(db: Database) -> None:
    mine = await offer(db, "Kubernetes en producción")
    theirs = await offer(db, "Kubernetes para todos", user_id=SPEAKER + 1)
    await offer(db, "Rust")
    found = await offer_choices(db, guild_id=GUILD_ID, typed="kuber", user_id=None)
    assert sorted(offer_id for offer_id, _ in found) == sorted([mine, theirs])
    own = await offer_choices(db, guild_id=GUILD_ID, typed="kuber", user_id=SPEAKER)
    assert own == [(mine, "Kubernetes en producción")]
    assert len(await offer_choices(db, guild_id=GUILD_ID, typed="", user_id=SPEAKER)) == 2
