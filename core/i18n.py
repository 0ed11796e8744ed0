"""Translate user-facing strings into the language of the person who asked.

Source strings are English and are looked up verbatim in per-language catalogs
(``core/locales/<lang>.toml``); a missing entry falls back to English, so marking a
string with ``_`` costs nothing until a translator fills it in.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).parent / "locales"


def _(text: str) -> str:
    """Mark a string for translation where it is defined; it is translated when shown."""
    return text


@cache
def _catalog(language: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{language}.toml"
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in data.get("messages", {}).items()}


def language_of(locale: object) -> str:
    """Reduce a Discord locale such as ``es-ES`` or ``Locale.spain_spanish`` to ``es``."""
    text = str(getattr(locale, "value", locale) or "en")
    return text.split("-")[0].lower()


class Translator:
    """Translate for one locale: ``t = Translator(locale); t("Hi {name}", name=…)``."""

    def __init__(self, locale: object = None) -> None:
        self.language = language_of(locale)

    def __call__(self, text: str, **params: Any) -> str:
        """Return ``text`` in this locale's language with ``params`` filled in."""
        translated = _catalog(self.language).get(text, text)
        return translated.format(**params) if params else translated
