"""Shared REST plumbing: JSON answers, request bodies, lookups and permission checks."""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from sandbox.permissions import Perm
from sandbox.validation import (
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MESSAGE,
    ApiError,
    missing_permissions,
    not_found,
)
from sandbox.world import Attachment, Channel, Guild, Message, World

WORLD_KEY: web.AppKey[World] = web.AppKey("world", World)


def json_response(data: Any, status: int = 200) -> web.Response:
    """Answer JSON with Content-Type exactly `application/json` (discord.py needs no charset)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, content_type="application/json"
    )


def no_content() -> web.Response:
    """Answer 204."""
    return web.Response(status=204)


def world_of(request: web.Request) -> World:
    """Return the world an app serves."""
    return request.app[WORLD_KEY]


@dataclass
class Body:
    """A request body: the JSON payload and any uploaded files."""

    json: Any
    files: list[Attachment] = field(default_factory=list)


BODY_KEY: web.RequestKey[Body] = web.RequestKey("sandbox_body", Body)


async def read_body(request: web.Request) -> Body:
    """Parse a JSON or multipart (payload_json + files[n]) body; cache it for the call log."""
    cached = request.get(BODY_KEY)
    if cached is not None:
        return cached
    world = world_of(request)
    body = Body({})
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                body.json = json.loads(await part.text())
            elif part.filename is not None:
                data = await part.read(decode=False)
                ctype = part.headers.get("Content-Type") or mimetypes.guess_type(part.filename)[0]
                body.files.append(Attachment(world.ids.next(), part.filename, bytes(data), ctype))
    elif request.can_read_body:
        raw = await request.read()
        if raw:
            try:
                body.json = json.loads(raw)
            except ValueError as exc:
                raise ApiError(400, 50109, "The request body contains invalid JSON.") from exc
    request[BODY_KEY] = body
    return body


def snowflake(request: web.Request, name: str) -> int:
    """Read a snowflake from the URL; a non-number is a 404 like Discord's."""
    raw = request.match_info[name]
    if not raw.isdigit():
        raise ApiError(404, 0, "404: Not Found")
    return int(raw)


def get_channel(request: web.Request, name: str = "channel_id") -> Channel:
    """Return the channel named in the URL or raise 10003."""
    channel = world_of(request).channels.get(snowflake(request, name))
    if channel is None:
        raise not_found(UNKNOWN_CHANNEL, "Channel")
    return channel


def get_guild(request: web.Request, name: str = "guild_id") -> Guild:
    """Return the guild named in the URL or raise 10004."""
    guild = world_of(request).guilds.get(snowflake(request, name))
    if guild is None:
        raise not_found(UNKNOWN_GUILD, "Guild")
    return guild


def get_message(request: web.Request, channel: Channel) -> Message:
    """Return the message named in the URL (in that channel) or raise 10008."""
    message = world_of(request).messages.get(snowflake(request, "message_id"))
    if message is None or message.channel_id != channel.id or message.deleted:
        raise not_found(UNKNOWN_MESSAGE, "Message")
    return message


def require(world: World, guild_id: int | None, permission: int) -> None:
    """Raise 403 50013 unless the bot has a guild-level permission (DMs pass)."""
    if guild_id is None:
        return
    guild = world.guilds.get(guild_id)
    if guild is None:
        raise not_found(UNKNOWN_GUILD, "Guild")
    world.permissions_checked |= permission
    if world.permissions(guild, world.bot.id) & permission != permission:
        raise missing_permissions()


def require_view(world: World, channel: Channel) -> None:
    """Raise 403 50001 when the bot cannot see a guild channel."""
    if channel.guild_id is None:
        return
    guild = world.guilds[channel.guild_id]
    world.permissions_checked |= Perm.VIEW_CHANNEL
    if not world.permissions(guild, world.bot.id) & Perm.VIEW_CHANNEL:
        raise ApiError(403, 50001, "Missing Access")
