"""Deliver reminders: claim a batch, post and DM with nonces, record places, mark the batch.

No database transaction is open while Discord is called: each step is its own short
transaction in db/reminders/claims. A channel post followed by DMs is recorded before
the DMs are sent (a retry then skips it); a post with nothing after it is recorded by
the mark itself, one transaction instead of two.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp
import discord

from bot.direct_messages import DirectMessages
from bot.languages import guild_locale
from bot.limits import CANNOT_DM
from bot.mentions import only_users
from bot.metrics import observe_reminder_lateness
from cogs.reminders._render import channel_messages, reminder_nonce, render_reminder
from db.engine import Database
from db.models import DeliveryStatus, ReminderStatus
from db.reminders import (
    DMS_CLOSED,
    ClaimedReminder,
    Settlement,
    claim_reminders,
    record_delivery,
    release_reminder,
    settle_claims,
)

log = logging.getLogger("gugbot.reminders")

# After this many attempts, places still failing transiently are given up on
# (recorded as failed) rather than retried until the meeting starts.
MAX_ATTEMPTS = 6
# Transient back-off: 5 s, 10 s, 20 s ... capped at 5 minutes.
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=5)


class LostClaim(Exception):
    """Another process took the reminder over (our lease ran out)."""


@dataclass
class Outcome:
    """What happened to one attempt at a reminder."""

    channel_status: DeliveryStatus | None = None
    channel_reason: str | None = None
    message_id: int | None = None
    transient: list[str] = field(default_factory=list)
    # The channel's outcome is left to the final mark when no DM followed the post.
    channel_record_reason: str | None = None
    channel_unrecorded: bool = False


def claim_token() -> str:
    """Name this claim: host, process and a random part, unique per claim."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def backoff(attempts: int) -> timedelta:
    """Wait longer after each transient failure, up to the cap."""
    return min(BACKOFF_BASE * (2 ** max(0, attempts - 1)), BACKOFF_CAP)


def classify(error: BaseException) -> str | None:
    """Return a permanent failure's reason, or None when the error is transient."""
    if isinstance(error, discord.Forbidden):
        if error.code == CANNOT_DM:
            return DMS_CLOSED
        return f"forbidden ({error.code}): {error.text}"[:200]
    if isinstance(error, discord.NotFound):
        return f"not found ({error.code}): {error.text}"[:200]
    if isinstance(error, discord.HTTPException) and error.status < 500 and error.status != 429:
        return f"HTTP {error.status} ({error.code}): {error.text}"[:200]
    return None


# Failures worth retrying later (classify() picks out the permanent HTTP ones).
TRANSIENT_ERRORS = (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError, OSError)


