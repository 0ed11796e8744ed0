"""Permission bits (Discord API docs, "Permissions") and the bot's guild-level permissions."""

from __future__ import annotations

from enum import IntFlag


class Perm(IntFlag):
    """Discord permission flags the sandbox checks or grants."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_EVENTS = 1 << 33
    CREATE_EVENTS = 1 << 44


ALL_PERMISSIONS = (1 << 51) - 1

EVERYONE_DEFAULT = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.ADD_REACTIONS
    | Perm.READ_MESSAGE_HISTORY
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.CREATE_INSTANT_INVITE
)

BOT_ROLE_DEFAULT = (
    Perm.MANAGE_ROLES
    | Perm.MANAGE_CHANNELS
    | Perm.MANAGE_MESSAGES
    | Perm.MANAGE_EVENTS
    | Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.ADD_REACTIONS
    | Perm.READ_MESSAGE_HISTORY
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
)


class Intent(IntFlag):
    """Gateway intents (Discord API docs, "Gateway Intents") that gate dispatched events."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    GUILD_SCHEDULED_EVENTS = 1 << 16
