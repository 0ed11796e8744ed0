"""Check-ins end to end: quiet groups are asked, and each answer does what it says."""

from __future__ import annotations

from datetime import timedelta

from db.models import Group, GroupStatus
from tests.support.group_steps import active_group, configure
from tests.support.gug import Gug


async def sweep(gug: Gug) -> int:
    # By name: each bot loads its extensions afresh, so the class differs between bots.
    cog = gug.bot.get_cog("Checkins")
    assert cog is not None
    count: int = await cog.sweep()  # type: ignore[attr-defined]
    return count


def answer_button(ids: list[str], answer: str) -> str:
    return next(cid for cid in ids if cid.startswith(f"gug:checkin:{answer}:"))


async def test_quiet_groups_get_a_checkin_and_each_answer_does_what_it_says(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await active_group(gug, "alice", "GUG Quito", "Quito", "Ecuador")
    await active_group(gug, "bob", "GUG Lima", "Lima", "Peru")
    archived_id = await active_group(gug, "carol", "GUG Cusco", "Cusco", "Peru")
    assert gug.bot.scheduler.get_job("checkins:sweep") is not None
    assert await sweep(gug) == 0

    gug.clock.advance(timedelta(days=121))
    assert await sweep(gug) == 3
    assert await sweep(gug) == 0  # Asked once per interval, not at every sweep.
    asked = {user: sb.dms(user)[-1] for user in ("alice", "bob", "carol")}
    assert "“GUG Quito” has had no meeting for a while" in asked["alice"].content
    ids = sb.snapshot(asked["alice"]).custom_ids()
    assert [cid.split(":")[2] for cid in ids] == ["active", "need_help", "please_archive"]

    active = await sb.press_button("alice", asked["alice"], answer_button(ids, "active"))
    assert "Still active — planning a meeting" in active.text
    before = len(sb.messages("coordinators"))

    help_ids = sb.snapshot(asked["bob"]).custom_ids()
    helped = await sb.press_button("bob", asked["bob"], answer_button(help_ids, "need_help"))
    assert "coordinators were told" in helped.text
    assert "says “GUG Lima” needs help" in sb.messages("coordinators")[-1].content

    pending = await sb.command("coord", "coord pending")
    assert "**GUG Lima**: We need help" in pending.text and "GUG Quito" not in pending.text

    archive_ids = sb.snapshot(asked["carol"]).custom_ids()
    await sb.press_button("carol", asked["carol"], answer_button(archive_ids, "please_archive"))
    post = sb.messages("coordinators")[-1]
    assert len(sb.messages("coordinators")) == before + 2
    assert "asks to archive “GUG Cusco”" in post.content and sb.pinged(post) == set()
    [confirm] = sb.snapshot(post).custom_ids()
    refused = await sb.press_button("bob", post, confirm)
    assert "Only coordinators" in refused.text
    async with gug.db.read() as session:
        group = await session.get(Group, archived_id)
        assert group is not None and group.status == GroupStatus.ACTIVE
    done = await sb.press_button("coord", post, confirm)
    assert "Archived “GUG Cusco”" in done.text
    assert sb.snapshot(post).custom_ids() == []
    async with gug.db.read() as session:
        group = await session.get(Group, archived_id)
        assert group is not None and group.status == GroupStatus.ARCHIVED

    pending = await sb.command("coord", "coord pending")
    assert "GUG Cusco" not in pending.text  # Archived: nothing left to decide.

    stats = await sb.command("coord", "coord stats")
    assert "**GUG Quito**: Still active — planning a meeting" in stats.text
    assert "**GUG Lima**: We need help" in stats.text


async def test_checkin_goes_to_the_group_channel_when_dms_are_closed(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await active_group(gug, "dave", "GUG Quito", "Quito", "Ecuador")
    sb.set_dms("dave", open=False)
    gug.clock.advance(timedelta(days=121))
    assert await sweep(gug) == 1
    post = sb.messages("gug-quito")[-1]
    assert "no meeting for a while" in post.content
    assert sb.pinged(post) == {sb.user("dave").id}
    not_organizer = await sb.press_button(
        "erin", post, answer_button(sb.snapshot(post).custom_ids(), "active")
    )
    assert "Only this group's organizers" in not_organizer.text
