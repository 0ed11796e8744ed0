"""The test driver: start a sandbox and act in it as Discord users."""

# The driver API takes `timeout=` arguments by design (tests pass them).
# ruff: noqa: ASYNC109
from __future__ import annotations

import asyncio
import inspect
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web

from sandbox.command_payloads import command_data
from sandbox.faults import Faults
from sandbox.gateway import Gateway, ws_url
from sandbox.reactions import add_reaction, reaction_intent, remove_all, remove_reaction
from sandbox.replies import Reply, reply_from_interaction, reply_from_message
from sandbox.rest.common import Body
from sandbox.rest.messages import build_message
from sandbox.server import build_app
from sandbox.validation import parse_emoji
from sandbox.world import (
    DM,
    JSON,
    Call,
    Channel,
    Guild,
    Interaction,
    Message,
    Role,
    User,
    World,
    default_world,
)

UserRef = User | int | str
ChannelRef = Channel | int | str
MessageRef = Message | Reply | int
APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class Sandbox:
    """A running sandbox: its world, gateway, faults, and methods to act as users."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.gateway = Gateway(world)
        self.faults = Faults()
        world.emit = self.gateway.dispatch
        self.app = build_app(world, self.gateway, self.faults)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- lifecycle ----------------------------------------------------------

    @classmethod
    @asynccontextmanager
    async def start(
        cls, world: World | None = None, *, port: int = 0, token: str | None = None
    ) -> AsyncIterator[Sandbox]:
        """Run a sandbox on 127.0.0.1 (a free port unless given) for the block's duration."""
        sandbox = cls(world or default_world(token=token))
        await sandbox.serve(port)
        try:
            yield sandbox
        finally:
            await sandbox.stop()

    async def serve(self, port: int = 0) -> None:
        """Start listening on 127.0.0.1."""
        from sandbox.control import add_control_routes

        add_control_routes(self.app, self)
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server: Any = site._server
        self.port = int(server.sockets[0].getsockname()[1])
        self.world.base_url = self.base_url

    async def stop(self) -> None:
        """Close websockets and stop serving."""
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The HTTP base, e.g. http://127.0.0.1:PORT (REST under /api/v10)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def gateway_url(self) -> str:
        """The websocket URL ws://127.0.0.1:PORT/gateway."""
        return ws_url(self.base_url)

    @property
    def token(self) -> str:
        """The bot token the sandbox accepts."""
        return self.world.token

    def env(self) -> dict[str, str]:
        """Return the environment a bot process needs to use this sandbox."""
        return {"GUGBOT_DISCORD_API": self.base_url, "DISCORD_TOKEN": self.token}

    # ---- lookups ------------------------------------------------------------

    def user(self, ref: UserRef) -> User:
        """Find a user by object, id or username."""
        return self.world.user(ref)

    def channel(self, ref: ChannelRef, guild: Guild | None = None) -> Channel:
        """Find a channel by object, id or name."""
        return self.world.channel(ref, guild)

    def message(self, ref: MessageRef) -> Message:
        """Find a message by object, Reply or id."""
        if isinstance(ref, Message):
            return ref
        mid = ref.message_id if isinstance(ref, Reply) else ref
        message = self.world.messages.get(int(mid or 0))
        if message is None:
            raise KeyError(f"no message {mid}")
        return message

    @property
    def calls(self) -> list[Call]:
        """Every REST call the bot made: method, path (after /api/v10), json, status."""
        return self.world.calls

    def calls_to(self, method: str, fragment: str = "") -> list[Call]:
        """Return the REST calls with this method whose path contains `fragment`."""
        return [c for c in self.world.calls if c.method == method and fragment in c.path]

    def messages(self, channel: ChannelRef) -> list[Message]:
        """Return a channel's messages as they now stand, oldest first (no ephemerals)."""
        ch = self.channel(channel)
        return [self.world.messages[m] for m in ch.message_ids if m in self.world.messages]

    def dms(self, user: UserRef) -> list[Message]:
        """Return the bot's DMs to a user, oldest first."""
        cid = self.world.dm_channels.get(self.user(user).id)
        return self.messages(cid) if cid else []

    def pinged(self, message: MessageRef) -> set[int]:
        """Return the ids of the users a message actually pinged."""
        return set(self.message(message).pinged)

    def reactions(self, message: MessageRef) -> dict[str, dict[str, list[int]]]:
        """Return {emoji: {"normal": [user ids], "burst": [user ids]}} for a message."""
        return {
            key: {"normal": list(state.normal), "burst": list(state.burst)}
            for key, state in self.message(message).reactions.items()
        }

    # ---- waiting ------------------------------------------------------------

    async def wait_for(
        self, predicate: Callable[[], bool | Awaitable[bool]], timeout: float = 5.0,
        interval: float = 0.01,
    ) -> None:
        """Poll until `predicate()` is true, or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met within {timeout}s")
            await asyncio.sleep(interval)

    async def wait_ready(self, shard: int | None = None, timeout: float = 10.0) -> None:
        """Wait until a bot session (on `shard`, if given) IDENTIFYed and got its GUILD_CREATEs."""
        def ready() -> bool:
            return any(
                s.ready.is_set() and s.ws is not None and (shard is None or s.shard_id == shard)
                for s in self.gateway.live_sessions()
            )

        await self.wait_for(ready, timeout)

    # ---- interactions -------------------------------------------------------

    def _context(
        self, user: UserRef, guild: Guild | None, channel: ChannelRef | None
    ) -> tuple[User, Guild | None, Channel]:
        who = self.user(user)
        if channel is not None:
            ch = self.channel(channel, guild)
            guild = self.world.guilds.get(ch.guild_id or 0)
        else:
            guild = guild or self.world.guild
            ch = next(self.world.channels[c] for c in guild.channel_ids
                      if self.world.channels[c].type == 0)
        return who, guild, ch

    def _interaction(
        self, kind: int, who: User, guild: Guild | None, channel: Channel, data: JSON,
        message: Message | None = None,
    ) -> tuple[Interaction, JSON]:
        world = self.world
        interaction = Interaction(world.ids.next(), secrets.token_urlsafe(32), kind, who.id,
                                  channel.id, guild.id if guild else None)
        interaction.answered = asyncio.Event()
        interaction.message_id = message.id if message else None
        world.interactions[interaction.id] = interaction
        world.interaction_tokens[interaction.token] = interaction
        payload: JSON = {
            "id": str(interaction.id), "application_id": str(world.application_id),
            "type": kind, "token": interaction.token, "version": 1, "data": data,
            "channel_id": str(channel.id), "channel": channel.payload(world),
            "locale": who.locale, "entitlements": [], "context": 0 if guild else 1,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "authorizing_integration_owners": {"0": str(guild.id)} if guild else {},
        }
        if guild is not None:
            member = world.member_payload(guild, guild.members[who.id])
            member["permissions"] = str(world.permissions(guild, who.id))
            payload.update(
                guild_id=str(guild.id), member=member, guild_locale=guild.locale,
                app_permissions=str(world.permissions(guild, world.bot.id)),
                guild={"id": str(guild.id), "locale": guild.locale, "features": []},
            )
        else:
            payload["user"] = who.payload()
        if message is not None:
            payload["message"] = world.message_payload(message)
        return interaction, payload

    async def _run(self, interaction: Interaction, payload: JSON, timeout: float) -> Reply:
        self.world.emit("INTERACTION_CREATE", payload, interaction.guild_id, None)
        try:
            await asyncio.wait_for(interaction.answered.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"the bot did not answer interaction {payload['type']} within {timeout}s "
                f"(acknowledged: {interaction.response_type})"
            ) from None
        return reply_from_interaction(self.world, interaction)

    async def command(
        self, user: UserRef, name: str, /, *, guild: Guild | None = None,
        channel: ChannelRef | None = None, timeout: float = 5.0,
        options: dict[str, Any] | None = None, **kwargs: Any,
    ) -> Reply:
        """Run a synced slash command ("group propose") as a user; return the final answer.

        Options go as keyword arguments; an option named like a parameter of this
        method (`channel`, `guild`, `timeout`, `options`) goes in `options={...}`.
        """
        who, where, ch = self._context(user, guild, channel)
        data = command_data(self.world, name, {**kwargs, **(options or {})}, where)
        interaction, payload = self._interaction(APPLICATION_COMMAND, who, where, ch, data)
        return await self._run(interaction, payload, timeout)

    async def autocomplete(
        self, user: UserRef, name: str, option: str, typed: str, /, *,
        guild: Guild | None = None, channel: ChannelRef | None = None, timeout: float = 5.0,
        options: dict[str, Any] | None = None, **kwargs: Any,
    ) -> list[JSON]:
        """Type `typed` into an autocomplete option; return the choices the bot offered."""
        who, where, ch = self._context(user, guild, channel)
        values = {**kwargs, **(options or {}), option: typed}
        data = command_data(self.world, name, values, where, focused=option)
        interaction, payload = self._interaction(AUTOCOMPLETE, who, where, ch, data)
        reply = await self._run(interaction, payload, timeout)
        return reply.choices or []

    def _component_type(self, message: Message, custom_id: str) -> int:
        stack = list(message.components)
        while stack:
            item = stack.pop()
            if item.get("custom_id") == custom_id:
                return int(item["type"])
            stack.extend(item.get("components") or [])
        raise LookupError(f"message {message.id} has no component {custom_id!r}")

    async def press_button(
        self, user: UserRef, message: MessageRef, custom_id: str, *, timeout: float = 5.0
    ) -> Reply:
        """Press a button on a message as a user; return the bot's answer."""
        return await self._component(user, message, custom_id, None, timeout)

    async def select(
        self, user: UserRef, message: MessageRef, custom_id: str, values: list[str], *,
        timeout: float = 5.0,
    ) -> Reply:
        """Choose values in a select menu on a message; return the bot's answer."""
        return await self._component(user, message, custom_id, values, timeout)

    async def _component(
        self, user: UserRef, message: MessageRef, custom_id: str, values: list[str] | None,
        timeout: float,
    ) -> Reply:
        msg = self.message(message)
        data: JSON = {"custom_id": custom_id,
                      "component_type": self._component_type(msg, custom_id)}
        if values is not None:
            data["values"] = values
        who, where, ch = self._context(user, None, msg.channel_id)
        if who.id != self.viewer_of(msg, who.id):
            raise ValueError(f"only the user it answered sees ephemeral message {msg.id}")
        interaction, payload = self._interaction(COMPONENT, who, where, ch, data, msg)
        return await self._run(interaction, payload, timeout)

    def viewer_of(self, message: MessageRef, user_id: int) -> int:
        """Who may press a message's buttons: an ephemeral one's only reader, else anyone."""
        msg = self.message(message)
        interaction = self.world.interactions.get(msg.interaction_id or 0)
        return interaction.user_id if msg.ephemeral and interaction else user_id

    async def submit_modal(
        self, user: UserRef, reply: Reply, values: dict[str, str], *, timeout: float = 5.0
    ) -> Reply:
        """Fill in and submit the modal a Reply opened (`values` by text input custom_id)."""
        if reply.modal is None:
            raise ValueError("this reply opened no modal")
        rows = []
        for row in reply.modal.get("components") or []:
            if row.get("type") == 18:
                inner = row["component"]
                rows.append({"type": 18, "component": {
                    "type": inner["type"], "custom_id": inner["custom_id"],
                    "value": values.get(inner["custom_id"], "")}})
            else:
                rows.append({"type": 1, "components": [
                    {"type": c["type"], "custom_id": c["custom_id"],
                     "value": values.get(c["custom_id"], "")}
                    for c in row.get("components") or []]})
        data = {"custom_id": reply.modal["custom_id"], "components": rows}
        interaction = self.world.interactions[reply.interaction_id or 0]
        who, where, ch = self._context(user, None, interaction.channel_id)
        msg = self.world.messages.get(interaction.message_id or 0)
        new, payload = self._interaction(MODAL_SUBMIT, who, where, ch, data, msg)
        return await self._run(new, payload, timeout)

    async def followups(self, reply: Reply, count: int, timeout: float = 5.0) -> list[Reply]:
        """Wait until an interaction has `count` follow-ups besides the reply; return them."""
        interaction = self.world.interactions[reply.interaction_id or 0]

        def enough() -> bool:
            return len(reply_from_interaction(self.world, interaction).followups) >= count

        await self.wait_for(enough, timeout)
        return reply_from_interaction(self.world, interaction).followups

    # ---- reactions and messages as users -------------------------------------

    async def react(
        self, user: UserRef, message: MessageRef, emoji: str, *, burst: bool = False
    ) -> None:
        """Add a user's reaction (burst=True for a super-reaction); emits the gateway event."""
        await self.react_burst([(user, message, emoji)], burst=burst)

    async def unreact(
        self, user: UserRef, message: MessageRef, emoji: str, *, burst: bool | None = None
    ) -> None:
        """Remove a user's reaction; emits MESSAGE_REACTION_REMOVE."""
        msg = self.message(message)
        key, _ = parse_emoji(emoji)
        data = remove_reaction(self.world, msg, self.user(user).id, key, burst=burst)
        if data is not None:
            await self.gateway.dispatch_batch(
                [("MESSAGE_REACTION_REMOVE", data, msg.guild_id, reaction_intent(msg))])

    async def clear_reactions(self, message: MessageRef, emoji: str | None = None) -> None:
        """Clear every reaction (REMOVE_ALL) or one emoji's (REMOVE_EMOJI), as a moderator would."""
        msg = self.message(message)
        key = parse_emoji(emoji)[0] if emoji is not None else None
        event = "MESSAGE_REACTION_REMOVE_ALL" if key is None else "MESSAGE_REACTION_REMOVE_EMOJI"
        data = remove_all(self.world, msg, key)
        await self.gateway.dispatch_batch([(event, data, msg.guild_id, reaction_intent(msg))])

    async def react_burst(
        self, reactions: Iterable[tuple[UserRef, MessageRef, str]], *, burst: bool = False,
        one_write: bool = False,
    ) -> int:
        """Apply many reactions, then write all their frames back to back; return frames sent.

        ``one_write``: pre-encode the frames and write them to the socket in one write.
        """
        events: list[tuple[str, Any, int | None, int | None]] = []
        for user, message, emoji in reactions:
            msg = self.message(message)
            key, parsed = parse_emoji(emoji)
            data = add_reaction(self.world, msg, self.user(user).id, key, parsed, burst=burst)
            if data is not None:
                events.append(("MESSAGE_REACTION_ADD", data, msg.guild_id, reaction_intent(msg)))
        return await self.gateway.dispatch_batch(events, one_write=one_write)

    async def say(self, user: UserRef, channel: ChannelRef, content: str) -> Message:
        """Post a message as a user (MESSAGE_CREATE, needs GUILD_MESSAGES to be seen)."""
        ch = self.channel(channel)
        message = build_message(self.world, ch, self.user(user).id, Body({"content": content}))
        self.world.store_message(message)
        return message

    # ---- faults -------------------------------------------------------------

    async def drop_gateway(self, *, resumable: bool = True, shard: int | None = None) -> None:
        """Drop bot sessions: resumable (close 4000, RESUME replays) or INVALID_SESSION false."""
        await self.gateway.drop(resumable=resumable, shard=shard)

    def remove_permission(self, permission: int, guild: Guild | None = None) -> None:
        """Take a guild-level permission away from the bot."""
        self.world.remove_bot_permission(permission, guild)

    def grant_permission(self, permission: int, guild: Guild | None = None) -> None:
        """Give the bot a guild-level permission."""
        self.world.grant_bot_permission(permission, guild)

    def set_dms(self, user: UserRef, *, open: bool) -> None:
        """Open or close a user's DMs (closed → 403 50007 when the bot writes)."""
        self.world.set_dms_open(user, open)

    def delete_channel(self, channel: ChannelRef) -> None:
        """Delete a channel (emits CHANNEL_DELETE)."""
        self.world.delete_channel(self.channel(channel))

    def delete_role(self, role: Role | int | str, guild: Guild | None = None) -> None:
        """Delete a role (emits GUILD_ROLE_DELETE)."""
        guild = guild or self.world.guild
        self.world.delete_role(guild, self.world.role(role, guild))

    def remove_member(self, user: UserRef, guild: Guild | None = None) -> None:
        """Make a user leave a guild (REST then answers 10007 Unknown Member for them)."""
        self.world.remove_member(guild or self.world.guild, self.user(user))

    def remove_bot(self, guild: Guild | None = None) -> None:
        """Kick the bot from a guild (GUILD_DELETE without ``unavailable``)."""
        self.world.remove_bot(guild or self.world.guild)

    def add_bot(self, guild: Guild | None = None) -> None:
        """Add the bot back to a guild it was removed from (GUILD_CREATE, a join)."""
        self.world.add_bot(guild or self.world.guild)

    def guild_outage(self, guild: Guild | None = None) -> None:
        """Make a guild unavailable (GUILD_DELETE with ``unavailable: true``), then back."""
        guild = guild or self.world.guild
        data = {"id": str(guild.id), "unavailable": True}
        self.world.emit("GUILD_DELETE", data, guild.id, None)
        self.world.emit("GUILD_CREATE", self.world.guild_payload(guild), guild.id, None)

    def delete_message(self, message: MessageRef) -> None:
        """Delete a message (emits MESSAGE_DELETE)."""
        self.world.delete_message(self.message(message))

    def dm_channel(self, user: UserRef) -> Channel:
        """Return (creating if needed) the DM channel with a user."""
        who = self.user(user)
        cid = self.world.dm_channels.get(who.id)
        if cid is None:
            channel = Channel(self.world.ids.next(), DM, recipient_id=who.id)
            self.world.channels[channel.id] = channel
            self.world.dm_channels[who.id] = channel.id
            cid = channel.id
        return self.world.channels[cid]

    def snapshot(self, message: MessageRef) -> Reply:
        """Return a message as it now stands, as a Reply."""
        return reply_from_message(self.message(message))
