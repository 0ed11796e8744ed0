"""Guilds: channels, roles, members and member roles, with permissions and hierarchy."""

from __future__ import annotations

from aiohttp import web

from sandbox.permissions import Perm
from sandbox.rest.common import (
    get_channel,
    get_guild,
    json_response,
    no_content,
    read_body,
    require,
    snowflake,
    world_of,
)
from sandbox.validation import (
    UNKNOWN_MEMBER,
    UNKNOWN_ROLE,
    ApiError,
    form_error,
    missing_permissions,
    not_found,
)
from sandbox.world import CATEGORY, TEXT, Guild, Member, Role

routes = web.RouteTableDef()
CHANNEL_NAME_MAX = 100
ROLE_NAME_MAX = 100


@routes.get("/guilds/{guild_id}")
async def get_guild_route(request: web.Request) -> web.Response:
    """Return a guild (without members)."""
    world = world_of(request)
    data = world.guild_payload(get_guild(request))
    data.pop("members")
    return json_response(data)


@routes.get("/guilds/{guild_id}/channels")
async def list_channels(request: web.Request) -> web.Response:
    """List a guild's channels."""
    world = world_of(request)
    guild = get_guild(request)
    return json_response([world.channels[c].payload(world) for c in guild.channel_ids])


@routes.post("/guilds/{guild_id}/channels")
async def create_channel(request: web.Request) -> web.Response:
    """Create a text channel or category (needs Manage Channels)."""
    world = world_of(request)
    guild = get_guild(request)
    require(world, guild.id, Perm.MANAGE_CHANNELS)
    body = (await read_body(request)).json
    name = str(body.get("name") or "")
    kind = int(body.get("type") or TEXT)
    if not 1 <= len(name) <= CHANNEL_NAME_MAX:
        raise form_error({"name": {"_errors": [{
            "code": "BASE_TYPE_BAD_LENGTH", "message": "Must be between 1 and 100 in length."}]}})
    parent_id = int(body["parent_id"]) if body.get("parent_id") else None
    if parent_id is not None:
        parent = world.channels.get(parent_id)
        if parent is None or parent.guild_id != guild.id or parent.type != CATEGORY:
            raise form_error({"parent_id": {"_errors": [{
                "code": "CHANNEL_PARENT_INVALID", "message": "Not a category"}]}})
    if kind == TEXT:
        name = name.lower().replace(" ", "-")
    channel = world.create_channel(guild, name, type=kind, parent_id=parent_id,
                                   topic=body.get("topic"))
    return json_response(channel.payload(world), status=201)


@routes.delete("/channels/{channel_id}")
async def delete_channel(request: web.Request) -> web.Response:
    """Delete a guild channel (needs Manage Channels)."""
    world = world_of(request)
    channel = get_channel(request)
    require(world, channel.guild_id, Perm.MANAGE_CHANNELS)
    payload = channel.payload(world)
    world.delete_channel(channel)
    return json_response(payload)


@routes.get("/channels/{channel_id}")
async def get_channel_route(request: web.Request) -> web.Response:
    """Return a channel."""
    return json_response(get_channel(request).payload(world_of(request)))


@routes.get("/guilds/{guild_id}/roles")
async def list_roles(request: web.Request) -> web.Response:
    """List a guild's roles."""
    return json_response([r.payload() for r in get_guild(request).roles.values()])


@routes.post("/guilds/{guild_id}/roles")
async def create_role(request: web.Request) -> web.Response:
    """Create a role (needs Manage Roles; may not grant permissions the bot lacks)."""
    world = world_of(request)
    guild = get_guild(request)
    require(world, guild.id, Perm.MANAGE_ROLES)
    body = (await read_body(request)).json
    name = str(body.get("name") or "new role")
    if len(name) > ROLE_NAME_MAX:
        raise form_error({"name": {"_errors": [{
            "code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 100 or fewer in length."}]}})
    permissions = int(body.get("permissions") or 0)
    if permissions & ~world.permissions(guild, world.bot.id):
        raise missing_permissions()
    role = world.create_role(guild, name, permissions=permissions,
                             mentionable=bool(body.get("mentionable")))
    role.color = int(body.get("color") or 0)
    return json_response(role.payload())


def _member_and_role(request: web.Request, guild: Guild) -> tuple[Member, Role]:
    member = guild.members.get(snowflake(request, "user_id"))
    if member is None:
        raise not_found(UNKNOWN_MEMBER, "Member")
    role = guild.roles.get(snowflake(request, "role_id"))
    if role is None:
        raise not_found(UNKNOWN_ROLE, "Role")
    return member, role


def _check_hierarchy(request: web.Request, guild: Guild, role: Role) -> None:
    world = world_of(request)
    require(world, guild.id, Perm.MANAGE_ROLES)
    if role.managed or role.id == guild.id:
        raise ApiError(400, 50028, "Invalid Role")
    if guild.owner_id != world.bot.id and role.position >= world.top_position(guild, world.bot.id):
        raise missing_permissions()


@routes.get("/guilds/{guild_id}/members/{user_id}")
async def get_member(request: web.Request) -> web.Response:
    """Return a member or 10007."""
    world = world_of(request)
    guild = get_guild(request)
    member = guild.members.get(snowflake(request, "user_id"))
    if member is None:
        raise not_found(UNKNOWN_MEMBER, "Member")
    return json_response(world.member_payload(guild, member))


@routes.put("/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def add_member_role(request: web.Request) -> web.Response:
    """Give a member a role (Manage Roles, and the bot's top role must be above it)."""
    world = world_of(request)
    guild = get_guild(request)
    member, role = _member_and_role(request, guild)
    _check_hierarchy(request, guild, role)
    if role.id not in member.roles:
        member.roles.append(role.id)
        world.member_updated(guild, member)
    return no_content()


@routes.delete("/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def remove_member_role(request: web.Request) -> web.Response:
    """Take a role from a member (same checks as adding)."""
    world = world_of(request)
    guild = get_guild(request)
    member, role = _member_and_role(request, guild)
    _check_hierarchy(request, guild, role)
    if role.id in member.roles:
        member.roles.remove(role.id)
        world.member_updated(guild, member)
    return no_content()
