"""The Spanish catalog covers every marked string, keeps its placeholders and markup, and is not stale.

Only strings marked with ``_()`` in bot/, cogs/ and core/ are expected in the catalog:
command and option descriptions (docstrings, ``describe``) are not marked and are
not checked here.
"""

from __future__ import annotations

import ast
import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path
from string import Formatter

import pytest

from core.i18n import LOCALES_DIR, Translator, language_of

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("bot", "cogs", "core", "db")
SPANISH = LOCALES_DIR / "es.toml"

# A slash command's first word (`/group`, `/findgroup`); not `http://` nor `meetings/90d`.
COMMAND = re.compile(r"(?<![\w/:])/[a-z][a-z-]*")


# db/ raises refusals too; its messages are used, though not all are translated yet.
DB_DIR = "db"


def _source_files(dirs: tuple[str, ...] = SOURCE_DIRS) -> list[Path]:
    return sorted(path for name in dirs for path in (ROOT / name).rglob("*.py"))


def _marker_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
    ]


def _literal(call: ast.Call) -> str | None:
    """Return the one string literal ``_()`` was called with, or None."""
    if len(call.args) == 1 and not call.keywords:
        arg = call.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    return None


@cache
def marked_strings(dirs: tuple[str, ...] = SOURCE_DIRS) -> dict[str, str]:
    """Map each string marked with ``_()`` in ``dirs`` (bot/, cogs/, core/) to its first place."""
    found: dict[str, str] = {}
    for path in _source_files(dirs):
        for call in _marker_calls(path):
            text = _literal(call)
            if text is not None:
                found.setdefault(text, f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


@cache
def spanish() -> dict[str, str]:
    """Return the Spanish catalog's ``[messages]`` table."""
    return tomllib.loads(SPANISH.read_text(encoding="utf-8"))["messages"]


def placeholders(text: str) -> set[str]:
    """Return the ``{name}`` fields of a format string."""
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def markup(text: str) -> dict[str, object]:
    """Return the Discord markup a translation must keep: bold, code, commands, emoji."""
    return {
        "bold": text.count("**"),
        "code": text.count("`"),
        "commands": sorted(COMMAND.findall(text)),
        "channel mentions": text.count("<#"),
        "emoji": sorted(c for c in text if unicodedata.category(c) == "So"),
    }


def test_marker_is_only_called_with_one_string_literal() -> None:
    # A computed argument could not be found here, so it could never be translated.
    odd = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path in _source_files()
        for call in _marker_calls(path)
        if _literal(call) is None
    ]
    assert odd == []


def test_sources_mark_strings_for_translation() -> None:
    # Guards the collector itself: a broken walk would make every other test vacuous.
    assert len(marked_strings()) > 100
    assert "You are not allowed to do this." in marked_strings()


def test_every_marked_string_has_a_spanish_translation() -> None:
    missing = {text: where for text, where in marked_strings().items() if text not in spanish()}
    assert missing == {}


def test_spanish_catalog_has_no_stale_entries() -> None:
    stale = sorted(set(spanish()) - set(marked_strings((*SOURCE_DIRS, DB_DIR))))
    assert stale == []


def test_spanish_translations_are_not_empty() -> None:
    assert [source for source, text in spanish().items() if not text.strip()] == []


def test_spanish_placeholders_are_exactly_those_of_the_source() -> None:
    wrong = {
        source: (sorted(placeholders(source)), sorted(placeholders(text)))
        for source, text in spanish().items()
        if placeholders(source) != placeholders(text)
    }
    assert wrong == {}


def test_spanish_translations_format_with_the_source_placeholders() -> None:
    for source, text in spanish().items():
        values = dict.fromkeys(placeholders(source), "x")
        assert text.format(**values), source


def test_spanish_translations_keep_discord_markup() -> None:
    wrong = {
        source: (markup(source), markup(text))
        for source, text in spanish().items()
        if markup(source) != markup(text)
    }
    assert wrong == {}


@pytest.mark.parametrize("locale", ["es-ES", "es-419"])
def test_spanish_discord_locales_get_the_spanish_catalog(locale: str) -> None:
    assert language_of(locale) == "es"
    t = Translator(locale)
    assert t("You are not allowed to do this.") == spanish()["You are not allowed to do this."]


def test_other_locales_fall_back_to_english() -> None:
    assert Translator("pt-BR")("You are not allowed to do this.") == (
        "You are not allowed to do this."
    )
