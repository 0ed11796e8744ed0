"""The calendars: the whole network, one group, one meeting."""

from __future__ import annotations

from aiohttp import web

from core.i18n import Translator, _
from web.calendar import CONTENT_TYPE, feed, meeting_ics, uid_domain
from web.pages import listed_group, parse_id
from web.site import base_url, language, site_of

# Calendar apps poll; a feed a few minutes old is fine and spares the database.
FEED_MAX_AGE = 300


async def _stream(
    request: web.Request, name: str, filename: str, group_id: int | None
) -> web.StreamResponse:
    site = site_of(request)
    response = web.StreamResponse(
        headers={
            "Content-Type": CONTENT_TYPE,
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": f"public, max-age={FEED_MAX_AGE}",
        }
    )
    response.enable_chunked_encoding()
    await response.prepare(request)
    chunks = feed(
        site.db,
        site.clock.now(),
        name=name,
        site=base_url(request),
        t=Translator(language(request)),
        uid_host=uid_domain(site.options.base_url),
        group_id=group_id,
    )
    async for chunk in chunks:
        await response.write(chunk)
    await response.write_eof()
    return response


async def network_calendar(request: web.Request) -> web.StreamResponse:
    """Stream every public meeting of the network."""
    t = Translator(language(request))
    return await _stream(request, t(_("Users groups")), "calendar.ics", None)


async def group_calendar(request: web.Request) -> web.StreamResponse:
    """Stream one public group's meetings."""
    snapshot = await site_of(request).directory.get()
    listed = listed_group(snapshot, request.match_info["slug"])
    return await _stream(request, listed.group.name, f"{listed.slug}.ics", listed.group.id)


async def meeting_calendar(request: web.Request) -> web.Response:
    """Answer one meeting's .ics, to add it to a calendar."""
    site = site_of(request)
    meeting_id = parse_id(request.match_info["id"])
    body = await meeting_ics(
        site.db,
        meeting_id,
        site.clock.now(),
        site=base_url(request),
        t=Translator(language(request)),
        uid_host=uid_domain(site.options.base_url),
    )
    if body is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=body,
        headers={
            "Content-Type": CONTENT_TYPE,
            "Content-Disposition": f'attachment; filename="meeting-{meeting_id}.ics"',
            "Cache-Control": f"public, max-age={FEED_MAX_AGE}",
        },
    )
