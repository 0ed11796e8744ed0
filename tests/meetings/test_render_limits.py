"""Renderers fit Discord's limits by construction, whatever the stored text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.limits import EMBED_TOTAL_LIMIT
from cogs.groups._render import list_embed, pending_embed
from cogs.meetings._embeds import render_announcement
from core.i18n import Translator
from db.group_directory import GroupSummary
from db.meetings import AgendaItem, Counts, MeetingView
from db.models import Group, Meeting, MeetingStatus
from sandbox.validation import validate_message

START = datetime(2026, 12, 10, 22, 0, tzinfo=UTC)


def accepted(embed) -> None:
    """Raise as Discord would if the embed broke a limit."""
    validate_message({"embeds": [embed.to_dict()]})


def long_meeting(status: str) -> MeetingView:
    meeting = Meeting(
        id=1, guild_id=1, group_id=1, title="T" * 300, kind="mixed", starts_at=START,
        duration_minutes=120, venue="V" * 1000, online_url="https://x.example/" + "u" * 500,
        capacity=10, description="D" * 4000, status=status, cancel_reason="R" * 1000,
    )
    group = Group(id=1, guild_id=1, name="G" * 300, timezone="America/Montevideo")
    agenda = [AgendaItem("A" * 200, 10**18) for _ in range(10)]
    return MeetingView(meeting, group, Counts(going=3), agenda)


def test_a_cancelled_announcement_with_every_field_long_fits_discord() -> None:
    embed = render_announcement(long_meeting(MeetingStatus.CANCELLED))
    assert len(embed) <= EMBED_TOTAL_LIMIT
    accepted(embed)
    # The reason is what people need; it is kept, and the description gives way.
    assert any(field.value and field.value.startswith("R" * 900) for field in embed.fields)
    assert embed.description and embed.description.endswith("…")


def test_a_scheduled_announcement_with_every_field_long_fits_discord() -> None:
    embed = render_announcement(long_meeting(MeetingStatus.SCHEDULED))
    assert len(embed) <= EMBED_TOTAL_LIMIT
    accepted(embed)


def summary(i: int) -> GroupSummary:
    return GroupSummary(
        id=i, name=f"{i:02d}" + "N" * 250, description="", city="C" * 200, country="P" * 200,
        country_code="UY", timezone="UTC", status="active", channel_id=None,
        organizer_ids=tuple(range(10**17, 10**17 + 5)), member_count=i,
        next_meeting_at=START + timedelta(days=i),
    )


def test_group_list_of_20_long_names_fits_and_says_how_many_more() -> None:
    t = Translator(None)
    embed = list_embed(t, [summary(i) for i in range(20)], 20, None)
    assert len(embed) <= EMBED_TOTAL_LIMIT
    accepted(embed)
    shown = len(embed.fields)
    assert 0 < shown < 20
    assert embed.footer.text == f"Showing {shown} of 20; use /findgroup to narrow down."


def test_pending_list_of_long_proposals_fits_and_says_how_many_more() -> None:
    t = Translator(None)
    groups = [
        Group(id=i, name="N" * 250, city="C" * 200, country="P" * 200, proposer_id=1,
              created_at=START, status="pending")
        for i in range(30)
    ]
    embed = pending_embed(t, groups, [])
    assert len(embed) <= EMBED_TOTAL_LIMIT
    accepted(embed)
    assert embed.footer.text == f"…and {30 - len(embed.fields)} more."


def test_pending_list_longer_than_a_page_says_how_many_more() -> None:
    groups = [Group(id=i, name=f"G{i}", city="C", country="P", proposer_id=1,
                    created_at=START, status="pending") for i in range(30)]
    embed = pending_embed(Translator(None), groups, [])
    assert embed.footer.text == f"…and {30 - len(embed.fields)} more."
