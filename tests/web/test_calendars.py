"""The .ics feeds, parsed back: stable UIDs, zones, agenda, SEQUENCE and cancellations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient
from icalendar import Calendar

from db.engine import Database
from db.meetings import cancel_meeting, edit_meeting
from tests.web.seed import Network, add_meeting
from web.calendar import FOOTER


async def _calendar(client: TestClient, path: str) -> Calendar:
    response = await client.get(path)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    body = await response.read()
    assert body.endswith(FOOTER)
    return Calendar.from_ical(body)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


async def test_meeting_ics_has_uid_zone_agenda_location_and_url(
    client: TestClient, network: Network
) -> None:
    calendar = await _calendar(client, f"/meetings/{network.meeting}.ics")
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{network.meeting}@groups.example.org"
    assert event["DTSTART"].params["TZID"] == "America/Argentina/Cordoba"
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Argentina/Cordoba"]
    assert str(event["SUMMARY"]) == "GUG Rosario: Charlas de diciembre"
    assert "Gradle sin miedo — Sam Speaker" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "Bv. Oroño 1000"
    assert str(event["URL"]) == f"https://groups.example.org/meetings/{network.meeting}"
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"


async def test_edited_twice_then_cancelled_keeps_uid_with_sequence_2_and_cancelled(
    db: Database, client: TestClient, network: Network
) -> None:
    before = (await _calendar(client, f"/meetings/{network.meeting}.ics")).walk("VEVENT")[0]
    now = datetime.now(UTC)
    await edit_meeting(db, network.meeting, {"title": "Charlas"}, default_offsets=[], now=now)
    later = now + timedelta(days=10)
    await edit_meeting(db, network.meeting, {"starts_at": later}, default_offsets=[], now=now)
    await cancel_meeting(db, network.meeting, "Lluvia", now=now)
    for path in (f"/meetings/{network.meeting}.ics", "/calendar.ics", "/groups/gug-rosario/calendar.ics"):
        (event,) = (await _calendar(client, path)).walk("VEVENT")
        assert event["UID"] == before["UID"]
        assert event["SEQUENCE"] == 2
        assert str(event["STATUS"]) == "CANCELLED"
        assert "Lluvia" in str(event["DESCRIPTION"])
        assert event.decoded("DTSTART") == later.replace(microsecond=0)


async def test_network_feed_has_every_public_meeting_with_each_zone_once(
    db: Database, client: TestClient, network: Network
) -> None:
    await add_meeting(db, network.sao_paulo, "Encontro", timedelta(days=2))
    await add_meeting(db, network.sao_paulo, "Outro encontro", timedelta(days=20))
    calendar = await _calendar(client, "/calendar.ics")
    assert set(_events(calendar)) == {
        "GUG Rosario: Charlas de diciembre",
        "GUG São Paulo: Encontro",
        "GUG São Paulo: Outro encontro",
    }
    zones = sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE"))
    assert zones == ["America/Argentina/Cordoba", "America/Sao_Paulo"]


async def test_group_feed_has_only_that_groups_meetings(
    db: Database, client: TestClient, network: Network
) -> None:
    await add_meeting(db, network.sao_paulo, "Encontro", timedelta(days=2))
    calendar = await _calendar(client, "/groups/gug-sao-paulo/calendar.ics")
    assert set(_events(calendar)) == {"GUG São Paulo: Encontro"}


async def test_feed_streams_in_batches_larger_than_one_round_trip(
    db: Database, client: TestClient, network: Network
) -> None:
    from db import directory

    original = directory.FEED_BATCH
    directory.FEED_BATCH = 2
    try:
        for day in range(5):
            await add_meeting(db, network.sao_paulo, f"Encontro {day}", timedelta(days=day + 1))
        calendar = await _calendar(client, "/calendar.ics")
    finally:
        directory.FEED_BATCH = original
    assert len(calendar.walk("VEVENT")) == 6


async def test_long_accented_and_hostile_text_round_trips(
    db: Database, client: TestClient, network: Network
) -> None:
    title = "Ñandú, São; \\ Paulo\nEND:VEVENT\r\nBEGIN:VEVENT " + "ção" * 40
    meeting = await add_meeting(db, network.sao_paulo, title, timedelta(days=2), venue="Rua, 1; \x07b")
    response = await client.get(f"/meetings/{meeting.id}.ics")
    body = await response.read()
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"GUG São Paulo: {title}".replace("\r\n", "\n")
    assert str(event["LOCATION"]) == "Rua, 1; b"


async def test_discord_gets_the_ics_of_a_meeting_outside_the_directory(
    db: Database, network: Network
) -> None:
    from core.i18n import Translator
    from web.calendar import meeting_ics

    now = datetime.now(UTC)
    options = {"site": "https://groups.example.org", "t": Translator("es"), "uid_host": "groups.example.org"}
    assert await meeting_ics(db, network.hidden_meeting, now, **options) is None
    body = await meeting_ics(db, network.hidden_meeting, now, public_only=False, **options)
    assert body is not None
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{network.hidden_meeting}@groups.example.org"
