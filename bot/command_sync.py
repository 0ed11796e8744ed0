"""Sync slash commands only when their definitions changed.

Discord allows 200 command creates per guild per day, so syncing on every start
would burn the quota for a bot that restarts often.
"""

from __future__ import annotations

import hashlib
import json
import logging

import discord
from discord import app_commands

from db.command_sync import last_synced_digest, record_sync
from db.engine import Database

log = logging.getLogger("gugbot.sync")

GLOBAL_SCOPE = "global"


async def commands_digest(tree: app_commands.CommandTree[discord.Client]) -> str:
    """Hash the definitions Discord would receive, independent of their order.

    With a translator installed that includes the localizations, so a catalog update
    syncs too.
    """
    translator = tree.translator
    commands = tree.get_commands()
    if translator is None:
        definitions = [command.to_dict(tree) for command in commands]
    else:
        definitions = [
            await command.get_translated_payload(tree, translator) for command in commands
        ]
    payload = sorted(definitions, key=lambda item: str(item.get("name")))
    encoded = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


async def sync_if_changed(
    tree: app_commands.CommandTree[discord.Client], db: Database, *, force: bool = False
) -> bool:
    """Sync the global commands when they changed since the last sync; return whether it did."""
    digest = await commands_digest(tree)
    if not force and await last_synced_digest(db, GLOBAL_SCOPE) == digest:
        log.info("commands unchanged since the last sync; not syncing")
        return False
    synced = await tree.sync()
    await record_sync(db, GLOBAL_SCOPE, digest)
    log.info("synced %d commands", len(synced))
    return True
