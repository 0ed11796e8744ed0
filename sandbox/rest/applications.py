"""The application, the gateway URLs and application command sync."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.gateway import ws_url
from sandbox.rest.common import get_guild, json_response, read_body, snowflake, world_of
from sandbox.validation import ApiError, form_error
from sandbox.world import World

routes = web.RouteTableDef()
COMMANDS_MAX = 100


def _application(world: World) -> dict[str, Any]:
    return {
        "id": str(world.application_id),
        "name": world.bot.username,
        "description": "gugbot sandbox application",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": world.owner.payload(),
        "team": None,
        "verify_key": "0" * 64,
        "flags": 0,
        "interactions_endpoint_url": None,
        "bot": world.bot.payload(),
    }


@routes.get("/oauth2/applications/@me")
@routes.get("/applications/@me")
async def application(request: web.Request) -> web.Response:
    """Return the application (read at login)."""
    return json_response(_application(world_of(request)))


@routes.get("/gateway")
async def gateway(request: web.Request) -> web.Response:
    """Return the gateway URL."""
    return json_response({"url": ws_url(world_of(request).base_url)})


@routes.get("/gateway/bot")
async def gateway_bot(request: web.Request) -> web.Response:
    """Return the gateway URL, recommended shards and the session start limit."""
    return json_response({
        "url": ws_url(world_of(request).base_url),
        "shards": 1,
        "session_start_limit": {
            "total": 1000, "remaining": 1000, "reset_after": 86_400_000, "max_concurrency": 1,
        },
    })


def _check_app(request: web.Request) -> World:
    world = world_of(request)
    if snowflake(request, "application_id") != world.application_id:
        raise ApiError(403, 50001, "Missing Access")
    return world


def _store_commands(
    world: World, definitions: list[dict[str, Any]], guild_id: int | None
) -> list[dict[str, Any]]:
    if len(definitions) > COMMANDS_MAX:
        raise form_error({"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                       "message": "Must be 100 or fewer in length."}]})
    errors: dict[str, Any] = {}
    stored = []
    for index, definition in enumerate(definitions):
        name = definition.get("name")
        if not name or len(name) > 32:
            errors[str(index)] = {"name": {"_errors": [
                {"code": "BASE_TYPE_BAD_LENGTH", "message": "Must be between 1 and 32 in length."}
            ]}}
            continue
        command = dict(definition)
        command.update(
            id=str(world.ids.next()), application_id=str(world.application_id),
            version=str(world.ids.next()), type=definition.get("type", 1),
        )
        command.setdefault("description", "")
        command.setdefault("default_member_permissions", None)
        command.setdefault("dm_permission", True)
        command.setdefault("nsfw", False)
        if guild_id is not None:
            command["guild_id"] = str(guild_id)
        stored.append(command)
    if errors:
        raise form_error(errors)
    if guild_id is None:
        world.global_commands = stored
    else:
        world.guild_commands[guild_id] = stored
    world.command_syncs.append((guild_id, len(stored)))
    return stored


@routes.put("/applications/{application_id}/commands")
async def sync_global(request: web.Request) -> web.Response:
    """Replace the global commands (a sync)."""
    world = _check_app(request)
    body = await read_body(request)
    definitions: Any = body.json
    return json_response(_store_commands(world, definitions, None))


@routes.get("/applications/{application_id}/commands")
async def get_global(request: web.Request) -> web.Response:
    """List the global commands."""
    return json_response(_check_app(request).global_commands)


@routes.put("/applications/{application_id}/guilds/{guild_id}/commands")
async def sync_guild(request: web.Request) -> web.Response:
    """Replace a guild's commands (a sync)."""
    world = _check_app(request)
    guild = get_guild(request)
    body = await read_body(request)
    definitions: Any = body.json
    return json_response(_store_commands(world, definitions, guild.id))


@routes.get("/applications/{application_id}/guilds/{guild_id}/commands")
async def get_guild_commands(request: web.Request) -> web.Response:
    """List a guild's commands."""
    world = _check_app(request)
    return json_response(world.guild_commands.get(get_guild(request).id, []))
