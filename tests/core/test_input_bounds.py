"""Inputs nobody thought of get a clear refusal, never an OverflowError or ValueError."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.durations import DurationError, parse_duration, parse_offsets
from core.ids import row_id
from core.text import spreadsheet_cell
from core.when import MAX_AHEAD, WhenError, echo_when, group_zone, parse_when

NOW = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["America/Montevideo", "Asia/Tokyo", "UTC", "Pacific/Kiritimati",
                                  "Pacific/Pago_Pago"])
@pytest.mark.parametrize("text", ["9999-12-31 23:00", "9999-12-31 00:30", "0001-01-01 00:00"])
def test_dates_at_the_ends_of_the_calendar_are_refused_in_any_zone(zone: str, text: str) -> None:
    with pytest.raises(WhenError):
        parse_when(text, zone, NOW)


def test_the_when_autocomplete_explains_year_9999_instead_of_raising() -> None:
    assert "two years" in echo_when("9999-12-31 23:00", "America/Montevideo", NOW)


def test_a_meeting_at_most_two_years_ahead_is_accepted_and_later_refused() -> None:
    inside = (NOW + MAX_AHEAD - timedelta(days=1)).strftime("%Y-%m-%d 12:00")
    outside = (NOW + MAX_AHEAD + timedelta(days=2)).strftime("%Y-%m-%d 12:00")
    assert parse_when(inside, "UTC", NOW).utc <= NOW + MAX_AHEAD
    with pytest.raises(WhenError, match="two years"):
        parse_when(outside, "UTC", NOW)


@pytest.mark.parametrize("text", ["99999999999d", "99999999999999999999h", "1d99999999999d"])
def test_a_huge_duration_is_a_duration_error(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)
    with pytest.raises(DurationError):
        parse_offsets(f"1h,{text}")


@pytest.mark.parametrize("name", ["America", "America/", "../../etc/passwd", "/etc/localtime",
                                  "x" * 300, "", "\x00", "Europe/../../..", "𝔘𝔗ℭ"])
def test_a_zone_that_is_a_path_or_garbage_falls_back_to_utc(name: str) -> None:
    assert group_zone(name).key == "UTC"


@pytest.mark.parametrize("text", ["²", "١٢", "99999999999999999999", "9223372036854775808",
                                  "0", "-1", "1e3", " 12", "１２"])
def test_text_that_is_not_a_plain_row_id_reads_as_none(text: str) -> None:
    assert row_id(text) is None


def test_plain_ascii_ids_in_the_64_bit_range_are_row_ids() -> None:
    assert row_id("42") == 42
    assert row_id("9223372036854775807") == 2**63 - 1


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)",
                                   "\tx", "\rx"])
def test_spreadsheet_formulas_are_neutralised(value: str) -> None:
    assert spreadsheet_cell(value) == "'" + value


def test_ordinary_cells_are_kept() -> None:
    assert spreadsheet_cell("GUG Montevideo") == "GUG Montevideo"
    assert spreadsheet_cell(12) == "12"
