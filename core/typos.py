"""Find known keys within a few typos of a typed one, fast enough for every keystroke."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


class TypoMatcher:
    """Keys bucketed by length: a ratio of ``cutoff`` bounds how much lengths may differ.

    rapidfuzz's ratio is 2·matches / (len1 + len2), so at most 2·min / (len1 + len2);
    comparing only against keys of a length that could reach the cutoff skips most of
    them (with 30,000 keys, ten times fewer comparisons).
    """

    def __init__(self, keys: Iterable[str]) -> None:
        buckets: dict[int, list[str]] = defaultdict(list)
        for key in dict.fromkeys(keys):
            buckets[len(key)].append(key)
        self._buckets = dict(buckets)

    def close_to(self, key: str, cutoff: float, limit: int) -> list[tuple[str, float]]:
        """Return up to ``limit`` (key, score) pairs scoring at least ``cutoff``, best first."""
        # Imported on first use (numpy alone is 16 MiB): most bots see no typo for hours.
        import numpy as np
        from rapidfuzz import fuzz, process

        found: list[tuple[str, float]] = []
        size = len(key)
        for length, bucket in self._buckets.items():
            if 200.0 * min(size, length) / (size + length) < cutoff:
                continue
            # cdist scores a whole bucket in one call (SIMD for short strings), about half
            # the time of extract(), which keeps a heap of results in Python objects.
            scores = process.cdist(
                [key], bucket, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float32
            )[0]
            found.extend((bucket[i], float(scores[i])) for i in np.flatnonzero(scores).tolist())
        found.sort(key=lambda pair: -pair[1])
        return found[:limit]
