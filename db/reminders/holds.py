"""Reminders that wait instead of failing: held (channel lost) or paused (bot removed).

Neither is a status: the reminder stays pending and claims skip it while the condition
lasts, so repairing the channel or adding the bot back releases it with no bookkeeping,
and the usual lateness policy then applies (sent late while the meeting has not
started, else missed). A group that never had a channel (approved without Manage
Channels) is not held: its reminders still go by DM, as before.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_

from db.models import Group, GuildPresence, LinkKind, LostGroupLink, Meeting, Reminder


def paused() -> ColumnElement[bool]:
    """Match reminders of a server the bot was removed from."""
    return exists().where(
        GuildPresence.guild_id == Reminder.guild_id, GuildPresence.removed_at.is_not(None)
    )


def held() -> ColumnElement[bool]:
    """Match reminders of a group whose channel was deleted and not yet repaired."""
    return exists().where(
        Meeting.id == Reminder.meeting_id,
        LostGroupLink.group_id == Meeting.group_id,
        LostGroupLink.kind == LinkKind.CHANNEL,
        Group.id == Meeting.group_id,
        Group.channel_id.is_(None),
    )


def on_hold() -> ColumnElement[bool]:
    """Match reminders that must wait: held or paused."""
    return or_(held(), paused())


def not_on_hold() -> ColumnElement[bool]:
    """Match reminders free to go out."""
    return and_(~held(), ~paused())
