"""The JSON API for other sites: the same public fields as the pages, cacheable."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from aiohttp import web

from db.directory import PublicGroup, PublicMeeting, group_details
from web.pages import listed_group
from web.site import base_url, site_of

# Other sites may cache an answer this long; the ETag makes revalidating it cheap.
API_MAX_AGE = 60


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def group_json(group: PublicGroup, slug: str, site: str) -> dict[str, Any]:
    """Describe a public group: no member, organizer or user id, only counts."""
    return {
        "slug": slug,
        "name": group.name,
        "description": group.description,
        "city": group.city,
        "region": group.region,
        "country": group.country,
        "country_code": group.country_code,
        "latitude": group.latitude,
        "longitude": group.longitude,
        "timezone": group.timezone,
        "member_count": group.member_count,
        "next_meeting_at": _time(group.next_meeting_at),
        "url": f"{site}/groups/{slug}",
        "calendar_url": f"{site}/groups/{slug}/calendar.ics",
        "invite_url": group.invite_url or None,
    }


def meeting_json(meeting: PublicMeeting, site: str) -> dict[str, Any]:
    """Describe a public meeting, its agenda by speakers' display names."""
    return {
        "id": meeting.id,
        "title": meeting.title,
        "kind": meeting.kind,
        "status": meeting.status,
        "starts_at": _time(meeting.starts_at),
        "ends_at": _time(meeting.ends_at),
        "venue": meeting.venue,
        "online_url": meeting.online_url,
        "capacity": meeting.capacity,
        "description": meeting.description,
        "agenda": [{"title": talk.title, "speaker": talk.speaker} for talk in meeting.agenda],
        "url": f"{site}/meetings/{meeting.id}",
        "calendar_url": f"{site}/meetings/{meeting.id}.ics",
    }


def cached_json(request: web.Request, payload: Any) -> web.Response:
    """Answer ``payload`` with an ETag; 304 when the client already has this version."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={API_MAX_AGE}"}
    asked = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
    if etag in asked or "*" in asked:
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, content_type="application/json", headers=headers)


async def groups(request: web.Request) -> web.Response:
    """List every public group."""
    snapshot = await site_of(request).directory.get()
    site = base_url(request)
    return cached_json(
        request,
        {"groups": [group_json(item.group, item.slug, site) for item in snapshot.by_id.values()]},
    )


async def meetings(request: web.Request) -> web.Response:
    """List a public group's upcoming meetings (``?group=<slug>``)."""
    slug = request.query.get("group", "")
    if not slug:
        raise web.HTTPBadRequest(
            text='{"error": "give ?group=<slug>"}', content_type="application/json"
        )
    site_state = site_of(request)
    listed = listed_group(await site_state.directory.get(), slug)
    details = await group_details(site_state.db, listed.group.id, site_state.clock.now())
    if details is None:
        raise web.HTTPNotFound()
    site = base_url(request)
    return cached_json(
        request,
        {
            "group": group_json(details.group, listed.slug, site),
            "meetings": [meeting_json(meeting, site) for meeting in details.upcoming],
        },
    )
