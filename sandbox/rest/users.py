"""Users and DMs: the bot's own user, other users, opening a DM channel."""

from __future__ import annotations

from aiohttp import web

from sandbox.rest.common import json_response, read_body, snowflake, world_of
from sandbox.validation import UNKNOWN_USER, form_error, not_found
from sandbox.world import DM, Channel

routes = web.RouteTableDef()


@routes.get("/users/@me")
async def me(request: web.Request) -> web.Response:
    """Return the bot user (the login check)."""
    return json_response(world_of(request).bot.payload())


@routes.get("/users/{user_id}")
async def get_user(request: web.Request) -> web.Response:
    """Return a user or 10013."""
    user = world_of(request).users.get(snowflake(request, "user_id"))
    if user is None:
        raise not_found(UNKNOWN_USER, "User")
    return json_response(user.payload())


@routes.post("/users/@me/channels")
async def open_dm(request: web.Request) -> web.Response:
    """Open (or return) the DM channel with `recipient_id`."""
    world = world_of(request)
    body = await read_body(request)
    raw = body.json.get("recipient_id")
    if raw is None:
        raise form_error({"recipient_id": {"_errors": [
            {"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]}})
    user = world.users.get(int(str(raw)))
    if user is None:
        raise not_found(UNKNOWN_USER, "User")
    cid = world.dm_channels.get(user.id)
    if cid is None:
        channel = Channel(world.ids.next(), DM, recipient_id=user.id)
        world.channels[channel.id] = channel
        world.dm_channels[user.id] = channel.id
        cid = channel.id
    return json_response(world.channels[cid].payload(world))
