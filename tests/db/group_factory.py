"""Build groups in a test database through the real lifecycle transactions."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.geography import gazetteer
from db.engine import Database
from db.groups import Actor, GroupPlace, approve_group, propose_group
from db.models import Group

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GUILD = 1000
COORDINATOR = Actor(user_id=1, is_coordinator=True)


def place(city: str, country_code: str) -> GroupPlace:
    """Resolve a city like the /group propose command does."""
    gaz = gazetteer()
    found = gaz.cities_named(city, country_code)
    known = found[0] if found else None
    return GroupPlace(
        city=known.name if known else city,
        country=gaz.country_name(country_code),
        country_code=country_code,
        region=known.region if known else "",
        latitude=known.latitude if known else None,
        longitude=known.longitude if known else None,
        timezone=gaz.timezone_for(known, country_code, "UTC"),
    )


async def proposed(
    db: Database,
    name: str,
    city: str = "Montevideo",
    country_code: str = "UY",
    *,
    proposer: int = 500,
    guild: int = GUILD,
    max_pending: int = 3,
) -> Group:
    """Propose a group."""
    return await propose_group(
        db,
        guild_id=guild,
        proposer_id=proposer,
        name=name,
        description="",
        place=place(city, country_code),
        max_pending=max_pending,
        now=NOW,
    )


async def active(
    db: Database,
    name: str,
    city: str = "Montevideo",
    country_code: str = "UY",
    *,
    proposer: int = 500,
    guild: int = GUILD,
) -> Group:
    """Propose and approve a group."""
    group = await proposed(db, name, city, country_code, proposer=proposer, guild=guild)
    return await approve_group(db, guild_id=guild, group_id=group.id, actor=COORDINATOR, now=NOW)
