"""Fixtures for the sandbox's own tests: a sandbox and a bare discord.py bot against it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

from bot.discord_api import point_discord_at
from sandbox import Sandbox

GUILD_READY_TIMEOUT = 0.1


class Buttons(discord.ui.View):
    """A view with one button that answers with an update."""

    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.button(label="Go", custom_id="go")
    async def go(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message(f"pressed by {interaction.user.id}", ephemeral=True)


class Feedback(discord.ui.Modal, title="Feedback"):
    """A modal with one text input."""

    answer: discord.ui.TextInput[Any] = discord.ui.TextInput(label="Answer", custom_id="answer")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.answer.value}")


class BareBot(commands.AutoShardedBot):
    """A bare discord.py bot with a tiny command tree, recording the events it parses."""

    def __init__(self, sync_guild: int | None, **kwargs: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.guild_reactions = True
        intents.guild_scheduled_events = True
        super().__init__(command_prefix="!", intents=intents,
                         guild_ready_timeout=GUILD_READY_TIMEOUT, **kwargs)
        self.sync_guild = sync_guild
        self.events: list[tuple[str, Any]] = []
        self.errors: list[BaseException] = []
        self.ready_count = 0
        self._build_tree()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s wait between IDENTIFYs (tests do not need it)."""

    async def setup_hook(self) -> None:
        if self.sync_guild is not None:
            guild = discord.Object(self.sync_guild)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        await self.tree.sync()

    async def on_ready(self) -> None:
        self.ready_count += 1

    async def on_error(self, event: str, *args: Any, **kwargs: Any) -> None:
        import sys

        exc = sys.exc_info()[1]
        if exc is not None:
            self.errors.append(exc)

    def record(self, name: str, payload: Any) -> None:
        self.events.append((name, payload))

    def _build_tree(self) -> None:
        tree = self.tree

        async def on_tree_error(interaction: discord.Interaction, error: Exception) -> None:
            self.errors.append(error)

        tree.on_error = on_tree_error  # type: ignore[method-assign]

        @tree.command(name="ping", description="Answer pong")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pong")

        @tree.command(name="echo", description="Echo options")
        async def echo(
            interaction: discord.Interaction, text: str, count: int = 1, flag: bool = False,
            who: discord.Member | None = None, role: discord.Role | None = None,
            where: discord.TextChannel | None = None, ratio: float = 0.0,
        ) -> None:
            parts = [text * count, str(flag), str(who.id if who else None),
                     str(role.id if role else None), str(where.id if where else None), str(ratio)]
            await interaction.response.send_message("|".join(parts), ephemeral=flag)

        group = app_commands.Group(name="grp", description="A group")
        inner = app_commands.Group(name="inner", description="A subgroup", parent=group)

        @group.command(name="sub", description="A subcommand")
        async def sub(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"sub {name}")

        @inner.command(name="deep", description="A nested subcommand")
        async def deep(interaction: discord.Interaction, n: int) -> None:
            await interaction.response.send_message(f"deep {n}")

        tree.add_command(group)

        @tree.command(name="slow", description="Defer then follow up")
        async def slow(interaction: discord.Interaction, ephemeral: bool = False) -> None:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            await asyncio.sleep(0.01)
            await interaction.followup.send("done")
            await interaction.followup.send("and more")

        @tree.command(name="edit", description="Defer then edit the original")
        async def edit(interaction: discord.Interaction) -> None:
            await interaction.response.defer()
            await interaction.edit_original_response(content="edited")

        @tree.command(name="place", description="Autocomplete")
        async def place(interaction: discord.Interaction, where: str) -> None:
            await interaction.response.send_message(where)

        @place.autocomplete("where")
        async def place_ac(interaction: discord.Interaction, current: str
                           ) -> list[app_commands.Choice[str]]:
            names = ["Montevideo", "Monterrey", "Rosario"]
            return [app_commands.Choice(name=n, value=n.lower())
                    for n in names if n.lower().startswith(current.lower())]

        @tree.command(name="buttons", description="A message with a button")
        async def buttons(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("press", view=Buttons())

        @tree.command(name="csv", description="Attach a CSV")
        async def csv(interaction: discord.Interaction) -> None:
            import io

            data = io.BytesIO(b"name,status\nalice,going\n")
            await interaction.response.send_message(
                "attendees", file=discord.File(data, filename="attendees.csv"))

        @tree.command(name="feedback", description="Open a modal")
        async def feedback(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(Feedback())

        @tree.command(name="late", description="Answer after the deadline")
        async def late(interaction: discord.Interaction) -> None:
            self.late_interactions.append(interaction)

        @tree.command(name="twice", description="Acknowledge twice")
        async def twice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("once")
            try:
                await interaction.response.send_message("twice")
            except discord.InteractionResponded as exc:
                self.errors.append(exc)
            try:
                # Bypass the client's own guard to reach the sandbox's 40060.
                await self.http.request(discord.http.Route(
                    "POST", "/interactions/{i}/{t}/callback", i=interaction.id,
                    t=interaction.token), json={"type": 4, "data": {"content": "again"}})
            except discord.HTTPException as exc:
                self.errors.append(exc)

        self.late_interactions: list[discord.Interaction] = []

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.record("reaction_add", payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self.record("reaction_remove", payload)

    async def on_raw_reaction_clear(self, payload: discord.RawReactionClearEvent) -> None:
        self.record("reaction_clear", payload)

    async def on_raw_reaction_clear_emoji(self, payload: Any) -> None:
        self.record("reaction_clear_emoji", payload)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        self.record("message_delete", payload)

    async def on_message(self, message: discord.Message) -> None:
        self.record("message", message)

    async def on_raw_message_edit(self, payload: Any) -> None:
        self.record("message_edit", payload)

    async def on_guild_channel_delete(self, channel: Any) -> None:
        self.record("channel_delete", channel)

    async def on_guild_channel_create(self, channel: Any) -> None:
        self.record("channel_create", channel)

    async def on_guild_role_create(self, role: discord.Role) -> None:
        self.record("role_create", role)

    async def on_scheduled_event_create(self, event: discord.ScheduledEvent) -> None:
        self.record("scheduled_event_create", event)

    async def on_scheduled_event_update(self, before: Any, after: Any) -> None:
        self.record("scheduled_event_update", after)

    async def on_scheduled_event_delete(self, event: discord.ScheduledEvent) -> None:
        self.record("scheduled_event_delete", event)

    async def on_resumed(self) -> None:
        self.record("resumed", None)

    def seen(self, name: str) -> list[Any]:
        return [payload for event, payload in self.events if event == name]


@contextlib.asynccontextmanager
async def running_bot(sb: Sandbox, **kwargs: Any) -> AsyncIterator[BareBot]:
    """Run a BareBot against a sandbox until the block ends; restore discord.py's URLs."""
    restore = point_discord_at(sb.base_url)
    bot = BareBot(sync_guild=next(iter(sb.world.guilds)), **kwargs)
    task = asyncio.create_task(bot.start(sb.token))
    try:
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 5)
        restore()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shared() -> AsyncIterator[tuple[Sandbox, BareBot]]:
    """One sandbox and one ready bot shared by a module's tests."""
    async with Sandbox.start() as sb, running_bot(sb) as bot:
        yield sb, bot


@pytest.fixture
def bot_runner() -> Any:
    """Return `running_bot`, for tests that build their own sandbox world."""
    return running_bot
