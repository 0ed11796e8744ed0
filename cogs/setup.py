"""/setup …: a server admin's one-time choices (Manage Server only)."""

from __future__ import annotations

from urllib.parse import urlsplit

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from core.errors import InvalidInput
from core.i18n import Translator, _
from db.backers import set_min_backers
from db.guild_settings import (
    set_coordinator_channel,
    set_coordinator_role,
    set_directory,
    set_group_category,
)
from db.recaps import set_highlights_channel

# Where Discord serves invite links; the public pages link to nothing else from this option.
INVITE_HOSTS = {"discord.gg", "discord.com", "www.discord.com", "discordapp.com"}
# The guild_settings.invite_url column's length.
INVITE_URL_LIMIT = 200


def read_invite_url(text: str) -> str:
    """Accept a Discord invite link (https://discord.gg/…), else say what is expected."""
    url = text.strip()
    parts = urlsplit(url)
    if (
        len(url) > INVITE_URL_LIMIT
        or parts.scheme != "https"
        or (parts.hostname or "") not in INVITE_HOSTS
        or not parts.path.strip("/")
    ):
        raise InvalidInput(_("Give a Discord invite link such as https://discord.gg/abc123."))
    return url


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

    @app_commands.command(name="directory")
    @app_commands.describe(
        public="List this server's active groups on the public web directory and calendars",
        invite_url="A Discord invite link shown on the public pages so people can join",
    )
    async def directory(
        self, interaction: discord.Interaction, public: bool, invite_url: str | None = None
    ) -> None:
        """Choose whether this server's groups appear on the public web directory."""
        assert interaction.guild_id is not None
        invite = read_invite_url(invite_url) if invite_url is not None else None
        await set_directory(self.bot.db, interaction.guild_id, public, invite)
        t = Translator(interaction.locale)
        if not public:
            message = t(_("This server's groups are no longer on the public directory."))
        elif self.bot.settings.web.base_url:
            message = t(
                _("This server's active groups are now on the public directory: {url}"),
                url=self.bot.settings.web.base_url,
            )
        else:
            message = t(_("This server's active groups are now on the public directory."))
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(name="min-backers")
    @app_commands.describe(count="How many people must back a proposal before approval (0: none)")
    async def min_backers(self, interaction: discord.Interaction[GugBot], count: int) -> None:
        """Make approval wait until a proposal has this many backers."""
        assert interaction.guild_id is not None
        await set_min_backers(self.bot.db, interaction.guild_id, count)
        t = Translator(interaction.locale)
        if count == 0:
            reply = t(_("Proposals no longer need backers before approval."))
        else:
            reply = t.plural("Proposals now need {n} backer before approval.",
                             "Proposals now need {n} backers before approval.", count)
        await interaction.response.send_message(reply, ephemeral=True)

    @app_commands.command(name="highlights-channel")
    @app_commands.describe(channel="Where every group's meeting recaps are also posted")
    async def highlights_channel(
        self, interaction: discord.Interaction[GugBot], channel: discord.TextChannel
    ) -> None:
        """Choose where meeting recaps are shared with the whole network."""
        assert interaction.guild_id is not None
        await set_highlights_channel(self.bot.db, interaction.guild_id, channel.id)
        await interaction.response.send_message(
            Translator(interaction.locale)(
                _("Meeting recaps will also be posted in {channel}."), channel=channel.mention
            ),
            ephemeral=True,
        )


async def setup(bot: GugBot) -> None:
    """Load the Setup cog."""
    await bot.add_cog(Setup(bot))
