from __future__ import annotations

from datetime import timedelta

import pytest

from core.durations import DurationError, format_offsets, parse_duration, parse_offsets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", timedelta(hours=2)),
        ("1d2h30m", timedelta(days=1, hours=2, minutes=30)),
        ("90s", timedelta(seconds=90)),
        (" 30M ", timedelta(minutes=30)),
    ],
)
def test_durations_are_read(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "2", "h", "2x", "-1h", "1h-", "one hour"])
def test_malformed_durations_are_refused(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


def test_offsets_are_sorted_largest_first_without_repeats() -> None:
    offsets = parse_offsets("30m, 1d,2d,30m")
    assert offsets == [timedelta(days=2), timedelta(days=1), timedelta(minutes=30)]
    assert format_offsets(offsets) == "2d,1d,30m"


@pytest.mark.parametrize("text", ["", ",", "0m", "1d,abc"])
def test_bad_offsets_are_refused(text: str) -> None:
    with pytest.raises(DurationError):
        parse_offsets(text)
