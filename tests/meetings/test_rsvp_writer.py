"""The RSVP writer: arrival order, group commit, reconcile in line, no answer dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from cogs.meetings._rsvp_writer import RECONCILE, Clear, Retry, RsvpWriters
from db.rsvps import ReactionChange

QUICK = Retry(first=0.001, cap=0.002, attempts=3)


def going(user: int) -> ReactionChange:
    return ReactionChange(user, "going", True)


async def no_clear(_message: int, _answer: str | None) -> None:
    raise AssertionError("not asked")


async def test_events_queued_during_a_batch_form_the_next_batch_in_order() -> None:
    seen: list[list[int]] = []

    async def apply(_message: int, batch: list[ReactionChange]) -> None:
        seen.append([change.user_id for change in batch])
        await asyncio.sleep(0.01)  # the transaction; more events arrive meanwhile

    async def reconcile(_message: int, _arrival: Sequence[int]) -> None:
        raise AssertionError("not asked")

    writers = RsvpWriters(apply, reconcile, no_clear)
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

    async def reconcile(_message: int, _arrival: Sequence[int]) -> None:
        pass

    writers = RsvpWriters(apply, reconcile, no_clear, batch_max=100)
    for user in range(250):
        writers.submit(1, going(user))
    await writers.idle()
    assert sizes == [100, 100, 50]


async def test_reconcile_runs_between_the_events_around_it() -> None:
    log: list[str] = []

    async def apply(_message: int, batch: list[ReactionChange]) -> None:
        log.append(",".join(str(change.user_id) for change in batch))

    async def reconcile(_message: int, _arrival: Sequence[int]) -> None:
        log.append("reconcile")

    writers = RsvpWriters(apply, reconcile, no_clear)
    writers.submit(1, going(1))
    writers.submit(1, going(2))
    writers.submit(1, RECONCILE)
    writers.submit(1, going(3))
    await writers.idle()
    assert log == ["1,2", "reconcile", "3"]


async def test_a_failed_batch_is_retried_ahead_of_later_events_in_the_same_order() -> None:
    applied: dict[int, list[int]] = {1: [], 2: []}
    failures = [2]  # message 1's second batch fails twice, then the database is back

    async def apply(message: int, batch: list[ReactionChange]) -> None:
        if message == 1 and batch[0].user_id == 13 and failures[0]:
            failures[0] -= 1
            raise RuntimeError("database is locked")
        applied[message] += [change.user_id for change in batch]

    writers = RsvpWriters(apply, reconcile_never, no_clear, batch_max=1, retry=QUICK)
    for user in (11, 13, 15):
        writers.submit(1, going(user))
        writers.submit(2, going(user + 100))
    await writers.idle()
    assert applied == {1: [11, 13, 15], 2: [111, 113, 115]}
    assert writers.retries == 2


async def reconcile_never(_message: int, _arrival: Sequence[int]) -> None:
    raise AssertionError("not asked")


async def test_when_every_attempt_fails_the_events_become_a_reconcile_keeping_their_order() -> None:
    reconciled: list[tuple[int, list[int]]] = []
    down = [True]

    async def apply(_message: int, _batch: list[ReactionChange]) -> None:
        if down[0]:
            raise RuntimeError("database unavailable")

    async def reconcile(message: int, arrival: Sequence[int]) -> None:
        if len(reconciled) == 0 and down[0]:
            down[0] = False  # the first reconcile attempt fails too, then it is back
            raise RuntimeError("database unavailable")
        reconciled.append((message, list(arrival)))

    writers = RsvpWriters(apply, reconcile, no_clear, batch_max=2, retry=QUICK)
    for user in (5, 3, 9):
        writers.submit(1, going(user))
    writers.submit(1, ReactionChange(3, "going", False))
    await writers.idle()
    assert reconciled == [(1, [5, 3, 9])]


async def test_a_clear_runs_alone_between_the_events_around_it() -> None:
    log: list[str] = []

    async def apply(_message: int, batch: list[ReactionChange]) -> None:
        log.append(",".join(str(change.user_id) for change in batch))

    async def clear(_message: int, answer: str | None) -> None:
        log.append(f"clear {answer}")

    writers = RsvpWriters(apply, reconcile_never, clear)
    writers.submit(1, going(1))
    writers.submit(1, Clear())
    writers.submit(1, going(2))
    writers.submit(1, Clear("maybe"))
    await writers.idle()
    assert log == ["1", "clear None", "2", "clear maybe"]


async def test_pending_tells_an_unwritten_event_about_a_reaction() -> None:
    release = asyncio.Event()

    async def apply(_message: int, _batch: list[ReactionChange]) -> None:
        await release.wait()

    writers = RsvpWriters(apply, reconcile_never, no_clear)
    writers.submit(1, going(7))
    await asyncio.sleep(0)
    assert writers.pending(1, 7, "going")  # in the batch being written
    assert not writers.pending(1, 7, "maybe") and not writers.pending(2, 7, "going")
    assert not writers.pending(1, 7, later=True)
    writers.submit(1, ReactionChange(7, "maybe", True))
    assert writers.pending(1, 7, later=True) and writers.pending(1, 7, "maybe", later=True)
    release.set()
    await writers.idle()
    assert not writers.pending(1, 7, "going")
