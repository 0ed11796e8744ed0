"""Turn any error raised while serving an interaction into the right reply.

The order matters and is documented here once: known user errors first (short,
ephemeral, translated), then permission and check failures (say what is needed),
then everything else (log with context, apologise with an error id).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import discord
from discord import app_commands

from bot.limits import MESSAGE_LIMIT
from bot.metrics import count_error
from core.errors import UserError
from core.i18n import Translator, _
from core.text import fit

log = logging.getLogger("gugbot.errors")

APOLOGY = _(
    "Sorry, something went wrong on our side. Please try again later (error id `{error_id}`)."
)


def _unwrap(error: BaseException) -> BaseException:
    while isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        cause = error.__cause__ or getattr(error, "original", None)
        if cause is None or cause is error:
            break
        error = cause
    return error


def _permission_names(names: list[str]) -> str:
    return ", ".join(name.replace("_", " ").replace("guild", "server").title() for name in names)


def _describe_interaction(interaction: discord.Interaction) -> dict[str, Any]:
    command = interaction.command
    data: Any = interaction.data or {}
    return {
        "command": command.qualified_name if command else data.get("custom_id"),
        "user": interaction.user.id if interaction.user else None,
        "guild": interaction.guild_id,
        "channel": interaction.channel_id,
        "options": data.get("options"),
    }


def error_kind(error: BaseException) -> str:
    """Name the kind of ``error`` for the errors-by-kind metric."""
    error = _unwrap(error)
    if isinstance(error, UserError):
        return "user"
    if isinstance(error, app_commands.MissingPermissions | app_commands.BotMissingPermissions):
        return "permission"
    if isinstance(error, app_commands.CheckFailure):
        return "check"
    return "unexpected"


def message_for(error: BaseException, t: Translator) -> tuple[str, str | None]:
    """Return the reply for ``error`` and, for unexpected ones, the new error id."""
    error = _unwrap(error)
    if isinstance(error, UserError):
        return t(error.message, **error.params), None
    if isinstance(error, app_commands.MissingPermissions):
        return t(
            _("You need the {what} permission to do this."),
            what=_permission_names(error.missing_permissions),
        ), None
    if isinstance(error, app_commands.BotMissingPermissions):
        return t(
            _("The bot needs the {what} permission to do this; ask a server admin."),
            what=_permission_names(error.missing_permissions),
        ), None
    if isinstance(error, app_commands.NoPrivateMessage):
        return t(_("This command only works in a server.")), None
    if isinstance(error, app_commands.CheckFailure):
        return t(_("You are not allowed to do this.")), None
    error_id = uuid.uuid4().hex[:8]
    return t(APOLOGY, error_id=error_id), error_id


async def send_ephemeral(interaction: discord.Interaction, content: str) -> None:
    """Reply ephemerally whether or not the interaction was already answered."""
    content = fit(content, MESSAGE_LIMIT)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)
    except discord.HTTPException as error:
        # The token may have expired (15 min) or the interaction was never acked in time.
        log.warning("could not deliver an error reply: %s", error)


async def reply_with_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer the user about ``error``, logging it with context when it was unexpected."""
    count_error(error_kind(error))
    content, error_id = message_for(error, Translator(interaction.locale))
    if error_id is not None:
        log.error(
            "unexpected error %s while serving %s",
            error_id,
            _describe_interaction(interaction),
            exc_info=_unwrap(error),
        )
    await send_ephemeral(interaction, content)
