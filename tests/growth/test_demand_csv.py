"""/coord demand's CSV: cells a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import pytest

from cogs.interest._interest import spreadsheet_safe


@pytest.mark.parametrize("cell", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_starting_like_a_formula_are_quoted(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


def test_ordinary_cells_are_kept() -> None:
    assert spreadsheet_safe("São Paulo") == "São Paulo"
