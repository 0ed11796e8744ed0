"""Assemble the site's aiohttp application, and serve it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from core.clock import Clock, SystemClock
from core.i18n import _
from db.engine import Database
from web import api, feeds, ops, pages
from web.directory import DirectoryCache
from web.site import SITE, Site, SiteOptions, render

log = logging.getLogger("gugbot.web")

STATIC = Path(__file__).parent / "static"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_MESSAGES = {
    400: _("That request is not valid."),
    404: _("There is nothing here: the page may have moved, or its group left the directory."),
    405: _("That request is not valid."),
}
APOLOGY = _("Sorry, something went wrong on our side (error id {error_id}).")


@web.middleware
async def error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer errors with a page in the visitor's language; never show a traceback."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400 or error.status not in _MESSAGES or request.path.startswith("/api/"):
            raise
        return render(request, "error.html", status=error.status, message=_MESSAGES[error.status])
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        log.exception("unexpected error %s while serving %s", error_id, request.path_qs)
        return render(
            request, "error.html", status=500, message=APOLOGY, params={"error_id": error_id}
        )


def create_app(
    db: Database,
    options: SiteOptions | None = None,
    *,
    clock: Clock | None = None,
    gateway_state: Callable[[], dict[str, Any]] | None = None,
) -> web.Application:
    """Build the site on ``db``; ``gateway_state`` reports the bot when one runs beside it."""
    clock = clock or SystemClock()
    app = web.Application(middlewares=[error_pages])
    site = Site(db, clock, options or SiteOptions(), DirectoryCache(db, clock), gateway_state)
    app[SITE] = site

    async def close_directory(_app: web.Application) -> None:
        await site.directory.close()

    app.on_cleanup.append(close_directory)
    app.add_routes(
        [
            web.get("/", pages.directory),
            web.get("/groups/{slug}", pages.group_page),
            web.get("/groups/{slug}/calendar.ics", feeds.group_calendar),
            web.get(r"/meetings/{id:\d+}.ics", feeds.meeting_calendar),
            web.get("/meetings/{id}", pages.meeting_page),
            web.get("/calendar.ics", feeds.network_calendar),
            web.get("/api/v1/groups", api.groups),
            web.get("/api/v1/meetings", api.meetings),
            web.get("/healthz", ops.healthz),
            web.get("/metrics", ops.metrics),
            web.static("/static", STATIC),
        ]
    )
    return app


async def start_site(app: web.Application, host: str, port: int) -> web.AppRunner | None:
    """Serve ``app`` on host:port; a port already taken is logged and yields None."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        log.warning("the web directory could not listen on %s:%s: %s", host, port, error)
        await runner.cleanup()
        return None
    log.info("web directory on http://%s:%s", host, port)
    return runner
