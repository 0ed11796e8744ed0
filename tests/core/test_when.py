"""Reading `when`: ISO and natural phrases in English and Spanish, DST, past times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.when import WhenError, describe_local, echo_when, parse_when

# Monday 7 Dec 2026, 10:00 in Santiago (UTC-3 in summer).
NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
ZONE = "America/Santiago"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-10 19:00", "2026-12-10 19:00"),
        ("next thursday 7pm", "2026-12-10 19:00"),
        ("thursday at 19:00", "2026-12-10 19:00"),
        ("jueves 19:00", "2026-12-10 19:00"),
        ("el jueves a las 19", "2026-12-10 19:00"),
        ("mañana a las 18", "2026-12-08 18:00"),
        ("tomorrow 6pm", "2026-12-08 18:00"),
        ("sábado 20hs", "2026-12-12 20:00"),
        ("viernes 20:30", "2026-12-11 20:30"),
    ],
)
def test_when_is_read_in_the_group_zone(text: str, expected: str) -> None:
    when = parse_when(text, ZONE, NOW)
    assert when.local.strftime("%Y-%m-%d %H:%M") == expected
    assert when.local.tzinfo is not None and when.zone == ZONE


def test_when_converts_to_utc_with_the_zone_offset() -> None:
    when = parse_when("2026-12-10 19:00", ZONE, NOW)
    assert when.utc == datetime(2026, 12, 10, 22, 0, tzinfo=UTC)


def test_a_time_skipped_at_spring_forward_is_refused() -> None:
    # Chile moves 00:00 → 01:00 on Sunday 5 Sep 2027.
    with pytest.raises(WhenError, match="does not exist"):
        parse_when("2027-09-05 00:30", ZONE, NOW)


def test_a_time_repeated_at_fall_back_is_refused() -> None:
    # Chile moves 00:00 → 23:00 on Sunday 4 Apr 2027: 23:30 on the 3rd happens twice.
    with pytest.raises(WhenError, match="happens twice"):
        parse_when("2027-04-03 23:30", ZONE, NOW)


def test_times_next_to_a_dst_change_are_accepted() -> None:
    assert parse_when("2027-09-05 01:30", ZONE, NOW).utc == datetime(
        2027, 9, 5, 4, 30, tzinfo=UTC
    )
    assert parse_when("2027-04-03 22:30", ZONE, NOW).utc == datetime(
        2027, 4, 4, 1, 30, tzinfo=UTC
    )


def test_a_past_time_is_refused() -> None:
    with pytest.raises(WhenError, match="in the past"):
        parse_when("2026-12-01 19:00", ZONE, NOW)


@pytest.mark.parametrize("text", ["blah", "", "x" * 200])
def test_unreadable_text_is_refused(text: str) -> None:
    with pytest.raises(WhenError):
        parse_when(text, ZONE, NOW)


def test_echo_says_how_the_text_was_understood() -> None:
    assert echo_when("2026-12-10 19:00", "America/Montevideo", NOW) == (
        "Thu 10 Dec 2026, 19:00 America/Montevideo"
    )


def test_echo_says_what_is_wrong() -> None:
    assert "does not exist" in echo_when("2027-09-05 00:30", ZONE, NOW)


def test_local_description_in_spanish() -> None:
    moment = datetime(2026, 12, 10, 22, 0, tzinfo=UTC)
    assert describe_local(moment, ZONE, "es-ES") == "jue 10 dic 2026, 19:00 America/Santiago"


def test_seconds_typed_explicitly_are_kept() -> None:
    from datetime import UTC, datetime

    from core.when import parse_when

    now = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    assert parse_when("2026-11-28 05:20:30", "America/Argentina/Cordoba", now).local.second == 30
    assert parse_when("2026-11-28 05:20", "America/Argentina/Cordoba", now).local.second == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quinta 19h", "2026-12-10 19:00"),
        ("quinta-feira 19h30", "2026-12-10 19:30"),
        ("amanhã às 19:00", "2026-12-08 19:00"),
        ("amanhã às 19h", "2026-12-08 19:00"),
        ("próxima sexta 18:30", "2026-12-11 18:30"),
        ("próximo sábado 20h", "2026-12-12 20:00"),
        ("na terça às 19", "2026-12-08 19:00"),
        ("hoje 19h", "2026-12-07 19:00"),
    ],
)
def test_when_is_read_in_portuguese(text: str, expected: str) -> None:
    assert parse_when(text, ZONE, NOW).local.strftime("%Y-%m-%d %H:%M") == expected


def test_a_duration_in_hours_stays_relative() -> None:
    # "19h" is a time of day, but "in 2h" is two hours from now (10:00 in Santiago).
    assert parse_when("in 2h", ZONE, NOW).local.strftime("%H:%M") == "12:00"


def test_echo_reads_in_portuguese() -> None:
    assert echo_when("quinta 19h", "America/Sao_Paulo", NOW, "pt-BR") == (
        "qui. 10 dez. 2026, 19:00 America/Sao_Paulo"
    )


def test_echo_explains_a_mistake_in_the_readers_language() -> None:
    assert echo_when("2026-12-01 19:00", ZONE, NOW, "pt-BR") == (
        "2026-12-01 19:00 em America/Santiago já passou. "
        "Os encontros precisam começar no futuro."
    )
    assert echo_when("blah", ZONE, NOW, "es-419").startswith("No pude entender “blah”")
