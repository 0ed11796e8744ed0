"""People waiting for a group in a place: add, remove, count nearby, fulfil, demand."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.exc import IntegrityError

from core.errors import InvalidInput, NotFound
from core.geography import distance_km
from core.i18n import _
from core.text import fold
from db.engine import Database
from db.models import Group, Interest

# One person waiting in more places than this is more likely a mistake than a plan.
MAX_OPEN_INTERESTS = 10
# Kilometres per degree of latitude (and of longitude at the equator).
KM_PER_DEGREE = 111.2
# Interest.place_key is String(110): the folded city plus ", " and the country code.
PLACE_KEY_LIMIT = 110


@dataclass(frozen=True)
class InterestPlace:
    """A place resolved against the gazetteer: the city, its country and coordinates."""

    city: str
    country_code: str
    latitude: float
    longitude: float

    @property
    def key(self) -> str:
        """Return the folded city and country code, the same for every spelling."""
        return f"{fold(self.city)}, {self.country_code.upper()}"[:PLACE_KEY_LIMIT]


@dataclass(frozen=True)
class WaitingInterest:
    """One person's wait for a group in one place."""

    id: int
    user_id: int
    place: InterestPlace
    created_at: datetime
    fulfilled_at: datetime | None = None


@dataclass(frozen=True)
class PlaceDemand:
    """How many people wait for a group in one place."""

    city: str
    country_code: str
    latitude: float
    longitude: float
    waiting: int


def _as_view(row: Interest) -> WaitingInterest:
    place = InterestPlace(row.city, row.country_code, row.latitude, row.longitude)
    return WaitingInterest(row.id, row.user_id, place, row.created_at, row.fulfilled_at)


def _already_waiting(place: InterestPlace) -> InvalidInput:
    return InvalidInput(_("You are already waiting for a group in {city}."), city=place.city)


async def add_interest(
    db: Database, *, guild_id: int, user_id: int, place: InterestPlace, now: datetime
) -> WaitingInterest:
    """Record that a person waits for a group in ``place``; a fulfilled wait starts again."""
    try:
        async with db.transaction() as session:
            rows = (
                await session.scalars(
                    select(Interest).where(
                        Interest.guild_id == guild_id, Interest.user_id == user_id
                    )
                )
            ).all()
            same = next((row for row in rows if row.place_key == place.key), None)
            if same is not None and same.fulfilled_at is None:
                raise _already_waiting(place)
            if sum(row.fulfilled_at is None for row in rows) >= MAX_OPEN_INTERESTS:
                raise InvalidInput(
                    _("You are waiting in {count} places already; remove one first."),
                    count=MAX_OPEN_INTERESTS,
                )
            if same is None:
                same = Interest(guild_id=guild_id, user_id=user_id, place_key=place.key)
                session.add(same)
            same.city = place.city
            same.country_code = place.country_code.upper()
            same.latitude = place.latitude
            same.longitude = place.longitude
            same.created_at = now
            same.fulfilled_at = None
            same.fulfilled_group_id = None
            await session.flush()
            return _as_view(same)
    except IntegrityError:
        # The same person pressed "Notify me" twice at once; the other press won.
        raise _already_waiting(place) from None


async def remove_interest(
    db: Database, *, guild_id: int, user_id: int, place_key: str
) -> WaitingInterest:
    """Stop a person's wait in one place (named by its key, as autocomplete gives it)."""
    async with db.transaction() as session:
        row = await session.scalar(
            select(Interest).where(
                Interest.guild_id == guild_id,
                Interest.user_id == user_id,
                Interest.place_key == place_key,
                Interest.fulfilled_at.is_(None),
            )
        )
        if row is None:
            raise NotFound(_("You are not waiting for a group there."))
        await session.delete(row)
        return _as_view(row)


