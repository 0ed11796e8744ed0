"""Reminders: the ledger of what to remind, when, and what happened.

The database is the truth; the alarm in cogs/reminders only wakes us up. Planning
runs inside the caller's transaction (the one that creates or re-times a meeting).
Delivery is claim → send → mark: a claim is an atomic conditional update with a
lease, so exactly one process sends a reminder even if several try at once.

Planning policy: a reminder whose time has already passed when it is planned is not
created (a meeting scheduled 30 minutes ahead gets no "1 day before" reminder; its
announcement is the news). A reminder missed while the bot was down is sent late, saying
so, while the meeting has not started; once it has started it is recorded as missed.
"""

from db.preferences import set_reminder_dms
from db.reminders.claims import (
    DMS_CLOSED,
    ClaimedReminder,
    Settlement,
    claim_reminder,
    claim_reminders,
    mark_sent,
    record_delivery,
    release_reminder,
    settle_claims,
)
from db.reminders.ledger import (
    EARLY_TOLERANCE,
    LATE_AFTER,
    REMINDED,
    UNSENT,
    PendingReminder,
    drop_reminders,
    list_due_reminders,
    list_pending_reminders,
    offsets_of,
    plan_meeting_reminders,
    plan_reminders,
    set_reminder_offsets,
)

__all__ = [
    "DMS_CLOSED",
    "EARLY_TOLERANCE",
    "LATE_AFTER",
    "REMINDED",
    "UNSENT",
    "ClaimedReminder",
    "PendingReminder",
    "Settlement",
    "claim_reminder",
    "claim_reminders",
    "drop_reminders",
    "list_due_reminders",
    "list_pending_reminders",
    "mark_sent",
    "offsets_of",
    "plan_meeting_reminders",
    "plan_reminders",
    "record_delivery",
    "release_reminder",
    "set_reminder_dms",
    "set_reminder_offsets",
    "settle_claims",
]
