"""Channel messages: create (JSON or multipart), edit, delete, get, list."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.mentions import apply_mentions
from sandbox.permissions import Perm
from sandbox.rest.common import (
    Body,
    get_channel,
    get_message,
    json_response,
    no_content,
    read_body,
    require,
    require_view,
    world_of,
)
from sandbox.snowflakes import iso_time
from sandbox.validation import CANNOT_DM, ApiError, missing_permissions, validate_message
from sandbox.world import DM, Channel, Message, World

routes = web.RouteTableDef()


def _kept_attachments(message: Message, payload: dict[str, Any]) -> None:
    """Keep only the attachments an edit lists (Discord drops the others)."""
    if "attachments" in payload:
        keep = {str(a.get("id")) for a in payload["attachments"] or []}
        message.attachments = [a for a in message.attachments if str(a.id) in keep]


def _named_files(body: Body) -> None:
    """Apply `attachments[n].filename/description` from payload_json to uploaded files."""
    meta = {str(a.get("id")): a for a in body.json.get("attachments") or []}
    for index, attachment in enumerate(body.files):
        info = meta.get(str(index))
        if info:
            attachment.filename = info.get("filename") or attachment.filename
            attachment.description = info.get("description")


def build_message(
    world: World, channel: Channel, author_id: int, body: Body, *, flags: int = 0,
    webhook_id: int | None = None, interaction_id: int | None = None,
) -> Message:
    """Validate a create payload and build the message (not yet stored)."""
    payload = body.json
    validate_message(payload, file_sizes=[len(f.data) for f in body.files])
    _named_files(body)
    message = Message(
        world.ids.next(), channel.id, author_id, channel.guild_id,
        content=str(payload.get("content") or ""),
        embeds=list(payload.get("embeds") or []),
        components=list(payload.get("components") or []),
        attachments=list(body.files),
        flags=(int(payload.get("flags") or 0) & ~128) | flags,
        nonce=str(payload["nonce"]) if payload.get("nonce") is not None else None,
        webhook_id=webhook_id,
        interaction_id=interaction_id,
        message_reference=payload.get("message_reference"),
    )
    apply_mentions(world, message, payload.get("allowed_mentions"))
    return message


def edit_message(world: World, message: Message, body: Body) -> Message:
    """Validate and apply an edit; emit MESSAGE_UPDATE."""
    payload = body.json
    validate_message(payload, file_sizes=[len(f.data) for f in body.files], edit=True)
    if "content" in payload:
        message.content = str(payload["content"] or "")
    if "embeds" in payload:
        message.embeds = list(payload["embeds"] or [])
    if "components" in payload:
        message.components = list(payload["components"] or [])
    if "flags" in payload and payload["flags"] is not None:
        message.flags = (message.flags & 64) | (int(payload["flags"]) & ~64 & ~128)
    _kept_attachments(message, payload)
    _named_files(body)
    message.attachments.extend(body.files)
    message.flags &= ~128
    if not (message.content or message.embeds or message.attachments or message.components):
        validate_message({}, edit=False)
    message.edited = iso_time(world.ids.next())
    if "content" in payload or "allowed_mentions" in payload:
        apply_mentions(world, message, payload.get("allowed_mentions"), edit=True)
    world.message_updated(message)
    return message


def check_can_send(world: World, channel: Channel, body: Body) -> None:
    """Raise when the bot may not post in a channel (closed DMs, missing permissions)."""
    if channel.type == DM:
        recipient = world.users.get(channel.recipient_id or 0)
        if recipient is None or not recipient.dms_open:
            raise ApiError(403, CANNOT_DM, "Cannot send messages to this user")
        return
    if channel.type != 0:
        raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
    require_view(world, channel)
    require(world, channel.guild_id, Perm.SEND_MESSAGES)
    if body.files:
        require(world, channel.guild_id, Perm.ATTACH_FILES)
    if body.json.get("embeds"):
        # Discord does not refuse embeds without Embed Links, it hides them; count the need.
        world.permissions_checked |= Perm.EMBED_LINKS


@routes.post("/channels/{channel_id}/messages")
async def create_message(request: web.Request) -> web.Response:
    """Post a message as the bot; honour `nonce` + `enforce_nonce`."""
    world = world_of(request)
    channel = get_channel(request)
    body = await read_body(request)
    check_can_send(world, channel, body)
    nonce = body.json.get("nonce")
    if nonce is not None and body.json.get("enforce_nonce"):
        earlier_id = world.nonces.get((channel.id, world.bot.id, str(nonce)))
        earlier = world.messages.get(earlier_id or 0)
        if earlier is not None and not earlier.deleted:
            return json_response(world.message_payload(earlier))
    message = build_message(world, channel, world.bot.id, body)
    world.store_message(message)
    return json_response(world.message_payload(message))


@routes.get("/channels/{channel_id}/messages")
async def list_messages(request: web.Request) -> web.Response:
    """List messages newest first, with `limit`, `before`, `after`."""
    world = world_of(request)
    channel = get_channel(request)
    require_view(world, channel)
    require(world, channel.guild_id, Perm.READ_MESSAGE_HISTORY)
    limit = max(1, min(100, int(request.query.get("limit", 50))))
    ids = sorted(channel.message_ids, reverse=True)
    if "before" in request.query:
        ids = [i for i in ids if i < int(request.query["before"])]
    if "after" in request.query:
        ids = sorted(i for i in ids if i > int(request.query["after"]))[:limit][::-1]
    return json_response([world.message_payload(world.messages[i]) for i in ids[:limit]])


@routes.get("/channels/{channel_id}/messages/{message_id}")
async def get_one(request: web.Request) -> web.Response:
    """Return one message."""
    world = world_of(request)
    channel = get_channel(request)
    require_view(world, channel)
    return json_response(world.message_payload(get_message(request, channel)))


@routes.patch("/channels/{channel_id}/messages/{message_id}")
async def patch_message(request: web.Request) -> web.Response:
    """Edit one of the bot's messages."""
    world = world_of(request)
    channel = get_channel(request)
    message = get_message(request, channel)
    body = await read_body(request)
    if message.author_id != world.bot.id:
        raise ApiError(403, 50005, "Cannot edit a message authored by another user")
    return json_response(world.message_payload(edit_message(world, message, body)))


@routes.delete("/channels/{channel_id}/messages/{message_id}")
async def delete_message(request: web.Request) -> web.Response:
    """Delete a message (others' need Manage Messages)."""
    world = world_of(request)
    channel = get_channel(request)
    message = get_message(request, channel)
    if message.author_id != world.bot.id:
        try:
            require(world, channel.guild_id, Perm.MANAGE_MESSAGES)
        except ApiError:
            raise missing_permissions() from None
    world.delete_message(message)
    return no_content()
