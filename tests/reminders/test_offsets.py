"""The offsets option: what an organizer may type, and how it is stored."""

from __future__ import annotations

from typing import Any, cast

import pytest

from cogs.reminders._reminders import Offsets
from core.errors import InvalidInput

NO_INTERACTION = cast(Any, None)  # the transformer reads only the typed value


async def test_typed_offsets_are_stored_normalised() -> None:
    assert await Offsets().transform(NO_INTERACTION, " 1D, 1h ") == "1d,1h"


@pytest.mark.parametrize("typed", ["1w", "10s", "soon", ""])
async def test_offsets_in_other_units_or_unreadable_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await Offsets().transform(NO_INTERACTION, typed)
    assert refused.value.message == "Use offsets like `1d,1h` or `30m` (units d, h, m)."


async def test_more_than_five_offsets_are_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        await Offsets().transform(NO_INTERACTION, "1d,12h,6h,3h,1h,30m")
    assert refused.value.params == {"count": 5}
