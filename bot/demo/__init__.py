"""`gugbot demo`: the sandbox and the real bot in one process, playing the seed's story."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import socket
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import discord
from rich.console import Console

from bot.demo.stage import Stage, StepFailed
from bot.demo.story import STORY
from bot.demo.transcript import Transcript
from bot.invite import REQUIRED_PERMISSIONS
from bot.local_bot import LocalBot
from bot.runner import served_site
from bot.settings import Secret, Settings
from sandbox.driver import Sandbox
from sandbox.permissions import Perm


def free_port() -> int:
    """Ask the system for a free port on 127.0.0.1 (the demo must not need 8080 free)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def demo_settings(settings: Settings, sb: Sandbox, directory: Path) -> Settings:
    """Point the settings at the sandbox, a fresh database and a free port; quicken timers."""
    port = free_port()
    return replace(
        settings,
        discord=replace(
            settings.discord,
            token=Secret(sb.token),
            api_base=sb.base_url,
            shard_count=0,
            shard_ids=(),
            guild_ready_timeout=0.1,
        ),
        database=replace(
            settings.database,
            url=f"sqlite+aiosqlite:///{(directory / 'gugbot.db').as_posix()}",
            data_dir=directory,
        ),
        meetings=replace(settings.meetings, announcement_edit_interval=timedelta(seconds=1)),
        reminders=replace(settings.reminders, sweep_interval=timedelta(seconds=5)),
        web=replace(
            settings.web,
            enabled=True,
            host="127.0.0.1",
            port=port,
            base_url=f"http://127.0.0.1:{port}",
        ),
    )


def _keep_instructions(console: Console, sb: Sandbox, directory: Path) -> None:
    console.rule("[bold]The sandbox and the bot keep running (Ctrl-C to stop)")
    console.print(f"Sandbox: {sb.base_url}   database: {directory / 'gugbot.db'}")
    console.print("Drive it from another Python shell, as any user of the default world:")
    console.print(
        "  from sandbox.remote import RemoteSandbox\n"
        f"  async with RemoteSandbox('{sb.base_url}') as sb:\n"
        "      reply = await sb.command('alice', 'findgroup', options={'place': 'montevideo'})\n"
        "      print(reply.text)",
        highlight=False,
    )
    console.print("Users: admin, coord, alice, bob, carol, dave, erin.")


async def _until_stopped() -> None:
    """Wait for Ctrl-C or SIGTERM, after which the demo ends as it would have without --keep."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()


async def run_demo(
    settings: Settings,
    *,
    keep: bool = False,
    directory: Path | None = None,
    without_permission: str | None = None,
    language: str = "en-US",
    console: Console | None = None,
) -> int:
    """Play the story; return 0 when every step did what it should, else 1."""
    console = console or Console(highlight=False)
    # The transcript is the demo's output; routine log lines would drown it.
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    temporary = directory is None
    directory = directory or Path(tempfile.mkdtemp(prefix="gugbot-demo-"))
    if not temporary and (directory / "gugbot.db").exists():
        for suffix in ("", "-wal", "-shm"):
            (directory / f"gugbot.db{suffix}").unlink(missing_ok=True)
    directory.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        async with Sandbox.start() as sb:
            if without_permission:
                sb.remove_permission(Perm[without_permission.upper()])
            speak(sb, language)
            local = LocalBot(demo_settings(settings, sb, directory))
            await local.start()
            try:
                async with served_site(local.settings, local.db, local.bot):
                    failed = await play_story(sb, local, console)
                    seconds = time.monotonic() - started
                    _report_permissions(console, sb)
                    if failed is None:
                        console.print(f"[green]✔ the story played through in {seconds:.0f} s")
                    else:
                        console.print(f"[bold red]✘ step “{failed}” failed")
                    console.print(f"Public directory: {local.settings.web.base_url}/")
                    if keep:
                        _keep_instructions(console, sb, directory)
                        await _until_stopped()
                return 0 if failed is None else 1
            finally:
                await local.stop()
    finally:
        if temporary and not keep:
            shutil.rmtree(directory, ignore_errors=True)


def speak(sb: Sandbox, language: str) -> None:
    """Make the server and everyone in it use ``language`` (before the bot connects)."""
    sb.world.guild.locale = language
    for user in sb.world.users.values():
        user.locale = language


def _report_permissions(console: Console, sb: Sandbox) -> None:
    """Say which permissions the bot's requests needed, next to what invite-url asks for."""
    used = discord.Permissions(sb.world.permissions_checked)
    names = ", ".join(name for name, value in used if value)
    console.print(f"permissions used: {used.value} ({names})", highlight=False)
    console.print(f"permissions invite-url asks for: {REQUIRED_PERMISSIONS.value}", highlight=False)


async def play_story(sb: Sandbox, local: LocalBot, console: Console) -> str | None:
    """Play every step in order against a running bot; return the first failed step's title."""
    stage = Stage(sb, local, Transcript(console, lambda kind, ident: None))
    stage.transcript = Transcript(console, stage.names)
    return await _play(stage)


async def _play(stage: Stage) -> str | None:
    """Play every step in order; return the title of the first that failed."""
    for number, step in enumerate(STORY, start=1):
        stage.transcript.scene(f"{number}. {step.title}")
        try:
            await step.play(stage)
        except StepFailed as failure:
            stage.transcript.outcome(False, f"{step.title}: {failure}")
            return step.title
        except Exception as error:  # a crash is a failed step too, named as such
            stage.transcript.outcome(False, f"{step.title}: {type(error).__name__}: {error}")
            print(f"demo step failed: {step.title}", file=sys.stderr)
            return step.title
        stage.transcript.outcome(True, step.title)
    return None
