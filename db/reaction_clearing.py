"""Reactions cleared by a moderator: the answers they carried are withdrawn.

Discord sends MESSAGE_REACTION_REMOVE_ALL (every reaction) and
MESSAGE_REACTION_REMOVE_EMOJI (one emoji, normal and super alike) with no per-user
events, so without these the answers would stand until the next reconcile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from db.engine import Database
from db.meetings import Counts, count_rsvps
from db.rsvps import ANSWERS, answer_of, withdraw_answers


@dataclass(frozen=True)
class ClearedAnswers:
    """What clearing reactions did: who lost their answer, who got a place, the new counts."""

    applied: bool
    withdrawn: list[int] = field(default_factory=list)
    promoted: list[int] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)


async def _clear(
    db: Database, meeting_id: int, answers: tuple[str, ...], now: datetime
) -> ClearedAnswers:
    async with db.transaction() as session:
        outcome = await withdraw_answers(session, meeting_id, now=now, answers=answers)
        if not outcome.applied:
            return ClearedAnswers(applied=False)
        counts = await count_rsvps(session, meeting_id)
    return ClearedAnswers(True, outcome.withdrawn, outcome.promoted, counts)


async def withdraw_all_answers(db: Database, meeting_id: int, *, now: datetime) -> ClearedAnswers:
    """Withdraw every answer to the meeting: all reactions were removed from its announcement."""
    return await _clear(db, meeting_id, ANSWERS, now)


async def withdraw_answers_for(
    db: Database, meeting_id: int, status: str, *, now: datetime
) -> ClearedAnswers:
    """Withdraw the answers one emoji carried (``status``; the waitlist is "going" too)."""
    answer = answer_of(status)
    if answer not in ANSWERS:
        raise ValueError(f"not an answer: {status!r}")
    return await _clear(db, meeting_id, (answer,), now)
