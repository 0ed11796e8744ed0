"""RSVPs: apply reaction changes in batches with the capacity and waitlist rules.

One call is one transaction however many changes it carries (group commit): a burst
of thousands of reactions costs a handful of transactions, in arrival order, so the
waitlist keeps the order people reacted in. The rules live in ``_Ledger`` so that live
reactions, reconciliation and capacity edits all decide the same way.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import Database
from db.models import Meeting, MeetingStatus, Rsvp, RsvpStatus

# The table itself, for Core bulk statements.
RSVP_TABLE = cast(Table, Rsvp.__table__)
# What a reaction can say; WAITLIST is GOING beyond capacity, never chosen directly.
ANSWERS = (RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING)
# When someone has several reactions on an announcement, the one that counts.
PREFERENCE: dict[str, int] = {RsvpStatus.GOING: 0, RsvpStatus.MAYBE: 1, RsvpStatus.NOT_GOING: 2}


def answer_of(status: str) -> str:
    """Return the reaction a status stands for: a waitlisted person reacted "going"."""
    return RsvpStatus.GOING if status == RsvpStatus.WAITLIST else status


@dataclass(frozen=True)
class ReactionChange:
    """One reaction event: ``user_id`` added or removed the reaction meaning ``answer``."""

    user_id: int
    answer: str
    added: bool


@dataclass
class RsvpOutcome:
    """What a batch changed that people must be told, or the bot must tidy up."""

    applied: bool = True
    changed: bool = False
    promoted: list[int] = field(default_factory=list)
    # Newly waitlisted people and their place (1 = next in line), as the batch ended.
    waitlisted: dict[int, int] = field(default_factory=dict)
    # (user, answer) whose earlier reaction was replaced and may be removed.
    replaced: list[tuple[int, str]] = field(default_factory=list)
    # The answer each replaced person ended the batch with (None: withdrawn).
    current: dict[int, str | None] = field(default_factory=dict)


@dataclass
class _Entry:
    id: int | None
    status: str
    position: int
    dirty: bool = False


class _Ledger:
    """A meeting's answers in memory while one transaction decides changes."""

    def __init__(self, meeting: Meeting, rows: Iterable[tuple[int, int, str, int]]) -> None:
        self.capacity = meeting.capacity
        self.sequence = int(meeting.rsvp_sequence or 0)
        self.entries: dict[int, _Entry] = {}
        self.deleted: list[int] = []
        self.waiting: list[tuple[int, int]] = []  # heap of (position, user)
        self.going = 0
        self.outcome = RsvpOutcome()
        self._newly_waitlisted: set[int] = set()
        for row_id, user_id, status, position in rows:
            self.entries[user_id] = _Entry(row_id, status, int(position))
            if status == RsvpStatus.GOING:
                self.going += 1
            elif status == RsvpStatus.WAITLIST:
                self.waiting.append((int(position), user_id))
        heapq.heapify(self.waiting)

    def _has_room(self) -> bool:
        return self.capacity is None or self.going < self.capacity

    def answer(self, user_id: int, answer: str) -> None:
        """Record ``answer`` as the user's one answer, replacing any other."""
        current = self.entries.get(user_id)
        if current is not None and answer_of(current.status) == answer:
            return  # The same reaction again (a replay, or a normal plus a super reaction).
        old = current.status if current is not None else None
        self.sequence += 1
        status = answer
        if answer == RsvpStatus.GOING and not self._has_room():
            status = RsvpStatus.WAITLIST
        if current is None:
            self.entries[user_id] = _Entry(None, status, self.sequence, dirty=True)
        else:
            current.status, current.position, current.dirty = status, self.sequence, True
        if status == RsvpStatus.GOING:
            self.going += 1
        elif status == RsvpStatus.WAITLIST:
            heapq.heappush(self.waiting, (self.sequence, user_id))
            self._newly_waitlisted.add(user_id)
        self.outcome.changed = True
        if old is not None:
            self.outcome.replaced.append((user_id, answer_of(old)))
            if old == RsvpStatus.GOING:
                self.going -= 1
                self.promote()

    def withdraw(self, user_id: int, answer: str) -> None:
        """Forget the user's answer if it is the one whose reaction was removed."""
        current = self.entries.get(user_id)
        if current is None or answer_of(current.status) != answer:
            return  # E.g. the bot removing the old reaction after a change of mind.
        del self.entries[user_id]
        if current.id is not None:
            self.deleted.append(current.id)
        self.outcome.changed = True
        if current.status == RsvpStatus.GOING:
            self.going -= 1
            self.promote()

    def promote(self) -> None:
        """Move the first in line to going while there is room."""
        while self.waiting and self._has_room():
            position, user_id = heapq.heappop(self.waiting)
            entry = self.entries.get(user_id)
            if entry is None or entry.status != RsvpStatus.WAITLIST or entry.position != position:
                continue  # A stale heap item: they left or changed their answer since.
            entry.status, entry.dirty = RsvpStatus.GOING, True
            self.going += 1
            self.outcome.changed = True
            self.outcome.promoted.append(user_id)

    def finish(self) -> RsvpOutcome:
        """Settle who to tell: promotions that held, and final waitlist places."""
        outcome = self.outcome
        outcome.promoted = [
            user for user in dict.fromkeys(outcome.promoted)
            if (entry := self.entries.get(user)) is not None and entry.status == RsvpStatus.GOING
        ]
        line = sorted(
            (entry.position, user)
            for user, entry in self.entries.items()
            if entry.status == RsvpStatus.WAITLIST
        )
        for place, (_, user) in enumerate(line, start=1):
            if user in self._newly_waitlisted:
                outcome.waitlisted[user] = place
        for user, _answer in outcome.replaced:
            entry = self.entries.get(user)
            outcome.current[user] = answer_of(entry.status) if entry is not None else None
        return outcome

    async def write(self, session: AsyncSession, meeting: Meeting, now: datetime) -> None:
        """Write every decided change with a few bulk statements."""
        if self.deleted:
            await session.execute(delete(Rsvp).where(Rsvp.id.in_(self.deleted)))
        new_rows = []
        changed_rows = []
        for user_id, entry in self.entries.items():
            if not entry.dirty:
                continue
            values = {"status": entry.status, "position": entry.position, "answered_at": now}
            if entry.id is None:
                new_rows.append({"meeting_id": meeting.id, "user_id": user_id, **values})
            else:
                changed_rows.append({"id": entry.id, **values})
        # Core statements on the table: executemany without the ORM's per-row bookkeeping.
        table = RSVP_TABLE
        if changed_rows:
            await session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values(
                    status=bindparam("status"),
                    position=bindparam("position"),
                    answered_at=bindparam("answered_at"),
                ),
                [{"row_id": row.pop("id"), **row} for row in changed_rows],
            )
        if new_rows:
            await session.execute(insert(table), new_rows)
        if self.sequence != meeting.rsvp_sequence:
            await session.execute(
                update(Meeting)
                .where(Meeting.id == meeting.id)
                .values(rsvp_sequence=self.sequence)
            )


