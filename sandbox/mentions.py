"""Who a message actually pings: content parsed, then filtered by `allowed_mentions`."""

from __future__ import annotations

import re
from typing import Any

from sandbox.permissions import Perm
from sandbox.validation import form_error
from sandbox.world import Message, World

_USER = re.compile(r"<@!?(\d+)>")
_ROLE = re.compile(r"<@&(\d+)>")
_EVERYONE = re.compile(r"@(everyone|here)")
ALLOWED_MENTIONS_IDS_MAX = 100


def _ids(values: Any) -> set[int]:
    return {int(v) for v in values or []}


def apply_mentions(
    world: World, message: Message, allowed: dict[str, Any] | None, *, edit: bool = False
) -> None:
    """Fill a message's mentions and pinged users as Discord computes them.

    Without `allowed_mentions` Discord parses users, roles and @everyone. With it,
    only the kinds in `parse` are parsed, plus the ids listed in `users`/`roles`
    that also appear in the content; listing `users` with "users" in `parse` is a 400.
    @everyone/@here also needs Mention Everyone; a role ping needs the role to be
    mentionable or Mention Everyone.
    """
    parse: set[str]
    users_allowed: set[int] = set()
    roles_allowed: set[int] = set()
    if allowed is None:
        parse = {"users", "roles", "everyone"}
    else:
        parse = set(allowed.get("parse") or [])
        users_allowed = _ids(allowed.get("users"))
        roles_allowed = _ids(allowed.get("roles"))
        errors: dict[str, Any] = {}
        if "users" in parse and allowed.get("users"):
            errors["allowed_mentions"] = {"_errors": [{
                "code": "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                "message": 'parse:["users"] and users: [ids...] are mutually exclusive.',
            }]}
        if "roles" in parse and allowed.get("roles"):
            errors["allowed_mentions"] = {"_errors": [{
                "code": "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                "message": 'parse:["roles"] and roles: [ids...] are mutually exclusive.',
            }]}
        if len(users_allowed) > ALLOWED_MENTIONS_IDS_MAX:
            errors["allowed_mentions"] = {"users": {"_errors": [{
                "code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 100 or fewer in length.",
            }]}}
        if errors:
            raise form_error(errors)
    content = message.content or ""
    in_content_users = [int(u) for u in _USER.findall(content)]
    in_content_roles = [int(r) for r in _ROLE.findall(content)]
    guild = world.guilds.get(message.guild_id or 0)
    channel = world.channels.get(message.channel_id)

    users = [
        u for u in dict.fromkeys(in_content_users)
        if ("users" in parse or u in users_allowed) and u in world.users
    ]
    roles = [
        r for r in dict.fromkeys(in_content_roles)
        if ("roles" in parse or r in roles_allowed) and guild is not None and r in guild.roles
    ]
    everyone = bool(_EVERYONE.search(content)) and "everyone" in parse
    author_perms = world.permissions(guild, message.author_id) if guild else 0
    if everyone and not author_perms & Perm.MENTION_EVERYONE:
        everyone = False

    pinged: set[int] = set()
    if guild is not None:
        pinged.update(u for u in users if u in guild.members)
        for rid in roles:
            role = guild.roles[rid]
            if role.mentionable or author_perms & Perm.MENTION_EVERYONE:
                pinged.update(m.user_id for m in guild.members.values() if rid in m.roles)
        if everyone:
            pinged.update(guild.members)
    elif channel is not None:
        pinged.update(u for u in users if u == channel.recipient_id)
    reference = message.message_reference
    if reference and (allowed is None or allowed.get("replied_user", True)) and not edit:
        referenced = world.messages.get(int(reference.get("message_id") or 0))
        if referenced is not None:
            pinged.add(referenced.author_id)
            if referenced.author_id not in users:
                users.append(referenced.author_id)
    pinged.discard(message.author_id)
    message.mentions = users
    message.mention_roles = roles
    message.mention_everyone = everyone
    message.pinged |= pinged
