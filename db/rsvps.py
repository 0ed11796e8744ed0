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

from sqlalchemy import Select, Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import Database
from db.models import Group, GroupStatus, Meeting, MeetingStatus, Rsvp, RsvpStatus

# The table itself, for Core bulk statements.
RSVP_TABLE = cast(Table, Rsvp.__table__)
# What a reaction can say; WAITLIST is GOING beyond capacity, never chosen directly.
ANSWERS = (RsvpStatus.GOING, RsvpStatus.MAYBE, RsvpStatus.NOT_GOING)
# When someone has several reactions on an announcement, the one that counts.
PREFERENCE: dict[str, int] = {RsvpStatus.GOING: 0, RsvpStatus.MAYBE: 1, RsvpStatus.NOT_GOING: 2}
# Rsvp.reaction_kinds bits: which reactions of the answer's emoji hold it. Discord lists
# normal and super (burst) reactions separately; one person may have both at once.
REACTION_NORMAL = 1
REACTION_SUPER = 2
EVERY_REACTION = REACTION_NORMAL | REACTION_SUPER


def answer_of(status: str) -> str:
    """Return the reaction a status stands for: a waitlisted person reacted "going"."""
    return RsvpStatus.GOING if status == RsvpStatus.WAITLIST else status


@dataclass(frozen=True)
class ReactionChange:
    """One reaction event: ``user_id`` added or removed the reaction meaning ``answer``."""

    user_id: int
    answer: str
    added: bool
    # A super reaction (Discord's "burst"); it and a normal one of the same emoji are one answer.
    burst: bool = False

    @property
    def kind(self) -> int:
        """Return the reaction kind bit this event is about."""
        return REACTION_SUPER if self.burst else REACTION_NORMAL


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
    # People whose answer was withdrawn, in the order it happened.
    withdrawn: list[int] = field(default_factory=list)


@dataclass
class _Entry:
    id: int | None
    status: str
    position: int
    kinds: int
    dirty: bool = False
    kinds_dirty: bool = False


class _Ledger:
    """A meeting's answers in memory while one transaction decides changes."""

    def __init__(self, meeting: Meeting, rows: Iterable[tuple[int, int, str, int, int]]) -> None:
        self.capacity = meeting.capacity
        self.sequence = int(meeting.rsvp_sequence or 0)
        self.entries: dict[int, _Entry] = {}
        self.deleted: list[int] = []
        self.waiting: list[tuple[int, int]] = []  # heap of (position, user)
        self.going = 0
        self.outcome = RsvpOutcome()
        self._newly_waitlisted: set[int] = set()
        for row_id, user_id, status, position, kinds in rows:
            self.entries[user_id] = _Entry(row_id, status, int(position), int(kinds))
            if status == RsvpStatus.GOING:
                self.going += 1
            elif status == RsvpStatus.WAITLIST:
                self.waiting.append((int(position), user_id))
        heapq.heapify(self.waiting)

    def _has_room(self) -> bool:
        return self.capacity is None or self.going < self.capacity

    def answer(self, user_id: int, answer: str, kinds: int = REACTION_NORMAL) -> None:
        """Record ``answer`` (held by reactions ``kinds``) as the user's one answer."""
        current = self.entries.get(user_id)
        if current is not None and answer_of(current.status) == answer:
            # The same answer again: a replay, the other kind of the same emoji, or the
            # first reaction on a re-posted announcement to an answer carried over (kinds 0).
            if current.kinds | kinds != current.kinds:
                current.kinds |= kinds
                current.kinds_dirty = True
            return
        old = current.status if current is not None else None
        self.sequence += 1
        status = answer
        if answer == RsvpStatus.GOING and not self._has_room():
            status = RsvpStatus.WAITLIST
        if current is None:
            self.entries[user_id] = _Entry(None, status, self.sequence, kinds, dirty=True)
        else:
            current.status, current.position, current.dirty = status, self.sequence, True
            current.kinds = kinds
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

    def withdraw(self, user_id: int, answer: str, kinds: int = EVERY_REACTION) -> None:
        """Forget the user's answer if it is the one whose reaction (of ``kinds``) was removed.

        While a reaction of the other kind still holds the answer, it stands.
        """
        current = self.entries.get(user_id)
        if current is None or answer_of(current.status) != answer:
            return  # E.g. the bot removing the old reaction after a change of mind.
        remaining = current.kinds & ~kinds
        if remaining:
            if remaining != current.kinds:
                current.kinds, current.kinds_dirty = remaining, True
            return
        del self.entries[user_id]
        if current.id is not None:
            self.deleted.append(current.id)
        self.outcome.changed = True
        self.outcome.withdrawn.append(user_id)
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
            values = {
                "status": entry.status,
                "position": entry.position,
                "reaction_kinds": entry.kinds,
                "answered_at": now,
            }
            if entry.id is None:
                new_rows.append({"meeting_id": meeting.id, "user_id": user_id, **values})
            else:
                changed_rows.append({"id": entry.id, **values})
        # The answer stands and only the reactions holding it changed: keep its time.
        kinds_rows = [
            {"row_id": entry.id, "reaction_kinds": entry.kinds}
            for entry in self.entries.values()
            if entry.kinds_dirty and not entry.dirty and entry.id is not None
        ]
        # Core statements on the table: executemany without the ORM's per-row bookkeeping.
        table = RSVP_TABLE
        if changed_rows:
            await session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values(
                    status=bindparam("status"),
                    position=bindparam("position"),
                    reaction_kinds=bindparam("reaction_kinds"),
                    answered_at=bindparam("answered_at"),
                ),
                [{"row_id": row.pop("id"), **row} for row in changed_rows],
            )
        if kinds_rows:
            await session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values(reaction_kinds=bindparam("reaction_kinds")),
                kinds_rows,
            )
        if new_rows:
            await session.execute(insert(table), new_rows)
        if self.sequence != meeting.rsvp_sequence:
            await session.execute(
                update(Meeting)
                .where(Meeting.id == meeting.id)
                .values(rsvp_sequence=self.sequence)
            )


