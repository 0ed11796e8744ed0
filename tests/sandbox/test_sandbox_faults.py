"""Faults answered as Discord would, checked with a plain HTTP client."""

import aiohttp
import pytest

from sandbox import Sandbox
from sandbox.faults import Faults


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


async def test_the_global_limit_answers_429_global_beyond_its_rate():
    async with Sandbox.start() as sb, aiohttp.ClientSession() as http:
        sb.faults.enforce_global_limit(3)
        headers = {"Authorization": f"Bot {sb.token}"}
        statuses = []
        for _ in range(4):
            async with http.get(f"{sb.base_url}/api/v10/users/@me", headers=headers) as resp:
                statuses.append(resp.status)
                body = await resp.json()
        assert statuses == [200, 200, 200, 429]
        assert resp.headers["X-RateLimit-Global"] == "true"
        assert resp.headers["X-RateLimit-Scope"] == "global"
        assert body["global"] is True and 0 < body["retry_after"] <= 1


def test_the_global_limit_frees_a_slot_one_second_after_each_request():
    faults = Faults()
    faults.enforce_global_limit(2)
    assert [faults.global_wait(now) for now in (10.0, 10.4)] == [0.0, 0.0]
    assert faults.global_wait(10.5) == pytest.approx(0.5)
    assert faults.global_wait(11.0) == 0.0
    assert faults.global_wait(11.1) == pytest.approx(0.3)
