"""Finding groups by place: accents, typos, country aliases, ambiguity, distance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cogs.groups._place_index import PlaceIndexCache
from core.geography import gazetteer
from core.place_matching import MatchKind, find_place
from db.group_directory import group_summaries, list_active_groups
from db.groups import archive_group, reject_group
from db.memberships import join_group
from db.models import Group, Meeting, MeetingStatus
from db.network_stats import network_stats
from tests.factories import COORDINATOR, GUILD, NOW, active, proposed

NETWORK = [
    ("GUG Montevideo", "Montevideo", "UY"),
    ("GUG Rosario", "Rosario", "AR"),
    ("GUG Monterrey", "Monterrey", "MX"),
    ("GUG Puebla", "Puebla", "MX"),
    ("GUG Cuenca", "Cuenca", "EC"),
    ("GUG Cuenca España", "Cuenca", "ES"),
    ("GUG São Paulo", "São Paulo", "BR"),
    ("GUG México", "Mexico City", "MX"),
]


@pytest.fixture
async def network(db):
    return {name: (await active(db, name, city, code)).id for name, city, code in NETWORK}


async def find(db, query):
    index = await PlaceIndexCache(db, gazetteer()).get(GUILD)
    return find_place(index, gazetteer(), query)


async def names(db, query):
    match = await find(db, query)
    summaries = await group_summaries(db, match.group_ids, NOW)
    return match.kind, {summary.name for summary in summaries}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("montevideo", {"GUG Montevideo"}),
        ("MONTEVIDEO", {"GUG Montevideo"}),
        ("sao paulo", {"GUG São Paulo"}),
        ("monterey", {"GUG Monterrey"}),
        ("rosaio", {"GUG Rosario"}),
        ("Uruguay", {"GUG Montevideo"}),
        ("Brazil", {"GUG São Paulo"}),
        ("Brasil", {"GUG São Paulo"}),
        ("mexico", {"GUG Monterrey", "GUG Puebla", "GUG México"}),
        ("México", {"GUG Monterrey", "GUG Puebla", "GUG México"}),
        ("Espanha", {"GUG Cuenca España"}),
        ("cuenca", {"GUG Cuenca", "GUG Cuenca España"}),
    ],
)
async def test_findgroup_matches_place_case_accent_and_typo_insensitively(
    db, network, query, expected
):
    kind, found = await names(db, query)
    assert kind == MatchKind.GROUPS
    assert found == expected


async def test_ambiguous_city_shows_each_group_with_its_country(db, network):
    match = await find(db, "Cuenca")
    summaries = await group_summaries(db, match.group_ids, NOW)
    assert {(s.city, s.country) for s in summaries} == {("Cuenca", "Ecuador"), ("Cuenca", "Spain")}


async def test_known_city_without_group_answers_nearest_groups_by_distance(db, network):
    match = await find(db, "Buenos Aires")
    assert match.kind == MatchKind.NEARBY
    [nearby] = match.nearby
    assert nearby.city.country_code == "AR"
    ids = [group_id for group_id, _km in nearby.groups]
    # Montevideo (~200 km) is nearer than Rosario (~280 km); both before São Paulo.
    assert ids[:3] == [network["GUG Montevideo"], network["GUG Rosario"], network["GUG São Paulo"]]
    km = dict(nearby.groups)
    assert 180 < km[network["GUG Montevideo"]] < 240


async def test_unknown_place_matches_nothing(db, network):
    assert (await find(db, "Qwxyzzz")).kind == MatchKind.NOTHING


async def test_pending_rejected_and_archived_groups_never_appear(db):
    await proposed(db, "GUG Lima", "Lima", "PE")
    rejected = await proposed(db, "GUG Quito", "Quito", "EC")
    await reject_group(
        db, guild_id=GUILD, group_id=rejected.id, actor=COORDINATOR, reason="no", now=NOW
    )
    archived = await active(db, "GUG Bogotá", "Bogotá", "CO")
    await archive_group(
        db, guild_id=GUILD, group_id=archived.id, actor=COORDINATOR, reason=None, now=NOW
    )
    for query in ("Lima", "Quito", "Bogota", "Peru"):
        match = await find(db, query)
        assert match.group_ids == []
        assert all(not nearby.groups for nearby in match.nearby)


async def test_summary_shows_organizers_members_and_next_meeting(db):
    group = await active(db, "GUG Lima", "Lima", "PE", proposer=42)
    await join_group(db, guild_id=GUILD, group_id=group.id, user_id=7, now=NOW)
    async with db.transaction() as session:
        for days, status in (
            (-3, "scheduled"),
            (5, "cancelled"),
            (9, "scheduled"),
            (20, "scheduled"),
        ):
            session.add(
                Meeting(
                    group_id=group.id,
                    guild_id=GUILD,
                    title="m",
                    starts_at=NOW + timedelta(days=days),
                    status=status,
                    created_by=42,
                )
            )
    [summary] = await group_summaries(db, [group.id], NOW)
    assert summary.organizer_ids == (42,)
    assert summary.member_count == 2
    assert summary.next_meeting_at == NOW + timedelta(days=9)


async def test_list_filters_by_country_and_counts_all(db, network):
    ids, total = await list_active_groups(db, GUILD, ["MX"])
    assert total == 3 and len(ids) == 3
    ids, total = await list_active_groups(db, GUILD)
    assert total == len(NETWORK)


async def test_stats_count_recent_meetings_and_flag_dormant_groups(db):
    lively = await active(db, "GUG Lima", "Lima", "PE")
    quiet = await active(db, "GUG Quito", "Quito", "EC")
    later = NOW + timedelta(days=200)
    async with db.transaction() as session:
        for group, days in ((lively, 150), (lively, 190), (lively, 210), (quiet, 10)):
            session.add(
                Meeting(
                    group_id=group.id,
                    guild_id=GUILD,
                    title="m",
                    starts_at=NOW + timedelta(days=days),
                    status=MeetingStatus.SCHEDULED,
                    created_by=1,
                )
            )
    stats = await network_stats(db, GUILD, now=later, dormant_after_days=120)
    by_name = {item.name: item for item in stats.groups}
    assert by_name["GUG Lima"].recent_meetings == 2
    assert by_name["GUG Lima"].next_meeting_at == NOW + timedelta(days=210)
    assert by_name["GUG Lima"].days_since_last_meeting == 10
    assert not by_name["GUG Lima"].dormant
    assert by_name["GUG Quito"].days_since_last_meeting == 190
    assert by_name["GUG Quito"].dormant
    assert (stats.recent_meetings, stats.dormant, stats.total_members) == (2, 1, 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Cuenca, Ecuador", {"GUG Cuenca"}), ("cuenca, España", {"GUG Cuenca España"})],
)
async def test_city_with_country_narrows_an_ambiguous_city(db, network, query, expected):
    kind, found = await names(db, query)
    assert (kind, found) == (MatchKind.GROUPS, expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("santa fe", {"GUG Rosario"}),
        ("Santa Fe, Argentina", {"GUG Rosario"}),
        ("nuevo leon", {"GUG Monterrey"}),
        ("Nuevo León", {"GUG Monterrey"}),
        ("nuevo loen", {"GUG Monterrey"}),
        ("azuay", {"GUG Cuenca"}),
        ("Castille-La Mancha", {"GUG Cuenca España"}),
    ],
)
async def test_findgroup_matches_the_region_a_group_was_proposed_in(db, network, query, expected):
    kind, found = await names(db, query)
    assert (kind, found) == (MatchKind.GROUPS, expected)


async def test_proposed_group_stores_its_region_from_the_gazetteer(db):
    group = await proposed(db, "GUG Las Piedras", "Las Piedras", "UY")
    async with db.read() as session:
        stored = await session.get(Group, group.id)
    assert stored is not None and stored.region == "Canelones"


async def test_region_is_offered_by_autocomplete(db, network):
    index = await PlaceIndexCache(db, gazetteer()).get(GUILD)
    assert "Santa Fe" in index.complete("santa", 25)
