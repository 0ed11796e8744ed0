"""What /findgroup adds for growth: how many wait near the place, and Notify me."""

from __future__ import annotations

import discord

from cogs.interest._buttons import notify_view
from cogs.interest._places import place_label, resolve_place
from core.geography import Gazetteer
from core.i18n import Translator, _
from db.engine import Database
from db.interest import count_waiting_near


async def waiting_offer(
    db: Database,
    gazetteer: Gazetteer,
    *,
    guild_id: int,
    query: str,
    radius_km: float,
    found_groups: bool,
    t: Translator,
) -> tuple[str | None, discord.ui.View | None]:
    """Return the waiting count's line and, where no group was found, Notify me.

    Nothing for a place the gazetteer does not know: there is nowhere to wait.
    """
    place = resolve_place(gazetteer, query)
    if place is None:
        return None, None
    waiting = await count_waiting_near(
        db,
        guild_id=guild_id,
        latitude=place.latitude,
        longitude=place.longitude,
        radius_km=radius_km,
    )
    label = place_label(gazetteer, place)
    note = t(
        _("People waiting for a group within {km} km of {place}: {count}."),
        km=f"{radius_km:g}",
        place=label,
        count=waiting,
    )
    return note, None if found_groups else notify_view(label, t)
