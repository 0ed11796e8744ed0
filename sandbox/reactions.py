"""Reaction state changes and the gateway events they produce."""

from __future__ import annotations

from typing import Any

from sandbox.permissions import Intent
from sandbox.world import JSON, Message, ReactionState, World


def reaction_intent(message: Message) -> int:
    """Return the intent gating a message's reaction events."""
    return Intent.GUILD_MESSAGE_REACTIONS if message.guild_id else Intent.DIRECT_MESSAGE_REACTIONS


def _event(world: World, message: Message, user_id: int, emoji: JSON, burst: bool) -> JSON:
    data: JSON = {
        "user_id": str(user_id),
        "channel_id": str(message.channel_id),
        "message_id": str(message.id),
        "emoji": emoji,
        "burst": burst,
        "type": 1 if burst else 0,
        "message_author_id": str(message.author_id),
    }
    if burst:
        data["burst_colors"] = ["#5865F2"]
    if message.guild_id:
        data["guild_id"] = str(message.guild_id)
    return data


def add_reaction(
    world: World, message: Message, user_id: int, key: str, emoji: JSON, *, burst: bool = False
) -> JSON | None:
    """Record a reaction; return MESSAGE_REACTION_ADD data, or None if it already existed."""
    state = message.reactions.setdefault(key, ReactionState(emoji))
    users = state.burst if burst else state.normal
    if user_id in users:
        return None
    users.append(user_id)
    data = _event(world, message, user_id, emoji, burst)
    guild = world.guilds.get(message.guild_id or 0)
    if guild and user_id in guild.members:
        data["member"] = world.member_payload(guild, guild.members[user_id])
    return data


def remove_reaction(
    world: World, message: Message, user_id: int, key: str, *, burst: bool | None = None
) -> JSON | None:
    """Remove a user's reaction; return MESSAGE_REACTION_REMOVE data, or None if absent."""
    state = message.reactions.get(key)
    if state is None:
        return None
    for is_burst, users in ((False, state.normal), (True, state.burst)):
        if (burst is None or burst == is_burst) and user_id in users:
            users.remove(user_id)
            if not state.normal and not state.burst:
                del message.reactions[key]
            return _event(world, message, user_id, state.emoji, is_burst)
    return None


def remove_all(world: World, message: Message, key: str | None = None) -> JSON:
    """Clear all reactions (or one emoji's); return REMOVE_ALL / REMOVE_EMOJI data."""
    data: dict[str, Any] = {"channel_id": str(message.channel_id), "message_id": str(message.id)}
    if message.guild_id:
        data["guild_id"] = str(message.guild_id)
    if key is None:
        message.reactions.clear()
    else:
        state = message.reactions.pop(key, None)
        if state is not None:
            data["emoji"] = state.emoji
    return data


def emit_reaction(world: World, event: str, message: Message, data: JSON | None) -> None:
    """Emit a reaction event if there is one."""
    if data is not None:
        world.emit(event, data, message.guild_id, reaction_intent(message))
