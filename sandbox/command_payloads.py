"""Build the `data` of an INTERACTION_CREATE from the bot's synced command definitions.

Option values are typed as Discord types them (string 3, integer 4, boolean 5, user 6
with resolved member data, channel 7, role 8, number 10), subcommands are nested as
options of type 1 and 2, and a guild command carries its `guild_id`.
"""

from __future__ import annotations

from typing import Any

from sandbox.entities import JSON, Guild, Role
from sandbox.world import World

# Option types (Discord API docs, "Application Command Option Type").
SUB_COMMAND, SUB_GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
)


def _find_command(world: World, name: str, guild: Guild | None) -> JSON:
    commands = list(world.guild_commands.get(guild.id, [])) if guild else []
    commands += world.global_commands
    for command in commands:
        if command["name"] == name and command.get("type", 1) == 1:
            return command
    synced = sorted({c["name"] for c in commands})
    raise LookupError(f"command /{name} is not synced (synced: {synced})")

def _value(world: World, option: JSON, value: Any, guild: Guild | None, resolved: JSON) -> Any:
    kind = option["type"]
    if kind in (USER, MENTIONABLE) and not isinstance(value, Role):
        user = world.user(value)
        resolved.setdefault("users", {})[str(user.id)] = user.payload()
        if guild and user.id in guild.members:
            member = world.member_payload(guild, guild.members[user.id])
            member.pop("user")
            member["permissions"] = str(world.permissions(guild, user.id))
            resolved.setdefault("members", {})[str(user.id)] = member
        return str(user.id)
    if kind in (ROLE, MENTIONABLE):
        role = world.role(value, guild)
        resolved.setdefault("roles", {})[str(role.id)] = role.payload()
        return str(role.id)
    if kind == CHANNEL:
        channel = world.channel(value, guild)
        data = channel.payload(world)
        bot_perms = world.permissions(guild, world.bot.id) if guild else 0
        data["permissions"] = str(bot_perms)
        resolved.setdefault("channels", {})[str(channel.id)] = data
        return str(channel.id)
    if kind == INTEGER:
        return int(value)
    if kind == NUMBER:
        return float(value)
    if kind == BOOLEAN:
        return bool(value)
    return str(value)

def _leaf_options(
    world: World, definitions: list[JSON], values: dict[str, Any], guild: Guild | None,
    resolved: JSON, focused: str | None,
) -> list[JSON]:
    known = {o["name"]: o for o in definitions}
    out = []
    for name, value in values.items():
        if name not in known:
            raise TypeError(f"unknown option {name!r}; options: {sorted(known)}")
        option = known[name]
        if name == focused:
            out.append({"name": name, "type": option["type"], "value": str(value),
                        "focused": True})
            continue
        if value is None:
            continue
        out.append({"name": name, "type": option["type"],
                    "value": _value(world, option, value, guild, resolved)})
    if focused is None:
        missing = [o["name"] for o in definitions
                   if o.get("required") and o["name"] not in values]
        if missing:
            raise TypeError(f"missing required options: {missing}")
    return out

def command_data(
    world: World,
    path: str,
    values: dict[str, Any],
    guild: Guild | None,
    focused: str | None = None,
) -> JSON:
    """Build the interaction data for ``/path``; ``focused`` marks an autocomplete option."""
    names = path.split()
    command = _find_command(world, names[0], guild)
    resolved: JSON = {}
    data: JSON = {"id": command["id"], "name": command["name"], "type": 1}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    definitions = command.get("options") or []
    holder = data
    for name in names[1:]:
        option = next((o for o in definitions if o["name"] == name
                       and o["type"] in (SUB_COMMAND, SUB_GROUP)), None)
        if option is None:
            raise LookupError(f"/{path}: no subcommand {name!r}")
        nested: JSON = {"name": name, "type": option["type"], "options": []}
        holder["options"] = [nested]
        holder = nested
        definitions = option.get("options") or []
    holder["options"] = _leaf_options(world, definitions, values, guild, resolved, focused)
    if resolved:
        data["resolved"] = resolved
    return data
