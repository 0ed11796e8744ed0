"""The in-memory place index and the gazetteer: regions, typos and nearest groups."""

from __future__ import annotations

import random

import pytest

from core.geography import distance_km, gazetteer
from core.place_matching import GroupPlaceRow, PlaceIndex
from core.typos import TypoMatcher


def row(group_id: int, name: str, latitude: float, longitude: float) -> GroupPlaceRow:
    return GroupPlaceRow(group_id, name, name, "", "", "", latitude, longitude)


@pytest.mark.parametrize(
    ("city", "country_code", "region"),
    [
        ("Rosario", "AR", "Santa Fe"),
        ("Monterrey", "MX", "Nuevo León"),
        ("Las Piedras", "UY", "Canelones"),
        ("Cuenca", "EC", "Azuay"),
    ],
)
def test_gazetteer_cities_carry_their_region(city: str, country_code: str, region: str) -> None:
    assert gazetteer().cities_named(city, country_code)[0].region == region


def test_nearest_matches_a_brute_force_haversine_ranking() -> None:
    rng = random.Random(7)
    cities = rng.sample(gazetteer().cities, 400)
    # Several groups in one city: distances are per place, every group is still listed.
    groups = [row(i, f"G{i}", c.latitude, c.longitude) for i, c in enumerate(cities)]
    groups += [row(1000 + i, f"H{i}", c.latitude, c.longitude) for i, c in enumerate(cities[:50])]
    index = PlaceIndex(groups, gazetteer())
    for origin in rng.sample(gazetteer().cities, 30):
        expected = sorted(
            (distance_km(origin.latitude, origin.longitude, g.latitude, g.longitude), g.name)
            for g in groups
            if g.latitude is not None and g.longitude is not None
        )[:5]
        found = index.nearest(origin.latitude, origin.longitude, 5)
        names = {group.id: group.name for group in groups}
        assert [names[gid] for gid, _km in found] == [name for _km, name in expected]
        assert [km for _gid, km in found] == pytest.approx([km for km, _name in expected])


def test_nearest_across_the_antimeridian_and_with_few_groups() -> None:
    index = PlaceIndex(
        [row(1, "Suva", -18.14, 178.44), row(2, "Apia", -13.83, -171.76)], gazetteer()
    )
    # Tonga is across the antimeridian from Fiji: about 800 km away, not half the globe.
    found = index.nearest(-21.14, -175.2, 5)
    assert {gid for gid, _km in found} == {1, 2}
    assert all(km < 1200 for _gid, km in found)
    assert PlaceIndex([], gazetteer()).nearest(0.0, 0.0, 5) == []


def test_typo_matcher_finds_keys_within_the_cutoff_best_first() -> None:
    matcher = TypoMatcher(["monterrey", "montevideo", "monteria", "rosario"])
    found = matcher.close_to("monterey", 84, limit=3)
    assert found[0][0] == "monterrey"
    assert all(score >= 84 for _key, score in found)
    assert matcher.close_to("qqqqqq", 84, limit=3) == []
