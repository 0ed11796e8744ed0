"""The RSVP writer: arrival order, group commit, reconcile in line with live events."""

from __future__ import annotations

import asyncio

from cogs.meetings._rsvp_writer import RECONCILE, RsvpWriters
from db.rsvps import ReactionChange


def going(user: int) -> ReactionChange:
    return ReactionChange(user, "going", True)


async def test_events_queued_during_a_batch_form_the_next_batch_in_order() -> None:
    seen: list[list[int]] = []

    async def apply(_message: int, batch: list[ReactionChange]) -> None:
        seen.append([change.user_id for change in batch])
        await asyncio.sleep(0.01)  # the transaction; more events arrive meanwhile

    async def reconcile(_message: int) -> None:
        raise AssertionError("not asked")

    writers = RsvpWriters(apply, reconcile)
    writers.submit(1, going(0))
    await asyncio.sleep(0)  # the writer starts on the first event
    for user in range(1, 500):
        writers.submit(1, going(user))
    await writers.idle()
    assert [user for batch in seen for user in batch] == list(range(500))
    assert len(seen) == 2


async def test_batches_are_capped() -> None:
    sizes: list[int] = []

    async def apply(_message: int, batch: list[ReactionChange]) -> None:
        sizes.append(len(batch))

    async def reconcile(_message: int) -> None:
        pass

    writers = RsvpWriters(apply, reconcile, batch_max=100)
    for user in range(250):
        writers.submit(1, going(user))
    await writers.idle()
    assert sizes == [100, 100, 50]


async def test_reconcile_runs_between_the_events_around_it() -> None:
    log: list[str] = []

    async def apply(_message: int, batch: list[ReactionChange]) -> None:
        log.append(",".join(str(change.user_id) for change in batch))

    async def reconcile(_message: int) -> None:
        log.append("reconcile")

    writers = RsvpWriters(apply, reconcile)
    writers.submit(1, going(1))
    writers.submit(1, going(2))
    writers.submit(1, RECONCILE)
    writers.submit(1, going(3))
    await writers.idle()
    assert log == ["1,2", "reconcile", "3"]


async def test_each_announcement_has_its_own_writer_and_a_failure_does_not_stop_it() -> None:
    applied: dict[int, list[int]] = {1: [], 2: []}

    async def apply(message: int, batch: list[ReactionChange]) -> None:
        if batch[0].user_id == 13:
            raise RuntimeError("database hiccup")
        applied[message] += [change.user_id for change in batch]

    async def reconcile(_message: int) -> None:
        pass

    writers = RsvpWriters(apply, reconcile, batch_max=1)
    for user in (11, 13, 15):
        writers.submit(1, going(user))
        writers.submit(2, going(user + 100))
    await writers.idle()
    assert applied == {1: [11, 15], 2: [111, 113, 115]}
