"""The `meeting` and `talk` options: autocomplete and re-validation."""

from __future__ import annotations

import discord
from discord import app_commands

from core.errors import NotFound
from core.i18n import _
from core.text import fit
from core.when import describe_local
from db.meeting_lookup import MeetingLookupError, meeting_choices, resolve_meeting
from db.models import Meeting, Talk
from db.talks import resolve_talk, talk_choices

CHOICE_NAME_LIMIT = 100  # Discord: a choice's name is at most 100 characters.


async def _meetings(
    interaction: discord.Interaction, current: str, *, organizer: bool
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    bot = interaction.client
    pairs = await meeting_choices(
        bot.db,  # type: ignore[attr-defined]
        interaction.guild_id,
        current,
        now=bot.clock.now(),  # type: ignore[attr-defined]
        organizer_id=interaction.user.id if organizer else None,
    )
    return [
        app_commands.Choice(
            name=fit(
                f"{meeting.title} — {group.name}, "
                f"{describe_local(meeting.starts_at, group.timezone, interaction.locale)}",
                CHOICE_NAME_LIMIT,
            ),
            value=str(meeting.id),
        )
        for meeting, group in pairs
    ]


async def upcoming_meeting_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer the server's upcoming meetings."""
    return await _meetings(interaction, current, organizer=False)


async def my_meeting_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer upcoming meetings of the groups the user organizes."""
    return await _meetings(interaction, current, organizer=True)


async def meeting_from_option(interaction: discord.Interaction, value: str) -> Meeting:
    """Re-validate a `meeting` option (an id from autocomplete, or a typed title)."""
    if interaction.guild_id is None:
        raise NotFound(_("Meetings live in a server; run this command there."))
    bot = interaction.client
    try:
        return await resolve_meeting(
            bot.db,  # type: ignore[attr-defined]
            interaction.guild_id,
            value,
            now=bot.clock.now(),  # type: ignore[attr-defined]
        )
    except MeetingLookupError as error:
        if error.candidates:
            raise NotFound(
                _("“{typed}” matches several meetings: {names}. Pick one from the list."),
                typed=fit(value, 80),
                names=", ".join(error.candidates),
            ) from None
        raise NotFound(
            _("No upcoming meeting called “{typed}”. Pick one from the list."),
            typed=fit(value, 80),
        ) from None


async def my_talk_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer proposed talks for meetings of the groups the user organizes."""
    if interaction.guild_id is None:
        return []
    bot = interaction.client
    pairs = await talk_choices(
        bot.db,  # type: ignore[attr-defined]
        interaction.guild_id,
        current,
        now=bot.clock.now(),  # type: ignore[attr-defined]
        organizer_id=interaction.user.id,
    )
    return [
        app_commands.Choice(name=fit(label, CHOICE_NAME_LIMIT), value=str(talk_id))
        for talk_id, label in pairs
    ]


async def talk_from_option(interaction: discord.Interaction, value: str) -> Talk:
    """Re-validate a `talk` option."""
    if interaction.guild_id is None:
        raise NotFound(_("Talks live in a server; run this command there."))
    talk = await resolve_talk(
        interaction.client.db,  # type: ignore[attr-defined]
        interaction.guild_id,
        value,
    )
    if talk is None:
        raise NotFound(_("No proposed talk called “{typed}”. Pick one from the list."),
                       typed=fit(value, 80))
    return talk
