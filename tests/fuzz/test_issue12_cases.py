"""The cases issue 12 found, end to end on the shared bot, and answers to failures."""

from __future__ import annotations

import asyncio
import csv
import io
import sys
from types import ModuleType

import discord
import pytest
from discord.http import handle_message_parameters

from tests.factories import make_group
from tests.fuzz.harness import Fuzz
from tests.support.meeting_steps import group_for

pytestmark = pytest.mark.asyncio(loop_scope="module")


def loaded(name: str) -> ModuleType:
    """Return the module the running bot loaded (extensions are not package attributes)."""
    return sys.modules[name]


@pytest.mark.parametrize("zone", ["America", "x" * 300, "../../etc/passwd", "Europe/"])
async def test_group_edit_refuses_a_zone_that_is_a_folder_path_or_garbage(
    fuzz: Fuzz, zone: str
) -> None:
    group = await group_for(fuzz.gug)
    reply = await fuzz.gug.sb.command("alice", "group edit", group=str(group.id), timezone=zone)
    assert "is not a time zone I know" in reply.text


@pytest.mark.parametrize("typed", ["²", "99999999999999999999"])
async def test_group_meeting_talk_and_offer_options_refuse_odd_numbers_as_not_found(
    fuzz: Fuzz, typed: str
) -> None:
    sb = fuzz.gug.sb
    for reply in [
        await sb.command("alice", "group info", group=typed),
        await sb.command("alice", "meeting attendees", meeting=typed),
        await sb.command("alice", "talk accept", talk=typed),
        # Found by `make fuzz`: the offer options read "²" with str.isdigit, then int() raised.
        await sb.command("admin", "speaker withdraw", offer=typed),
        await sb.command("alice", "speaker invite", offer=typed, meeting=str(fuzz.ids.meetings[0])),
    ]:
        assert reply.ephemeral and "error id" not in reply.text
        assert reply.text


async def test_year_9999_is_refused_in_a_zone_behind_utc_and_in_autocomplete(fuzz: Fuzz) -> None:
    sb = fuzz.gug.sb
    group = await group_for(fuzz.gug)
    choices = await sb.autocomplete("alice", "meeting create", "when", "9999-12-31 23:00",
                                    group=str(group.id))
    assert "two years" in choices[0]["name"]
    reply = await sb.command("alice", "meeting create", group=str(group.id), title="Far",
                             when="9999-12-31 23:00", kind="social")
    assert "two years" in reply.text


async def test_a_huge_duration_is_the_duration_error(fuzz: Fuzz) -> None:
    sb = fuzz.gug.sb
    group = await group_for(fuzz.gug)
    reply = await sb.command("alice", "meeting create", group=str(group.id), title="Long",
                             when="tomorrow 19:00", kind="social", duration="99999999999d")
    assert "is not a duration" in reply.text
    offsets = await sb.command("alice", "reminders offsets", group=str(group.id),
                               offsets="99999999999d")
    assert offsets.ephemeral and "error id" not in offsets.text


async def test_everyone_and_managed_roles_cannot_be_the_coordinator_role(fuzz: Fuzz) -> None:
    sb = fuzz.gug.sb
    everyone = await sb.command("admin", "setup coordinator-role", role=sb.world.guild.id)
    assert "@everyone cannot be the coordinator role" in everyone.text
    managed = next(role for role in sb.world.guild.roles.values() if role.managed)
    refused = await sb.command("admin", "setup coordinator-role", role=managed.id)
    assert "belongs to an integration" in refused.text


async def test_pending_proposals_autocomplete_only_for_coordinators(fuzz: Fuzz) -> None:
    sb = fuzz.gug.sb
    await sb.command("bob", "group propose", name="GUG Quito", city="Quito", country="Ecuador")
    assert await sb.autocomplete("alice", "coord approve", "group", "Quito") == []
    offered = await sb.autocomplete("coord", "coord approve", "group", "Quito")
    assert [c["name"].split(" — ")[0] for c in offered] == ["GUG Quito"]


async def test_coord_stats_csv_neutralises_formulas(fuzz: Fuzz) -> None:
    gug = fuzz.gug
    await make_group(gug.db, guild_id=gug.sb.world.guild.id, name='=HYPERLINK("http://x")')
    reply = await gug.sb.command("coord", "coord stats")
    rows = list(csv.reader(io.StringIO(reply.attachments[0].text())))
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


async def test_an_unexpected_failure_gets_the_apology_with_its_id(
    fuzz: Fuzz, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database fell over")

    monkeypatch.setattr(loaded("cogs.groups._group"), "group_summaries", broken)
    reply = await fuzz.gug.sb.command("alice", "group list")
    assert reply.ephemeral and "error id `" in reply.text


async def test_a_failure_after_deferring_replaces_the_thinking_message_with_the_apology(
    fuzz: Fuzz, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database fell over")

    monkeypatch.setattr(loaded("cogs.reminders._reminders"), "set_reminder_dms", broken)
    reply = await fuzz.gug.sb.command("alice", "reminders dm", enabled=True)
    assert reply.response_type == 5 and "error id `" in reply.text


async def test_a_reply_discord_refuses_still_ends_in_the_apology(
    fuzz: Fuzz, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaded("cogs.groups._group"), "list_embed",
                        lambda *args: discord.Embed(description="x" * 4097))
    reply = await fuzz.gug.sb.command("alice", "group list")
    assert reply.ephemeral and "error id `" in reply.text


async def test_a_pasted_page_as_a_place_is_refused_within_discords_limit(fuzz: Fuzz) -> None:
    # Found by `make fuzz`: the refusal quoted all 2,000 characters and Discord refused it.
    reply = await fuzz.gug.sb.command("alice", "interest add", place="x" * 2000)
    assert reply.ephemeral and "No city called" in reply.text
    assert len(reply.text) < 200



async def test_a_button_no_handler_knows_is_answered_before_discord_gives_up(
    fuzz: Fuzz, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A message of an older version, whose button's handler is gone: discord.py drops it.
    gug, sb = fuzz.gug, fuzz.gug.sb
    monkeypatch.setattr(gug.bot.unanswered, "deadline", 0.2)
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Going (old)", custom_id="gug:going-v0:7"))
    with handle_message_parameters(content="From an older gugbot", view=view) as params:
        posted = await gug.bot.http.send_message(sb.channel("general").id, params=params)

    reply = await sb.press_button("bob", int(posted["id"]), "gug:going-v0:7", timeout=2.9)

    assert reply.ephemeral and "error id `" in reply.text


async def test_an_autocomplete_nobody_answers_gets_no_choices_rather_than_a_failure(
    fuzz: Fuzz, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = asyncio.Event()

    async def stuck(*args: object, **kwargs: object) -> list[object]:
        await release.wait()
        return []

    monkeypatch.setattr(fuzz.gug.bot.unanswered, "deadline", 0.2)
    monkeypatch.setattr(loaded("cogs.groups.options"), "group_choices", stuck)
    try:
        choices = await fuzz.gug.sb.autocomplete("alice", "group info", "group", "Mon",
                                                 timeout=2.9)
    finally:
        release.set()
    assert choices == []
