"""Every autocomplete, typed into with generated values, keeps every invariant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import PROFILE
from tests.fuzz.harness import Fuzz

pytestmark = pytest.mark.asyncio(loop_scope="module")


# One test covers every autocomplete option, so it gets the examples of several commands.
@settings(PROFILE, max_examples=PROFILE.max_examples * 10)
@given(data=st.data())
async def test_autocomplete_keeps_the_invariants(fuzz: Fuzz, data: st.DataObject) -> None:
    commands = fuzz.commands()
    targets = sorted((path, option["name"]) for path, options in commands.items()
                     for option in options if option.get("autocomplete"))
    assert targets, "no command autocompletes any more"
    path, name = data.draw(st.sampled_from(targets), label="option")
    options = commands[path]
    focused = next(option for option in options if option["name"] == name)
    await fuzz.autocomplete(data, path, options, focused)
