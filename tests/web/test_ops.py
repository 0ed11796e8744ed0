"""/healthz and /metrics."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestClient, TestServer

from bot.metrics import count_error, observe_command
from db.engine import create_database
from web.app import create_app


async def test_healthz_reports_the_database_and_the_gateway(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    state = json.loads(await response.text())
    assert state["database"] == "ok" and state["gateway"] == {"state": "not in this process"}


async def test_healthz_is_503_when_the_database_is_unreachable() -> None:
    unreachable = create_database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app = create_app(unreachable, gateway_state=lambda: {"state": "ready"})
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/healthz")
        assert response.status == 503
        assert json.loads(await response.text())["database"] == "unreachable"
    await unreachable.dispose()


async def test_metrics_expose_the_bots_figures_in_prometheus_text(client: TestClient) -> None:
    observe_command("findgroup", 0.12)
    count_error("user")
    response = await client.get("/metrics")
    text = await response.text()
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/plain")
    assert 'gugbot_command_latency_seconds_count{command="findgroup"}' in text
    assert 'gugbot_errors_total{kind="user"}' in text
    for name in (
        "gugbot_interaction_ack_seconds", "gugbot_rsvp_batch_size", "gugbot_rsvp_commit_seconds",
        "gugbot_reminder_lateness_seconds", "gugbot_gateway_latency_seconds",
    ):
        assert name in text
