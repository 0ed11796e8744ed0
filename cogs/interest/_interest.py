"""/interest add|list|remove, /coord demand, and the hooks on proposals and approvals."""

from __future__ import annotations

import csv
import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.limits import MESSAGE_LIMIT
from bot.permissions import require_coordinator
from cogs.interest._buttons import wait_for_group
from cogs.interest._growth import Growth
from cogs.interest._places import place_label
from core.i18n import Translator, _
from core.text import fit
from db.interest import demand_by_place, list_interests, remove_interest
from db.models import Group

CHOICE_LIMIT = 25  # Discord: at most 25 autocomplete choices.
CHOICE_NAME_LIMIT = 100
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


@app_commands.guild_only()
class Interest(commands.GroupCog, group_name="interest"):
    """Waiting for a group in a place: told when one starts nearby."""

    def __init__(self, bot: GugBot, growth: Growth) -> None:
        self.bot = bot
        self.growth = growth

    @app_commands.command(name="add")
    @app_commands.describe(place="The city you would like a group in")
    async def add(self, interaction: discord.Interaction[GugBot], place: str) -> None:
        """Wait for a group near a place: you are told when one starts."""
        reply = await wait_for_group(self.growth, interaction, place)
        await interaction.response.send_message(reply, ephemeral=True)

    @add.autocomplete("place")
    async def add_autocomplete(
        self, interaction: discord.Interaction[GugBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer gazetteer cities with their country."""
        gazetteer = self.growth.gazetteer
        labels = [
            f"{city.name}, {gazetteer.country_name(city.country_code)}"
            for city in gazetteer.complete(current, CHOICE_LIMIT)
        ]
        return [
            app_commands.Choice(name=fit(label, CHOICE_NAME_LIMIT), value=label)
            for label in dict.fromkeys(labels)
        ]

    @app_commands.command(name="list")
    async def list_places(self, interaction: discord.Interaction[GugBot]) -> None:
        """List the places you wait for a group in."""
        assert interaction.guild_id is not None
        t = Translator(interaction.locale)
        waits = await list_interests(
            self.bot.db, guild_id=interaction.guild_id, user_id=interaction.user.id
        )
        if not waits:
            text = t(_("You are not waiting for a group anywhere. Try /interest add."))
        else:
            places = "\n".join(
                f"• {place_label(self.growth.gazetteer, wait.place)}" for wait in waits
            )
            text = t(_("You are waiting for a group in:")) + "\n" + places
        await interaction.response.send_message(fit(text, MESSAGE_LIMIT), ephemeral=True)

    @app_commands.command(name="remove")
    @app_commands.describe(place="The place you no longer wait in")
    async def remove(self, interaction: discord.Interaction[GugBot], place: str) -> None:
        """Stop waiting for a group in a place."""
        assert interaction.guild_id is not None
        removed = await remove_interest(
            self.bot.db, guild_id=interaction.guild_id, user_id=interaction.user.id, place_key=place
        )
        await interaction.response.send_message(
            Translator(interaction.locale)(
                _("You no longer wait for a group in {place}."),
                place=place_label(self.growth.gazetteer, removed.place),
            ),
            ephemeral=True,
        )

    @remove.autocomplete("place")
    async def remove_autocomplete(
        self, interaction: discord.Interaction[GugBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the places the user waits in."""
        if interaction.guild_id is None:
            return []
        waits = await list_interests(
            self.bot.db, guild_id=interaction.guild_id, user_id=interaction.user.id
        )
        typed = current.casefold()
        return [
            app_commands.Choice(
                name=fit(place_label(self.growth.gazetteer, wait.place), CHOICE_NAME_LIMIT),
                value=wait.place.key,
            )
            for wait in waits
            if typed in wait.place.city.casefold()
        ][:CHOICE_LIMIT]

    @commands.Cog.listener()
    async def on_group_proposed(
        self, interaction: discord.Interaction[GugBot], group: Group, share: bool
    ) -> None:
        """Tell the people waiting nearby; post the invitation where the proposer asked."""
        await self.growth.proposed(
            group, interaction.guild_locale, interaction.channel_id if share else None
        )

    @commands.Cog.listener()
    async def on_group_approved(
        self, interaction: discord.Interaction[GugBot], group: Group
    ) -> None:
        """Tell the people waiting nearby and give the backers the group's role."""
        await self.growth.approved(group, interaction.guild_locale)


def demand_command() -> app_commands.Command[Any, ..., None]:
    """Build /coord demand for one bot: a command belongs to one bot's /coord."""

    @app_commands.command(name="demand")
    @app_commands.guild_only()
    async def demand(interaction: discord.Interaction[GugBot]) -> None:
        """List the places where people wait for a group, the most waited-for first."""
        await show_demand(interaction)

    return demand


async def show_demand(interaction: discord.Interaction[GugBot]) -> None:
    """Answer /coord demand: the waited-for places, and a CSV of them for a spreadsheet."""
    assert interaction.guild_id is not None
    bot = interaction.client
    await require_coordinator(bot.db, interaction)
    t = Translator(interaction.locale)
    places = await demand_by_place(bot.db, interaction.guild_id)
    if not places:
        await interaction.response.send_message(
            t(_("Nobody is waiting for a group yet.")), ephemeral=True
        )
        return
    lines = [
        t(
            _("{city}, {country}: {count} waiting"),
            city=p.city,
            country=p.country_code,
            count=p.waiting,
        )
        for p in places
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["city", "country", "latitude", "longitude", "waiting"])
    for p in places:
        writer.writerow(
            [
                spreadsheet_safe(p.city),
                spreadsheet_safe(p.country_code),
                p.latitude,
                p.longitude,
                p.waiting,
            ]
        )
    await interaction.response.send_message(
        fit("\n".join(lines), MESSAGE_LIMIT),
        file=discord.File(io.BytesIO(buffer.getvalue().encode()), filename="demand.csv"),
        ephemeral=True,
    )