async def _open_ledger(session: AsyncSession, meeting_id: int) -> tuple[Meeting, _Ledger] | None:
    # FOR UPDATE: on PostgreSQL two writers of one meeting (two processes) queue here.
    meeting = await session.scalar(
        select(Meeting).where(Meeting.id == meeting_id).with_for_update()
    )
    if meeting is None:
        return None
    rows = await session.execute(
        select(Rsvp.id, Rsvp.user_id, Rsvp.status, Rsvp.position).where(
            Rsvp.meeting_id == meeting_id
        )
    )
    return meeting, _Ledger(meeting, rows.all())


def _accepts_answers(meeting: Meeting, now: datetime) -> bool:
    return meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at > now


async def apply_reactions(
    db: Database, meeting_id: int, changes: Sequence[ReactionChange], *, now: datetime
) -> RsvpOutcome:
    """Apply reaction changes in arrival order, in one transaction.

    Reactions on a cancelled or started meeting are ignored (``applied`` is False).
    """
    async with db.transaction() as session:
        opened = await _open_ledger(session, meeting_id)
        if opened is None or not _accepts_answers(opened[0], now):
            return RsvpOutcome(applied=False)
        meeting, ledger = opened
        for change in changes:
            if change.answer not in ANSWERS:
                raise ValueError(f"not an answer: {change.answer!r}")
            if change.added:
                ledger.answer(change.user_id, change.answer)
            else:
                ledger.withdraw(change.user_id, change.answer)
        outcome = ledger.finish()
        await ledger.write(session, meeting, now)
    return outcome


