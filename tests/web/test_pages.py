"""The directory, the search, group and meeting pages, in three languages."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.web.seed import INVITE, Network


async def test_directory_lists_public_groups_by_country_with_members_and_next_meeting(
    client: TestClient,
) -> None:
    response = await client.get("/")
    page = await response.text()
    assert response.status == 200
    assert page.index("Argentina") < page.index("GUG Rosario")
    assert "GUG São Paulo" in page and "Brazil" in page
    assert "Members: 3" in page and "Next meeting:" in page
    assert '<label for="q">' in page and '<main id="content">' in page


@pytest.mark.parametrize("query", ["rosaio", "Rosario", "santa fe", "argentina", "Argentine"])
async def test_search_matches_like_findgroup_forgiving_typos_and_regions(
    client: TestClient, query: str
) -> None:
    page = await (await client.get("/", params={"q": query})).text()
    assert 'href="/groups/gug-rosario?lang=en"' in page


async def test_search_without_a_group_shows_nearest_with_distances_and_how_to_propose(
    client: TestClient,
) -> None:
    page = await (await client.get("/", params={"q": "Rio de Janeiro"})).text()
    assert "There is no group in" in page
    assert page.index("GUG São Paulo") < page.index("GUG Rosario")
    assert " km away" in page and "/group propose" in page


async def test_unknown_place_says_nothing_matches(client: TestClient) -> None:
    page = await (await client.get("/", params={"q": "Xqzzyville"})).text()
    assert "Nothing matches" in page


async def test_group_page_shows_organizers_meetings_agenda_and_contacts(
    client: TestClient,
) -> None:
    response = await client.get("/groups/gug-rosario")
    page = await response.text()
    assert response.status == 200
    assert "Olga Organizer" in page
    assert "Charlas de diciembre" in page and "Gradle sin miedo — Sam Speaker" in page
    assert "Declined talk" not in page
    assert INVITE in page and "Message the organizers on Discord" in page
    assert "/groups/gug-rosario/calendar.ics" in page and "Past meetings: 0" in page


async def test_slug_folds_accents_and_spaces(client: TestClient) -> None:
    response = await client.get("/groups/gug-sao-paulo")
    assert response.status == 200
    assert "GUG São Paulo" in await response.text()


async def test_meeting_page_shows_local_time_zone_counts_and_calendar_link(
    client: TestClient, network: Network
) -> None:
    response = await client.get(f"/meetings/{network.meeting}")
    page = await response.text()
    assert response.status == 200
    assert "America/Argentina/Cordoba" in page and "Bv. Oroño 1000" in page
    assert "Going: 1 · Maybe: 1 · Waitlist: 0" in page
    assert f'href="/meetings/{network.meeting}.ics"' in page


@pytest.mark.parametrize(
    ("params", "headers", "lang"),
    [
        ({"lang": "es"}, {}, "es"),
        ({}, {"Accept-Language": "pt-BR,pt;q=0.9,en;q=0.5"}, "pt"),
        ({}, {"Accept-Language": "fr-FR, es;q=0.4, en;q=0.6"}, "en"),
        ({"lang": "xx"}, {"Accept-Language": "es-AR"}, "es"),
        ({}, {}, "en"),
    ],
)
async def test_pages_render_in_the_asked_language(
    client: TestClient, network: Network, params: dict[str, str], headers: dict[str, str], lang: str
) -> None:
    for path in ("/", "/groups/gug-rosario", f"/meetings/{network.meeting}", "/?q=rosaio"):
        response = await client.get(path, params=params, headers=headers)
        assert response.status == 200
        assert f'<html lang="{lang}">' in await response.text()
        assert response.headers["Content-Language"] == lang


async def test_dates_follow_the_page_language(client: TestClient) -> None:
    spanish = await (await client.get("/groups/gug-rosario", params={"lang": "es"})).text()
    assert "diciembre" in spanish or "de 20" in spanish


async def test_a_large_directory_lists_countries_then_one_country_at_a_time(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web import pages

    monkeypatch.setattr(pages, "FRONT_PAGE_GROUPS", 1)
    front = await (await client.get("/")).text()
    assert 'href="/?country=AR&amp;lang=en"' in front and "GUG Rosario" not in front
    argentina = await (await client.get("/", params={"country": "AR"})).text()
    assert "GUG Rosario" in argentina and "GUG São Paulo" not in argentina
