"""Faults answered as Discord would, checked with a plain HTTP client."""

import aiohttp
import pytest

from sandbox import Sandbox


@pytest.mark.parametrize("is_global", [False, True])
async def test_429_carries_via_retry_after_and_global(is_global):
    async with Sandbox.start() as sb, aiohttp.ClientSession() as http:
        sb.faults.rate_limit("GET", "/users/@me", times=2, retry_after=1.5, is_global=is_global)
        headers = {"Authorization": f"Bot {sb.token}"}
        for _ in range(2):
            async with http.get(f"{sb.base_url}/api/v10/users/@me", headers=headers) as resp:
                assert resp.status == 429
                assert "Via" in resp.headers
                assert await resp.json() == {"message": "You are being rate limited.",
                                             "retry_after": 1.5, "global": is_global}
        async with http.get(f"{sb.base_url}/api/v10/users/@me", headers=headers) as resp:
            assert resp.status == 200
        assert [c.status for c in sb.calls] == [429, 429, 200]


async def test_server_error_then_success():
    async with Sandbox.start() as sb, aiohttp.ClientSession() as http:
        sb.faults.server_error("*", "/gateway/*", status=502)
        url = f"{sb.base_url}/api/v10/gateway/bot"
        headers = {"Authorization": f"Bot {sb.token}"}
        async with http.get(url, headers=headers) as resp:
            assert resp.status == 502
        async with http.get(url, headers=headers) as resp:
            data = await resp.json()
            assert data["url"] == sb.gateway_url and data["shards"] == 1


async def test_unsynced_command_is_a_clear_error():
    async with Sandbox.start() as sb:
        with pytest.raises(LookupError, match="not synced"):
            await sb.command("alice", "group propose", name="x")
