"""Dates, durations, distances, counts and lists in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.formats import (
    duration_in_words,
    format_count,
    format_distance,
    format_list,
    local_datetime,
    meetings,
    members,
)

# Tue 1 Dec 2026 02:45 UTC is Monday evening in Argentina (UTC-3).
MOMENT = datetime(2026, 12, 1, 2, 45, tzinfo=UTC)
ROSARIO = "America/Argentina/Cordoba"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("es-419", "lunes, 30 de noviembre de 2026, 23:45 (hora de Argentina)"),
        ("es-ES", "lunes, 30 de noviembre de 2026, 23:45 (hora de Argentina)"),
        ("pt-BR", "segunda-feira, 30 de novembro de 2026 23:45 (Horário da Argentina)"),
        ("en-US", "Monday, November 30, 2026, 11:45\u202fPM (Argentina Time)"),
    ],
)
def test_local_time_line_reads_in_the_readers_language(locale: str, expected: str) -> None:
    assert local_datetime(MOMENT, ROSARIO, locale) == expected


def test_a_group_on_utc_names_utc_rather_than_an_unknown_region() -> None:
    assert local_datetime(MOMENT, "UTC", "es").endswith("2:45 (UTC)")


def test_an_unknown_locale_reads_english() -> None:
    assert local_datetime(MOMENT, ROSARIO, "fr") == local_datetime(MOMENT, ROSARIO, "en-US")


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (timedelta(hours=2), "en", "2 hours"),
        (timedelta(minutes=90), "es", "1 hora y 30 minutos"),
        (timedelta(minutes=90), "pt-BR", "1 hora e 30 minutos"),
        (timedelta(days=1, minutes=5), "es", "1 día y 5 minutos"),
        (timedelta(minutes=1), "pt-BR", "1 minuto"),
        (timedelta(0), "en", "0 minutes"),
    ],
)
def test_durations_are_written_in_words_of_the_language(value: timedelta, locale: str, expected: str) -> None:
    assert duration_in_words(value, locale) == expected


@pytest.mark.parametrize(
    ("km", "locale", "expected"),
    [(465.4, "es", "465 km"), (1234.0, "pt-BR", "1.234 km"), (1234.0, "en", "1,234 km")],
)
def test_distances_are_whole_kilometres(km: float, locale: str, expected: str) -> None:
    assert format_distance(km, locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"), [("en", "12,345"), ("es-419", "12.345"), ("pt-BR", "12.345")]
)
def test_counts_use_grouping_separators(locale: str, expected: str) -> None:
    assert format_count(12345, locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Rosario, Córdoba, and Montevideo"), ("es", "Rosario, Córdoba y Montevideo"),
     ("pt-BR", "Rosario, Córdoba e Montevideo")],
)
def test_lists_join_like_the_language(locale: str, expected: str) -> None:
    assert format_list(["Rosario", "Córdoba", "Montevideo"], locale) == expected


@pytest.mark.parametrize(
    ("n", "locale", "expected"),
    [
        (1, "en", "1 member"), (2, "en", "2 members"),
        (1, "es-ES", "1 miembro"), (2, "es-ES", "2 miembros"),
        (1, "pt-BR", "1 membro"), (2, "pt-BR", "2 membros"), (1500, "pt-BR", "1.500 membros"),
    ],
)
def test_member_counts_agree_in_number(n: int, locale: str, expected: str) -> None:
    assert members(n, locale) == expected


def test_meeting_counts_agree_in_number() -> None:
    assert [meetings(n, "pt-BR") for n in (1, 3)] == ["1 encontro", "3 encontros"]
    assert [meetings(n, "es") for n in (1, 3)] == ["1 reunión", "3 reuniones"]
    assert [meetings(n) for n in (1, 3)] == ["1 meeting", "3 meetings"]
