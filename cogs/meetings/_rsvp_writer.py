"""One writer per announcement: reaction events queue up and are applied in batches.

While one batch's transaction runs, the next events gather in the queue; the next
batch takes them all (group commit). Arrival order is kept, so the waitlist is fair,
and a burst of thousands costs a handful of transactions rather than one each.
A reconcile request travels through the same queue, so it never races live events.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Final

from db.rsvps import ReactionChange

log = logging.getLogger("gugbot.rsvp")

# Large enough that a burst needs few transactions, small enough to keep each one short.
BATCH_MAX: Final = 2000


class _Reconcile:
    """Queue marker: re-read the announcement's reactions here, in order."""


RECONCILE: Final = _Reconcile()
Item = ReactionChange | _Reconcile
BatchHandler = Callable[[int, list[ReactionChange]], Awaitable[None]]
ReconcileHandler = Callable[[int], Awaitable[None]]


class RsvpWriters:
    """Queues and writer tasks, one per announcement message."""

    def __init__(
        self, apply_batch: BatchHandler, reconcile: ReconcileHandler, batch_max: int = BATCH_MAX
    ) -> None:
        self._apply_batch = apply_batch
        self._reconcile = reconcile
        self._batch_max = batch_max
        self._queues: dict[int, deque[Item]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self.batches = 0
        # For the benchmark: when the last event arrived and the last batch finished.
        self.last_submit = 0.0
        self.last_batch_done = 0.0

    def submit(self, message_id: int, item: Item) -> None:
        """Queue an event for the announcement; start its writer if none is running."""
        queue = self._queues.get(message_id)
        if queue is None:
            queue = self._queues[message_id] = deque()
        queue.append(item)
        self.last_submit = time.perf_counter()
        if message_id not in self._tasks:
            self._tasks[message_id] = asyncio.create_task(self._drain(message_id, queue))

    async def _drain(self, message_id: int, queue: deque[Item]) -> None:
        try:
            while queue:
                if isinstance(queue[0], _Reconcile):
                    queue.popleft()
                    await self._guarded(self._reconcile(message_id), message_id)
                    continue
                batch: list[ReactionChange] = []
                while queue and len(batch) < self._batch_max:
                    item = queue[0]
                    if isinstance(item, _Reconcile):
                        break
                    batch.append(item)
                    queue.popleft()
                self.batches += 1
                await self._guarded(self._apply_batch(message_id, batch), message_id)
                self.last_batch_done = time.perf_counter()
        finally:
            # Same step as the emptiness check above: no event can slip in between.
            self._tasks.pop(message_id, None)
            if not queue:
                self._queues.pop(message_id, None)

    async def _guarded(self, work: Awaitable[None], message_id: int) -> None:
        try:
            await work
        except Exception:
            # Reconcile on the next ready repairs whatever this batch failed to record.
            log.exception("RSVP writer for message %s failed a batch", message_id)

    async def idle(self) -> None:
        """Wait until every queue is drained."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def close(self) -> None:
        """Stop the writers (on shutdown; reconcile at next start catches up)."""
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
