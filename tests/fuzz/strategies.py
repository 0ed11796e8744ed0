"""Values a new user (or a forged client) might send, as Hypothesis strategies.

Option values are chosen by the option's name and type, the way the command tree
declares them: ids of this server's rows, of other servers' and of deleted ones; text
of every Unicode category and of every length up to past Discord's limits; dates
from year 1 to 9999; zone names that are paths; spreadsheet formulas; mentions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hypothesis import strategies as st

# Strings people paste: markup, mentions, formulas, direction marks, overlong numbers.
NASTY = [
    "", " ", "\n", "\t", "0", "-1", "²", "١٢", "１２", "99999999999999999999",
    "9223372036854775808", "1e309", "NaN", "None", "null", "@everyone", "@here", "<@1>",
    "<@&1>", "<#1>", "**bold** __u__ ~~s~~ ||spoiler|| `code` ```block```", "# Heading",
    "[link](https://evil.example)", "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1",
    "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR", "\u202eRTL override", "مرحبا بالعالم",
    "שלום", "\u200b\u200c\u200d\ufeff", "e\u0301\u0301\u0301", "👩‍👩‍👧‍👦🇺🇾", "\x00\x01\x1b[31m",
    "%s%d{0}{name}", "'; DROP TABLE groups; --", "../../etc/passwd", "/etc/localtime",
    "America", "Europe/", "x" * 300, "ｍｏｎｔｅｖｉｄｅｏ", "İstanbul", "ß", "\ud7ff",
]
LIMITS = [0, 1, 45, 46, 80, 81, 100, 101, 256, 257, 1000, 1024, 1025, 2000, 2001, 4096, 4097,
          6001]


@cache  # strategies are immutable; building one per draw cost 40% of a run
def unicode_text(max_size: int = 120) -> st.SearchStrategy[str]:
    """Text from every Unicode category but surrogates (JSON cannot carry those)."""
    return st.text(st.characters(blacklist_categories=("Cs",)), max_size=max_size)


@cache
def long_text() -> st.SearchStrategy[str]:
    """Text at and just past each of Discord's limits, of one or mixed characters."""
    return st.builds(
        lambda size, char: (char * size)[:size],
        st.sampled_from(LIMITS),
        st.sampled_from(["x", "é", "👍", "ab ", "\u200b", "=", "@"]),
    )


@cache
def any_text() -> st.SearchStrategy[str]:
    """Anything typed into a string option."""
    return st.one_of(st.sampled_from(NASTY), unicode_text(), long_text())


@cache
def dates() -> st.SearchStrategy[str]:
    """Dates and times from year 1 to 9999 as people write them, and phrases."""
    moment = st.datetimes()  # naive, from year 1 to 9999: the text a person types
    formats = st.sampled_from(["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S",
                               "%d %B %Y %H:%M", "%Y-%m-%d %H:%M -03:00"])
    written = st.builds(lambda m, f: m.strftime(f), moment, formats)
    phrases = st.sampled_from(["tomorrow 19:00", "next thursday 7pm", "in 2 hours",
                               "mañana a las 18", "9999-12-31 23:00", "0001-01-01 00:00",
                               "2026-03-08 02:30", "yesterday", "now", "in 100 years"])
    return st.one_of(written, phrases, any_text())


@cache
def durations() -> st.SearchStrategy[str]:
    """Durations and offset lists, from sensible to overflowing."""
    one = st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 10**20),
                    st.sampled_from("dhmsDHMx"))
    many = st.lists(one, min_size=1, max_size=5).map(",".join)
    return st.one_of(one, many, st.sampled_from(["99999999999d", "1d,1h", "-1h", "0m",
                                                 "1h30m", "", ","]), any_text())


ZONES = ["America/Montevideo", "Asia/Tokyo", "Europe/Madrid", "America/Santiago",
         "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe", "UTC", "Etc/GMT+12",
         "America", "America/", "../../../etc/passwd", "/etc/localtime", "x" * 300, "utc",
         "Factory", "posixrules", "\x00", "Europe/../Europe/Madrid"]


@cache
def zones() -> st.SearchStrategy[str]:
    """Zone names with and without DST, and paths or garbage."""
    return st.one_of(st.sampled_from(ZONES), any_text())


@cache
def urls() -> st.SearchStrategy[str]:
    """Links, real and not."""
    return st.one_of(st.sampled_from([
        "https://meet.example/abc", "http://x", "javascript:alert(1)", "https://" + "a" * 600,
        "ftp://x", "https://evil.example/@everyone",
    ]), any_text())


@dataclass
class Ids:
    """Row ids worth trying for each kind of option: good ones, foreign ones, deleted ones."""

    groups: list[int] = field(default_factory=list)
    meetings: list[int] = field(default_factory=list)
    talks: list[int] = field(default_factory=list)
    foreign: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    # The meeting reactions are tried on: no option is drawn from it, so no example
    # cancels it or archives its group (the seeded ones above often are).
    answered: int = 0


@cache
def row_ids(own: tuple[int, ...], foreign: tuple[int, ...]) -> st.SearchStrategy[str]:
    """An id as autocomplete sends it, or a forged or typed one (``foreign``: other servers'
    and deleted rows)."""
    numbers = [*own, *foreign, 0, 2**63 - 1, 2**63, 2**64 + 1]
    return st.one_of(st.sampled_from(numbers).map(str), any_text(),
                     st.integers(-(2**70), 2**70).map(str))


@cache
def integers() -> st.SearchStrategy[int]:
    """Integers at and beyond 64 bits (Discord's range check may be bypassed)."""
    return st.one_of(st.sampled_from([0, 1, -1, 100_000, 100_001, 2**31, 2**53, 2**63 - 1,
                                      2**63, 2**64]), st.integers(-(2**70), 2**70))


def value_for(option: dict[str, Any], ids: Ids, refs: list[Any]) -> st.SearchStrategy[Any]:
    """A value for one option, by its type and name (``refs``: users, roles or channels)."""
    kind, name = option["type"], option["name"]
    if option.get("choices"):
        return st.sampled_from([choice["value"] for choice in option["choices"]])
    if kind == 4:
        return integers()
    if kind == 10:
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == 5:
        return st.booleans()
    if kind in (6, 7, 8, 9):
        return st.sampled_from(refs)
    foreign = (*ids.foreign, *ids.deleted)
    by_name: dict[str, Callable[[], st.SearchStrategy[str]]] = {
        "group": lambda: row_ids(tuple(ids.groups), foreign),
        "meeting": lambda: row_ids(tuple(ids.meetings), foreign),
        "talk": lambda: row_ids(tuple(ids.talks), foreign),
        "when": dates,
        "duration": durations,
        "offsets": durations,
        "timezone": zones,
        "online_url": urls,
    }
    return by_name.get(name, any_text)()
