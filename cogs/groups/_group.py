"""/group …: propose, info, list, join, leave, edit, organizer-add and organizer-remove."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import GugBot
from bot.directory_links import group_page_url
from bot.languages import guild_locale, language_name
from bot.permissions import actor_for
from cogs.groups._actions import GroupActions
from cogs.groups._buttons import GroupButtons
from cogs.groups._render import group_embed, list_embed, proposal_embed
from cogs.groups.options import GroupOption
from core.errors import InvalidInput
from core.geography import gazetteer
from core.i18n import Translator, _
from core.text import require_length
from db.attendance import show_up_rate
from db.group_directory import group_summaries, list_active_groups
from db.groups import GroupPlace, edit_group, propose_group, set_proposal_message
from db.memberships import add_organizer, remove_organizer
from db.models import Group

NAME_LIMIT = 80
PLACE_LIMIT = 100
DESCRIPTION_LIMIT = 1000
# User, role, channel mentions and @everyone/@here: a name is shown everywhere, never a ping.
MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|@(everyone|here)")


def _plain(label: str, text: str, limit: int, *, required: bool = True) -> str:
    value = require_length(label, text, limit, required=required)
    if MENTION.search(value):
        raise InvalidInput(_("{label} cannot contain mentions."), label=label)
    return value


def resolve_place(city: str, country: str, default_timezone: str) -> GroupPlace:
    """Resolve a typed city and country against the gazetteer, keeping the text when unknown."""
    gaz = gazetteer()
    known_country = gaz.country(country)
    code = known_country.code if known_country else ""
    cities = gaz.cities_named(city, code or None)
    known_city = cities[0] if cities else None
    if known_country is None and known_city is not None:
        code = known_city.country_code
        known_country = gaz.countries.get(code)
    return GroupPlace(
        city=known_city.name if known_city else city,
        country=known_country.name if known_country else country,
        country_code=code,
        region=known_city.region if known_city else "",
        latitude=known_city.latitude if known_city else None,
        longitude=known_city.longitude if known_city else None,
        timezone=gaz.timezone_for(known_city, code, default_timezone),
    )


class Groups(commands.GroupCog, group_name="group"):
    """Users groups: propose one, find out about one, join, and run one."""

    def __init__(self, bot: GugBot, actions: GroupActions, buttons: GroupButtons) -> None:
        self.bot = bot
        self.actions = actions
        self.buttons = buttons

    async def cog_load(self) -> None:
        """Make buttons posted before a restart work."""
        self.bot.add_dynamic_items(*self.buttons.dynamic_items)

    @app_commands.command(name="propose")
    @app_commands.describe(
        name="The group's name, e.g. GUG Rosario",
        city="The city where it meets",
        country="The country",
        description="What the group is about",
        share="Also post an invitation to back it in this channel",
    )
    @app_commands.guild_only()
    async def propose(
        self,
        interaction: discord.Interaction[GugBot],
        name: str,
        city: str,
        country: str,
        description: str = "",
        share: bool = False,
    ) -> None:
        """Propose a new users group for your city; a coordinator reviews it."""
        assert interaction.guild_id is not None
        t = Translator(interaction.locale)
        name = _plain(t(_("The name")), name, NAME_LIMIT)
        city = _plain(t(_("The city")), city, PLACE_LIMIT)
        country = _plain(t(_("The country")), country, PLACE_LIMIT)
        description = require_length(
            t(_("The description")), description, DESCRIPTION_LIMIT, required=False
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        group = await propose_group(
            self.bot.db,
            guild_id=interaction.guild_id,
            proposer_id=interaction.user.id,
            name=name,
            description=description,
            place=resolve_place(city, country, self.bot.settings.groups.default_timezone),
            max_pending=self.bot.settings.groups.max_pending_per_user,
            now=self.bot.clock.now(),
        )
        review = await self.actions.coordinators_channel(interaction)
        if review is not None:
            try:
                # The review post is shared: it speaks the server's language, not the proposer's.
                shared = Translator(interaction.guild_locale)
                message = await review.send(
                    embed=proposal_embed(shared, group),
                    view=self.buttons.proposal_view(group.id, shared),
                )
                await set_proposal_message(self.bot.db, group.id, message.channel.id, message.id)
            except discord.HTTPException:
                review = None
        # Growth (cogs/interest) tells the people waiting nearby and posts the invitation.
        self.bot.dispatch("group_proposed", interaction, group, share)
        await interaction.followup.send(
            t(
                _(
                    "Thanks! “{name}” ({city}, {country}, time zone {zone}) is waiting for a "
                    "coordinator's review. You will hear from the bot."
                ),
                name=group.name,
                city=group.city,
                country=group.country,
                zone=group.timezone,
            ),
            ephemeral=True,
        )

    @app_commands.command(name="info")
    @app_commands.describe(group="The group")
    @app_commands.guild_only()
    async def info(self, interaction: discord.Interaction[GugBot], group: GroupOption) -> None:
        """Show a group: place, organizers, members and next meeting."""
        now = self.bot.clock.now()
        [summary] = await group_summaries(self.bot.db, [group.id], now)
        show_up = await show_up_rate(
            self.bot.db, guild_id=group.guild_id, group_id=group.id, now=now
        )
        page = await group_page_url(self.bot.db, self.bot.settings.web.base_url, group.id)
        await interaction.response.send_message(
            embed=group_embed(Translator(interaction.locale), summary, show_up, page),
            view=self.buttons.join_view(group.id, Translator(interaction.locale)),
            ephemeral=True,
        )

    @app_commands.command(name="list")
    @app_commands.describe(country="Only groups in this country")
    @app_commands.guild_only()
    async def list_groups(
        self, interaction: discord.Interaction[GugBot], country: str = ""
    ) -> None:
        """List the active groups, optionally of one country."""
        assert interaction.guild_id is not None
        t = Translator(interaction.locale)
        codes: list[str] | None = None
        label = None
        if country.strip():
            known = gazetteer().country(country)
            if known is None:
                raise InvalidInput(
                    _("I do not know a country called “{country}”. Try its English name."),
                    country=country[:80],
                )
            codes, label = [known.code], known.name
        ids, total = await list_active_groups(self.bot.db, interaction.guild_id, codes)
        summaries = await group_summaries(self.bot.db, ids, self.bot.clock.now())
        await interaction.response.send_message(
            embed=list_embed(t, summaries, total, label), ephemeral=True
        )

    @app_commands.command(name="join")
    @app_commands.describe(group="The group to join")
    @app_commands.guild_only()
    async def join_command(
        self, interaction: discord.Interaction[GugBot], group: GroupOption
    ) -> None:
        """Join a group."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.actions.join(interaction, group.id, Translator(interaction.locale))
        await interaction.followup.send(reply, ephemeral=True)

    @app_commands.command(name="leave")
    @app_commands.describe(group="The group to leave")
    @app_commands.guild_only()
    async def leave_command(
        self, interaction: discord.Interaction[GugBot], group: GroupOption
    ) -> None:
        """Leave a group."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self.actions.leave(interaction, group.id, Translator(interaction.locale))
        await interaction.followup.send(reply, ephemeral=True)

    @app_commands.command(name="edit")
    @app_commands.describe(
        group="The group",
        name="A new name",
        description="A new description",
        city="A new city",
        country="A new country",
        timezone="An IANA time zone, e.g. America/Montevideo",
        language="The language of the group's channel posts (default: the server's)",
    )
    @app_commands.choices(
        language=[
            app_commands.Choice(name="English", value="en"),
            app_commands.Choice(name="Spanish", value="es"),
            app_commands.Choice(name="Brazilian Portuguese", value="pt-BR"),
        ]
    )
    @app_commands.guild_only()
    async def edit(
        self,
        interaction: discord.Interaction[GugBot],
        group: GroupOption,
        name: str | None = None,
        description: str | None = None,
        city: str | None = None,
        country: str | None = None,
        timezone: str | None = None,
        language: app_commands.Choice[str] | None = None,
    ) -> None:
        """Change a group's details (organizers and coordinators)."""
        assert interaction.guild_id is not None
        t = Translator(interaction.locale)
        if name is not None:
            name = _plain(t(_("The name")), name, NAME_LIMIT)
        if description is not None:
            description = require_length(
                t(_("The description")), description, DESCRIPTION_LIMIT, required=False
            )
        place = None
        if city is not None or country is not None:
            place = resolve_place(
                _plain(t(_("The city")), city or group.city, PLACE_LIMIT),
                _plain(t(_("The country")), country or group.country, PLACE_LIMIT),
                group.timezone,
            )
        if timezone is not None:
            timezone = _valid_zone(timezone)
        await interaction.response.defer(ephemeral=True, thinking=True)
        edited = await edit_group(
            self.bot.db,
            guild_id=interaction.guild_id,
            group_id=group.id,
            actor=await actor_for(self.bot.db, interaction),
            now=self.bot.clock.now(),
            name=name,
            description=description,
            place=place,
            timezone=timezone,
            language=language.value if language else None,
        )
        self.actions.places.invalidate(interaction.guild_id)
        await interaction.followup.send(
            t(
                _("Saved “{name}”: {city}, {country}, time zone {zone}, posts in {language}."),
                name=edited.name,
                city=edited.city,
                country=edited.country,
                zone=edited.timezone,
                language=language_name(
                    edited.language or guild_locale(self.bot, interaction.guild_id), t
                ),
            ),
            ephemeral=True,
        )

    @app_commands.command(name="organizer-add")
    @app_commands.describe(group="The group", member="Who becomes an organizer")
    @app_commands.guild_only()
    async def organizer_add(
        self, interaction: discord.Interaction[GugBot], group: GroupOption, member: discord.Member
    ) -> None:
        """Make someone an organizer of a group."""
        await self._organizer(interaction, group, member, add=True)

    @app_commands.command(name="organizer-remove")
    @app_commands.describe(group="The group", member="Who stops organizing (also someone who left)")
    @app_commands.guild_only()
    async def organizer_remove(
        self, interaction: discord.Interaction[GugBot], group: GroupOption, member: discord.User
    ) -> None:
        """Stop someone organizing a group (the last organizer stays)."""
        # A User, not a Member: an organizer who left the server is no member any more.
        await self._organizer(interaction, group, member, add=False)

    async def _organizer(
        self,
        interaction: discord.Interaction[GugBot],
        group: Group,
        member: discord.User | discord.Member,
        *,
        add: bool,
    ) -> None:
        assert interaction.guild_id is not None
        t = Translator(interaction.locale)
        if member.bot:
            raise InvalidInput(_("Bots cannot organize groups."))
        await interaction.response.defer(ephemeral=True, thinking=True)
        change = await (add_organizer if add else remove_organizer)(
            self.bot.db,
            guild_id=interaction.guild_id,
            group_id=group.id,
            actor=await actor_for(self.bot.db, interaction),
            user_id=member.id,
            now=self.bot.clock.now(),
        )
        if add:
            text = (
                _("{who} now organizes “{name}”.")
                if change.changed
                else _("{who} already organizes “{name}”.")
            )
        else:
            text = (
                _("{who} no longer organizes “{name}”.")
                if change.changed
                else _("{who} was not an organizer of “{name}”.")
            )
        await interaction.followup.send(
            t(text, who=member.mention, name=group.name), ephemeral=True
        )


def _valid_zone(name: str) -> str:
    try:
        ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones
        raise InvalidInput(
            _("“{zone}” is not a time zone I know; use an IANA name like America/Montevideo."),
            zone=name[:64],
        ) from None
    return name.strip()