def _ledger_rows(meeting_id: int) -> Select[int, int, str, int, int]:
    return select(Rsvp.id, Rsvp.user_id, Rsvp.status, Rsvp.position, Rsvp.reaction_kinds).where(
        Rsvp.meeting_id == meeting_id
    )


async def _open_ledger(
    session: AsyncSession, meeting_id: int, now: datetime
) -> tuple[Meeting, _Ledger] | None:
    """Lock a meeting that takes answers and read its ledger; None if it takes none."""
    # FOR UPDATE: on PostgreSQL two writers of one meeting (two processes) queue here.
    found = (
        await session.execute(
            select(Meeting, Group.status)
            .join(Group, Group.id == Meeting.group_id)
            .where(Meeting.id == meeting_id)
            .with_for_update(of=Meeting)
        )
    ).first()
    if found is None:
        return None
    meeting, group_status = found
    # An archived group's meetings are closed even if one escaped the archive's cancel.
    if group_status != GroupStatus.ACTIVE or not _accepts_answers(meeting, now):
        return None
    rows = await session.execute(_ledger_rows(meeting_id))
    return meeting, _Ledger(meeting, rows.all())


def _accepts_answers(meeting: Meeting, now: datetime) -> bool:
    return meeting.status == MeetingStatus.SCHEDULED and meeting.starts_at > now


async def apply_reactions(
    db: Database, meeting_id: int, changes: Sequence[ReactionChange], *, now: datetime
) -> RsvpOutcome:
    """Apply reaction changes in arrival order, in one transaction.

    Reactions on a cancelled or started meeting, or one of a group that is no longer
    active, are ignored (``applied`` is False).
    """
    async with db.transaction() as session:
        opened = await _open_ledger(session, meeting_id, now)
        if opened is None:
            return RsvpOutcome(applied=False)
        meeting, ledger = opened
        for change in changes:
            if change.answer not in ANSWERS:
                raise ValueError(f"not an answer: {change.answer!r}")
            if change.added:
                ledger.answer(change.user_id, change.answer, change.kind)
            else:
                ledger.withdraw(change.user_id, change.answer, change.kind)
        outcome = ledger.finish()
        await ledger.write(session, meeting, now)
    return outcome


async def set_rsvp(
    db: Database, meeting_id: int, user_id: int, answer: str, *, now: datetime
) -> RsvpOutcome:
    """Record one person's answer (a batch of one)."""
    return await apply_reactions(db, meeting_id, [ReactionChange(user_id, answer, True)], now=now)


