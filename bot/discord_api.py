"""Point discord.py at a Discord-compatible API (Discord itself or the local sandbox)."""

from __future__ import annotations

from collections.abc import Callable

import discord.gateway
import discord.http
import yarl

API_PATH = "/api/v10"
GATEWAY_PATH = "/gateway"


def gateway_url(base_url: str) -> str:
    """Return the websocket URL (`ws://host:port/gateway`) for an http(s) base URL."""
    url = yarl.URL(base_url.rstrip("/"))
    scheme = "wss" if url.scheme == "https" else "ws"
    return str(url.with_scheme(scheme).with_path(url.path.rstrip("/") + GATEWAY_PATH))


def point_discord_at(base_url: str) -> Callable[[], None]:
    """Send discord.py's REST and gateway traffic to `base_url`; return a restorer.

    Both settings are process-wide class attributes (`Route.BASE`, a str, and
    `DiscordWebSocket.DEFAULT_GATEWAY`, a `yarl.URL`), so callers that run a
    bot in-process must call the returned function afterwards.
    """
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = base_url.rstrip("/") + API_PATH
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url(base_url))

    def restore() -> None:
        """Put back the values found before."""
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return restore
