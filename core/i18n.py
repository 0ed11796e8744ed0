"""Translate user-facing strings into the language of the person who asked.

Source strings are English, marked where they are written and looked up in gettext
catalogs (``core/locales/<lang>/LC_MESSAGES/messages.po``). The ``.po`` files are read
through Babel the first time a language is asked for, so a fresh clone needs no compile
step; an entry that is missing, empty or fuzzy falls back to English, one string at a
time. ``make messages`` extracts the markers below into ``messages.pot`` and merges it
into every ``.po``.

Markers (the extractor's keywords, see ``MARKERS``):

- ``_("text")`` marks a string; it is translated when shown, by ``Translator``.
- ``C_("context", "text")`` marks a string whose English word has more than one meaning;
  it returns the text carrying its context, which ``Translator`` honours.
- ``t.plural("{n} member", "{n} members", n)`` translates with the language's plural
  rules (CLDR), where ``{n}`` is the count written with the language's separators.
- ``P_("{n} member", "{n} members", n)`` marks the same where it is defined (a db/ rule's
  error, say) and returns the singular carrying the rest, which ``Translator`` honours.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"

# Babel extraction keywords: name → the arguments that are msgid, plural or context.
MARKERS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None,
    "C_": ((1, "c"), 2),
    "plural": (1, 2),
    "P_": (1, 2),
}


def _(text: str) -> str:
    """Mark a string for translation where it is defined; it is translated when shown."""
    return text


class InContext(str):
    """A marked string together with the context that tells its meaning apart."""

    context: str

    def __new__(cls, context: str, text: str) -> InContext:
        """Return ``text`` remembering ``context``."""
        self = super().__new__(cls, text)
        self.context = context
        return self


def C_(context: str, text: str) -> InContext:
    """Mark ``text`` with the ``context`` that picks one of its meanings."""
    return InContext(context, text)


class Counted(str):
    """A marked singular together with its plural and the count that picks one."""

    plural: str
    n: int

    def __new__(cls, singular: str, plural: str, n: int) -> Counted:
        """Return ``singular`` remembering ``plural`` and ``n``."""
        self = super().__new__(cls, singular)
        self.plural = plural
        self.n = n
        return self

    def in_english(self, **params: Any) -> str:
        """Return the source text in the form ``n`` takes, ``params`` filled in."""
        text = str(self) if self.n == 1 else self.plural
        return text.format(n=self.n, **params)


def P_(singular: str, plural: str, n: int) -> Counted:
    """Mark a message whose form depends on ``n``; ``{n}`` in it is the count."""
    return Counted(singular, plural, n)


def language_of(locale: object) -> str:
    """Map a Discord locale (``es-419``, ``Locale.brazil_portuguese``) to a catalog language.

    Spanish of any region reads ``es``, Portuguese of any region ``pt_BR``; every other
    language reads English.
    """
    text = str(getattr(locale, "value", locale) or SOURCE_LANGUAGE).replace("_", "-")
    base = text.split("-")[0].lower()
    if base == "es":
        return "es"
    if base == "pt":
        return "pt_BR"
    return SOURCE_LANGUAGE


def catalog_path(language: str) -> Path:
    """Return where the ``.po`` file for ``language`` lives."""
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Load ``language``'s catalog once; English (and a missing file) translate to themselves."""
    path = catalog_path(language)
    if language == SOURCE_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    # Compiling in memory keeps gettext's lookup and plural rules, and skips fuzzy entries.
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Translator:
    """Translate for one locale: ``t = Translator(locale); t("Hi {name}", name=…)``."""

    def __init__(self, locale: object = None) -> None:
        self.language = language_of(locale)
        self._catalog = translations(self.language)

    def __call__(self, text: str, **params: Any) -> str:
        """Return ``text`` in this locale's language with ``params`` filled in."""
        if isinstance(text, Counted):
            return self.plural(text, text.plural, text.n, **params)
        if isinstance(text, InContext):
            translated = self._catalog.pgettext(text.context, text)
        else:
            translated = self._catalog.gettext(text)
        return translated.format(**params) if params else translated

    def plural(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """Return the form of ``singular``/``plural`` that ``n`` takes in this language."""
        translated = self._catalog.ngettext(singular, plural, n)
        return translated.format(n=format_decimal(n, locale=self.language), **params)
