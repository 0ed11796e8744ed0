"""The bot shell end to end: connect, sync once, /about, errors, mentions, gateway drops."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from core.errors import UserError
from tests.support.gug import Gug, GugFactory


def sync_calls(gug: Gug) -> int:
    return len([call for call in gug.sb.calls if call.method == "PUT" and "/commands" in call.path])


async def test_bot_connects_and_about_answers(gug: Gug) -> None:
    reply = await gug.sb.command("alice", "about")
    assert reply.ephemeral
    assert "gugbot" in reply.text
    assert "Active groups" in reply.text


async def test_commands_are_synced_once_and_not_again_when_unchanged(gug: Gug) -> None:
    assert sync_calls(gug) == 1
    await gug.restart()
    assert sync_calls(gug) == 1
    reply = await gug.sb.command("bob", "about")
    assert "gugbot" in reply.text


async def test_unexpected_error_gives_apology_with_error_id(
    gug: Gug, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(interaction: discord.Interaction) -> None:
        raise RuntimeError("boom")

    gug.bot.tree.add_command(app_commands.Command(name="broken", description="x", callback=broken))
    await gug.bot.tree.sync()
    reply = await gug.sb.command("alice", "broken")
    assert reply.ephemeral
    assert "Sorry, something went wrong" in reply.content
    error_id = reply.content.split("`")[1]
    assert len(error_id) == 8
    assert any(error_id in record.getMessage() for record in caplog.records)
    assert any("broken" in record.getMessage() for record in caplog.records)


async def test_user_error_is_a_short_ephemeral_reply(gug: Gug) -> None:
    async def refuse(interaction: discord.Interaction) -> None:
        raise UserError("No group called {name}.", name="Atlantis")

    gug.bot.tree.add_command(app_commands.Command(name="refuse", description="x", callback=refuse))
    await gug.bot.tree.sync()
    reply = await gug.sb.command("alice", "refuse")
    assert reply.ephemeral
    assert reply.content == "No group called Atlantis."


async def test_missing_permission_says_what_is_needed(gug: Gug) -> None:
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def admin_only(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok")

    gug.bot.tree.add_command(
        app_commands.Command(name="admin-only", description="x", callback=admin_only)
    )
    await gug.bot.tree.sync()
    reply = await gug.sb.command("alice", "admin-only")
    assert reply.ephemeral
    assert "Manage Server" in reply.content


async def test_text_with_everyone_and_role_mentions_pings_nobody(gug: Gug) -> None:
    role_id = gug.sb.world.role("Coordinators").id

    async def echo(interaction: discord.Interaction, text: str) -> None:
        assert interaction.channel is not None
        await interaction.response.send_message(text)

    gug.bot.tree.add_command(app_commands.Command(name="echo", description="x", callback=echo))
    await gug.bot.tree.sync()
    alice = gug.sb.user("alice")
    reply = await gug.sb.command("bob", "echo", text=f"@everyone @here <@&{role_id}> <@{alice.id}>")
    assert reply.message_id is not None
    assert gug.sb.pinged(reply) == set()


@pytest.mark.parametrize("resumable", [True, False])
async def test_bot_survives_a_gateway_drop(make_gug: GugFactory, resumable: bool) -> None:
    gug = await make_gug()
    identifies = gug.sb.gateway.identify_count
    await gug.sb.drop_gateway(resumable=resumable)
    if resumable:
        await gug.sb.wait_for(lambda: gug.sb.gateway.resume_count > 0, timeout=15)
    else:
        # discord.py waits 5 s before a non-initial IDENTIFY (before_identify_hook).
        await gug.sb.wait_for(lambda: gug.sb.gateway.identify_count > identifies, timeout=15)
    await gug.sb.wait_ready(timeout=15)
    reply = await gug.sb.command("alice", "about", timeout=15)
    assert "gugbot" in reply.text