async def reconcile_rsvps(
    db: Database,
    meeting_id: int,
    present: Mapping[str, Collection[int]],
    *,
    now: datetime,
    burst: Mapping[str, Collection[int]] | None = None,
) -> RsvpOutcome:
    """Make the answers match the reactions actually on the announcement.

    ``present`` maps each answer to who has that reaction now: normal or super when
    ``burst`` is None (the kinds holding a new answer are then unknown), else normal
    only, with ``burst`` listing the super ones.
    Answers whose reaction is gone are withdrawn first, so freed places go to those
    already waiting; with ``burst``, an answer held by no reaction on this message
    (carried over from an earlier announcement) stands until its person reacts. Then
    new reactions count, in the order listed. Someone with several reactions keeps
    their recorded answer if it is among them, else the most committed one; the
    others are reported as replaced.
    """
    reactions: dict[int, set[str]] = {}
    kinds: dict[tuple[int, str], int] = {}
    for listing, kind in ((present, REACTION_NORMAL), (burst or {}, REACTION_SUPER)):
        for answer, users in listing.items():
            for user_id in users:
                reactions.setdefault(user_id, set()).add(answer)
                kinds[user_id, answer] = kinds.get((user_id, answer), 0) | kind
    async with db.transaction() as session:
        opened = await _open_ledger(session, meeting_id, now)
        if opened is None:
            return RsvpOutcome(applied=False)
        meeting, ledger = opened
        gone = sorted(
            (entry.position, user_id, answer_of(entry.status))
            for user_id, entry in ledger.entries.items()
            if answer_of(entry.status) not in reactions.get(user_id, set())
            and (burst is None or entry.kinds)
        )
        for _, user_id, answer in gone:
            ledger.withdraw(user_id, answer)
        for user_id, answers in reactions.items():
            entry = ledger.entries.get(user_id)
            keep = answer_of(entry.status) if entry is not None else None
            chosen = keep if keep in answers else min(answers, key=PREFERENCE.__getitem__)
            assert chosen is not None
            held_by = kinds[user_id, chosen] if burst is not None else 0
            if entry is not None and keep == chosen:
                if burst is not None and entry.kinds != held_by:
                    entry.kinds, entry.kinds_dirty = held_by, True
            else:
                ledger.answer(user_id, chosen, held_by)
            for extra in sorted(answers - {chosen}):
                ledger.outcome.replaced.append((user_id, extra))
        outcome = ledger.finish()
        await ledger.write(session, meeting, now)
    return outcome


async def promote_from_waitlist(session: AsyncSession, meeting: Meeting) -> list[int]:
    """Promote waiting people into free places (after a capacity change), in order."""
    rows = await session.execute(_ledger_rows(meeting.id))
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


async def withdraw_answers(
    session: AsyncSession,
    meeting_id: int,
    *,
    now: datetime,
    answers: Collection[str] = ANSWERS,
    user_ids: Collection[int] | None = None,
) -> RsvpOutcome:
    """Withdraw answers whatever reactions hold them, moving the waitlist in order.

    Runs in the caller's transaction: ``answers`` limits it to some answers (a cleared
    emoji), ``user_ids`` to some people (one who asked to be forgotten). Withdrawn in
    arrival order, so freed places go to the first in line.
    """
    opened = await _open_ledger(session, meeting_id, now)
    if opened is None:
        return RsvpOutcome(applied=False)
    meeting, ledger = opened
    chosen = sorted(
        (entry.position, user_id, answer_of(entry.status))
        for user_id, entry in ledger.entries.items()
        if answer_of(entry.status) in answers and (user_ids is None or user_id in user_ids)
    )
    for _, user_id, answer in chosen:
        ledger.withdraw(user_id, answer)
    outcome = ledger.finish()
    await ledger.write(session, meeting, now)
    return outcome


async def rsvp_status(db: Database, meeting_id: int, user_id: int) -> str | None:
    """Return one person's answer to a meeting, or None."""
    async with db.read() as session:
        status = await session.scalar(
            select(Rsvp.status).where(Rsvp.meeting_id == meeting_id, Rsvp.user_id == user_id)
        )
    return None if status is None else str(status)
