"""The HTML pages: the directory and its search, a group, a meeting."""

from __future__ import annotations

from aiohttp import web

from core.i18n import _
from core.place_matching import MatchKind
from db.directory import group_details, meeting_details
from web.directory import Listed, Snapshot
from web.site import render, site_of

# What one search may be: /findgroup's own limit on a place.
QUERY_LIMIT = 100
# Up to this many public groups, the front page lists them all; beyond, it lists
# countries and one country's groups at a time.
FRONT_PAGE_GROUPS = 300
# One country's page lists at most this many groups; the search narrows further.
COUNTRY_PAGE_GROUPS = 1000
# Our ids are 32-bit integers; a longer number cannot be a meeting.
MAX_ID = 2**31 - 1


def parse_id(text: str) -> int:
    """Read a meeting id from the path, or answer 404."""
    # isdigit() alone accepts "²", which int() refuses: ASCII digits only.
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > MAX_ID:
        raise web.HTTPNotFound()
    return int(text)


def listed_group(snapshot: Snapshot, slug: str) -> Listed:
    """Find a public group by its slug, or answer 404."""
    listed = snapshot.by_slug.get(slug)
    if listed is None:
        raise web.HTTPNotFound()
    return listed


async def directory(request: web.Request) -> web.Response:
    """Show the directory, or what a search found."""
    site = site_of(request)
    snapshot = await site.directory.get()
    query = request.query.get("q", "").strip()
    if len(query) > QUERY_LIMIT:
        return render(
            request,
            "error.html",
            status=400,
            message=_("A place is at most {limit} characters."),
            params={"limit": QUERY_LIMIT},
        )
    if query:
        match = snapshot.search(query)
        names = {code: country.name for code, country in snapshot.gazetteer.countries.items()}
        return render(
            request,
            "search.html",
            q=query,
            match=match,
            kinds=MatchKind,
            groups=snapshot.by_id,
            country_names=names,
        )
    country = request.query.get("country", "")
    if country:
        members = snapshot.countries.get(country)
        if members is None:
            raise web.HTTPNotFound()
        return render(
            request,
            "index.html",
            countries={country: members[:COUNTRY_PAGE_GROUPS]},
            more=max(0, len(members) - COUNTRY_PAGE_GROUPS),
            total=len(snapshot.by_id),
            expanded=True,
        )
    return render(
        request,
        "index.html",
        countries=snapshot.countries,
        more=0,
        total=len(snapshot.by_id),
        expanded=len(snapshot.by_id) <= FRONT_PAGE_GROUPS,
    )


async def group_page(request: web.Request) -> web.Response:
    """Show one public group with its organizers and upcoming meetings."""
    site = site_of(request)
    listed = listed_group(await site.directory.get(), request.match_info["slug"])
    details = await group_details(site.db, listed.group.id, site.clock.now())
    if details is None:
        raise web.HTTPNotFound()
    return render(request, "group.html", details=details, slug=listed.slug)


async def meeting_page(request: web.Request) -> web.Response:
    """Show one meeting of a public group."""
    site = site_of(request)
    details = await meeting_details(site.db, parse_id(request.match_info["id"]), site.clock.now())
    if details is None:
        raise web.HTTPNotFound()
    snapshot = await site.directory.get()
    listed = snapshot.by_id.get(details.group.id)
    return render(
        request,
        "meeting.html",
        details=details,
        slug=listed.slug if listed else None,
        now=site.clock.now(),
    )
