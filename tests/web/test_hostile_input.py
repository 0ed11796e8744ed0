"""What anyone can type into a URL gets a clean 400 or 404 page, never a 500."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

HOSTILE = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\u202e\u0000nul",
    "../../etc/passwd",
    "ü" * 100,
    "🏳️‍🌈" * 20,
]


@pytest.mark.parametrize("query", HOSTILE)
async def test_hostile_search_is_answered_escaped(client: TestClient, query: str) -> None:
    response = await client.get("/", params={"q": query})
    assert response.status in {200, 400}
    page = await response.text()
    assert "<script>alert" not in page


async def test_overlong_search_is_a_400_page(client: TestClient) -> None:
    response = await client.get("/", params={"q": "x" * 101})
    assert response.status == 400
    assert "at most 100 characters" in await response.text()


@pytest.mark.parametrize(
    "path",
    [
        "/groups/%3Cscript%3E",
        "/groups/..%2F..%2Fetc",
        "/groups/' OR 1=1",
        "/groups/" + "a" * 5000,
        "/groups/gug-rosario%00/calendar.ics",
        "/meetings/abc",
        "/meetings/-1",
        "/meetings/1e9",
        "/meetings/99999999999999999999999",
        "/meetings/2147483648",
        "/meetings/99999999999.ics",
        "/meetings/0",
        "/meetings/%C2%B2",
        "/meetings/%D9%A1%D9%A2",
        "/api/v1/meetings?group=%3Cx%3E",
        "/?country=%3Cx%3E",
        "/nowhere",
    ],
)
async def test_hostile_paths_are_clean_404s(client: TestClient, path: str) -> None:
    response = await client.get(path)
    assert response.status == 404
    assert "<script>" not in await response.text()


async def test_meetings_api_without_a_group_is_a_400(client: TestClient) -> None:
    assert (await client.get("/api/v1/meetings")).status == 400


@pytest.mark.parametrize("lang", ["<b>", "x" * 1000, "es-ES", ""])
async def test_hostile_language_falls_back(client: TestClient, lang: str) -> None:
    response = await client.get("/", params={"lang": lang}, headers={"Accept-Language": "q=;;,,*"})
    assert response.status == 200