async def set_rsvp(
    db: Database, meeting_id: int, user_id: int, answer: str, *, now: datetime
) -> RsvpOutcome:
    """Record one person's answer (a batch of one)."""
    return await apply_reactions(db, meeting_id, [ReactionChange(user_id, answer, True)], now=now)


async def reconcile_rsvps(
    db: Database, meeting_id: int, present: Mapping[str, Collection[int]], *, now: datetime
) -> RsvpOutcome:
    """Make the answers match the reactions actually on the announcement.

    ``present`` maps each answer to who has that reaction now (normal or super).
    Answers whose reaction is gone are withdrawn first, so freed places go to those
    already waiting; then new reactions count, in the order listed. Someone with
    several reactions keeps their recorded answer if it is among them, else the most
    committed one; the others are reported as replaced.
    """
    reactions: dict[int, set[str]] = {}
    for answer, users in present.items():
        for user_id in users:
            reactions.setdefault(user_id, set()).add(answer)
    async with db.transaction() as session:
        opened = await _open_ledger(session, meeting_id)
        if opened is None or not _accepts_answers(opened[0], now):
            return RsvpOutcome(applied=False)
        meeting, ledger = opened
        gone = sorted(
            (entry.position, user_id, answer_of(entry.status))
            for user_id, entry in ledger.entries.items()
            if answer_of(entry.status) not in reactions.get(user_id, set())
        )
        for _, user_id, answer in gone:
            ledger.withdraw(user_id, answer)
        for user_id, answers in reactions.items():
            entry = ledger.entries.get(user_id)
            keep = answer_of(entry.status) if entry is not None else None
            chosen = keep if keep in answers else min(answers, key=PREFERENCE.__getitem__)
            assert chosen is not None
            ledger.answer(user_id, chosen)
            for extra in sorted(answers - {chosen}):
                ledger.outcome.replaced.append((user_id, extra))
        outcome = ledger.finish()
        await ledger.write(session, meeting, now)
    return outcome


async def promote_from_waitlist(session: AsyncSession, meeting: Meeting) -> list[int]:
    """Promote waiting people into free places (after a capacity change), in order."""
    rows = await session.execute(
        select(Rsvp.id, Rsvp.user_id, Rsvp.status, Rsvp.position).where(
            Rsvp.meeting_id == meeting.id
        )
    )
    ledger = _Ledger(meeting, rows.all())
    ledger.promote()
    outcome = ledger.finish()
    changed_rows = [
        {"id": entry.id, "status": entry.status}
        for entry in ledger.entries.values()
        if entry.dirty and entry.id is not None
    ]
    if changed_rows:
        await session.execute(update(Rsvp), changed_rows)
    return outcome.promoted


async def rsvp_status(db: Database, meeting_id: int, user_id: int) -> str | None:
    """Return one person's answer to a meeting, or None."""
    async with db.read() as session:
        status = await session.scalar(
            select(Rsvp.status).where(Rsvp.meeting_id == meeting_id, Rsvp.user_id == user_id)
        )
    return None if status is None else str(status)
