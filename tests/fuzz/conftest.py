"""One running bot + sandbox shared by every fuzz example, seeded with rows worth hitting.

Profiles: `quick` (default, CI) and `long` (`make fuzz`: GUGBOT_FUZZ_PROFILE=long runs at
least 1,000 examples per command).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings
from sqlalchemy import func, select

from bot.settings import DatabaseSettings, DiscordSettings, Secret, Settings
from db.models import Group, Meeting
from db.talks import propose_talk
from sandbox.driver import Sandbox
from tests.conftest import sqlite_copy
from tests.factories import make_group, make_meeting
from tests.fuzz.harness import RUN, Fuzz
from tests.fuzz.strategies import Ids
from tests.support.group_steps import configure, propose
from tests.support.gug import Gug, with_overrides
from tests.support.meeting_steps import FAST_EDITS, create_meeting, group_for, when_in

FOREIGN_GUILD = 4242

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                              HealthCheck.function_scoped_fixture],
}
settings.register_profile("quick", max_examples=4, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=1000, **_COMMON)
PROFILE = settings(
    settings.get_profile(os.environ.get("GUGBOT_FUZZ_PROFILE", "quick")),
    # GUGBOT_FUZZ_EXAMPLES=N overrides the profile's count (a longer or shorter hunt).
    **({"max_examples": int(os.environ["GUGBOT_FUZZ_EXAMPLES"])}
       if os.environ.get("GUGBOT_FUZZ_EXAMPLES") else {}),
)


async def _seed(gug: Gug) -> Ids:
    """Rows of every state here, and of another server, for the options to name."""
    sb = gug.sb
    await configure(gug)
    active = await group_for(gug)
    await propose(gug, "bob", "GUG Lima", "Lima", "Peru")
    archived = await make_group(gug.db, guild_id=sb.world.guild.id, name="GUG Old",
                                status="archived", organizer_ids=[sb.user("alice").id])
    foreign = await make_group(gug.db, guild_id=FOREIGN_GUILD, name="GUG Elsewhere")
    foreign_meeting = await make_meeting(gug.db, foreign)
    _, meeting_id = await create_meeting(gug)
    assert meeting_id is not None
    answered = await _meeting_to_answer(gug)
    talk = await propose_talk(gug.db, meeting_id, sb.user("bob").id, "Async Python", "",
                              now=gug.clock.now())
    async with gug.db.read() as session:
        highest = await session.scalar(select(func.max(Group.id))) or 0
    return Ids(
        groups=[active.id, archived.id, highest], meetings=[meeting_id], talks=[talk.id],
        foreign=[foreign.id, foreign_meeting.id], deleted=[highest + 1000, meeting_id + 1000],
        answered=answered,
    )


async def _meeting_to_answer(gug: Gug) -> int:
    """An announced meeting of a group of its own, for the examples' reactions."""
    sb = gug.sb
    group = await make_group(
        gug.db, guild_id=sb.world.guild.id, name="GUG Reactions", city="Lima", country="Peru",
        timezone="America/Lima", channel_id=sb.channel("general").id,
        organizer_ids=[sb.user("alice").id],
    )
    reply = await sb.command("alice", "meeting create", group=str(group.id), title="Answers",
                             when=when_in(), kind="mixed", timeout=10)
    assert "Scheduled" in reply.text, reply.text
    async with gug.db.read() as session:
        meeting_id = await session.scalar(select(Meeting.id).where(Meeting.title == "Answers"))
    assert meeting_id is not None
    return meeting_id


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fuzz(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> AsyncIterator[Fuzz]:
    """The shared, seeded bot for a module's examples."""
    directory = tmp_path_factory.mktemp("fuzz")
    async with Sandbox.start() as sb:
        settings_ = Settings(
            discord=DiscordSettings(token=Secret(sb.token), api_base=sb.base_url,
                                    guild_ready_timeout=0.05),
            database=DatabaseSettings(url=sqlite_copy(sqlite_template, directory),
                                      data_dir=directory),
        )
        gug = Gug(sb, with_overrides(settings_, FAST_EDITS))
        await gug.start()
        try:
            yield Fuzz(gug, await _seed(gug))
        finally:
            await gug.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep one shard's share of the tests when GUGBOT_FUZZ_SHARD=i/n (`make fuzz`, per core)."""
    shard = os.environ.get("GUGBOT_FUZZ_SHARD")
    if shard:
        index, count = (int(part) for part in shard.split("/"))
        items[:] = [item for number, item in enumerate(items) if number % count == index]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many examples each command, autocomplete, button and modal got."""
    if RUN:
        terminalreporter.section("fuzz examples run")
        for what, count in sorted(RUN.items()):
            terminalreporter.write_line(f"{count:6d}  {what}")
