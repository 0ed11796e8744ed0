"""Faults on demand for REST routes: 429s, 5xx answers and slow responses."""

from __future__ import annotations

import fnmatch
import time
from collections import deque
from dataclasses import dataclass


@dataclass
class Fault:
    """One planned fault for requests matching `method` and the glob `path`."""

    method: str
    path: str
    kind: str  # "429", "5xx" or "delay"
    times: int
    status: int = 429
    retry_after: float = 0.05
    is_global: bool = False
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        """Whether a request (path after /api/v10) hits this fault."""
        return (self.method in ("*", method)) and fnmatch.fnmatchcase(path, self.path)


class Faults:
    """The planned faults; each answers `times` matching requests, then is spent."""

    def __init__(self) -> None:
        self.planned: list[Fault] = []
        # Discord's global limit (requests per second per token), when enforced.
        self.global_per_second: int | None = None
        self._recent: deque[float] = deque()

    def enforce_global_limit(self, per_second: int | None = 50) -> None:
        """Answer 429 (global) to requests beyond ``per_second`` in any one second."""
        self.global_per_second = per_second
        self._recent.clear()

    def global_wait(self, now: float | None = None) -> float:
        """Count a request against the global limit; return how long it must wait, or 0."""
        if self.global_per_second is None:
            return 0.0
        now = time.monotonic() if now is None else now
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.global_per_second:
            return self._recent[0] + 1.0 - now
        self._recent.append(now)
        return 0.0

    def rate_limit(
        self, method: str, path: str, *, times: int = 1, retry_after: float = 0.05,
        is_global: bool = False,
    ) -> Fault:
        """Answer the next `times` matching requests with 429 (with `Via`, `retry_after`)."""
        return self._add(Fault(method, path, "429", times, 429, retry_after, is_global))

    def server_error(self, method: str, path: str, *, times: int = 1, status: int = 500) -> Fault:
        """Answer the next `times` matching requests with a 5xx status."""
        return self._add(Fault(method, path, "5xx", times, status))

    def slow(self, method: str, path: str, *, delay: float, times: int = 1) -> Fault:
        """Delay the next `times` matching responses by `delay` seconds."""
        return self._add(Fault(method, path, "delay", times, delay=delay))

    def clear(self) -> None:
        """Forget every planned fault."""
        self.planned.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """Return and spend the first fault matching a request, if any."""
        for fault in self.planned:
            if fault.times > 0 and fault.matches(method, path):
                fault.times -= 1
                if fault.times == 0:
                    self.planned.remove(fault)
                return fault
        return None

    def _add(self, fault: Fault) -> Fault:
        self.planned.append(fault)
        return fault
