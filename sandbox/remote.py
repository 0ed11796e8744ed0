"""RemoteSandbox: drive a sandbox running in another process through /_sandbox."""

# The driver API takes `timeout=` arguments by design (tests pass them).
# ruff: noqa: ASYNC109
from __future__ import annotations

from types import TracebackType
from typing import Any

import aiohttp

from sandbox.replies import Reply


class RemoteError(RuntimeError):
    """The control API refused a request (bad user, unknown command, timeout...)."""


class RemoteSandbox:
    """A client of `python -m sandbox`'s control API, with the driver's core methods."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> RemoteSandbox:
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.request(method, self.base_url + path, **kwargs) as response:
            data = await response.json(content_type=None)
            if response.status >= 400:
                raise RemoteError(data.get("error") if isinstance(data, dict) else data)
            return data

    async def world(self) -> dict[str, Any]:
        """Return the world summary: users, guilds, channels and roles by name."""
        return dict(await self._call("GET", "/_sandbox/world"))

    async def wait_ready(self, shard: int | None = None, timeout: float = 10.0) -> None:
        """Wait until a bot session is ready."""
        params = {"timeout": str(timeout)}
        if shard is not None:
            params["shard"] = str(shard)
        await self._call("GET", "/_sandbox/ready", params=params,
                         timeout=aiohttp.ClientTimeout(total=timeout + 5))

    async def command(
        self, user: str | int, name: str, /, *, channel: str | int | None = None,
        timeout: float = 5.0, options: dict[str, Any] | None = None, **kwargs: Any,
    ) -> Reply:
        """Run a slash command as a user (users, channels, roles by name or id)."""
        body = {"user": user, "name": name, "options": {**kwargs, **(options or {})},
                "channel": channel, "timeout": timeout}
        return Reply.from_json(await self._call("POST", "/_sandbox/command", json=body))

    async def autocomplete(
        self, user: str | int, name: str, option: str, typed: str, /, *,
        options: dict[str, Any] | None = None, **kwargs: Any,
    ) -> list[dict[str, Any]]:
        """Return the autocomplete choices the bot offers."""
        body = {"user": user, "name": name, "option": option, "typed": typed,
                "options": {**kwargs, **(options or {})}}
        return list(await self._call("POST", "/_sandbox/autocomplete", json=body))

    async def press_button(self, user: str | int, message_id: int, custom_id: str) -> Reply:
        """Press a button on a message."""
        body = {"user": user, "message_id": str(message_id), "custom_id": custom_id}
        return Reply.from_json(await self._call("POST", "/_sandbox/press_button", json=body))

    async def react(
        self, user: str | int, message_id: int, emoji: str, *, burst: bool = False
    ) -> None:
        """Add a user's reaction."""
        await self._call("POST", "/_sandbox/react", json={
            "user": user, "message_id": str(message_id), "emoji": emoji, "burst": burst})

    async def unreact(self, user: str | int, message_id: int, emoji: str) -> None:
        """Remove a user's reaction."""
        await self._call("POST", "/_sandbox/react", json={
            "user": user, "message_id": str(message_id), "emoji": emoji, "remove": True})

    async def messages(self, channel: str | int) -> list[dict[str, Any]]:
        """Return a channel's messages (payloads) as they now stand."""
        return list(await self._call("GET", f"/_sandbox/channels/{channel}/messages"))

    async def dms(self, user: str | int) -> list[dict[str, Any]]:
        """Return the bot's DMs to a user."""
        return list(await self._call("GET", f"/_sandbox/dms/{user}"))

    async def calls(self) -> list[dict[str, Any]]:
        """Return the REST call log."""
        return list(await self._call("GET", "/_sandbox/calls"))
