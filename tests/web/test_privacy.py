"""Only active groups of servers that opted in; no member names or user ids, ever."""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from db.engine import Database
from db.guild_settings import set_directory
from tests.web.seed import (
    MEMBER,
    ORGANIZER,
    PUBLIC_GUILD,
    SECRET_MEMBER_NAME,
    SPEAKER,
    Network,
)
from web.app import create_app

EVERY_PUBLIC_PATH = [
    "/",
    "/?q=argentina",
    "/?q=lima",
    "/groups/gug-rosario",
    "/groups/gug-rosario/calendar.ics",
    "/calendar.ics",
    "/api/v1/groups",
    "/api/v1/meetings?group=gug-rosario",
]


async def _everything(client: TestClient, network: Network) -> str:
    paths = [*EVERY_PUBLIC_PATH, f"/meetings/{network.meeting}", f"/meetings/{network.meeting}.ics"]
    return "".join([await (await client.get(path)).text() for path in paths])


async def test_no_page_names_members_or_shows_user_ids(
    client: TestClient, network: Network
) -> None:
    everything = await _everything(client, network)
    assert SECRET_MEMBER_NAME not in everything
    for user_id in (MEMBER, ORGANIZER, SPEAKER):
        assert str(user_id) not in everything


@pytest.mark.parametrize("name", ["GUG Pendiente", "GUG Archivado", "GUG Escondido", "Never shown", "Reunión secreta"])
async def test_pending_archived_and_opted_out_groups_never_appear(
    client: TestClient, network: Network, name: str
) -> None:
    assert name not in await _everything(client, network)


@pytest.mark.parametrize("slug", ["gug-pendiente", "gug-archivado", "gug-escondido"])
async def test_hidden_groups_answer_404(client: TestClient, slug: str) -> None:
    for path in (f"/groups/{slug}", f"/groups/{slug}/calendar.ics", f"/api/v1/meetings?group={slug}"):
        assert (await client.get(path)).status == 404


async def test_meetings_of_hidden_groups_answer_404(client: TestClient, network: Network) -> None:
    for path in (f"/meetings/{network.hidden_meeting}", f"/meetings/{network.hidden_meeting}.ics"):
        assert (await client.get(path)).status == 404


async def test_leaving_the_directory_hides_the_group_page_at_once(
    db: Database, client: TestClient, network: Network
) -> None:
    assert (await client.get("/groups/gug-rosario")).status == 200
    await set_directory(db, PUBLIC_GUILD, False, None)
    assert (await client.get("/groups/gug-rosario")).status == 404
    assert (await client.get(f"/meetings/{network.meeting}")).status == 404
    assert b"VEVENT" not in await (await client.get("/calendar.ics")).read()


async def test_a_server_that_never_opted_in_is_not_listed(db: Database, network: Network) -> None:
    await set_directory(db, PUBLIC_GUILD, False, None)
    async with TestClient(TestServer(create_app(db))) as fresh:
        listed = json.loads(await (await fresh.get("/api/v1/groups")).text())
    assert listed == {"groups": []}
