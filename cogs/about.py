"""/about: what this bot is, how long it has run, and where to get help."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot, gugbot_version
from bot.timefmt import humanize_elapsed
from core.i18n import Translator, _
from db.group_directory import count_active_groups

HELP_URL = "https://github.com/gugbot/gugbot#readme"


class About(commands.Cog):
    """The smallest real cog: facts about the bot itself."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot

    @app_commands.command(name="about")
    async def about(self, interaction: discord.Interaction[GugBot]) -> None:
        """Show gugbot's version, uptime, active groups and where to find help."""
        t = Translator(interaction.locale)
        active = await count_active_groups(self.bot.db, interaction.guild_id)
        uptime = humanize_elapsed(self.bot.clock.now() - self.bot.started_at)
        embed = discord.Embed(
            title=t(_("gugbot {version}"), version=gugbot_version()),
            description=t(
                _("Find a users group near you with /findgroup, or start one with /group propose.")
            ),
        )
        embed.add_field(name=t(_("Uptime")), value=uptime)
        embed.add_field(name=t(_("Active groups")), value=str(active))
        embed.add_field(name=t(_("Help")), value=HELP_URL, inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: GugBot) -> None:
    """Load the About cog."""
    await bot.add_cog(About(bot))
