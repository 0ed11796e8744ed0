"""Stable, readable addresses for groups: "GUG São Paulo" → "gug-sao-paulo"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from unidecode import unidecode

_OTHER = re.compile(r"[^a-z0-9]+")
# A URL segment people can read and type; group names are at most 100 characters.
SLUG_LIMIT = 80


def slugify(name: str) -> str:
    """Fold ``name`` to lowercase ASCII, runs of other characters as one ``-``."""
    slug = _OTHER.sub("-", unidecode(name).lower()).strip("-")[:SLUG_LIMIT].strip("-")
    return slug or "group"


def unique_slugs(groups: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Give every (id, name) a slug of its own; the oldest group keeps the bare one.

    Later namesakes get ``-2``, ``-3``… in id order, so a slug does not move when a
    newer group with the same name appears.
    """
    taken: set[str] = set()
    slugs: dict[int, str] = {}
    for group_id, name in sorted(groups):
        base = slug = slugify(name)
        suffix = 2
        while slug in taken:
            slug = f"{base}-{suffix}"
            suffix += 1
        taken.add(slug)
        slugs[group_id] = slug
    return slugs
