"""Meeting rules: create, edit, cancel, upcoming lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.errors import InvalidInput, NotFound
from core.when import describe_local, parse_when
from db.engine import Database
from db.meeting_lookup import meeting_choices, resolve_meeting
from db.meetings import (
    NewMeeting,
    cancel_meeting,
    create_meeting,
    edit_meeting,
    get_meeting,
    list_attendees,
    meeting_view,
    upcoming_meetings,
)
from db.models import MeetingStatus, Reminder, ReminderStatus, RsvpStatus
from db.rsvps import ReactionChange, apply_reactions, set_rsvp
from tests.factories import GUILD_ID, make_group, make_meeting

OFFSETS = [timedelta(days=1), timedelta(hours=1)]


def now() -> datetime:
    return datetime.now(UTC)


async def reminders_of(db: Database, meeting_id: int) -> list[Reminder]:
    async with db.read() as session:
        return list(
            (await session.scalars(select(Reminder).where(Reminder.meeting_id == meeting_id))).all()
        )


async def test_create_plans_the_default_reminders(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    reminders = await reminders_of(db, meeting.id)
    assert sorted(r.offset_minutes for r in reminders) == [60, 1440]


async def test_create_refuses_a_past_time(db: Database) -> None:
    with pytest.raises(InvalidInput, match="in the past"):
        await make_meeting(db, await make_group(db), starts_in=timedelta(minutes=-5))


async def test_create_refuses_a_group_that_is_not_active(db: Database) -> None:
    with pytest.raises(InvalidInput, match="not active"):
        await make_meeting(db, await make_group(db, status="pending"))


async def test_edit_changes_fields_and_tells_going_and_maybe_in_order(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await apply_reactions(
        db, meeting.id,
        [ReactionChange(3, RsvpStatus.MAYBE, True), ReactionChange(1, RsvpStatus.GOING, True),
         ReactionChange(2, RsvpStatus.NOT_GOING, True)],
        now=now(),
    )
    change = await edit_meeting(
        db, meeting.id, {"title": "New title", "venue": "Bar"}, default_offsets=OFFSETS, now=now()
    )
    assert change.meeting.title == "New title" and change.meeting.venue == "Bar"
    assert change.notify == [3, 1]
    assert not change.time_changed


async def test_edit_of_the_time_replans_reminders(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    later = meeting.starts_at + timedelta(days=2)
    change = await edit_meeting(
        db, meeting.id, {"starts_at": later}, default_offsets=OFFSETS, now=now()
    )
    assert change.time_changed
    dues = sorted(r.due_at for r in await reminders_of(db, meeting.id))
    assert dues == [later - timedelta(days=1), later - timedelta(hours=1)]


async def test_edit_refuses_a_past_time(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    with pytest.raises(InvalidInput):
        await edit_meeting(
            db, meeting.id, {"starts_at": now() - timedelta(hours=1)},
            default_offsets=OFFSETS, now=now(),
        )


async def test_raising_capacity_promotes_the_waitlist_in_order(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await apply_reactions(
        db, meeting.id, [ReactionChange(u, RsvpStatus.GOING, True) for u in (5, 4, 3, 2)],
        now=now(),
    )
    change = await edit_meeting(
        db, meeting.id, {"capacity": 3}, default_offsets=OFFSETS, now=now()
    )
    assert change.promoted == [4, 3]
    attendees = await list_attendees(db, meeting.id)
    assert attendees.going == [5, 4, 3] and attendees.waitlist == [2]


async def test_lowering_capacity_keeps_those_already_going(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=3)
    await apply_reactions(
        db, meeting.id, [ReactionChange(u, RsvpStatus.GOING, True) for u in (1, 2, 3)], now=now()
    )
    await edit_meeting(db, meeting.id, {"capacity": 1}, default_offsets=OFFSETS, now=now())
    outcome = await set_rsvp(db, meeting.id, 4, RsvpStatus.GOING, now=now())
    assert outcome.waitlisted == {4: 1}
    assert (await list_attendees(db, meeting.id)).going == [1, 2, 3]


async def test_cancel_marks_cancelled_drops_reminders_and_names_who_to_tell(
    db: Database,
) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await set_rsvp(db, meeting.id, 1, RsvpStatus.GOING, now=now())
    await set_rsvp(db, meeting.id, 2, RsvpStatus.NOT_GOING, now=now())
    change = await cancel_meeting(db, meeting.id, "venue closed", now=now())
    assert change.meeting.status == MeetingStatus.CANCELLED
    assert change.meeting.cancel_reason == "venue closed"
    assert change.notify == [1]
    assert {r.status for r in await reminders_of(db, meeting.id)} == {ReminderStatus.CANCELLED}


async def test_cancel_twice_is_refused(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await cancel_meeting(db, meeting.id, None, now=now())
    with pytest.raises(InvalidInput):
        await cancel_meeting(db, meeting.id, None, now=now())


async def test_edit_of_a_cancelled_meeting_is_refused(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db))
    await cancel_meeting(db, meeting.id, None, now=now())
    with pytest.raises(InvalidInput):
        await edit_meeting(db, meeting.id, {"title": "x"}, default_offsets=OFFSETS, now=now())


async def test_upcoming_lists_scheduled_future_meetings_in_time_order(db: Database) -> None:
    group = await make_group(db, member_ids=[9])
    other = await make_group(db, name="GUG Lima", city="Lima")
    later = await make_meeting(db, group, title="later", starts_in=timedelta(days=9))
    sooner = await make_meeting(db, group, title="sooner", starts_in=timedelta(days=2))
    cancelled = await make_meeting(db, group, title="cancelled")
    await cancel_meeting(db, cancelled.id, None, now=now())
    await make_meeting(db, other, title="elsewhere")
    mine = await upcoming_meetings(db, GUILD_ID, now=now(), member_id=9)
    assert [v.meeting.id for v in mine] == [sooner.id, later.id]
    everyone = await upcoming_meetings(db, GUILD_ID, now=now())
    assert len(everyone) == 3


async def test_meeting_view_counts_and_agenda(db: Database) -> None:
    meeting = await make_meeting(db, await make_group(db), capacity=1)
    await apply_reactions(
        db, meeting.id,
        [ReactionChange(1, RsvpStatus.GOING, True), ReactionChange(2, RsvpStatus.GOING, True),
         ReactionChange(3, RsvpStatus.MAYBE, True)],
        now=now(),
    )
    view = await meeting_view(db, meeting.id)
    assert view is not None
    assert (view.counts.going, view.counts.waitlist, view.counts.maybe) == (1, 1, 1)


async def test_meeting_option_resolves_id_or_unambiguous_title(db: Database) -> None:
    group = await make_group(db, organizer_ids=[77])
    first = await make_meeting(db, group, title="Python night")
    await make_meeting(db, group, title="Rust night")
    assert (await resolve_meeting(db, GUILD_ID, str(first.id), now=now())).id == first.id
    assert (await resolve_meeting(db, GUILD_ID, "python", now=now())).id == first.id
    with pytest.raises(NotFound, match="matches several meetings") as error:
        await resolve_meeting(db, GUILD_ID, "night", now=now())
    assert len(error.value.params["names"].split(", ")) == 2
    choices = await meeting_choices(db, GUILD_ID, "rust", now=now(), organizer_id=77)
    assert [m.title for m, _ in choices] == ["Rust night"]
    assert await meeting_choices(db, GUILD_ID, "", now=now(), organizer_id=78) == []


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        # Santiago springs forward at 00:00 on 5 Sep 2027: 01:30 is the first hour of -03.
        ("2027-09-05 01:30", datetime(2027, 9, 5, 4, 30, tzinfo=UTC)),
        ("2027-09-04 23:30", datetime(2027, 9, 5, 3, 30, tzinfo=UTC)),
        # It falls back at 00:00 on 4 Apr 2027: 22:30 on the 3rd is still -03.
        ("2027-04-03 22:30", datetime(2027, 4, 4, 1, 30, tzinfo=UTC)),
        ("2027-04-04 00:30", datetime(2027, 4, 4, 4, 30, tzinfo=UTC)),
    ],
)
async def test_meetings_next_to_santiago_dst_changes_are_stored_at_the_right_instant(
    db: Database, text: str, utc: datetime
) -> None:
    asked_at = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    group = await make_group(db)
    when = parse_when(text, group.timezone, asked_at)
    meeting = await create_meeting(
        db,
        NewMeeting(group_id=group.id, created_by=1, title="DST", kind="social",
                   starts_at=when.utc, duration_minutes=120),
        default_offsets=OFFSETS, now=asked_at,
    )
    stored = await get_meeting(db, meeting.id)
    assert stored is not None and stored.starts_at == utc
    assert describe_local(stored.starts_at, group.timezone).endswith(
        f"{text[-5:]} America/Santiago"
    )
