"""Operations: is the site healthy, and the process's Prometheus metrics."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from web.site import site_of

log = logging.getLogger("gugbot.web")

# A probe waits this long for the database before calling it unreachable.
HEALTH_TIMEOUT = 3.0


async def healthz(request: web.Request) -> web.Response:
    """Answer 200 with the database's and the gateway's state, 503 without a database."""
    site = site_of(request)
    state: dict[str, Any] = {}
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), site.db.read() as session:
            await session.execute(text("SELECT 1"))
        state["database"] = "ok"
    except (SQLAlchemyError, OSError, TimeoutError) as error:
        log.warning("health check: database unreachable: %s", error)
        state["database"] = "unreachable"
    state["gateway"] = (
        site.gateway_state() if site.gateway_state else {"state": "not in this process"}
    )
    status = 200 if state["database"] == "ok" else 503
    return web.json_response(state, status=status, headers={"Cache-Control": "no-store"})


async def metrics(_request: web.Request) -> web.Response:
    """Expose this process's metrics in Prometheus' text format."""
    response = web.Response(body=generate_latest())
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    return response
