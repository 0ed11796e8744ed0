"""A person's data: exported whole, forgotten with waitlists moving; organizers who left."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import NotAllowed
from db.audit import AuditAction, record_action
from db.backers import back_proposal
from db.engine import Database
from db.groups import Actor
from db.interest import InterestPlace, add_interest
from db.meetings import list_attendees, set_announcement
from db.memberships import add_organizer, remove_organizer
from db.models import AuditEntry, Group, Membership, Rsvp, Talk, UserPreference
from db.preferences import set_reminder_dms
from db.privacy import ANONYMOUS, export_user_data, forget_user
from db.rsvps import ReactionChange, apply_reactions
from db.talks import propose_talk
from tests.factories import COORDINATOR, GUILD, NOW, active, make_meeting, proposed

PERSON = 7


async def _person_with_history(db: Database) -> tuple[Group, int, int]:
    """PERSON organizes one group (with a co-organizer), proposed another, answered two meetings.

    The upcoming meeting is full (capacity 1): PERSON goes, 8 then 9 wait.
    """
    group = await active(db, "GUG Lima", "Lima", "PE", proposer=PERSON)
    await add_organizer(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, user_id=42,
                        now=NOW)
    await proposed(db, "GUG Cusco", "Cusco", "PE", proposer=PERSON)
    past = await make_meeting(db, group, now=NOW - timedelta(days=30), starts_in=timedelta(days=1))
    await apply_reactions(db, past.id, [ReactionChange(PERSON, "going", True)],
                          now=NOW - timedelta(days=30))
    upcoming = await make_meeting(db, group, now=NOW, starts_in=timedelta(days=7), capacity=1)
    await set_announcement(db, upcoming.id, 900, 901)
    await apply_reactions(
        db, upcoming.id,
        [ReactionChange(user, "going", True) for user in (PERSON, 8, 9)], now=NOW,
    )
    await propose_talk(db, upcoming.id, PERSON, "Hooks", "How we hook", now=NOW)
    await set_reminder_dms(db, PERSON, True, NOW)
    async with db.transaction() as session:
        record_action(session, guild_id=GUILD, actor_id=PERSON, action=AuditAction.EDIT,
                      when=NOW, group_id=group.id)
    return group, past.id, upcoming.id


async def test_export_lists_everything_stored_about_the_person(db: Database) -> None:
    group, past_id, upcoming_id = await _person_with_history(db)
    data = await export_user_data(db, PERSON)
    assert json.loads(json.dumps(data)) == data  # JSON-serialisable as it is.
    assert [m["group_id"] for m in data["memberships"]] == [group.id]
    assert [m["group_id"] for m in data["organizer_of"]] == [group.id]
    assert [(r["meeting_id"], r["answer"]) for r in data["rsvps"]] == [
        (past_id, "going"), (upcoming_id, "going"),
    ]
    assert [t["title"] for t in data["talks"]] == ["Hooks"]
    assert data["reminder_preferences"]["reminder_dms"] is True
    assert sorted(p["name"] for p in data["proposals"]) == ["GUG Cusco", "GUG Lima"]
    actions = {(entry["action"], entry["as"]) for entry in data["audit_entries"]}
    assert ("edit", "actor") in actions


async def test_export_of_a_stranger_is_empty(db: Database) -> None:
    data = await export_user_data(db, 12345)
    assert data["memberships"] == data["rsvps"] == data["proposals"] == []
    assert data["reminder_preferences"] is None


async def test_forget_me_deletes_the_person_and_moves_the_waitlist(db: Database) -> None:
    _, _, upcoming_id = await _person_with_history(db)
    forgotten = await forget_user(db, PERSON, NOW)

    assert forgotten.promoted == {upcoming_id: [8]}
    assert [(r.meeting_id, r.message_id) for r in forgotten.reactions] == [(upcoming_id, 901)]
    attendees = await list_attendees(db, upcoming_id)
    assert (attendees.going, attendees.waitlist) == ([8], [9])
    async with db.read() as session:
        for model, column in (
            (Rsvp, Rsvp.user_id), (Membership, Membership.user_id), (Talk, Talk.speaker_id),
            (UserPreference, UserPreference.user_id), (Group, Group.proposer_id),
            (AuditEntry, AuditEntry.actor_id),
        ):
            assert (await session.scalars(select(model).where(column == PERSON))).all() == []
        # The pending proposal is gone; the active group stays, its proposer anonymised.
        names = set((await session.scalars(select(Group.name))).all())
        assert names == {"GUG Lima"}
        kept = (await session.scalars(select(AuditEntry.actor_id))).all()
        assert ANONYMOUS in kept
    assert forgotten.deleted["rsvps"] == 2
    empty = await export_user_data(db, PERSON)
    assert empty["rsvps"] == empty["memberships"] == empty["talks"] == empty["audit_entries"] == []


async def test_forget_me_refuses_the_last_organizer_of_an_active_group(db: Database) -> None:
    group = await active(db, "GUG Lima", "Lima", "PE", proposer=PERSON)
    with pytest.raises(NotAllowed, match="hand over first"):
        await forget_user(db, PERSON, NOW)
    async with db.read() as session:
        assert await session.get(Membership, (group.id, PERSON)) is not None


async def test_an_organizer_who_left_the_server_is_removed_by_id(db: Database) -> None:
    # Only the id is known: the person is no longer a member of the server.
    group = await active(db, "GUG Lima", "Lima", "PE", proposer=PERSON)
    await add_organizer(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, user_id=42,
                        now=NOW)
    removed = await remove_organizer(
        db, guild_id=GUILD, group_id=group.id, actor=Actor(42), user_id=PERSON, now=NOW
    )
    assert removed.changed
    async with db.read() as session:
        membership = await session.get(Membership, (group.id, PERSON))
    assert membership is not None and not membership.is_organizer


async def test_waiting_and_backing_are_exported_and_forgotten(db: Database) -> None:
    rosario = InterestPlace("Rosario", "AR", -32.95, -60.64)
    await add_interest(db, guild_id=GUILD, user_id=PERSON, place=rosario, now=NOW)
    proposal = await proposed(db, "GUG Rosario", "Rosario", "AR", proposer=42)
    await back_proposal(db, guild_id=GUILD, group_id=proposal.id, user_id=PERSON, now=NOW)
    data = await export_user_data(db, PERSON)
    assert [w["city"] for w in data["waiting_for_a_group"]] == ["Rosario"]
    assert [b["group"] for b in data["backed_proposals"]] == ["GUG Rosario"]

    forgotten = await forget_user(db, PERSON, NOW)
    assert forgotten.deleted["interests"] == forgotten.deleted["backers"] == 1
    empty = await export_user_data(db, PERSON)
    assert empty["waiting_for_a_group"] == empty["backed_proposals"] == []
