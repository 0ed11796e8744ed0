"""/findgroup: is there a group near me? If not, the nearest ones, and an invitation."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.errors import InvalidInput
from bot.geography import gazetteer
from bot.i18n import Translator, _
from bot.place_matching import find_place, place_indexes
from bot.render.groups import findgroup_embed
from bot.text import fit, require_length
from db.group_directory import group_summaries

# Discord: at most 25 autocomplete choices of at most 100 characters.
CHOICE_LIMIT = 25
CHOICE_NAME_LIMIT = 100
PLACE_LIMIT = 100


class FindGroup(commands.Cog):
    """Discovery of groups by place."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Load the gazetteer off the event loop, once per process."""
        await asyncio.to_thread(gazetteer)

    @app_commands.command(name="findgroup")
    @app_commands.describe(place="A city, region or country (any accents, case or small typos)")
    @app_commands.guild_only()
    async def findgroup(self, interaction: discord.Interaction, place: str) -> None:
        """Find a users group near you."""
        t = Translator(interaction.locale)
        query = require_length(t(_("The place")), place, PLACE_LIMIT)
        if interaction.guild_id is None:
            raise InvalidInput(_("Groups live in a server; run this command there."))
        index = await place_indexes(self.bot.db).get(interaction.guild_id)
        match = find_place(index, gazetteer(), query)
        ids = match.group_ids + [gid for near in match.nearby for gid, _km in near.groups]
        summaries = {s.id: s for s in await group_summaries(self.bot.db, ids, self.bot.clock.now())}
        names = {code: gazetteer().country_name(code) for code in gazetteer().countries}
        embed = findgroup_embed(t, query, match, summaries, names)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @findgroup.autocomplete("place")
    async def place_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer known group places first, then gazetteer cities."""
        if interaction.guild_id is None:
            return []
        index = await place_indexes(self.bot.db).get(interaction.guild_id)
        labels = index.complete(current, CHOICE_LIMIT)
        countries = gazetteer().countries
        for city in gazetteer().complete(current, CHOICE_LIMIT):
            country = countries.get(city.country_code)
            labels.append(f"{city.name}, {country.name if country else city.country_code}")
        unique = list(dict.fromkeys(labels))[:CHOICE_LIMIT]
        return [
            app_commands.Choice(name=fit(label, CHOICE_NAME_LIMIT), value=fit(label, PLACE_LIMIT))
            for label in unique
        ]


async def setup(bot: GugBot) -> None:
    """Load the FindGroup cog."""
    await bot.add_cog(FindGroup(bot))
