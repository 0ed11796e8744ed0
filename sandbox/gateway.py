"""The gateway websocket: HELLO, heartbeats, IDENTIFY/READY, RESUME, sharding, intents."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from sandbox.snowflakes import shard_of
from sandbox.world import World

log = logging.getLogger(__name__)

# Opcodes (Discord API docs, "Gateway Opcodes").
DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = (
    0, 1, 2, 6, 7, 9, 10, 11,
)
HEARTBEAT_INTERVAL_MS = 41250
REPLAY_BUFFER = 50_000
# A frame, a batch of frames written back to back, a batch pre-encoded as websocket frames
# (written to the socket in one write), a marker future resolved once the frames before it
# were written, or None to stop the writer.
Outgoing = str | list[str] | bytes | asyncio.Future[None] | None
CLOSE_AUTH_FAILED = 4004
CLOSE_UNKNOWN_ERROR = 4000


@dataclass
class Session:
    """One IDENTIFYed bot session (one shard), surviving disconnects until invalidated."""

    id: str
    shard_id: int
    shard_count: int
    intents: int
    ws: web.WebSocketResponse | None = None
    seq: int = 0
    sent: deque[tuple[int, str]] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    valid: bool = True
    identifies: int = 0
    resumes: int = 0

    def owns(self, guild_id: int | None) -> bool:
        """Whether events of this guild (or DMs, on shard 0) go to this session."""
        if guild_id is None:
            return self.shard_id == 0
        return shard_of(guild_id, self.shard_count) == self.shard_id


class Gateway:
    """Accept gateway websockets and route dispatched events to the owning sessions."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.sessions: dict[str, Session] = {}
        self.identify_count = 0
        self.resume_count = 0
        self.changed = asyncio.Event()
        self._outboxes: dict[web.WebSocketResponse, asyncio.Queue[Outgoing]] = {}
        self._transports: dict[web.WebSocketResponse, asyncio.Transport] = {}

    # ---- dispatch -------------------------------------------------------------

    def live_sessions(self) -> list[Session]:
        """Return the sessions that are still valid."""
        return [s for s in self.sessions.values() if s.valid]

    def session_for(self, guild_id: int | None) -> Session | None:
        """Return the valid session owning a guild (DMs: shard 0)."""
        for session in self.live_sessions():
            if session.owns(guild_id):
                return session
        return None

    def _frame(self, session: Session, event: str, data: Any) -> str:
        session.seq += 1
        frame = json.dumps({"op": DISPATCH, "s": session.seq, "t": event, "d": data})
        session.sent.append((session.seq, frame))
        return frame

    def dispatch(
        self, event: str, data: Any, guild_id: int | None = None, intent: int | None = None
    ) -> None:
        """Queue an event to every session that owns the guild and asked for the intent."""
        for session in self.live_sessions():
            if not session.owns(guild_id):
                continue
            if intent is not None and not session.intents & intent:
                continue
            frame = self._frame(session, event, data)
            if session.ws is not None:
                self._queue(session.ws, frame)

    async def dispatch_batch(
        self, events: list[tuple[str, Any, int | None, int | None]], *, one_write: bool = False
    ) -> int:
        """Build every frame first, then write them all back to back; return frames written.

        ``one_write`` encodes them as websocket frames first and hands the socket all of
        them in one write, so a benchmark measures the client rather than this server.
        """
        per_ws: dict[web.WebSocketResponse, list[str]] = {}
        for event, data, guild_id, intent in events:
            for session in self.live_sessions():
                if not session.owns(guild_id):
                    continue
                if intent is not None and not session.intents & intent:
                    continue
                frame = self._frame(session, event, data)
                if session.ws is not None:
                    per_ws.setdefault(session.ws, []).append(frame)
        written = 0
        for ws, frames in per_ws.items():
            written += len(frames)
            await self._write_now(ws, encode_text_frames(frames) if one_write else frames)
        return written

    def _queue(self, ws: web.WebSocketResponse, frame: str) -> None:
        outbox = self._outboxes.get(ws)
        if outbox is not None:
            outbox.put_nowait(frame)

    async def _write_now(self, ws: web.WebSocketResponse, frames: list[str] | bytes) -> None:
        """Write frames after whatever is queued, back to back, and wait until written."""
        outbox = self._outboxes.get(ws)
        if outbox is not None:
            outbox.put_nowait(frames)
            await self._flushed(ws)

    async def _writer(self, ws: web.WebSocketResponse, outbox: asyncio.Queue[Outgoing]) -> None:
        """Write one connection's frames in order; resolve flush markers as they are reached."""
        try:
            while (item := await outbox.get()) is not None:
                if isinstance(item, asyncio.Future):
                    if not item.done():
                        item.set_result(None)
                elif isinstance(item, str):
                    await ws.send_str(item)
                elif isinstance(item, bytes):
                    transport = self._transports.get(ws)
                    if transport is not None:
                        transport.write(item)
                else:
                    for frame in item:
                        await ws.send_str(frame)
        except (ConnectionError, RuntimeError):
            pass
        finally:
            while not outbox.empty():
                leftover = outbox.get_nowait()
                if isinstance(leftover, asyncio.Future) and not leftover.done():
                    leftover.set_result(None)

    # ---- faults -----------------------------------------------------------------

    async def drop(self, *, resumable: bool = True, shard: int | None = None) -> None:
        """Disconnect bot sessions: resumable (close 4000) or not (INVALID_SESSION false)."""
        for session in self.live_sessions():
            if shard is not None and session.shard_id != shard:
                continue
            ws, session.ws = session.ws, None
            if resumable:
                if ws is not None:
                    await ws.close(code=CLOSE_UNKNOWN_ERROR, message=b"sandbox drop")
            else:
                session.valid = False
                session.ready.clear()
                if ws is not None:
                    self._queue(ws, json.dumps({"op": INVALID_SESSION, "d": False}))
        self.changed.set()

    async def request_reconnect(self, shard: int | None = None) -> None:
        """Send op 7 RECONNECT: the client closes and RESUMEs."""
        for session in self.live_sessions():
            if (shard is None or session.shard_id == shard) and session.ws is not None:
                self._queue(session.ws, json.dumps({"op": RECONNECT, "d": None}))

    async def close(self) -> None:
        """Close every open websocket."""
        for ws in list(self._outboxes):
            with contextlib.suppress(Exception):
                await ws.close(code=1001)

    # ---- the websocket handler ----------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one gateway connection."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        outbox: asyncio.Queue[Outgoing] = asyncio.Queue()
        self._outboxes[ws] = outbox
        if request.transport is not None:
            self._transports[ws] = request.transport
        writer = asyncio.create_task(self._writer(ws, outbox))
        session: Session | None = None
        try:
            self._queue(ws, json.dumps(
                {"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}}
            ))
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                op = payload.get("op")
                if op == HEARTBEAT:
                    self._queue(ws, json.dumps({"op": HEARTBEAT_ACK}))
                elif op == IDENTIFY:
                    session = await self._identify(ws, payload["d"])
                elif op == RESUME:
                    session = await self._resume(ws, payload["d"])
        finally:
            self._outboxes.pop(ws, None)
            self._transports.pop(ws, None)
            outbox.put_nowait(None)
            await asyncio.wait([writer], timeout=1.0)
            if session is not None and session.ws is ws:
                session.ws = None
            self.changed.set()
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        token = str(data.get("token", "")).removeprefix("Bot ")
        if token != self.world.token:
            await ws.close(code=CLOSE_AUTH_FAILED, message=b"Authentication failed.")
            return None
        shard_id, shard_count = data.get("shard") or [0, 1]
        session = Session(secrets.token_hex(16), int(shard_id), int(shard_count),
                          int(data.get("intents", 0)), ws)
        self.sessions[session.id] = session
        self.identify_count += 1
        guilds = [g for g in self.world.bot_guilds() if session.owns(g.id)]
        host = ws_url(self.world.base_url)
        ready = {
            "v": 10,
            "user": self.world.bot.payload(),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": host,
            "shard": [session.shard_id, session.shard_count],
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
        }
        self._queue(ws, self._frame(session, "READY", ready))
        for guild in guilds:
            self._queue(ws, self._frame(session, "GUILD_CREATE", self.world.guild_payload(guild)))
        await self._flushed(ws)
        session.ready.set()
        self.changed.set()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(str(data.get("session_id")))
        token = str(data.get("token", "")).removeprefix("Bot ")
        if session is None or not session.valid or token != self.world.token:
            self._queue(ws, json.dumps({"op": INVALID_SESSION, "d": False}))
            return None
        last = int(data.get("seq") or 0)
        session.ws = ws
        session.resumes += 1
        self.resume_count += 1
        for seq, frame in list(session.sent):
            if seq > last:
                self._queue(ws, frame)
        self._queue(ws, self._frame(session, "RESUMED", {}))
        await self._flushed(ws)
        session.ready.set()
        self.changed.set()
        return session


    async def _flushed(self, ws: web.WebSocketResponse) -> None:
        """Wait until a connection's queued frames were written."""
        outbox = self._outboxes.get(ws)
        if outbox is None:
            return
        marker: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        outbox.put_nowait(marker)
        await marker


def encode_text_frames(frames: list[str]) -> bytes:
    """Encode frames as unmasked, uncompressed websocket text frames (RFC 6455 §5.2)."""
    out = bytearray()
    for frame in frames:
        data = frame.encode()
        size = len(data)
        if size < 126:
            out += bytes((0x81, size))
        elif size < 1 << 16:
            out += bytes((0x81, 126)) + size.to_bytes(2, "big")
        else:
            out += bytes((0x81, 127)) + size.to_bytes(8, "big")
        out += data
    return bytes(out)


def ws_url(base_url: str) -> str:
    """Return the gateway URL (`ws://host:port/gateway`) for an HTTP base URL."""
    return base_url.replace("http://", "ws://", 1).rstrip("/") + "/gateway"
