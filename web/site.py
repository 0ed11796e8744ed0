"""What every handler shares: the database, the snapshot, templates, language and links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from babel.dates import format_date, format_time

from core.clock import Clock
from core.i18n import Translator
from db.engine import Database
from web.calendar import zone
from web.directory import DirectoryCache

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("en", "es", "pt")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt": "Português"}
# Babel's locale per page language: the network's Portuguese speakers are Brazilian.
BABEL_LOCALES = {"en": "en", "es": "es", "pt": "pt_BR"}


@dataclass(frozen=True)
class SiteOptions:
    """How the site presents itself: its public URL ("" means the request's own origin)."""

    base_url: str = ""


@dataclass
class Site:
    """The state one web application runs on."""

    db: Database
    clock: Clock
    options: SiteOptions
    directory: DirectoryCache
    # Reports the Discord gateway's state when a bot runs in this process (`gugbot run`).
    gateway_state: Callable[[], dict[str, Any]] | None = None

    @cached_property
    def templates(self) -> Environment:
        """The page templates, loaded by the first page served (Jinja2 is not needed before)."""
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        templates = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        templates.filters["web_link"] = web_link
        return templates


SITE = web.AppKey("site", Site)


def web_link(url: str | None) -> str:
    """Return ``url`` when it is a web address, else "": user text never becomes javascript:."""
    return url if url and url.lower().startswith(("https://", "http://")) else ""


def site_of(request: web.Request) -> Site:
    """Return the request's site."""
    return request.app[SITE]


def language(request: web.Request) -> str:
    """Choose the page's language: ``?lang=``, else Accept-Language, else English."""
    asked = request.query.get("lang", "")[:8].lower()
    if asked in LANGUAGES:
        return asked
    ranked = []
    for position, item in enumerate(request.headers.get("Accept-Language", "")[:500].split(",")):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"


def base_url(request: web.Request) -> str:
    """Return the public URL of the site, for links that leave the page (feeds, calendars)."""
    configured = site_of(request).options.base_url
    return configured or str(request.url.origin())


def local_time(moment: datetime, zone_name: str, lang: str) -> str:
    """Write a time as the group's people read it: their date, their clock, their zone."""
    local = moment.astimezone(zone(zone_name))
    babel_locale = BABEL_LOCALES.get(lang, "en")
    return (
        f"{format_date(local, 'full', locale=babel_locale)}, "
        f"{format_time(local, 'short', locale=babel_locale)}"
    )


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    """Render a page in the request's language."""
    site = site_of(request)
    lang = language(request)
    t = Translator(lang)
    body = site.templates.get_template(template).render(
        _=t,
        lang=lang,
        languages=LANGUAGE_NAMES,
        path=request.path,
        query=dict(request.query),
        when=lambda moment, zone: local_time(moment, zone, lang),
        **context,
    )
    response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    return response
