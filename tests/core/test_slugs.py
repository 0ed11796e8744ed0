"""Group addresses: folded names, unique across the directory, stable for the oldest."""

from __future__ import annotations

import pytest

from core.slugs import slugify, unique_slugs


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("GUG São Paulo", "gug-sao-paulo"),
        ("  GUG  Ñuñoa!! ", "gug-nunoa"),
        ("C++ / Río", "c-rio"),
        ("北京", "bei-jing"),
        ("🎉", "group"),
    ],
)
def test_slug_is_the_name_folded_to_ascii_with_dashes(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_namesakes_get_numbered_slugs_and_the_oldest_keeps_the_bare_one() -> None:
    slugs = unique_slugs([(9, "GUG Córdoba"), (3, "GUG Cordoba"), (5, "gug cordoba 2"), (7, "GUG-Córdoba")])
    assert slugs[3] == "gug-cordoba"
    assert slugs[5] == "gug-cordoba-2"
    assert len(set(slugs.values())) == 4
