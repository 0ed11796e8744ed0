"""One writer per announcement: reaction events queue up and are applied in batches.

While one batch's transaction runs, the next events gather in the queue; the next
batch takes them all (group commit). Arrival order is kept, so the waitlist is fair,
and a burst of thousands costs a handful of transactions rather than one each.
A reconcile request travels through the same queue, so it never races live events.

No answer is dropped: a batch that fails stays at the head of its queue and is tried
again with backoff, ahead of the events that came after it. If the database stays
away for every attempt, the queued events collapse into one reconcile of the
announcement that remembers who reacted in which order, retried until it succeeds.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Final

from db.rsvps import ReactionChange

log = logging.getLogger("gugbot.rsvp")

# Large enough that a burst needs few transactions, small enough to keep each one short.
BATCH_MAX: Final = 2000
# Events one announcement keeps while its database is away; beyond this they are
# dropped and the announcement is reconciled (the reactions are still on Discord).
KEPT_MAX: Final = 50_000


@dataclass(frozen=True)
class Retry:
    """How a failed batch is tried again: delays double from ``first`` up to ``cap``."""

    first: float = 0.1
    cap: float = 5.0
    attempts: int = 10  # about half a minute before the events collapse into a reconcile

    def delay(self, attempt: int) -> float:
        """Return the pause after failed attempt number ``attempt`` (0-based)."""
        return min(self.cap, self.first * 2**attempt)


@dataclass(frozen=True)
class Reconcile:
    """Queue marker: re-read the announcement's reactions here, in order.

    ``arrival`` lists people in the order their reactions arrived, when that order
    is known but was not written (it decides who waits, among new answers).
    """

    arrival: tuple[int, ...] = ()


@dataclass(frozen=True)
class Clear:
    """Queue marker: a moderator cleared the reactions of ``answer`` (None: all of them)."""

    answer: str | None = None


RECONCILE: Final = Reconcile()
Item = ReactionChange | Reconcile | Clear
BatchHandler = Callable[[int, list[ReactionChange]], Awaitable[None]]
ReconcileHandler = Callable[[int, Sequence[int]], Awaitable[None]]
ClearHandler = Callable[[int, str | None], Awaitable[None]]


class RsvpWriters:
    """Queues and writer tasks, one per announcement message."""

    def __init__(
        self,
        apply_batch: BatchHandler,
        reconcile: ReconcileHandler,
        clear: ClearHandler,
        batch_max: int = BATCH_MAX,
        retry: Retry | None = None,
        kept_max: int = KEPT_MAX,
    ) -> None:
        self._apply_batch = apply_batch
        self._reconcile = reconcile
        self._clear = clear
        self._batch_max = batch_max
        self.retry = retry or Retry()  # public: tests shorten it
        self._kept_max = kept_max
        self._queues: dict[int, deque[Item]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._overflowed: set[int] = set()
        self._writing: dict[int, int] = {}  # message → events at its head being written
        self.batches = 0
        self.retries = 0
        # For the benchmark: when the last event arrived and the last batch finished.
        self.last_submit = 0.0
        self.last_batch_done = 0.0

    def submit(self, message_id: int, item: Item) -> None:
        """Queue an event for the announcement; start its writer if none is running."""
        queue = self._queues.get(message_id)
        if queue is None:
            queue = self._queues[message_id] = deque()
        if len(queue) >= self._kept_max and not isinstance(item, Reconcile):
            if message_id not in self._overflowed:
                self._overflowed.add(message_id)
                log.error(
                    "RSVP writer for message %s keeps %d events already; later ones are "
                    "dropped and the announcement will be reconciled", message_id, len(queue),
                )
        else:
            queue.append(item)
        self.last_submit = time.perf_counter()
        if message_id not in self._tasks:
            self._tasks[message_id] = asyncio.create_task(self._drain(message_id, queue))

    def pending(
        self, message_id: int, user_id: int, answer: str | None = None, *, later: bool = False
    ) -> bool:
        """Tell whether an event about a reaction of ``user_id`` is not yet written.

        ``answer`` narrows it to that answer's reaction; ``later`` to events queued
        behind the batch being written (the one whose follow-up asks).
        """
        queue = self._queues.get(message_id, ())
        skip = self._writing.get(message_id, 0) if later else 0
        return any(
            isinstance(item, ReactionChange) and item.user_id == user_id
            and answer in (None, item.answer)
            for item in itertools.islice(queue, skip, None)
        )

    async def _drain(self, message_id: int, queue: deque[Item]) -> None:
        try:
            while queue:
                head = queue[0]
                if isinstance(head, Reconcile):
                    await self._until_done(message_id, queue, head)
                    queue.popleft()
                else:
                    await self._write_head(message_id, queue)
                if message_id in self._overflowed and not any(
                    isinstance(item, Reconcile) for item in queue
                ):
                    self._overflowed.discard(message_id)
                    queue.append(RECONCILE)
        finally:
            # Same step as the emptiness check above: no event can slip in between.
            self._tasks.pop(message_id, None)
            if not queue:
                self._queues.pop(message_id, None)

    async def _write_head(self, message_id: int, queue: deque[Item]) -> None:
        """Write the events at the head: a batch of changes, or a clear alone."""
        # They stay queued until written: a retry takes the same events, in order.
        head = queue[0]
        taken: int
        work: Callable[[], Awaitable[None]]
        if isinstance(head, Clear):
            taken, work = 1, lambda: self._clear(message_id, head.answer)
        else:
            batch: list[ReactionChange] = []
            for item in itertools.islice(queue, self._batch_max):
                if not isinstance(item, ReactionChange):
                    break
                batch.append(item)
            self.batches += 1
            taken, work = len(batch), lambda: self._apply_batch(message_id, batch)
        self._writing[message_id] = taken
        try:
            written = await self._attempts(message_id, work)
        finally:
            del self._writing[message_id]
        if written:
            for _ in range(taken):
                queue.popleft()
            self.last_batch_done = time.perf_counter()
            return
        kept = [item for item in queue if isinstance(item, ReactionChange)]
        log.error(
            "RSVP writer for message %s: the database failed %d attempts; its %d queued "
            "events become a reconcile of the announcement that keeps their order",
            message_id, self.retry.attempts, len(kept),
        )
        arrival = tuple(dict.fromkeys(change.user_id for change in kept if change.added))
        queue.clear()
        queue.append(Reconcile(arrival))

    async def _until_done(self, message_id: int, queue: deque[Item], head: Reconcile) -> None:
        """Run a reconcile until it succeeds: it is safe to repeat and repairs everything."""
        def work() -> Awaitable[None]:
            return self._reconcile(message_id, head.arrival)

        while not await self._attempts(message_id, work):
            log.error(
                "RSVP writer for message %s: reconcile failed %d attempts; %d events wait "
                "behind it", message_id, self.retry.attempts, len(queue) - 1,
            )

    async def _attempts(self, message_id: int, work: Callable[[], Awaitable[None]]) -> bool:
        """Try ``work`` with backoff; True once it succeeds, False after every attempt failed."""
        for attempt in range(self.retry.attempts):
            try:
                await work()
            except Exception:
                self.retries += 1
                delay = self.retry.delay(attempt)
                # The first failure with its traceback; the rest only say it goes on.
                log.log(
                    logging.WARNING if attempt else logging.ERROR,
                    "RSVP writer for message %s failed (attempt %d); trying again in %.1fs",
                    message_id, attempt + 1, delay, exc_info=not attempt,
                )
                await asyncio.sleep(delay)
            else:
                return True
        return False

    async def idle(self) -> None:
        """Wait until every queue is drained."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def close(self) -> None:
        """Stop the writers (on shutdown; reconcile at next start catches up)."""
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
