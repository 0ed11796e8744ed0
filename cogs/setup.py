"""/setup …: a server admin's one-time choices (Manage Server only)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from core.errors import InvalidInput
from core.i18n import Translator, _
from db.guild_settings import set_coordinator_channel, set_coordinator_role, set_group_category


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Setup(commands.GroupCog, group_name="setup"):
    """Where coordinators are and where group channels go."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot

    # commands.Cog declares this hook for any client, so the override may not narrow it.
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Enforce Manage Server even where a server overrode the command's visibility."""
        permissions = getattr(interaction.user, "guild_permissions", None)
        if permissions is None or not permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    @app_commands.command(name="coordinator-role")
    @app_commands.describe(role="Holders of this role approve groups and see network tools")
    async def coordinator_role(
        self, interaction: discord.Interaction[GugBot], role: discord.Role
    ) -> None:
        """Choose the coordinators' role."""
        assert interaction.guild_id is not None
        if role.is_default():
            raise InvalidInput(_("@everyone cannot be the coordinator role: pick a role "
                                 "only coordinators have."))
        if role.managed:
            raise InvalidInput(_("{role} belongs to an integration; pick a role you can give "
                                 "to coordinators."), role=role.name)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await set_coordinator_role(self.bot.db, interaction.guild_id, role.id)
        await interaction.followup.send(
            Translator(interaction.locale)(
                _("Coordinators are now the members with {role}."), role=role.mention
            ),
            ephemeral=True,
        )

    @app_commands.command(name="category")
    @app_commands.describe(category="Where new group channels are created")
    async def category(
        self, interaction: discord.Interaction[GugBot], category: discord.CategoryChannel
    ) -> None:
        """Choose where group channels are created."""
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        await set_group_category(self.bot.db, interaction.guild_id, category.id)
        await interaction.followup.send(
            Translator(interaction.locale)(
                _("New group channels will be created under {category}."), category=category.name
            ),
            ephemeral=True,
        )

    @app_commands.command(name="coordinator-channel")
    @app_commands.describe(channel="Where proposals are posted for review")
    async def coordinator_channel(
        self, interaction: discord.Interaction[GugBot], channel: discord.TextChannel
    ) -> None:
        """Choose where proposals are posted for review."""
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        await set_coordinator_channel(self.bot.db, interaction.guild_id, channel.id)
        await interaction.followup.send(
            Translator(interaction.locale)(
                _("Proposals will be posted in {channel} for review."), channel=channel.mention
            ),
            ephemeral=True,
        )


async def setup(bot: GugBot) -> None:
    """Load the Setup cog."""
    await bot.add_cog(Setup(bot))
