"""Interaction callbacks and webhook follow-ups, with the 3 s deadline and one ack."""

from __future__ import annotations

import time

from aiohttp import web

from sandbox.rest.common import Body, json_response, no_content, read_body, snowflake, world_of
from sandbox.rest.messages import build_message, edit_message
from sandbox.validation import (
    ALREADY_ACKNOWLEDGED,
    INVALID_FORM_BODY,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    ApiError,
    form_error,
    not_found,
    validate_choices,
    validate_modal,
)
from sandbox.world import JSON, Interaction, Message, World

routes = web.RouteTableDef()

MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE, AUTOCOMPLETE, MODAL = 4, 5, 6, 7, 8, 9
EPHEMERAL, LOADING = 64, 128


def _answered(interaction: Interaction) -> None:
    if interaction.answered is not None:
        interaction.answered.set()


def _by_token(world: World, token: str) -> Interaction:
    interaction = world.interaction_tokens.get(token)
    if interaction is not None:
        return interaction
    raise not_found(UNKNOWN_WEBHOOK, "Webhook")


def _store(world: World, interaction: Interaction, body: Body, flags: int = 0) -> Message:
    channel = world.channels[interaction.channel_id]
    message = build_message(world, channel, world.bot.id, body, flags=flags,
                            webhook_id=world.application_id, interaction_id=interaction.id)
    world.store_message(message)
    return message


@routes.post("/interactions/{interaction_id}/{token}/callback")
async def callback(request: web.Request) -> web.Response:
    """Acknowledge an interaction (types 4–9); late → 10062, twice → 40060."""
    world = world_of(request)
    interaction = world.interactions.get(snowflake(request, "interaction_id"))
    body = await read_body(request)
    if interaction is None or interaction.token != request.match_info["token"]:
        raise not_found(UNKNOWN_INTERACTION, "interaction")
    if interaction.acked:
        raise ApiError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")
    if time.monotonic() - interaction.created > world.ack_deadline_s:
        raise not_found(UNKNOWN_INTERACTION, "interaction")
    kind = int(body.json.get("type", 0))
    data = body.json.get("data") or {}
    flags = int(data.get("flags") or 0) & EPHEMERAL
    try:
        message = _respond(world, interaction, kind, data, body, flags)
    except ApiError as error:
        # Discord reports a callback's message errors under the response's `data`.
        if error.code == INVALID_FORM_BODY and kind in (MESSAGE, UPDATE):
            raise form_error({"data": error.errors}) from error
        raise
    interaction.response_type = kind
    interaction.ephemeral = bool(flags)
    if kind not in (DEFERRED, DEFERRED_UPDATE):
        _answered(interaction)
    resource: JSON = {"type": kind}
    if message is not None:
        resource["message"] = world.message_payload(message)
    if request.query.get("with_response", "false").lower() not in ("true", "1"):
        return no_content()
    return json_response({
        "interaction": {
            "id": str(interaction.id),
            "type": interaction.type,
            "response_message_id": (
                str(interaction.original_id) if interaction.original_id else None
            ),
            "response_message_loading": kind == DEFERRED,
            "response_message_ephemeral": bool(flags),
        },
        "resource": resource,
    })


def _respond(world: World, interaction: Interaction, kind: int, data: JSON, body: Body,
             flags: int) -> Message | None:
    """Apply one callback type; return the message it created or edited, if any."""
    message: Message | None = None
    if kind == MESSAGE:
        message = _store(world, interaction, Body(data, body.files), flags)
        interaction.original_id = message.id
    elif kind == DEFERRED:
        if interaction.type not in (2, 3, 5):
            raise form_error({"type": {"_errors": [{"code": "INTERACTION_RESPONSE_TYPE_INVALID",
                                                    "message": "Invalid response type"}]}})
        message = _store(world, interaction, Body({"content": "", "components": [{}]}),
                         flags | LOADING)
        message.components = []
        interaction.original_id = message.id
        interaction.loading = True
    elif kind in (DEFERRED_UPDATE, UPDATE):
        target = world.messages.get(interaction.message_id or 0)
        if interaction.type not in (3, 5) or target is None:
            raise ApiError(400, 40043, "This interaction does not have a message")
        interaction.original_id = target.id
        if kind == UPDATE:
            message = edit_message(world, target, Body(data, body.files))
    elif kind == AUTOCOMPLETE:
        choices = list(data.get("choices") or [])
        validate_choices(choices)
        interaction.choices = choices
    elif kind == MODAL:
        validate_modal(data)
        interaction.modal = data
    else:
        raise form_error({"type": {"_errors": [{"code": "BASE_TYPE_CHOICES",
                                                "message": "Value must be one of ..."}]}})
    return message


@routes.post("/webhooks/{application_id}/{token}")
async def followup(request: web.Request) -> web.Response:
    """Send a follow-up; the first after a defer replaces the "thinking" message."""
    world = world_of(request)
    interaction = _by_token(world, request.match_info["token"])
    body = await read_body(request)
    if not interaction.acked:
        raise not_found(UNKNOWN_WEBHOOK, "Webhook")
    original = world.messages.get(interaction.original_id or 0)
    if interaction.loading and original is not None:
        interaction.loading = False
        message = edit_message(world, original, body)
        interaction.followup_ids.append(message.id)
    else:
        flags = int(body.json.get("flags") or 0) & EPHEMERAL
        message = _store(world, interaction, body, flags)
        interaction.followup_ids.append(message.id)
    _answered(interaction)
    if request.query.get("wait", "false").lower() in ("true", "1"):
        return json_response(world.message_payload(message))
    return no_content()


def _webhook_message(request: web.Request) -> tuple[Interaction, Message]:
    world = world_of(request)
    interaction = _by_token(world, request.match_info["token"])
    raw = request.match_info["message_id"]
    mid = interaction.original_id if raw == "@original" else (int(raw) if raw.isdigit() else 0)
    message = world.messages.get(mid or 0)
    if message is None or message.deleted:
        raise not_found(UNKNOWN_MESSAGE, "Message")
    return interaction, message


@routes.get("/webhooks/{application_id}/{token}/messages/{message_id}")
async def get_webhook_message(request: web.Request) -> web.Response:
    """Return the original response or a follow-up."""
    _, message = _webhook_message(request)
    return json_response(world_of(request).message_payload(message))


@routes.patch("/webhooks/{application_id}/{token}/messages/{message_id}")
async def edit_webhook_message(request: web.Request) -> web.Response:
    """Edit the original response (ends the "thinking" state) or a follow-up."""
    world = world_of(request)
    interaction, message = _webhook_message(request)
    body = await read_body(request)
    edit_message(world, message, body)
    if message.id == interaction.original_id:
        interaction.loading = False
    _answered(interaction)
    return json_response(world.message_payload(message))


@routes.delete("/webhooks/{application_id}/{token}/messages/{message_id}")
async def delete_webhook_message(request: web.Request) -> web.Response:
    """Delete the original response or a follow-up."""
    world = world_of(request)
    _, message = _webhook_message(request)
    world.delete_message(message)
    return no_content()