async def list_interests(db: Database, *, guild_id: int, user_id: int) -> list[WaitingInterest]:
    """Return the places a person still waits in, oldest first."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Interest)
            .where(
                Interest.guild_id == guild_id,
                Interest.user_id == user_id,
                Interest.fulfilled_at.is_(None),
            )
            .order_by(Interest.created_at, Interest.id)
        )
        return [_as_view(row) for row in rows]


def _within_box(latitude: float, longitude: float, radius_km: float) -> ColumnElement[bool]:
    """Return a cheap SQL prefilter: the box around the circle (exact distance follows)."""
    spread = radius_km / KM_PER_DEGREE
    condition: ColumnElement[bool] = Interest.latitude.between(
        latitude - spread, latitude + spread
    )
    cos_lat = math.cos(math.radians(min(89.0, abs(latitude) + spread)))
    lon_spread = spread / cos_lat
    # Near a pole or across the antimeridian the longitude box wraps: keep latitude only.
    if lon_spread < 180 and -180 <= longitude - lon_spread and longitude + lon_spread <= 180:
        condition = and_(
            condition,
            Interest.longitude.between(longitude - lon_spread, longitude + lon_spread),
        )
    return condition


def _near(
    rows: Sequence[Interest], latitude: float, longitude: float, radius_km: float
) -> list[Interest]:
    return [
        row
        for row in rows
        if distance_km(latitude, longitude, row.latitude, row.longitude) <= radius_km
    ]


async def count_waiting_near(
    db: Database, *, guild_id: int, latitude: float, longitude: float, radius_km: float
) -> int:
    """Count the people (not places) waiting within ``radius_km`` of a point."""
    async with db.read() as session:
        rows = (
            await session.scalars(
                select(Interest).where(
                    Interest.guild_id == guild_id,
                    Interest.fulfilled_at.is_(None),
                    _within_box(latitude, longitude, radius_km),
                )
            )
        ).all()
    return len({row.user_id for row in _near(rows, latitude, longitude, radius_km)})


async def waiting_near(
    db: Database, *, guild_id: int, latitude: float, longitude: float, radius_km: float
) -> list[int]:
    """Return who waits within ``radius_km`` of a point, each person once, earliest first."""
    async with db.read() as session:
        rows = (
            await session.scalars(
                select(Interest)
                .where(
                    Interest.guild_id == guild_id,
                    Interest.fulfilled_at.is_(None),
                    _within_box(latitude, longitude, radius_km),
                )
                .order_by(Interest.created_at, Interest.id)
            )
        ).all()
    near = _near(rows, latitude, longitude, radius_km)
    return list(dict.fromkeys(int(row.user_id) for row in near))


async def fulfil_interests_near(
    db: Database, *, guild_id: int, group_id: int, radius_km: float, now: datetime
) -> list[WaitingInterest]:
    """Mark as fulfilled the waits near a newly approved group; return one per person.

    A group without coordinates fulfils the waits in its own city and country.
    """
    async with db.transaction() as session:
        group = await session.get(Group, group_id)
        if group is None or group.guild_id != guild_id:
            raise NotFound(_("That group does not exist in this server."))
        query = select(Interest).where(
            Interest.guild_id == guild_id, Interest.fulfilled_at.is_(None)
        )
        if group.latitude is not None and group.longitude is not None:
            candidates = (
                await session.scalars(
                    query.where(
                        _within_box(group.latitude, group.longitude, radius_km)
                    ).with_for_update()
                )
            ).all()
            rows = _near(candidates, group.latitude, group.longitude, radius_km)
        else:
            key = f"{group.city_key}, {group.country_code.upper()}"[:PLACE_KEY_LIMIT]
            rows = list(
                await session.scalars(query.where(Interest.place_key == key).with_for_update())
            )
        told: dict[int, WaitingInterest] = {}
        for row in sorted(rows, key=lambda row: (row.created_at, row.id)):
            row.fulfilled_at = now
            row.fulfilled_group_id = group.id
            told.setdefault(row.user_id, _as_view(row))
    return list(told.values())


async def demand_by_place(db: Database, guild_id: int) -> list[PlaceDemand]:
    """List the places people wait in, the most waited-for first."""
    waiting = func.count(func.distinct(Interest.user_id))
    async with db.read() as session:
        rows = await session.execute(
            select(
                Interest.place_key,
                func.min(Interest.city),
                func.min(Interest.country_code),
                func.avg(Interest.latitude),
                func.avg(Interest.longitude),
                waiting,
            )
            .where(Interest.guild_id == guild_id, Interest.fulfilled_at.is_(None))
            .group_by(Interest.place_key)
            .order_by(waiting.desc(), Interest.place_key)
        )
        return [
            PlaceDemand(city, code, float(lat), float(lon), int(count))
            for _key, city, code, lat, lon, count in rows.all()
        ]
