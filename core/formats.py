"""Dates, durations, distances, counts and lists written in the reader's language (CLDR).

Every function takes the reader's Discord locale (``es-419``, ``pt-BR``, a
``discord.Locale``) and writes in the catalog language it maps to, so numbers, dates
and words agree with the translated sentence around them. Discord ``<t:…>``
timestamps are not made here: the client renders them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_name
from babel.lists import format_list as babel_list
from babel.numbers import format_decimal
from babel.units import format_unit

from core.i18n import Translator, language_of
from core.when import group_zone

_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu"}


def local_datetime(moment: datetime, zone_name: str, locale: object = None) -> str:
    """Write ``moment`` as read in the group's zone, with the zone's name.

    ``lunes, 30 de noviembre de 2026, 23:45 (hora de Argentina)``.
    """
    language = language_of(locale)
    zone = group_zone(zone_name)
    local = moment.astimezone(zone)
    date = format_date(local, "full", locale=language)
    time = format_time(local, "short", locale=language)
    # CLDR's own joint ("{1}, {0}" in Spanish, "{1} {0}" in Portuguese).
    joint = str(Locale.parse(language).datetime_formats["full"])
    name = "UTC" if zone.key in _UTC_NAMES else get_timezone_name(
        local, "long", zone_variant="generic", locale=language
    )
    return f"{joint.replace('{1}', date).replace('{0}', time)} ({name})"


def duration_in_words(value: timedelta, locale: object = None) -> str:
    """Write a duration in hours and minutes: ``1 hora y 30 minutos``, ``2 hours``."""
    language = language_of(locale)
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [
        format_unit(amount, unit, "long", locale=language)
        for amount, unit in (
            (days, "duration-day"), (hours, "duration-hour"), (minutes, "duration-minute")
        )
        if amount
    ]
    if not parts:
        return format_unit(0, "duration-minute", "long", locale=language)
    return babel_list(parts, locale=language)


def format_distance(kilometres: float, locale: object = None) -> str:
    """Write a distance rounded to whole kilometres: ``465 km``, ``1.234 km``."""
    return format_unit(round(kilometres), "length-kilometer", "short", locale=language_of(locale))


def format_count(n: int, locale: object = None) -> str:
    """Write a count with the language's grouping separators: ``12,345`` or ``12.345``."""
    return format_decimal(n, locale=language_of(locale))


def format_list(items: Iterable[str], locale: object = None) -> str:
    """Join items the way the language does: ``a, b and c``, ``a, b y c``, ``a, b e c``."""
    return babel_list(list(items), locale=language_of(locale))


def members(n: int, locale: object = None) -> str:
    """Say how many members: ``1 member``, ``2 members``, ``1.234 miembros``."""
    return Translator(locale).plural("{n} member", "{n} members", n)


def meetings(n: int, locale: object = None) -> str:
    """Say how many meetings: ``1 meeting``, ``2 meetings``, ``2 reuniões``."""
    return Translator(locale).plural("{n} meeting", "{n} meetings", n)
