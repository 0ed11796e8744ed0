"""/findgroup end to end: matching, nearest groups, invitations and autocomplete."""

from __future__ import annotations

import time

import pytest

from tests.support.group_steps import active_group, configure, propose
from tests.support.gug import Gug


@pytest.fixture
async def network(gug: Gug) -> Gug:
    await configure(gug)
    await active_group(gug, "alice", "GUG Monterrey", "Monterrey", "México")
    await active_group(gug, "bob", "GUG São Paulo", "São Paulo", "Brasil")
    await active_group(gug, "carol", "GUG Cuenca", "Cuenca", "Ecuador")
    await active_group(gug, "dave", "GUG Cuenca ES", "Cuenca", "Spain")
    return gug


@pytest.mark.parametrize(
    ("place", "group"),
    [
        ("monterey", "GUG Monterrey"),
        ("sao paulo", "GUG São Paulo"),
        ("Brazil", "GUG São Paulo"),
        ("mexico", "GUG Monterrey"),
    ],
)
async def test_findgroup_shows_matching_groups_with_organizers_members_and_next_meeting(
    network: Gug, place: str, group: str
) -> None:
    reply = await network.sb.command("erin", "findgroup", place=place)
    assert reply.ephemeral
    assert group in reply.text
    assert "Organizers: <@" in reply.text and "Members: 1" in reply.text
    assert "Next meeting" in reply.text


async def test_ambiguous_city_lists_each_country(network: Gug) -> None:
    reply = await network.sb.command("erin", "findgroup", place="cuenca")
    assert "Cuenca, Ecuador" in reply.text and "Cuenca, Spain" in reply.text


async def test_city_without_group_answers_nearest_and_invites_to_propose(network: Gug) -> None:
    reply = await network.sb.command("erin", "findgroup", place="Rio de Janeiro")
    assert "no group in" in reply.text
    assert reply.text.index("GUG São Paulo") < reply.text.index("GUG Monterrey")
    assert " km" in reply.text and "/group propose" in reply.text


async def test_unknown_place_says_so_and_offers_to_propose(network: Gug) -> None:
    reply = await network.sb.command("erin", "findgroup", place="Xqzzyville")
    assert "Nothing matches" in reply.text and "/group propose" in reply.text


async def test_pending_and_archived_groups_are_not_found(network: Gug) -> None:
    sb = network.sb
    await propose(network, "erin", "GUG Lima", "Lima", "Peru")
    await sb.command("coord", "coord archive", group="GUG Cuenca ES", reason="inactive")
    lima = await sb.command("erin", "findgroup", place="lima")
    assert "GUG Lima" not in lima.text
    cuenca = await sb.command("erin", "findgroup", place="cuenca")
    assert "GUG Cuenca ES" not in cuenca.text and "GUG Cuenca" in cuenca.text


async def test_autocomplete_offers_group_places_then_cities_quickly(network: Gug) -> None:
    started = time.monotonic()
    choices = await network.sb.autocomplete("erin", "findgroup", "place", "mon")
    assert time.monotonic() - started < 1.0
    names = [choice["name"] for choice in choices]
    assert names[0] == "Monterrey"
    assert "Montevideo, Uruguay" in names
    assert len(choices) <= 25
    chosen = await network.sb.command("erin", "findgroup", place="Cuenca, Ecuador")
    assert "GUG Cuenca" in chosen.text and "GUG Cuenca ES" not in chosen.text


async def test_overlong_place_is_refused(network: Gug) -> None:
    reply = await network.sb.command("erin", "findgroup", place="x" * 101)
    assert reply.ephemeral and "limit is 100" in reply.text


async def test_region_finds_the_groups_proposed_in_it(network: Gug) -> None:
    await active_group(network, "erin", "GUG Rosario", "rosario", "Argentina")
    reply = await network.sb.command("bob", "findgroup", place="santa fe")
    assert "GUG Rosario" in reply.text and "GUG Monterrey" not in reply.text
    region = await network.sb.command("bob", "findgroup", place="Nuevo Leon")
    assert "GUG Monterrey" in region.text
    choices = await network.sb.autocomplete("bob", "findgroup", "place", "santa f")
    assert choices[0]["name"] == "Santa Fe"
