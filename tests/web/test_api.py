"""The JSON API: public fields, ETag and Cache-Control, 304 on a conditional request."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestClient

from db.engine import Database
from db.member_names import record_display_name
from tests.web.seed import Network


async def test_groups_lists_public_fields_and_links(client: TestClient) -> None:
    response = await client.get("/api/v1/groups")
    assert response.status == 200
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    groups = {group["slug"]: group for group in json.loads(await response.text())["groups"]}
    assert set(groups) == {"gug-rosario", "gug-sao-paulo"}
    rosario = groups["gug-rosario"]
    assert rosario["member_count"] == 3 and rosario["country_code"] == "AR"
    assert rosario["url"] == "https://groups.example.org/groups/gug-rosario"
    assert rosario["next_meeting_at"] is not None


async def test_conditional_request_answers_304_until_something_changes(
    client: TestClient,
) -> None:
    first = await client.get("/api/v1/meetings", params={"group": "gug-rosario"})
    etag = first.headers["ETag"]
    again = await client.get(
        "/api/v1/meetings", params={"group": "gug-rosario"}, headers={"If-None-Match": etag}
    )
    assert again.status == 304 and again.headers["ETag"] == etag
    assert "max-age" in again.headers["Cache-Control"]
    other = await client.get(
        "/api/v1/meetings", params={"group": "gug-rosario"}, headers={"If-None-Match": '"old"'}
    )
    assert other.status == 200


async def test_meetings_carry_the_agenda_by_display_name(
    db: Database, client: TestClient, network: Network
) -> None:
    body = json.loads(await (await client.get("/api/v1/meetings?group=gug-rosario")).text())
    (meeting,) = body["meetings"]
    assert meeting["id"] == network.meeting
    assert meeting["agenda"] == [{"title": "Gradle sin miedo", "speaker": "Sam Speaker"}]
    assert "going" not in json.dumps(meeting)


async def test_etag_changes_when_a_speaker_renames(
    db: Database, client: TestClient, network: Network
) -> None:
    from datetime import UTC, datetime

    from tests.web.seed import PUBLIC_GUILD, SPEAKER

    before = (await client.get("/api/v1/meetings?group=gug-rosario")).headers["ETag"]
    await record_display_name(db, PUBLIC_GUILD, SPEAKER, "Samantha", datetime.now(UTC))
    after = (await client.get("/api/v1/meetings?group=gug-rosario")).headers["ETag"]
    assert before != after
