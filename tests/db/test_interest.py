"""People waiting for a group: counted within the radius, told once a group opens near them."""

from __future__ import annotations

import math

import pytest

from core.errors import InvalidInput, NotFound
from core.geography import EARTH_RADIUS_KM
from db.engine import Database
from db.groups import approve_group
from db.interest import (
    InterestPlace,
    add_interest,
    count_waiting_near,
    demand_by_place,
    fulfil_interests_near,
    list_interests,
    remove_interest,
)
from tests.factories import COORDINATOR, GUILD, NOW, proposed

ROSARIO = InterestPlace("Rosario", "AR", -32.9468, -60.6393)
FUNES = InterestPlace("Funes", "AR", -32.9167, -60.8167)
SANTA_FE = InterestPlace("Santa Fe", "AR", -31.6333, -60.7000)


def north_of(place: InterestPlace, km: float, name: str) -> InterestPlace:
    degrees = math.degrees(km / EARTH_RADIUS_KM)
    return InterestPlace(name, place.country_code, place.latitude + degrees, place.longitude)


async def wait(db: Database, user_id: int, place: InterestPlace) -> None:
    await add_interest(db, guild_id=GUILD, user_id=user_id, place=place, now=NOW)


async def test_people_are_counted_within_the_radius_and_not_beyond(db: Database) -> None:
    await wait(db, 1, north_of(ROSARIO, 49.9, "Inside"))
    await wait(db, 2, north_of(ROSARIO, 50.1, "Outside"))
    await wait(db, 3, ROSARIO)
    count = await count_waiting_near(
        db, guild_id=GUILD, latitude=ROSARIO.latitude, longitude=ROSARIO.longitude, radius_km=50
    )
    assert count == 2


async def test_a_person_waiting_in_two_nearby_places_counts_once(db: Database) -> None:
    await wait(db, 1, ROSARIO)
    await wait(db, 1, FUNES)
    assert (
        await count_waiting_near(
            db, guild_id=GUILD, latitude=ROSARIO.latitude, longitude=ROSARIO.longitude, radius_km=50
        )
        == 1
    )


async def test_waiting_twice_in_the_same_place_is_refused(db: Database) -> None:
    await wait(db, 1, ROSARIO)
    with pytest.raises(InvalidInput, match="already waiting"):
        await wait(db, 1, InterestPlace("ROSARIO", "ar", -32.95, -60.64))


async def test_list_and_remove_a_wait(db: Database) -> None:
    await wait(db, 1, ROSARIO)
    await wait(db, 1, SANTA_FE)
    listed = await list_interests(db, guild_id=GUILD, user_id=1)
    assert [item.place.city for item in listed] == ["Rosario", "Santa Fe"]
    await remove_interest(db, guild_id=GUILD, user_id=1, place_key=ROSARIO.key)
    assert [i.place.city for i in await list_interests(db, guild_id=GUILD, user_id=1)] == [
        "Santa Fe"
    ]
    with pytest.raises(NotFound):
        await remove_interest(db, guild_id=GUILD, user_id=1, place_key=ROSARIO.key)


async def test_approval_nearby_fulfils_the_waits_once(db: Database) -> None:
    await wait(db, 1, ROSARIO)
    await wait(db, 2, FUNES)
    await wait(db, 3, SANTA_FE)
    group = await proposed(db, "GUG Rosario", "Rosario", "AR")
    await approve_group(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW)
    told = await fulfil_interests_near(db, guild_id=GUILD, group_id=group.id, radius_km=50, now=NOW)
    assert sorted(item.user_id for item in told) == [1, 2]
    assert all(item.fulfilled_at == NOW for item in told)
    again = await fulfil_interests_near(
        db, guild_id=GUILD, group_id=group.id, radius_km=50, now=NOW
    )
    assert again == []
    assert await list_interests(db, guild_id=GUILD, user_id=1) == []
    assert [i.place.city for i in await list_interests(db, guild_id=GUILD, user_id=3)] == [
        "Santa Fe"
    ]


async def test_a_fulfilled_wait_can_start_again(db: Database) -> None:
    await wait(db, 1, ROSARIO)
    group = await proposed(db, "GUG Rosario", "Rosario", "AR")
    await approve_group(db, guild_id=GUILD, group_id=group.id, actor=COORDINATOR, now=NOW)
    await fulfil_interests_near(db, guild_id=GUILD, group_id=group.id, radius_km=50, now=NOW)
    await wait(db, 1, ROSARIO)
    assert len(await list_interests(db, guild_id=GUILD, user_id=1)) == 1


async def test_demand_lists_places_by_people_waiting(db: Database) -> None:
    for user_id in (1, 2, 3):
        await wait(db, user_id, SANTA_FE)
    await wait(db, 4, ROSARIO)
    await add_interest(db, guild_id=GUILD + 1, user_id=5, place=ROSARIO, now=NOW)
    demand = await demand_by_place(db, GUILD)
    assert [(place.city, place.waiting) for place in demand] == [("Santa Fe", 3), ("Rosario", 1)]
