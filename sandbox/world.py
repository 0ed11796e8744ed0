"""The sandbox's state: the world that holds every entity, and the changes that emit events."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from sandbox.entities import (
    CATEGORY,
    DM,
    JSON,
    TEXT,
    Attachment,
    Call,
    Channel,
    Emitter,
    Guild,
    Interaction,
    Member,
    Message,
    ReactionState,
    Role,
    User,
)
from sandbox.permissions import ALL_PERMISSIONS, BOT_ROLE_DEFAULT, EVERYONE_DEFAULT, Intent, Perm
from sandbox.snowflakes import SnowflakeGenerator, iso_time
from sandbox.validation import ACK_DEADLINE_S

__all__ = [
    "CATEGORY", "DM", "JSON", "TEXT", "Attachment", "Call", "Channel", "Emitter", "Guild",
    "Interaction", "Member", "Message", "ReactionState", "Role", "User", "World",
    "default_world",
]


class World:
    """All sandbox state, plus helpers to build it and Discord payloads from it."""

    def __init__(self, *, token: str | None = None, app_name: str = "gugbot") -> None:
        self.ids = SnowflakeGenerator()
        self.base_url = "http://127.0.0.1"
        self.token = token or f"sandbox.{secrets.token_urlsafe(18)}"
        self.application_id = self.ids.next()
        self.bot = User(self.application_id, app_name, bot=True)
        self.users: dict[int, User] = {self.bot.id: self.bot}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        # (channel, author, nonce) → message, so enforce_nonce is one lookup, not a scan.
        self.nonces: dict[tuple[int, int, str], int] = {}
        # Every permission a REST route checked for the bot: what the bot really needs.
        self.permissions_checked = 0
        self.dm_channels: dict[int, int] = {}
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[int, list[JSON]] = {}
        self.command_syncs: list[tuple[int | None, int]] = []
        self.interactions: dict[int, Interaction] = {}
        # token → interaction, so a webhook call finds its interaction in one lookup, not a scan.
        self.interaction_tokens: dict[str, Interaction] = {}
        self.calls: list[Call] = []
        # Discord's 3 s acknowledgement deadline; tests may shorten it.
        self.ack_deadline_s = ACK_DEADLINE_S
        self.owner = User(self.ids.next(), "owner")
        self.emit: Emitter = lambda _event, _data, _guild, _intent: None

    # ---- building -----------------------------------------------------------

    def add_user(self, username: str, *, dms_open: bool = True, bot: bool = False) -> User:
        """Create a user (not yet in any guild)."""
        user = User(self.ids.next(), username, bot=bot, dms_open=dms_open)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        owner: User | None = None,
        shard: tuple[int, int] | None = None,
        bot_permissions: int = BOT_ROLE_DEFAULT,
    ) -> Guild:
        """Create a guild with @everyone and the bot's managed role; `shard` picks its shard."""
        gid = self.ids.next_on_shard(*shard) if shard else self.ids.next()
        owner = owner or self.add_user(f"{name.split()[0].lower()}-owner")
        guild = Guild(gid, name, owner.id)
        guild.roles[gid] = Role(gid, "@everyone", int(EVERYONE_DEFAULT), 0)
        self.guilds[gid] = guild
        bot_role = self.add_role(guild, self.bot.username, permissions=bot_permissions)
        bot_role.managed = True
        bot_role.position = 10
        self.add_member(guild, owner)
        self.add_member(guild, self.bot, roles=[bot_role])
        return guild

    def add_role(
        self, guild: Guild, name: str, *, permissions: int = 0, mentionable: bool = False
    ) -> Role:
        """Create a role just above the lowest one."""
        role = Role(self.ids.next(), name, int(permissions), 1, mentionable=mentionable)
        for other in guild.roles.values():
            if other.position >= 1 and other.id != guild.id:
                other.position += 1
        guild.roles[role.id] = role
        return role

    def add_channel(
        self, guild: Guild, name: str, *, type: int = TEXT, parent: Channel | None = None
    ) -> Channel:
        """Create a guild channel."""
        channel = Channel(
            self.ids.next(), type, name, guild.id, len(guild.channel_ids),
            parent.id if parent else None,
        )
        self.channels[channel.id] = channel
        guild.channel_ids.append(channel.id)
        return channel

    def add_member(self, guild: Guild, user: User, *, roles: Iterable[Role] = ()) -> Member:
        """Make a user a member of a guild."""
        member = Member(user.id, [role.id for role in roles])
        guild.members[user.id] = member
        return member

    def add_users(self, guild: Guild, count: int, *, prefix: str = "user") -> list[User]:
        """Create `count` users and add them to a guild (benchmarks need thousands)."""
        start = len(self.users)
        users = [self.add_user(f"{prefix}{start + i}") for i in range(count)]
        for user in users:
            guild.members[user.id] = Member(user.id)
        return users

    # ---- lookups ------------------------------------------------------------

    def user(self, ref: User | int | str) -> User:
        """Find a user by object, id or username."""
        if isinstance(ref, User):
            return ref
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return self.users[int(ref)]
        for user in self.users.values():
            if user.username == ref:
                return user
        raise KeyError(f"no user named {ref!r}")

    @property
    def guild(self) -> Guild:
        """The first guild (the default world's "GUG Network")."""
        return next(iter(self.guilds.values()))

    def channel(self, ref: Channel | int | str, guild: Guild | None = None) -> Channel:
        """Find a channel by object, id or name (in `guild`, default the first guild)."""
        if isinstance(ref, Channel):
            return ref
        if isinstance(ref, int) or ref.isdigit():
            return self.channels[int(ref)]
        guild = guild or self.guild
        for cid in guild.channel_ids:
            if self.channels[cid].name == ref:
                return self.channels[cid]
        raise KeyError(f"no channel named {ref!r}")

    def role(self, ref: Role | int | str, guild: Guild | None = None) -> Role:
        """Find a role by object, id or name."""
        if isinstance(ref, Role):
            return ref
        guild = guild or self.guild
        if isinstance(ref, int) or ref.isdigit():
            return guild.roles[int(ref)]
        for role in guild.roles.values():
            if role.name == ref:
                return role
        raise KeyError(f"no role named {ref!r}")

    def bot_role(self, guild: Guild | None = None) -> Role:
        """Return the bot's managed role in a guild."""
        guild = guild or self.guild
        return next(r for r in guild.roles.values() if r.managed)

    # ---- permissions --------------------------------------------------------

    def permissions(self, guild: Guild, user_id: int) -> int:
        """Compute a member's guild-level permissions from @everyone and their roles."""
        if user_id == guild.owner_id:
            return ALL_PERMISSIONS
        member = guild.members.get(user_id)
        if member is None:
            return 0
        value = guild.everyone.permissions
        for rid in member.roles:
            if rid in guild.roles:
                value |= guild.roles[rid].permissions
        if value & Perm.ADMINISTRATOR:
            return ALL_PERMISSIONS
        return value

    def top_position(self, guild: Guild, user_id: int) -> int:
        """Return the position of a member's highest role."""
        member = guild.members.get(user_id)
        if member is None:
            return -1
        return max((guild.roles[r].position for r in member.roles if r in guild.roles), default=0)

    # ---- payloads -----------------------------------------------------------

    def member_payload(self, guild: Guild, member: Member) -> JSON:
        """Return the guild member object (with `flags`, which discord.py requires)."""
        return {
            "user": self.users[member.user_id].payload(),
            "roles": [str(r) for r in member.roles],
            "nick": member.nick,
            "joined_at": iso_time(guild.id),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "avatar": None,
        }

    def guild_payload(self, guild: Guild) -> JSON:
        """Return the GUILD_CREATE payload: roles, channels, members and member_count."""
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "owner_id": str(guild.owner_id),
            "unavailable": False,
            "large": len(guild.members) > 250,
            "member_count": len(guild.members),
            "roles": [r.payload() for r in guild.roles.values()],
            "channels": [self.channels[c].payload() for c in guild.channel_ids],
            "members": [self.member_payload(guild, m) for m in guild.members.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": list(guild.scheduled_events.values()),
            "voice_states": [],
            "presences": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "preferred_locale": guild.locale,
            "system_channel_id": None,
            "joined_at": iso_time(guild.id),
        }

    def message_payload(self, message: Message) -> JSON:
        """Return the message object as Discord sends it."""
        author = self.users[message.author_id]
        data: JSON = {
            "id": str(message.id),
            "channel_id": str(message.channel_id),
            "author": author.payload(),
            "content": message.content,
            "timestamp": iso_time(message.id),
            "edited_timestamp": message.edited,
            "tts": False,
            "mention_everyone": message.mention_everyone,
            "mentions": [self.users[u].payload() for u in message.mentions if u in self.users],
            "mention_roles": [str(r) for r in message.mention_roles],
            "attachments": [a.payload(self.base_url) for a in message.attachments],
            "embeds": message.embeds,
            "components": message.components,
            "pinned": False,
            "type": 20 if message.interaction_id and not message.message_reference else 0,
            "flags": message.flags,
            "reactions": self.reactions_payload(message),
        }
        if message.guild_id:
            data["guild_id"] = str(message.guild_id)
        if message.nonce is not None:
            data["nonce"] = message.nonce
        if message.webhook_id:
            data["webhook_id"] = str(message.webhook_id)
            data["application_id"] = str(self.application_id)
        if message.message_reference:
            data["message_reference"] = message.message_reference
            data["type"] = 19
        return data

    def reactions_payload(self, message: Message) -> list[JSON]:
        """Return a message's `reactions` list with normal and burst counts."""
        out = []
        for state in message.reactions.values():
            if not state.normal and not state.burst:
                continue
            out.append({
                "emoji": state.emoji,
                "count": len(state.normal) + len(state.burst),
                "count_details": {"normal": len(state.normal), "burst": len(state.burst)},
                "me": self.bot.id in state.normal,
                "me_burst": self.bot.id in state.burst,
                "burst_colors": [],
            })
        return out

    # ---- changes that emit events --------------------------------------------

    def store_message(self, message: Message) -> None:
        """Add a message to its channel and emit MESSAGE_CREATE unless ephemeral."""
        self.messages[message.id] = message
        if message.ephemeral:
            return
        self.channels[message.channel_id].message_ids.append(message.id)
        if message.nonce is not None:
            self.nonces[(message.channel_id, message.author_id, message.nonce)] = message.id
        intent = Intent.GUILD_MESSAGES if message.guild_id else Intent.DIRECT_MESSAGES
        self.emit("MESSAGE_CREATE", self._with_member(message), message.guild_id, intent)

    def message_updated(self, message: Message) -> None:
        """Emit MESSAGE_UPDATE for a non-ephemeral message."""
        if message.ephemeral:
            return
        intent = Intent.GUILD_MESSAGES if message.guild_id else Intent.DIRECT_MESSAGES
        self.emit("MESSAGE_UPDATE", self._with_member(message), message.guild_id, intent)

    def _with_member(self, message: Message) -> JSON:
        data = self.message_payload(message)
        guild = self.guilds.get(message.guild_id or 0)
        if guild and message.author_id in guild.members and not message.webhook_id:
            member = self.member_payload(guild, guild.members[message.author_id])
            member.pop("user")
            data["member"] = member
        return data

    def delete_message(self, message: Message) -> None:
        """Delete a message and emit MESSAGE_DELETE."""
        message.deleted = True
        self.messages.pop(message.id, None)
        channel = self.channels.get(message.channel_id)
        if channel and message.id in channel.message_ids:
            channel.message_ids.remove(message.id)
        if message.ephemeral:
            return
        data: JSON = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id:
            data["guild_id"] = str(message.guild_id)
        intent = Intent.GUILD_MESSAGES if message.guild_id else Intent.DIRECT_MESSAGES
        self.emit("MESSAGE_DELETE", data, message.guild_id, intent)

    def delete_channel(self, channel: Channel) -> None:
        """Delete a channel with its messages and emit CHANNEL_DELETE."""
        self.channels.pop(channel.id, None)
        for mid in channel.message_ids:
            self.messages.pop(mid, None)
        guild = self.guilds.get(channel.guild_id or 0)
        if guild:
            guild.channel_ids.remove(channel.id)
            self.emit("CHANNEL_DELETE", channel.payload(self), guild.id, Intent.GUILDS)

    def create_channel(
        self, guild: Guild, name: str, *, type: int = TEXT, parent_id: int | None = None,
        topic: str | None = None,
    ) -> Channel:
        """Create a guild channel and emit CHANNEL_CREATE."""
        parent = self.channels.get(parent_id or 0)
        channel = self.add_channel(guild, name, type=type, parent=parent)
        channel.topic = topic
        self.emit("CHANNEL_CREATE", channel.payload(self), guild.id, Intent.GUILDS)
        return channel

    def create_role(self, guild: Guild, name: str, **kwargs: Any) -> Role:
        """Create a role and emit GUILD_ROLE_CREATE."""
        role = self.add_role(guild, name, **kwargs)
        self.emit(
            "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.payload()},
            guild.id, Intent.GUILDS,
        )
        return role

    def delete_role(self, guild: Guild, role: Role) -> None:
        """Delete a role, take it from every member, and emit GUILD_ROLE_DELETE."""
        guild.roles.pop(role.id, None)
        for member in guild.members.values():
            if role.id in member.roles:
                member.roles.remove(role.id)
        self.emit(
            "GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role.id)},
            guild.id, Intent.GUILDS,
        )

    def remove_member(self, guild: Guild, user: User) -> None:
        """Make a user leave a guild; emit GUILD_MEMBER_REMOVE (privileged GUILD_MEMBERS)."""
        guild.members.pop(user.id, None)
        data = {"guild_id": str(guild.id), "user": user.payload()}
        self.emit("GUILD_MEMBER_REMOVE", data, guild.id, Intent.GUILD_MEMBERS)

    def bot_guilds(self) -> list[Guild]:
        """Return the guilds the bot is a member of (sent at IDENTIFY)."""
        return [g for g in self.guilds.values() if self.bot.id in g.members]

    def remove_bot(self, guild: Guild) -> None:
        """Kick the bot from a guild: GUILD_DELETE without ``unavailable``, as Discord sends."""
        guild.members.pop(self.bot.id, None)
        self.emit("GUILD_DELETE", {"id": str(guild.id)}, guild.id, Intent.GUILDS)

    def add_bot(self, guild: Guild) -> None:
        """Add the bot back to a guild: a GUILD_CREATE without ``unavailable`` (a join)."""
        self.add_member(guild, self.bot, roles=[self.bot_role(guild)])
        payload = self.guild_payload(guild)
        # Discord marks only lazily loaded guilds (READY's) ``unavailable: false``.
        payload.pop("unavailable")
        self.emit("GUILD_CREATE", payload, guild.id, Intent.GUILDS)

    def member_updated(self, guild: Guild, member: Member) -> None:
        """Emit GUILD_MEMBER_UPDATE (needs the privileged GUILD_MEMBERS intent)."""
        data = self.member_payload(guild, member)
        data["guild_id"] = str(guild.id)
        self.emit("GUILD_MEMBER_UPDATE", data, guild.id, Intent.GUILD_MEMBERS)

    def set_dms_open(self, user: User | int | str, is_open: bool) -> None:
        """Let a user open or close their DMs."""
        self.user(user).dms_open = is_open

    def remove_bot_permission(self, permission: int, guild: Guild | None = None) -> None:
        """Take a permission away from the bot's role (and @everyone)."""
        guild = guild or self.guild
        for role in (self.bot_role(guild), guild.everyone):
            role.permissions &= ~int(permission)
        self._role_updated(guild, self.bot_role(guild))

    def grant_bot_permission(self, permission: int, guild: Guild | None = None) -> None:
        """Give a permission to the bot's role."""
        guild = guild or self.guild
        role = self.bot_role(guild)
        role.permissions |= int(permission)
        self._role_updated(guild, role)

    def _role_updated(self, guild: Guild, role: Role) -> None:
        self.emit(
            "GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": role.payload()},
            guild.id, Intent.GUILDS,
        )


def default_world(*, token: str | None = None) -> World:
    """Build the default world: "GUG Network" with its roles, channels and members."""
    world = World(token=token)
    admin = world.add_user("admin")
    guild = world.add_guild("GUG Network", owner=admin)
    coordinators = world.add_role(guild, "Coordinators", mentionable=True)
    world.add_channel(guild, "Groups", type=CATEGORY)
    world.add_channel(guild, "general")
    world.add_channel(guild, "coordinators")
    coord = world.add_user("coord")
    world.add_member(guild, coord, roles=[coordinators])
    for name in ("alice", "bob", "carol", "dave", "erin"):
        world.add_member(guild, world.add_user(name))
    return world
