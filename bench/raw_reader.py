"""A gateway client on a raw socket, to show the sandbox is not what a burst measures.

It IDENTIFYs like discord.py would, then only splits the burst into websocket frames and
counts MESSAGE_REACTION_ADD payloads: no JSON, no events. If it drains the burst many
times faster than the bare discord.py client, the client's time is the client's.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from bench.processes import SandboxProcess

GUILDS_AND_REACTIONS = 1 | 1 << 10


def _masked_text_frame(text: str) -> bytes:
    data = text.encode()
    mask = os.urandom(4)
    header = bytes((0x81, 0x80 | 126)) + len(data).to_bytes(2, "big") if len(data) >= 126 \
        else bytes((0x81, 0x80 | len(data)))
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


class FrameReader:
    """Read unmasked server frames from a socket, keeping the leftover bytes."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buffer = sock, bytearray()

    def _fill(self, size: int) -> None:
        while len(self.buffer) < size:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("gateway closed")
            self.buffer += chunk

    def frame(self) -> bytes:
        """Return the next frame's payload."""
        self._fill(2)
        size, offset = self.buffer[1] & 0x7F, 2
        if size == 126:
            self._fill(4)
            size, offset = int.from_bytes(self.buffer[2:4], "big"), 4
        elif size == 127:
            self._fill(10)
            size, offset = int.from_bytes(self.buffer[2:10], "big"), 10
        self._fill(offset + size)
        payload = bytes(self.buffer[offset : offset + size])
        del self.buffer[: offset + size]
        return payload


def connect(sandbox: SandboxProcess) -> tuple[socket.socket, FrameReader]:
    """Open the gateway websocket, IDENTIFY and wait for READY."""
    url = urlsplit(sandbox.base_url)
    sock = socket.create_connection((url.hostname or "127.0.0.1", url.port or 80))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET /gateway?v=10&encoding=json HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    reader = FrameReader(sock)
    reader.frame()  # HELLO
    identify = {"op": 2, "d": {"token": sandbox.env["DISCORD_TOKEN"],
                               "intents": GUILDS_AND_REACTIONS,
                               "properties": {"os": "linux", "browser": "raw", "device": "raw"}}}
    sock.sendall(_masked_text_frame(json.dumps(identify)))
    while b'"READY"' not in reader.frame():
        pass
    return sock, reader


def drain(count: int) -> dict[str, Any]:
    """Time how long the raw reader takes to drain a burst of ``count`` reactions."""
    sandbox = SandboxProcess.start()
    try:
        world = sandbox.call("GET", "/_sandbox/world")
        channel = world["guilds"][0]["channels"]["general"]
        message = sandbox.call("POST", "/_sandbox/say",
                               {"user": "alice", "channel": channel, "content": "m"})
        sock, reader = connect(sandbox)
        sandbox.wait_ready()
        trigger = threading.Thread(target=sandbox.call, args=(
            "POST", "/_sandbox/reaction_burst",
            {"message_id": message["id"], "emoji": "✅", "count": count}))
        trigger.start()
        seen, first, size = 0, 0.0, 0
        while seen < count:
            payload = reader.frame()
            if b'"MESSAGE_REACTION_ADD"' in payload:
                first = first or time.perf_counter()
                size += len(payload)
                seen += 1
        elapsed = time.perf_counter() - first
        trigger.join()
        sock.close()
        return {"raw_reader_s": round(elapsed, 4), "burst_mib": round(size / 2**20, 2)}
    finally:
        sandbox.stop()
