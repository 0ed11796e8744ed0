"""Rank talk offers against a typed topic, forgiving accents and typos like /findgroup."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.text import fold

# A word scoring below this against every word of an offer does not count as found;
# 75 lets "kubernets" find "kubernetes" (94) and "pyton" find "python" (91) but keeps
# "rust" from finding "test" (50). A typed word of 3 letters or more also finds the
# words it begins ("kube" finds "kubernetes"), as autocomplete users expect.
WORD_CUTOFF = 75.0
# An offer must find at least this share of the typed words to be listed.
MATCH_CUTOFF = 0.5
# A word found only in the description counts for less than one in the topic.
DESCRIPTION_WEIGHT = 0.7
_WORDS = re.compile(r"[a-z0-9+#]+")


@dataclass(frozen=True)
class OfferText:
    """The searchable text of one offer."""

    offer_id: int
    topic: str
    description: str


def words(text: str) -> list[str]:
    """Return the folded words of ``text``: "Kubernetes en producción" → [kubernetes, en, …]."""
    return _WORDS.findall(fold(text))


def _best(word: str, candidates: list[str]) -> float:
    from rapidfuzz import fuzz  # imported on first use: not needed to start (core.typos)

    best = 0.0
    for candidate in candidates:
        if candidate.startswith(word) and len(word) >= 3:
            return 100.0
        best = max(best, fuzz.ratio(word, candidate))
    return best if best >= WORD_CUTOFF else 0.0


def score_offer(query_words: list[str], offer: OfferText) -> float:
    """Score an offer from 0 to 1: the mean, over typed words, of how well each is found."""
    if not query_words:
        return 0.0
    topic = words(offer.topic)
    description = words(offer.description)
    total = 0.0
    for word in query_words:
        in_topic = _best(word, topic)
        in_description = _best(word, description) * DESCRIPTION_WEIGHT
        total += max(in_topic, in_description) / 100.0
    return total / len(query_words)


def rank_offers(query: str, offers: Iterable[OfferText], limit: int) -> list[tuple[int, float]]:
    """Return up to ``limit`` (offer id, score) pairs matching ``query``, best first.

    Ties keep the order the offers came in (the caller passes newest first).
    """
    query_words = words(query)
    scored = [(offer.offer_id, score_offer(query_words, offer)) for offer in offers]
    kept = [pair for pair in scored if pair[1] >= MATCH_CUTOFF]
    kept.sort(key=lambda pair: -pair[1])
    return kept[:limit]
