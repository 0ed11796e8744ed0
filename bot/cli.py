"""The ``gugbot`` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import discord

from bot.logging_setup import configure_logging
from bot.settings import Settings, SettingsError, load_settings

MISSING_TOKEN = (
    "gugbot: no Discord token. Set DISCORD_TOKEN=<your bot token> (or discord.token in "
    "config.toml), or try `gugbot demo` to see the bot work without one."
)


def _parser() -> argparse.ArgumentParser:
    from cogs.about import gugbot_version

    parser = argparse.ArgumentParser(prog="gugbot", description=__doc__)
    parser.add_argument("--version", action="version", version=f"gugbot {gugbot_version()}")
    parser.add_argument("--config", type=Path, help="path of the TOML config file")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the bot (and the web directory, see [web])")
    commands.add_parser("web", help="serve the web directory alone, from the database")
    demo = commands.add_parser("demo", help="play the story against a local sandbox")
    demo.add_argument("--keep", action="store_true", help="leave sandbox and bot running")
    demo.add_argument("--dir", type=Path, default=None, help="where the demo keeps its data")
    demo.add_argument(
        "--without-permission",
        metavar="NAME",
        help="remove one of the bot's permissions in the sandbox (e.g. MANAGE_CHANNELS)",
    )
    database = commands.add_parser("db", help="database maintenance")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser("upgrade", help="apply migrations")
    commands.add_parser("check-config", help="validate and print the effective settings")
    commands.add_parser("sync", help="sync slash commands with Discord now")
    commands.add_parser("invite-url", help="print the URL that adds the bot to a server")
    return parser


def _require_token(settings: Settings) -> None:
    if not settings.discord.token:
        print(MISSING_TOKEN, file=sys.stderr)
        raise SystemExit(2)


def _run(arguments: argparse.Namespace, settings: Settings) -> int:
    if arguments.command == "check-config":
        print(json.dumps(settings.masked(), indent=2))
        return 0
    configure_logging(settings)
    if arguments.command == "run":
        _require_token(settings)
        from bot.runner import run_bot

        try:
            asyncio.run(run_bot(settings))
        except discord.LoginFailure:
            print("gugbot: Discord refused the token; check DISCORD_TOKEN.", file=sys.stderr)
            return 1
        return 0
    if arguments.command == "web":
        from bot.runner import run_web

        return asyncio.run(run_web(settings))
    if arguments.command == "sync":
        _require_token(settings)
        from bot.runner import sync_commands

        asyncio.run(sync_commands(settings))
        return 0
    if arguments.command == "db":
        from bot.runner import open_database

        async def upgrade() -> None:
            db = await open_database(settings)
            await db.dispose()

        asyncio.run(upgrade())
        print(f"database is up to date: {settings.database.effective_url}")
        return 0
    if arguments.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(
            run_demo(
                settings,
                keep=arguments.keep,
                directory=arguments.dir,
                without_permission=arguments.without_permission,
            )
        )
    if arguments.command == "invite-url":
        from bot.invite import InviteError, invite_url

        try:
            print(invite_url(settings))
        except InviteError as error:
            print(f"gugbot: {error}", file=sys.stderr)
            return 2
        return 0
    raise AssertionError(arguments.command)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, load settings, and do what was asked."""
    arguments = _parser().parse_args(argv)
    try:
        settings = load_settings(arguments.config)
    except SettingsError as error:
        print(f"gugbot: {error}", file=sys.stderr)
        return 2
    return _run(arguments, settings)


if __name__ == "__main__":
    sys.exit(main())
