"""/findgroup: is there a group near me? If not, the nearest ones, and an invitation."""

from __future__ import annotations

from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from cogs.groups._place_index import PlaceIndexCache
from cogs.groups._render import findgroup_embed
from cogs.groups.options import CHOICE_NAME_LIMIT
from cogs.interest._offer import waiting_offer
from core.errors import InvalidInput
from core.i18n import Translator, _
from core.place_matching import MatchKind, find_place
from core.text import fit, require_length
from db.group_directory import group_summaries

CHOICE_LIMIT = 25  # Discord: at most 25 autocomplete choices.
PLACE_LIMIT = 100


async def findgroup_answer(
    places: PlaceIndexCache, guild_id: int, query: str, t: Translator, now: datetime
) -> discord.Embed:
    """Match the place against the server's active groups and render the answer."""
    gaz = places.gazetteer
    index = await places.get(guild_id)
    match = find_place(index, gaz, query)
    ids = match.group_ids + [gid for near in match.nearby for gid, _km in near.groups]
    summaries = {summary.id: summary for summary in await group_summaries(places.db, ids, now)}
    names = {code: country.name for code, country in gaz.countries.items()}
    return findgroup_embed(t, query, match, summaries, names)


async def place_choices(
    places: PlaceIndexCache, guild_id: int, current: str
) -> list[app_commands.Choice[str]]:
    """Offer known group places first, then gazetteer cities with their country."""
    index = await places.get(guild_id)
    labels = index.complete(current, CHOICE_LIMIT)
    countries = places.gazetteer.countries
    for city in places.gazetteer.complete(current, CHOICE_LIMIT):
        country = countries.get(city.country_code)
        labels.append(f"{city.name}, {country.name if country else city.country_code}")
    unique = list(dict.fromkeys(labels))[:CHOICE_LIMIT]
    return [
        app_commands.Choice(name=fit(label, CHOICE_NAME_LIMIT), value=fit(label, PLACE_LIMIT))
        for label in unique
    ]


class FindGroup(commands.Cog):
    """Discovery of groups by place."""

    def __init__(self, bot: GugBot, places: PlaceIndexCache) -> None:
        self.bot = bot
        self.places = places

    @app_commands.command(name="findgroup")
    @app_commands.describe(place="A city, region or country (any accents, case or small typos)")
    @app_commands.guild_only()
    async def findgroup(self, interaction: discord.Interaction[GugBot], place: str) -> None:
        """Find a users group near you."""
        t = Translator(interaction.locale)
        query = require_length(t(_("The place")), place, PLACE_LIMIT)
        if interaction.guild_id is None:
            raise InvalidInput(_("Groups live in a server; run this command there."))
        embed = await findgroup_answer(
            self.places, interaction.guild_id, query, t, self.bot.clock.now()
        )
        index = await self.places.get(interaction.guild_id)
        match = find_place(index, self.places.gazetteer, query)
        note, view = await waiting_offer(
            self.bot.db,
            self.places.gazetteer,
            guild_id=interaction.guild_id,
            query=query,
            radius_km=self.bot.settings.groups.interest_radius_km,
            found_groups=match.kind == MatchKind.GROUPS,
            t=t,
        )
        if note is not None:
            embed.add_field(name=t(_("Waiting nearby")), value=note, inline=False)
        await interaction.response.send_message(
            embed=embed, view=view or discord.utils.MISSING, ephemeral=True
        )

    @findgroup.autocomplete("place")
    async def place_autocomplete(
        self, interaction: discord.Interaction[GugBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer known group places first, then gazetteer cities."""
        if interaction.guild_id is None:
            return []
        return await place_choices(self.places, interaction.guild_id, current)
