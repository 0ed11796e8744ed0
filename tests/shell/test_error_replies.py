from __future__ import annotations

import pytest
from discord import app_commands

from bot.error_replies import message_for
from core.errors import NotAllowed, UserError
from core.i18n import Translator


def test_user_error_is_shown_translated_with_params() -> None:
    content, error_id = message_for(UserError("No group called {name}.", name="X"), Translator("en-US"))
    assert content == "No group called X."
    assert error_id is None


def test_user_error_inside_invoke_error_is_unwrapped() -> None:
    command = app_commands.Command(name="x", description="x", callback=_noop)
    wrapped = app_commands.CommandInvokeError(command, NotAllowed("Only coordinators can do this."))
    content, error_id = message_for(wrapped, Translator(None))
    assert content == "Only coordinators can do this."
    assert error_id is None


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (app_commands.MissingPermissions(["manage_guild"]), "You need the Manage Server permission"),
        (app_commands.BotMissingPermissions(["manage_roles"]), "The bot needs the Manage Roles"),
        (app_commands.CheckFailure(), "You are not allowed"),
    ],
)
def test_failed_checks_say_what_is_needed(error: Exception, expected: str) -> None:
    content, error_id = message_for(error, Translator("en-US"))
    assert content.startswith(expected)
    assert error_id is None


def test_unexpected_error_gets_an_apology_with_a_fresh_id() -> None:
    first, first_id = message_for(RuntimeError("boom"), Translator("en-US"))
    _, second_id = message_for(RuntimeError("boom"), Translator("en-US"))
    assert first_id and second_id and first_id != second_id
    assert first_id in first
    assert "boom" not in first


def test_spanish_locale_gets_the_spanish_apology() -> None:
    content, error_id = message_for(RuntimeError("boom"), Translator("es-ES"))
    assert content.startswith("Lo sentimos")
    assert error_id is not None and error_id in content


async def _noop(interaction: object) -> None:
    return None
