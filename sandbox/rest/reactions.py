"""Reactions: add/remove the bot's, remove others', list users 100 per page, clear."""

from __future__ import annotations

from urllib.parse import unquote

from aiohttp import web

from sandbox.permissions import Perm
from sandbox.reactions import add_reaction, emit_reaction, remove_all, remove_reaction
from sandbox.rest.common import (
    get_channel,
    get_message,
    json_response,
    no_content,
    require,
    require_view,
    snowflake,
    world_of,
)
from sandbox.validation import REACTIONS_PAGE_MAX, UNKNOWN_EMOJI, ApiError, parse_emoji
from sandbox.world import Channel, Message

routes = web.RouteTableDef()
BASE = "/channels/{channel_id}/messages/{message_id}/reactions"


def _target(request: web.Request) -> tuple[Channel, Message]:
    channel = get_channel(request)
    require_view(world_of(request), channel)
    return channel, get_message(request, channel)


def _emoji(request: web.Request) -> tuple[str, dict[str, str | None]]:
    return parse_emoji(unquote(request.match_info["emoji"]))


@routes.put(BASE + "/{emoji}/@me")
async def add_own(request: web.Request) -> web.Response:
    """Add the bot's reaction (needs Add Reactions and Read Message History)."""
    world = world_of(request)
    channel, message = _target(request)
    key, emoji = _emoji(request)
    require(world, channel.guild_id, Perm.READ_MESSAGE_HISTORY)
    if key not in message.reactions:
        require(world, channel.guild_id, Perm.ADD_REACTIONS)
    burst = request.query.get("burst", "false").lower() == "true"
    emit_reaction(world, "MESSAGE_REACTION_ADD", message,
                  add_reaction(world, message, world.bot.id, key, emoji, burst=burst))
    return no_content()


@routes.delete(BASE + "/{emoji}/@me")
async def remove_own(request: web.Request) -> web.Response:
    """Remove the bot's reaction."""
    world = world_of(request)
    _, message = _target(request)
    key, _ = _emoji(request)
    emit_reaction(world, "MESSAGE_REACTION_REMOVE", message,
                  remove_reaction(world, message, world.bot.id, key))
    return no_content()


@routes.delete(BASE + "/{emoji}/{user_id}")
async def remove_user(request: web.Request) -> web.Response:
    """Remove someone's reaction (needs Manage Messages)."""
    world = world_of(request)
    channel, message = _target(request)
    key, _ = _emoji(request)
    user_id = snowflake(request, "user_id")
    if user_id != world.bot.id:
        require(world, channel.guild_id, Perm.MANAGE_MESSAGES)
    emit_reaction(world, "MESSAGE_REACTION_REMOVE", message,
                  remove_reaction(world, message, user_id, key))
    return no_content()


@routes.get(BASE + "/{emoji}")
async def list_users(request: web.Request) -> web.Response:
    """List who reacted, sorted by id, `type` 0 normal / 1 burst, `after`, `limit` ≤ 100."""
    world = world_of(request)
    _, message = _target(request)
    key, _ = _emoji(request)
    state = message.reactions.get(key)
    if state is None:
        raise ApiError(404, UNKNOWN_EMOJI, "Unknown Emoji")
    kind = int(request.query.get("type", 0))
    limit = int(request.query.get("limit", 25))
    if not 1 <= limit <= REACTIONS_PAGE_MAX:
        raise ApiError(400, 50035, "Invalid Form Body", {"limit": {"_errors": [{
            "code": "NUMBER_TYPE_MAX", "message": "int value should be less than or equal to 100.",
        }]}})
    after = int(request.query.get("after", 0))
    users = sorted(u for u in (state.burst if kind == 1 else state.normal) if u > after)
    return json_response([world.users[u].payload() for u in users[:limit]])


@routes.delete(BASE)
async def clear_all(request: web.Request) -> web.Response:
    """Remove every reaction (needs Manage Messages)."""
    world = world_of(request)
    channel, message = _target(request)
    require(world, channel.guild_id, Perm.MANAGE_MESSAGES)
    emit_reaction(world, "MESSAGE_REACTION_REMOVE_ALL", message, remove_all(world, message))
    return no_content()


@routes.delete(BASE + "/{emoji}")
async def clear_emoji(request: web.Request) -> web.Response:
    """Remove every reaction of one emoji (needs Manage Messages)."""
    world = world_of(request)
    channel, message = _target(request)
    key, _ = _emoji(request)
    require(world, channel.guild_id, Perm.MANAGE_MESSAGES)
    emit_reaction(world, "MESSAGE_REACTION_REMOVE_EMOJI", message,
                  remove_all(world, message, key))
    return no_content()
