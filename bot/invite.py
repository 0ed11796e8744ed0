"""The invite URL that adds gugbot to a server with exactly the permissions it uses."""

from __future__ import annotations

import base64
import binascii

import discord

from bot.settings import Settings

# Each permission the bot asks for, and the feature that needs it.
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,  # see group channels to post announcements and reminders
    send_messages=True,  # announcements, reminders, proposals, notices
    embed_links=True,  # announcements and proposals are embeds
    add_reactions=True,  # the ✅ ❔ ❌ RSVP reactions on each announcement
    read_message_history=True,  # reconcile RSVPs from the reactions on announcements
    manage_messages=True,  # remove a member's previous RSVP reaction when they change it
    manage_roles=True,  # create each group's role and give it to members who join
    manage_channels=True,  # create each group's text channel on approval
    manage_events=True,  # mirror meetings as Discord scheduled events
)
SCOPES = ("bot", "applications.commands")


class InviteError(ValueError):
    """The application id could not be found."""


def application_id_from_token(token: str) -> int:
    """Read the bot's id from the first part of its token (base64 of the user id)."""
    first = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InviteError("the token does not start with a bot id") from None
    if not (decoded.isascii() and decoded.isdigit()):  # "²" passes isdigit, not int()
        raise InviteError("the token does not start with a bot id")
    return int(decoded)


def invite_url(settings: Settings) -> str:
    """Return the OAuth2 URL with the bot and applications.commands scopes."""
    application_id = settings.discord.application_id
    if not application_id:
        token = settings.discord.token.reveal()
        if not token:
            raise InviteError(
                "set discord.application_id (or DISCORD_TOKEN) to build the invite URL"
            )
        application_id = application_id_from_token(token)
    return discord.utils.oauth_url(
        application_id, permissions=REQUIRED_PERMISSIONS, scopes=SCOPES
    )