class Deliverer:
    """Deliver reminders for one bot: the claims, the sends and the marks."""

    def __init__(
        self,
        client: discord.Client,
        direct_messages: DirectMessages,
        db: Database,
        lease: timedelta,
        now: Callable[[], datetime],
        slots: asyncio.Semaphore | None = None,
    ) -> None:
        self.client = client
        self.direct_messages = direct_messages
        self.db = db
        self.lease = lease
        self.now = now
        # Bounds the sends running at once across every batch of this process.
        self.slots = slots
        # One batch claims or marks at a time: when ticks pile up (an overloaded loop, a
        # backlog) they wait here rather than each holding a pooled connection while
        # queueing for SQLite's write lock, which exhausted the pool in a benchmark.
        self.batch_writes = asyncio.Lock()

    async def deliver(self, reminder_id: int) -> datetime | None:
        """Deliver one reminder if it can be claimed; return a retry time after a failure."""
        return (await self.deliver_many([reminder_id])).get(reminder_id)

    async def deliver_many(self, reminder_ids: Sequence[int]) -> dict[int, datetime]:
        """Claim the due ones in one transaction, send them, mark them in one; return retries.

        Batching matters on SQLite, where every write transaction waits its turn: a wave
        of 10,000 reminders costs two transactions per batch instead of three per reminder.
        """
        async with self.batch_writes:
            claims = await claim_reminders(
                self.db, reminder_ids, claim_token(), self.now(), self.lease
            )
        outcomes = await asyncio.gather(*(self._attempt(claim) for claim in claims))
        now = self.now()
        retries: dict[int, datetime] = {}
        settlements: list[Settlement] = []
        for claim, outcome in zip(claims, outcomes, strict=True):
            if outcome is None:
                continue
            if outcome.transient and claim.attempts < MAX_ATTEMPTS:
                retry_at = now + backoff(claim.attempts)
                await release_reminder(
                    self.db, claim, retry_at, "; ".join(outcome.transient)[:500]
                )
                log.info("reminder %s: will retry at %s", claim.id, retry_at)
                retries[claim.id] = retry_at
                continue
            for problem in outcome.transient:
                log.warning("reminder %s: gave up: %s", claim.id, problem)
            status = ReminderStatus.SENT
            reason: str | None = "sent late" if claim.late else None
            if outcome.channel_status == DeliveryStatus.FAILED:
                status, reason = ReminderStatus.FAILED, outcome.channel_reason
            else:
                observe_reminder_lateness((now - claim.due_at).total_seconds())
            settlements.append(
                Settlement(
                    claim,
                    status,
                    message_id=outcome.message_id,
                    reason=reason,
                    channel=outcome.channel_status if outcome.channel_unrecorded else None,
                    channel_reason=outcome.channel_record_reason,
                )
            )
        async with self.batch_writes:
            marked = await settle_claims(self.db, settlements, now)
        for lost in {item.claim.id for item in settlements} - marked:
            log.warning("reminder %s: claim lost before it was marked", lost)
        return retries

    async def _attempt(self, claim: ClaimedReminder) -> Outcome | None:
        """Send one claimed reminder; None when the claim was lost or the attempt broke."""
        slot: AbstractAsyncContextManager[object] = self.slots or nullcontext()
        async with slot:
            try:
                return await self._deliver(claim)
            except LostClaim:
                log.warning("reminder %s: claim lost to another process", claim.id)
            except Exception:
                # The lease will expire and the sweep retry it; one failure must not
                # take the rest of the batch down.
                log.exception("reminder %s: delivery failed", claim.id)
        return None

    async def _record(
        self,
        claim: ClaimedReminder,
        user_id: int,
        status: DeliveryStatus,
        *,
        reason: str | None = None,
        message_id: int | None = None,
    ) -> None:
        recorded = await record_delivery(
            self.db,
            claim,
            user_id,
            status,
            self.now(),
            self.lease,
            reason=reason,
            message_id=message_id,
        )
        if not recorded:
            raise LostClaim

    async def _deliver(self, claim: ClaimedReminder) -> Outcome:
        outcome = Outcome()
        channel_locale = claim.language or guild_locale(self.client, claim.guild_id)
        if 0 not in claim.settled:
            await self._post_in_channel(claim, render_reminder(claim, channel_locale), outcome)
        give_up = claim.attempts >= MAX_ATTEMPTS
        dm_locales = dict(claim.dm_locales)
        for user_id in claim.dm_ids:
            if user_id in claim.settled:
                continue
            text = render_reminder(claim, dm_locales.get(user_id) or channel_locale)
            try:
                message = await self.direct_messages.send(
                    user_id, text, nonce=reminder_nonce(claim, "d")
                )
            except TRANSIENT_ERRORS as error:
                reason = classify(error)
                if reason is None and not give_up:
                    outcome.transient.append(f"DM {user_id}: {error!r}"[:200])
                    continue
                await self._record(
                    claim, user_id, DeliveryStatus.FAILED, reason=reason or repr(error)[:200]
                )
                continue
            await self._record(claim, user_id, DeliveryStatus.SENT, message_id=message.id)
        return outcome

    async def _settle_channel(
        self,
        claim: ClaimedReminder,
        outcome: Outcome,
        status: DeliveryStatus,
        reason: str | None = None,
    ) -> None:
        """Record the channel's outcome now if DMs follow, else leave it to the mark."""
        if any(user not in claim.settled for user in claim.dm_ids):
            await self._record(claim, 0, status, reason=reason, message_id=outcome.message_id)
        else:
            outcome.channel_unrecorded, outcome.channel_record_reason = True, reason

    async def _post_in_channel(self, claim: ClaimedReminder, text: str, outcome: Outcome) -> None:
        if claim.channel_id is None:
            outcome.channel_status, outcome.channel_reason = DeliveryStatus.FAILED, "no channel"
            await self._settle_channel(
                claim, outcome, DeliveryStatus.FAILED, "group has no channel"
            )
            return
        channel = self.client.get_partial_messageable(claim.channel_id, guild_id=claim.guild_id)
        first: int | None = None
        try:
            for part, (content, users) in enumerate(channel_messages(text, claim.attendee_ids)):
                message = await channel.send(
                    content,
                    nonce=reminder_nonce(claim, str(part)),
                    allowed_mentions=only_users(users),
                )
                first = first or message.id
        except TRANSIENT_ERRORS as error:
            reason = classify(error)
            if reason is None and claim.attempts < MAX_ATTEMPTS:
                outcome.transient.append(f"channel: {error!r}"[:200])
                return
            reason = reason or repr(error)[:200]
            outcome.channel_status, outcome.channel_reason = DeliveryStatus.FAILED, reason
            await self._settle_channel(claim, outcome, DeliveryStatus.FAILED, reason)
            return
        outcome.channel_status, outcome.message_id = DeliveryStatus.SENT, first
        await self._settle_channel(claim, outcome, DeliveryStatus.SENT)
