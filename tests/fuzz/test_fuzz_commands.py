"""Every slash command, with generated values, keeps every invariant (see harness.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import PROFILE
from tests.fuzz.harness import Fuzz

pytestmark = pytest.mark.asyncio(loop_scope="module")

# Listed so each gets its own examples; commands added later are fuzzed by the last test.
COMMANDS = [
    "about", "findgroup", "group propose", "group info", "group list", "group join",
    "group leave", "group edit", "group organizer-add", "group organizer-remove",
    "coord pending", "coord approve", "coord reject", "coord archive", "coord stats",
    "coord announce", "meeting create", "meeting edit", "meeting cancel", "meeting list",
    "meeting attendees", "talk propose", "talk accept", "talk decline", "reminders offsets",
    "reminders dm", "setup coordinator-role", "setup category", "setup coordinator-channel",
]


@pytest.mark.parametrize("path", COMMANDS)
@settings(PROFILE)
@given(data=st.data())
async def test_command_keeps_the_invariants(fuzz: Fuzz, path: str, data: st.DataObject) -> None:
    commands = fuzz.commands()
    assert path in commands, f"/{path} is not synced any more; drop it from COMMANDS"
    await fuzz.command(data, path, commands[path])


@settings(PROFILE)
@given(data=st.data())
async def test_commands_added_later_keep_the_invariants(fuzz: Fuzz, data: st.DataObject) -> None:
    commands = fuzz.commands()
    assert len(commands) >= len(COMMANDS)
    unlisted = sorted(set(commands) - set(COMMANDS))
    path = data.draw(st.sampled_from(unlisted or COMMANDS), label="command")
    await fuzz.command(data, path, commands[path])
