"""The things a Discord world is made of: users, roles, channels, messages, interactions."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.world import World

JSON = dict[str, Any]
# (event name, data, guild id or None, intent or None when always delivered)
Emitter = Callable[[str, JSON, int | None, int | None], None]

TEXT, DM, CATEGORY = 0, 1, 4


@dataclass
class User:
    """A Discord user; `dms_open` False makes DMs to them fail with 50007.

    `locale` is the client language sent with this user's interactions.
    """

    id: int
    username: str
    bot: bool = False
    dms_open: bool = True
    locale: str = "en-US"

    def payload(self) -> JSON:
        """Return the user object as Discord sends it."""
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.username.capitalize(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class Role:
    """A guild role; higher `position` ranks higher in the hierarchy."""

    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    mentionable: bool = False
    color: int = 0

    def payload(self) -> JSON:
        """Return the role object as Discord sends it."""
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "hoist": False,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }


@dataclass
class Member:
    """A user's membership of a guild."""

    user_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None


@dataclass
class Channel:
    """A guild channel (text 0, category 4) or a DM (1)."""

    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    recipient_id: int | None = None
    topic: str | None = None
    message_ids: list[int] = field(default_factory=list)

    def payload(self, world: World | None = None) -> JSON:
        """Return the channel object as Discord sends it."""
        data: JSON = {"id": str(self.id), "type": self.type}
        if self.type == DM:
            data["last_message_id"] = str(self.message_ids[-1]) if self.message_ids else None
            if world is not None and self.recipient_id is not None:
                data["recipients"] = [world.users[self.recipient_id].payload()]
            return data
        data.update(
            name=self.name,
            guild_id=str(self.guild_id),
            position=self.position,
            parent_id=str(self.parent_id) if self.parent_id else None,
            permission_overwrites=[],
            nsfw=False,
        )
        if self.type == TEXT:
            data.update(topic=self.topic, rate_limit_per_user=0, last_message_id=None)
        return data


@dataclass
class Attachment:
    """A file stored with a message; `data` holds the uploaded bytes."""

    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None

    def payload(self, base_url: str) -> JSON:
        """Return the attachment object, with a URL served by the sandbox."""
        url = f"{base_url}/_sandbox/attachments/{self.id}/{self.filename}"
        data: JSON = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": url,
            "proxy_url": url,
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description:
            data["description"] = self.description
        return data


@dataclass
class ReactionState:
    """Who reacted with one emoji on one message, normal and burst (super) separately."""

    emoji: JSON
    normal: list[int] = field(default_factory=list)
    burst: list[int] = field(default_factory=list)


@dataclass
class Message:
    """A message as it now stands (edits applied)."""

    id: int
    channel_id: int
    author_id: int
    guild_id: int | None = None
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    nonce: str | None = None
    webhook_id: int | None = None
    interaction_id: int | None = None
    edited: str | None = None
    mentions: list[int] = field(default_factory=list)
    mention_roles: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    pinged: set[int] = field(default_factory=set)
    reactions: dict[str, ReactionState] = field(default_factory=dict)
    message_reference: JSON | None = None
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        """Whether only the interaction's user sees it (flag 64)."""
        return bool(self.flags & 64)


@dataclass
class Guild:
    """A guild with its roles, members, channels and scheduled events.

    `locale` is the community's language (Discord's preferred_locale), read on connect.
    """

    id: int
    name: str
    owner_id: int
    locale: str = "en-US"
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    scheduled_events: dict[int, JSON] = field(default_factory=dict)

    @property
    def everyone(self) -> Role:
        """The @everyone role, whose id equals the guild's."""
        return self.roles[self.id]


@dataclass
class Interaction:
    """One interaction sent to the bot, and what the bot answered."""

    id: int
    token: str
    type: int
    user_id: int
    channel_id: int
    guild_id: int | None
    created: float = field(default_factory=time.monotonic)
    response_type: int | None = None
    original_id: int | None = None
    loading: bool = False
    followup_ids: list[int] = field(default_factory=list)
    choices: list[JSON] | None = None
    modal: JSON | None = None
    message_id: int | None = None
    ephemeral: bool = False
    answered: Any = None  # asyncio.Event set when the final answer is known

    @property
    def acked(self) -> bool:
        """Whether an initial response was given."""
        return self.response_type is not None


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str
    json: Any
    status: int
    query: dict[str, str] = field(default_factory=dict)
