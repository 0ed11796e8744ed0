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
from bot.settings import Settings, SettingsError, load_settings, masked_url

# `gugbot demo --language`: the name on the command line → the Discord locale played.
DEMO_LANGUAGES = {"en": "en-US", "es": "es-419", "pt-BR": "pt-BR"}

MISSING_TOKEN = (
    "gugbot: no Discord token. Set DISCORD_TOKEN=<your bot token> (or discord.token in "
    "config.toml), or try `gugbot demo` to see the bot work without one."
)


def _parser() -> argparse.ArgumentParser:
    from bot.app import gugbot_version

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
    demo.add_argument(
        "--language",
        choices=list(DEMO_LANGUAGES),
        default="en",
        help="the language the server and its people use (Discord locale)",
    )
    database = commands.add_parser("db", help="database maintenance")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser("upgrade", help="apply migrations")
    commands.add_parser("check-config", help="validate and print the effective settings")
    commands.add_parser("sync", help="sync slash commands with Discord now")
    commands.add_parser("invite-url", help="print the URL that adds the bot to a server")
    forget = commands.add_parser(
        "forget-guild", help="delete everything stored for a server the bot was removed from"
    )
    forget.add_argument("guild_id", type=int, metavar="GUILD_ID")
    forget.add_argument("--yes", action="store_true", help="really delete (else only list)")
    return parser


async def _forget_guild(settings: Settings, guild_id: int, *, confirmed: bool) -> int:
    """Delete a server's rows with --yes; without it, say what would go and refuse."""
    from bot.runner import open_database
    from db.lifecycle import forget_guild, guild_footprint

    db = await open_database(settings)
    try:
        if not confirmed:
            footprint = await guild_footprint(db, guild_id)
            if not footprint:
                print(f"nothing is stored for server {guild_id}")
                return 0
            print(f"would delete for server {guild_id}: {_listing(footprint)}")
            print("gugbot: refusing without --yes", file=sys.stderr)
            return 1
        deleted = await forget_guild(db, guild_id)
    finally:
        await db.dispose()
    print(f"deleted for server {guild_id}: {_listing(deleted) or 'nothing'}")
    return 0


def _listing(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {table}" for table, count in sorted(counts.items()))


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
        print(f"database is up to date: {masked_url(settings.database.effective_url)}")
        return 0
    if arguments.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(
            run_demo(
                settings,
                keep=arguments.keep,
                directory=arguments.dir,
                without_permission=arguments.without_permission,
                language=DEMO_LANGUAGES[arguments.language],
            )
        )
    if arguments.command == "forget-guild":
        return asyncio.run(
            _forget_guild(settings, arguments.guild_id, confirmed=arguments.yes)
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
