"""The es and pt_BR catalogs translate every marked string, keep its markup, and are not stale.

Strings are collected with the same Babel extraction ``make messages`` runs: the markers
of core/i18n.py in bot/, cogs/, core/, db/ (and web/ when it exists) plus every command's
description and choice names.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from functools import cache
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.command_translator import LIMIT, LIMIT_NOTE, extract_messages
from core.i18n import C_, LOCALES_DIR, P_, Translator, _, catalog_path, language_of

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = [name for name in ("bot", "cogs", "core", "db", "web") if (ROOT / name).is_dir()]
LANGUAGES = ["es", "pt_BR"]

# A slash command's first word (`/group`, `/findgroup`); not `http://` nor `meetings/90d`.
COMMAND = re.compile(r"(?<![\w/:])/[a-z][a-z-]*")

Key = tuple[str | None, str]  # (context, msgid)


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return message.context, msgid


@cache
def extracted() -> dict[Key, tuple[str, ...]]:
    """Map every extracted (context, msgid) to its msgid forms (two for a plural)."""
    found: dict[Key, tuple[str, ...]] = {}
    for name in SOURCE_DIRS:
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / name,
            method_map=[
                ("**.py", extract_messages),
                ("**/templates/**.html", "jinja2.ext:babel_extract"),
            ],
            keywords=DEFAULT_KEYWORDS,
        ):
            forms = tuple(message) if isinstance(message, tuple | list) else (message,)
            found.setdefault((context, forms[0]), forms)
    return found


@cache
def catalog(name: str) -> Catalog:
    path = LOCALES_DIR / "messages.pot" if name == "pot" else catalog_path(name)
    with path.open("rb") as po:
        return read_po(po)


def entries(name: str) -> dict[Key, Message]:
    return {_key(message): message for message in catalog(name) if message.id}


def forms(message: Message) -> list[str]:
    strings = message.string
    return list(strings) if isinstance(strings, tuple | list) else [strings]


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


def _marker_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
    ]


# ---- the collector ----------------------------------------------------------------------


def test_marker_is_only_called_with_one_string_literal() -> None:
    # A computed argument could not be extracted, so it could never be translated.
    odd = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for name in SOURCE_DIRS
        for path in sorted((ROOT / name).rglob("*.py"))
        for call in _marker_calls(path)
        if not (
            len(call.args) == 1 and not call.keywords
            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)
        )
    ]
    assert odd == []


def test_extraction_finds_replies_errors_of_db_and_command_metadata() -> None:
    # Guards the collector itself: a broken walk would make every other test vacuous.
    found = extracted()
    assert len(found) > 250
    assert (None, "You are not allowed to do this.") in found
    assert (None, "That group does not exist in this server.") in found  # db/
    assert (None, "Find a users group near you.") in found  # a command's docstring
    assert (None, "The group to join") in found  # an option's describe()
    assert ("command choice", "mixed") in found
    assert found[(None, "{n} member")] == ("{n} member", "{n} members")


def test_the_template_is_up_to_date_with_the_code() -> None:
    # `make messages` regenerates it; a stale template hides strings from translators.
    assert set(entries("pot")) == set(extracted())


# ---- every catalog ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_extracted_string_has_an_entry(language: str) -> None:
    assert sorted(set(extracted()) - set(entries(language)), key=str) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_has_no_stale_or_obsolete_entries(language: str) -> None:
    assert sorted(set(entries(language)) - set(extracted()), key=str) == []
    assert list(catalog(language).obsolete) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language: str) -> None:
    assert [key for key, message in entries(language).items() if message.fuzzy] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_and_plural_form_is_translated(language: str) -> None:
    plural_forms = catalog(language).num_plurals
    assert plural_forms >= 2
    wrong = [
        key
        for key, message in entries(language).items()
        if not all(text.strip() for text in forms(message))
        or (message.pluralizable and len(forms(message)) != plural_forms)
    ]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_exactly_those_of_the_source(language: str) -> None:
    wrong = {
        key: sorted(placeholders(text))
        for key, message in entries(language).items()
        for text in forms(message)
        if placeholders(text) != placeholders(extracted()[key][-1])
    }
    assert wrong == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_format_with_the_source_placeholders(language: str) -> None:
    for key, message in entries(language).items():
        values = dict.fromkeys(placeholders(extracted()[key][-1]), "x")
        for text in forms(message):
            assert text.format(**values), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_discord_markup(language: str) -> None:
    wrong = {
        key: (markup(key[1]), markup(text))
        for key, message in entries(language).items()
        for text in forms(message)
        if markup(key[1]) != markup(text)
    }
    assert wrong == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_command_descriptions_and_choices_fit_discord(language: str) -> None:
    long = [
        message.string
        for message in entries(language).values()
        if LIMIT_NOTE in message.auto_comments and len(message.string) > LIMIT
    ]
    assert long == []


def test_both_catalogs_have_the_same_entries() -> None:
    counts = {name: len(entries(name)) for name in ["pot", *LANGUAGES]}
    print(f"catalog entries: {counts}")  # the closing note of issue 14 reports these
    assert counts["es"] == counts["pt_BR"] == counts["pot"] == len(extracted())


# ---- looking strings up ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "language"),
    [("es-ES", "es"), ("es-419", "es"), ("pt-BR", "pt_BR"), ("pt-PT", "pt_BR"),
     ("en-US", "en"), ("fr", "en"), ("ja", "en"), (None, "en")],
)
def test_discord_locales_map_to_a_catalog_or_english(locale: str | None, language: str) -> None:
    assert language_of(locale) == language


def test_a_reply_reads_in_the_askers_language() -> None:
    text = _("You are not allowed to do this.")
    assert Translator("es-419")(text) == "No tienes permiso para hacer esto."
    assert Translator("pt-BR")(text) == "Você não tem permissão para fazer isso."
    assert Translator("fr")(text) == text


def test_params_fill_the_translated_text() -> None:
    assert Translator("pt-BR")(_("You left “{name}”."), name="GUG Porto Alegre") == (
        "Você saiu de “GUG Porto Alegre”."
    )


def test_a_string_missing_from_a_catalog_falls_back_to_english() -> None:
    assert Translator("pt-BR")("A sentence no catalog has, {n}.", n=3) == (
        "A sentence no catalog has, 3."
    )


@pytest.mark.parametrize(
    ("locale", "n", "expected"),
    [
        ("en", 1, "1 member"), ("en", 2, "2 members"), ("en", 1234, "1,234 members"),
        ("es", 1, "1 miembro"), ("es", 2, "2 miembros"), ("es", 1234, "1.234 miembros"),
        ("pt-BR", 0, "0 membro"), ("pt-BR", 1, "1 membro"), ("pt-BR", 2, "2 membros"),
        ("pt-BR", 1_000_000, "1.000.000 de membros"),
    ],
)
def test_plurals_follow_each_languages_rules(locale: str, n: int, expected: str) -> None:
    assert Translator(locale).plural("{n} member", "{n} members", n) == expected


def test_a_context_tells_one_english_word_from_another() -> None:
    mixed = C_("command choice", "mixed")
    assert mixed == "mixed"
    assert Translator("es-ES")(mixed) == "mixta"
    assert Translator("pt-BR")(mixed) == "misto"
    assert Translator("en")(mixed) == "mixed"


def test_a_counted_message_marked_where_defined_takes_its_plural_when_shown() -> None:
    # How a db/ rule's error says "1 proposal" or "3 proposals" in the asker's language.
    one = P_("You already have {n} proposal waiting for review; wait for a coordinator to "
             "decide on it.", "You already have {n} proposals waiting for review; wait for a "
             "coordinator to decide on them.", 1)
    assert Translator("en")(one).startswith("You already have 1 proposal waiting")
    three = P_(one, one.plural, 3)
    assert Translator("es-419")(three).startswith("Ya tienes 3 propuestas esperando")
    backers = P_("“{name}” has {count} of the {n} backer this server asks for; it needs "
                 "{missing} more before it can be approved.", "“{name}” has {count} of the {n} "
                 "backers this server asks for; it needs {missing} more before it can be "
                 "approved.", 1)
    assert Translator("en")(backers, name="GUG Lima", count=0, missing=1) == (
        "“GUG Lima” has 0 of the 1 backer this server asks for; it needs 1 more before it "
        "can be approved."
    )
