"""Describe commands in the reader's language: Discord shows each person their locale's text.

Command, group and option names stay English so help and docs name one command;
descriptions and choice names are looked up by their English text in the same gettext
catalogs as every reply. They are written as plain strings in ``describe``, docstrings
and ``Choice``; ``extract_messages`` (the Babel extraction method ``make messages`` uses)
finds them the way discord.py does.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Collection, Iterator
from io import BytesIO
from typing import IO, Any

import discord
from babel.messages.extract import extract_python
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Location

from core.i18n import C_, MARKERS, Translator

# The Discord locales commands are described in.
LOCALES = frozenset(
    {discord.Locale.spain_spanish, discord.Locale.latin_american_spanish,
     discord.Locale.brazil_portuguese}
)
_NAMES = frozenset({Location.command_name, Location.group_name, Location.parameter_name})

# Every choice name is translated in this context: "mixed" as a kind of meeting is not
# the "mixed" of a sentence.
CHOICE = "command choice"
# Discord caps descriptions and choice names; a translation must fit too.
LIMIT_NOTE = "Discord: at most 100 characters"
LIMIT = 100

# Meeting kinds are choices built from an enum, which no extractor reads.
MEETING_KINDS = (
    C_("command choice", "social"),
    C_("command choice", "technical"),
    C_("command choice", "mixed"),
)


class CommandTranslator(app_commands.Translator):
    """Give descriptions and choice names for es-ES, es-419 and pt-BR from the catalogs."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """Return ``string`` in ``locale``'s language, or None to leave it as it is."""
        if locale not in LOCALES or context.location in _NAMES:
            return None
        message = string.message
        if context.location is Location.choice_name:
            message = C_(CHOICE, message)
        return Translator(locale)(message)


# ---- extraction -------------------------------------------------------------------

# (line, keyword, message or (context, message), comments), as Babel's extractors yield.
_Result = tuple[int, str, Any, list[str]]
# The markers of core.i18n under the names Babel's default keywords already know.
_GETTEXT_NAMES = {"_": "_", "C_": "pgettext", "plural": "ngettext", "P_": "ngettext"}


def extract_messages(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Any,
) -> Iterator[_Result]:
    """Babel extraction method: the markers of core.i18n plus every command's metadata."""
    source = fileobj.read()
    markers = dict.fromkeys(MARKERS)
    for lineno, name, message, comments in extract_python(
        BytesIO(source), markers, comment_tags, options
    ):
        yield lineno, _GETTEXT_NAMES[str(name)], message, list(comments or [])
    yield from command_strings(ast.parse(source))


def _shorten(text: str) -> str:
    """Reduce a docstring to a description exactly as discord.py does."""
    first = re.split(r"\n\s*\n", text, maxsplit=1)[0]
    return textwrap.fill(
        " ".join(first.strip().split()), width=100, max_lines=1, placeholder="…"
    )


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> str | None:
    return next((_string(k.value) for k in call.keywords if k.arg == name), None)


def _command_description(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[_Result]:
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        if _name(decorator) == "command":
            text = _keyword(decorator, "description")
            if text is None and ast.get_docstring(node):
                text = _shorten(ast.get_docstring(node) or "")
            if text:
                yield node.lineno, "_", text, [LIMIT_NOTE]
        elif _name(decorator) == "describe":
            for keyword in decorator.keywords:
                text = _string(keyword.value)
                if text:
                    yield keyword.value.lineno, "_", text, [LIMIT_NOTE]


def _group_description(node: ast.ClassDef) -> Iterator[_Result]:
    keywords = {k.arg: k.value for k in node.keywords}
    if "group_name" in keywords:  # a GroupCog: its docstring describes the group
        text = _string(keywords.get("group_description")) or inspect.cleandoc(
            ast.get_docstring(node) or ""
        )
    elif any(_name(base) == "Group" for base in node.bases):
        text = _string(keywords.get("description")) or _shorten(ast.get_docstring(node) or "")
    else:
        return
    if text:
        yield node.lineno, "_", text, [LIMIT_NOTE]


def command_strings(tree: ast.AST) -> Iterator[_Result]:
    """Yield the descriptions and choice names discord.py sends for commands in ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _command_description(node)
        elif isinstance(node, ast.ClassDef):
            yield from _group_description(node)
        elif isinstance(node, ast.Call) and _name(node) in {"Choice", "Group"}:
            if _name(node) == "Choice":
                name = _keyword(node, "name") or (_string(node.args[0]) if node.args else None)
                if name:
                    yield node.lineno, "pgettext", (CHOICE, name), [LIMIT_NOTE]
            elif (text := _keyword(node, "description")) is not None:
                yield node.lineno, "_", text, [LIMIT_NOTE]
