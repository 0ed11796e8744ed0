"""Check-ins with quiet groups: planned once per interval, claimed once, answered by organizers."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from core.errors import NotAllowed
from db.checkins import (
    claim_due_checkins,
    latest_checkins,
    mark_checkin_sent,
    plan_checkins,
    record_checkin_answer,
)
from db.engine import Database
from db.groups import Actor
from db.models import CheckinAnswer, Group
from tests.factories import GUILD_ID, NOW, make_group, make_meeting, seed_meeting

DORMANT = 60
INTERVAL = 30
LEASE = timedelta(minutes=2)


async def quiet_group(db: Database, name: str = "GUG Quiet", *, age_days: int = 200) -> Group:
    group = await make_group(db, name=name, organizer_ids=[10])
    async with db.transaction() as session:
        row = await session.get(Group, group.id)
        assert row is not None
        row.created_at = row.decided_at = NOW - timedelta(days=age_days)
    return group


async def plan(db: Database, now: datetime = NOW) -> list[int]:
    return await plan_checkins(db, now=now, dormant_after_days=DORMANT, interval_days=INTERVAL)


async def test_a_quiet_group_gets_one_check_in_per_interval(db: Database) -> None:
    await quiet_group(db)
    assert len(await plan(db)) == 1
    assert await plan(db) == []
    assert await plan(db, NOW + timedelta(days=INTERVAL - 1)) == []
    assert len(await plan(db, NOW + timedelta(days=INTERVAL + 1))) == 1


async def test_groups_with_a_recent_or_coming_meeting_or_a_young_group_are_not_asked(
    db: Database,
) -> None:
    recent = await quiet_group(db, "GUG Recent")
    await seed_meeting(db, recent.id, NOW - timedelta(days=DORMANT - 5), [], NOW)
    coming = await quiet_group(db, "GUG Coming")
    await make_meeting(db, coming, starts_in=timedelta(days=3), now=NOW)
    await quiet_group(db, "GUG Young", age_days=DORMANT - 1)
    old_meeting = await quiet_group(db, "GUG Old meeting")
    await seed_meeting(db, old_meeting.id, NOW - timedelta(days=DORMANT + 5), [], NOW)
    planned = await plan(db)
    claims = await claim_due_checkins(db, token="a", now=NOW, lease=LEASE)
    assert len(planned) == 1
    assert [claim.group_name for claim in claims] == ["GUG Old meeting"]


async def test_a_check_in_is_claimed_once_until_its_lease_runs_out(db: Database) -> None:
    group = await quiet_group(db)
    await plan(db)
    first = await claim_due_checkins(db, token="a", now=NOW, lease=LEASE)
    assert [(c.group_id, c.organizer_ids) for c in first] == [(group.id, (10,))]
    assert (
        await claim_due_checkins(db, token="b", now=NOW + timedelta(minutes=1), lease=LEASE) == []
    )
    retried = await claim_due_checkins(db, token="b", now=NOW + LEASE * 2, lease=LEASE)
    assert [c.id for c in retried] == [first[0].id]
    assert not await mark_checkin_sent(db, first[0], now=NOW)
    assert await mark_checkin_sent(db, retried[0], now=NOW)
    assert await claim_due_checkins(db, token="c", now=NOW + LEASE * 5, lease=LEASE) == []


async def test_a_meeting_scheduled_before_sending_stops_the_check_in(db: Database) -> None:
    group = await quiet_group(db)
    await plan(db)
    await make_meeting(db, group, starts_in=timedelta(days=10), now=NOW)
    assert await claim_due_checkins(db, token="a", now=NOW, lease=LEASE) == []
    assert await claim_due_checkins(db, token="a", now=NOW + LEASE * 2, lease=LEASE) == []


async def test_answers_are_recorded_and_shown_for_stats(db: Database) -> None:
    group = await quiet_group(db)
    await plan(db)
    (claim,) = await claim_due_checkins(db, token="a", now=NOW, lease=LEASE)
    await mark_checkin_sent(db, claim, now=NOW)
    with pytest.raises(NotAllowed):
        await record_checkin_answer(
            db, checkin_id=claim.id, answer=CheckinAnswer.ACTIVE, by=Actor(99), now=NOW
        )
    answered = await record_checkin_answer(
        db, checkin_id=claim.id, answer=CheckinAnswer.NEED_HELP, by=Actor(10), now=NOW
    )
    assert answered.tell_coordinators
    active = await record_checkin_answer(
        db, checkin_id=claim.id, answer=CheckinAnswer.ACTIVE, by=Actor(10), now=NOW
    )
    assert not active.tell_coordinators
    (summary,) = await latest_checkins(db, GUILD_ID)
    assert (summary.group_id, summary.answer, summary.answered_at) == (
        group.id,
        CheckinAnswer.ACTIVE,
        NOW,
    )


async def test_two_planners_at_once_plan_one_check_in(db: Database) -> None:
    await quiet_group(db)
    first, second = await asyncio.gather(plan(db), plan(db))
    assert len(first) + len(second) == 1


async def test_two_claimers_at_once_claim_a_check_in_once(db: Database) -> None:
    await quiet_group(db)
    await plan(db)
    claims = await asyncio.gather(
        claim_due_checkins(db, token="a", now=NOW, lease=LEASE),
        claim_due_checkins(db, token="b", now=NOW, lease=LEASE),
    )
    assert sum(len(found) for found in claims) == 1
