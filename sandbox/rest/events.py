"""Guild scheduled events (needs Manage Events)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.permissions import Intent, Perm
from sandbox.rest.common import (
    get_guild,
    json_response,
    no_content,
    read_body,
    require,
    snowflake,
    world_of,
)
from sandbox.validation import UNKNOWN_EVENT, form_error, not_found
from sandbox.world import Guild, World

routes = web.RouteTableDef()
BASE = "/guilds/{guild_id}/scheduled-events"
EXTERNAL = 3
NAME_MAX, DESCRIPTION_MAX = 100, 1000


def _required(name: str) -> dict[str, Any]:
    return {name: {"_errors": [{"code": "BASE_TYPE_REQUIRED",
                                "message": "This field is required"}]}}


def _validate(event: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    for key in ("name", "scheduled_start_time", "entity_type", "privacy_level"):
        if not event.get(key):
            errors.update(_required(key))
    if len(str(event.get("name") or "")) > NAME_MAX:
        errors["name"] = {"_errors": [{"code": "BASE_TYPE_BAD_LENGTH",
                                       "message": "Must be between 1 and 100 in length."}]}
    if len(str(event.get("description") or "")) > DESCRIPTION_MAX:
        errors["description"] = {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                              "message": "Must be 1000 or fewer in length."}]}
    if event.get("entity_type") == EXTERNAL:
        if not (event.get("entity_metadata") or {}).get("location"):
            errors["entity_metadata"] = _required("location")
        if not event.get("scheduled_end_time"):
            errors.update(_required("scheduled_end_time"))
    if errors:
        raise form_error(errors)


def _event(request: web.Request, guild: Guild) -> dict[str, Any]:
    event = guild.scheduled_events.get(snowflake(request, "event_id"))
    if event is None:
        raise not_found(UNKNOWN_EVENT, "Guild Scheduled Event")
    return event


def _emit(world: World, name: str, guild: Guild, event: dict[str, Any]) -> None:
    world.emit(name, event, guild.id, Intent.GUILD_SCHEDULED_EVENTS)


@routes.get(BASE)
async def list_events(request: web.Request) -> web.Response:
    """List a guild's scheduled events."""
    return json_response(list(get_guild(request).scheduled_events.values()))


@routes.post(BASE)
async def create_event(request: web.Request) -> web.Response:
    """Create a scheduled event."""
    world = world_of(request)
    guild = get_guild(request)
    require(world, guild.id, Perm.MANAGE_EVENTS)
    body = dict((await read_body(request)).json)
    _validate(body)
    eid = world.ids.next()
    event = {
        "id": str(eid), "guild_id": str(guild.id), "channel_id": body.get("channel_id"),
        "creator_id": str(world.bot.id), "creator": world.bot.payload(),
        "name": body["name"], "description": body.get("description"),
        "scheduled_start_time": body["scheduled_start_time"],
        "scheduled_end_time": body.get("scheduled_end_time"),
        "privacy_level": body["privacy_level"], "status": 1,
        "entity_type": body["entity_type"], "entity_id": None,
        "entity_metadata": body.get("entity_metadata"), "user_count": 0, "image": None,
    }
    guild.scheduled_events[eid] = event
    _emit(world, "GUILD_SCHEDULED_EVENT_CREATE", guild, event)
    return json_response(event)


@routes.get(BASE + "/{event_id}")
async def get_event(request: web.Request) -> web.Response:
    """Return one scheduled event."""
    return json_response(_event(request, get_guild(request)))


@routes.patch(BASE + "/{event_id}")
async def edit_event(request: web.Request) -> web.Response:
    """Edit a scheduled event (status 2 active, 3 completed, 4 cancelled)."""
    world = world_of(request)
    guild = get_guild(request)
    require(world, guild.id, Perm.MANAGE_EVENTS)
    event = _event(request, guild)
    body = (await read_body(request)).json
    updated = {**event, **{k: v for k, v in body.items() if k in event}}
    _validate(updated)
    event.update(updated)
    _emit(world, "GUILD_SCHEDULED_EVENT_UPDATE", guild, event)
    return json_response(event)


@routes.delete(BASE + "/{event_id}")
async def delete_event(request: web.Request) -> web.Response:
    """Delete a scheduled event."""
    world = world_of(request)
    guild = get_guild(request)
    require(world, guild.id, Perm.MANAGE_EVENTS)
    event = _event(request, guild)
    del guild.scheduled_events[int(event["id"])]
    _emit(world, "GUILD_SCHEDULED_EVENT_DELETE", guild, event)
    return no_content()
