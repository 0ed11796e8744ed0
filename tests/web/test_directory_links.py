"""The addresses Discord links to are the ones the site answers, and only public ones."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from bot.directory_links import group_page_url, meeting_page_url
from db.engine import Database
from tests.web.seed import PRIVATE_GUILD, PUBLIC_GUILD, Network, add_group

SITE = "https://groups.example.org"


async def test_a_group_links_to_the_page_the_site_serves_even_with_namesakes(
    db: Database, network: Network, client: TestClient
) -> None:
    namesake = await add_group(db, PUBLIC_GUILD, "GUG-Rosario!", "Rosario", "AR")
    await add_group(db, PRIVATE_GUILD, "GUG Rosario", "Rosario", "AR")

    first = await group_page_url(db, SITE, network.rosario)
    second = await group_page_url(db, SITE, namesake)

    assert (first, second) == (f"{SITE}/groups/gug-rosario", f"{SITE}/groups/gug-rosario-2")
    for url in (first, second):
        page = await client.get(url.removeprefix(SITE))
        assert page.status == 200
    assert "GUG-Rosario!" in await (await client.get(second.removeprefix(SITE))).text()


async def test_groups_and_meetings_off_the_directory_have_no_link(
    db: Database, network: Network
) -> None:
    for group_id in (network.pending, network.archived, network.hidden):
        assert await group_page_url(db, SITE, group_id) is None
    assert await meeting_page_url(db, SITE, network.hidden, network.hidden_meeting) is None
    assert await meeting_page_url(db, SITE, network.rosario, network.meeting) == (
        f"{SITE}/meetings/{network.meeting}"
    )


async def test_without_a_base_url_nothing_links(db: Database, network: Network) -> None:
    assert await group_page_url(db, "", network.rosario) is None
    assert await meeting_page_url(db, "", network.rosario, network.meeting) is None
