"""Recurring meetings end to end: a weekly series, announced on time, one occurrence cancelled."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.meetings import get_meeting
from db.models import Meeting, MeetingStatus, SeriesOccurrence
from tests.support.gug import Gug
from tests.support.meeting_steps import create_meeting, when_in


async def _occurrences(gug: Gug) -> list[Meeting]:
    async with gug.db.read() as session:
        return list(
            await session.scalars(
                select(Meeting)
                .join(SeriesOccurrence, SeriesOccurrence.meeting_id == Meeting.id)
                .order_by(Meeting.starts_at)
            )
        )


async def _check(gug: Gug) -> None:
    """Run the periodic series check now (the test moves the clock instead of waiting)."""
    cog = gug.bot.get_cog("Meetings")
    assert cog is not None
    await cog.series.check()  # type: ignore[attr-defined]


async def test_a_weekly_series_announces_each_occurrence_a_week_ahead(gug: Gug) -> None:
    reply, _meeting_id = await create_meeting(
        gug, title="Weekly hack night", when=when_in(days=3), repeat="weekly"
    )
    assert "series **Weekly hack night**" in reply.text, reply.text
    assert "7 days before it." in reply.text
    first, second, *later = await _occurrences(gug)
    assert second.starts_at - first.starts_at == timedelta(days=7)
    assert len(later) >= 1
    assert first.announcement_message_id is not None  # Three days ahead: due at once.
    assert second.announcement_message_id is None  # Ten days ahead: not yet.

    due = second.starts_at - gug.bot.settings.meetings.announce_ahead
    gug.clock.advance(due - timedelta(hours=1) - gug.clock.now())
    await _check(gug)
    second = await get_meeting(gug.db, second.id) or second
    assert second.announcement_message_id is None  # Seven days and an hour ahead.

    gug.clock.advance(timedelta(hours=2))
    await _check(gug)
    second = await get_meeting(gug.db, second.id) or second
    assert second.announcement_message_id is not None
    message = gug.sb.message(second.announcement_message_id)
    assert message.embeds[0]["title"] == "Weekly hack night"


async def test_one_occurrence_is_cancelled_alone(gug: Gug) -> None:
    await create_meeting(gug, title="Weekly hack night", when=when_in(days=3), repeat="weekly")
    first, second, third, *_ = await _occurrences(gug)
    reply = await gug.sb.command(
        "alice", "meeting cancel", meeting=str(second.id), reason="Holiday",
        scope="this",
    )
    assert "Cancelled" in reply.text, reply.text
    statuses = {m.id: m.status for m in await _occurrences(gug)}
    assert statuses[second.id] == MeetingStatus.CANCELLED
    assert statuses[first.id] == statuses[third.id] == MeetingStatus.SCHEDULED

    listed = await gug.sb.command("alice", "meeting list")
    assert "Weekly hack night" in listed.text and "🔁 weekly" in listed.text


async def test_this_and_following_cancels_the_rest_of_the_series(gug: Gug) -> None:
    await create_meeting(gug, title="Weekly hack night", when=when_in(days=3), repeat="weekly")
    first, second, *later = await _occurrences(gug)
    await gug.sb.command(
        "alice", "meeting cancel", meeting=str(second.id), scope="following"
    )
    statuses = {m.id: m.status for m in await _occurrences(gug)}
    assert statuses[first.id] == MeetingStatus.SCHEDULED
    assert {statuses[m.id] for m in [second, *later]} == {MeetingStatus.CANCELLED}
    gug.clock.advance(timedelta(days=60))
    await _check(gug)  # An ended series makes no new occurrences.
    assert len(await _occurrences(gug)) == 2 + len(later)


async def test_editing_this_and_following_moves_the_later_occurrences(gug: Gug) -> None:
    await create_meeting(gug, title="Weekly hack night", when=when_in(days=3), repeat="weekly")
    first, second, third, *_ = await _occurrences(gug)
    reply = await gug.sb.command(
        "alice", "meeting edit", meeting=str(second.id), title="Hack night",
        scope="following",
    )
    assert "Updated" in reply.text, reply.text
    titles = {m.id: m.title for m in await _occurrences(gug)}
    assert titles[first.id] == "Weekly hack night"
    assert titles[second.id] == titles[third.id] == "Hack night"
