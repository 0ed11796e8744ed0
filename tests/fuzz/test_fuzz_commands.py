"""Every slash command, with generated values, keeps every invariant (see harness.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import PROFILE
from tests.fuzz.harness import Fuzz

pytestmark = pytest.mark.asyncio(loop_scope="module")

# Listed so each gets its own examples (at least 1,000 under `make fuzz`).
COMMANDS = [
    "about", "findgroup",
    "group propose", "group info", "group list", "group join", "group leave", "group edit",
    "group organizer-add", "group organizer-remove",
    "coord pending", "coord approve", "coord reject", "coord archive", "coord restore",
    "coord repair", "coord stats", "coord announce", "coord demand",
    "meeting create", "meeting edit", "meeting cancel", "meeting announce", "meeting list",
    "meeting recap", "meeting attendees", "meeting ics",
    "talk propose", "talk accept", "talk decline",
    "reminders offsets", "reminders dm",
    "interest add", "interest list", "interest remove",
    "speaker offer", "speaker offers", "speaker withdraw", "speaker find", "speaker invite",
    "privacy export", "privacy forget-me",
    "setup coordinator-role", "setup category", "setup coordinator-channel", "setup directory",
    "setup min-backers", "setup highlights-channel",
]


@pytest.mark.parametrize("path", COMMANDS)
@settings(PROFILE)
@given(data=st.data())
async def test_command_keeps_the_invariants(fuzz: Fuzz, path: str, data: st.DataObject) -> None:
    commands = fuzz.commands()
    assert path in commands, f"/{path} is not synced any more; drop it from COMMANDS"
    await fuzz.command(data, path, commands[path])


async def test_every_synced_command_is_fuzzed(fuzz: Fuzz) -> None:
    assert sorted(fuzz.commands()) == sorted(COMMANDS), "list new commands in COMMANDS"
