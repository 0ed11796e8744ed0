"""The network's core tables: servers, groups, members, meetings, talks, RSVPs, reminders.

Discord ids (snowflakes) are BigInteger; our own ids are Integer so SQLite can
autoincrement them. Enumerated states are short strings checked by constraints,
which keeps migrations free of database-specific enum types.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.types import UTCDateTime


def utc_now() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def _one_of(column: str, values: type[StrEnum]) -> str:
    listed = ", ".join(f"'{value.value}'" for value in values)
    return f"{column} IN ({listed})"


class GroupStatus(StrEnum):
    """Where a group is in its lifecycle."""

    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    ARCHIVED = "archived"


class MeetingKind(StrEnum):
    """What a meeting is mostly about."""

    SOCIAL = "social"
    TECHNICAL = "technical"
    MIXED = "mixed"


class MeetingStatus(StrEnum):
    """Whether a meeting is still on."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class TalkStatus(StrEnum):
    """An organizer's decision on a proposed talk."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class RsvpStatus(StrEnum):
    """A member's answer to a meeting; WAITLIST is 'going' beyond capacity."""

    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not_going"
    WAITLIST = "waitlist"


class ReminderStatus(StrEnum):
    """Where a reminder is between planned and delivered."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    MISSED = "missed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class DeliveryStatus(StrEnum):
    """The outcome of delivering a reminder to one place."""

    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class GuildSettings(Base):
    """One server's one-time set-up, made with /setup."""

    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    coordinator_role_id: Mapped[int | None] = mapped_column(BigInteger)
    group_category_id: Mapped[int | None] = mapped_column(BigInteger)
    coordinator_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    # Backers a proposal needs before a coordinator may approve it (/setup min-backers).
    min_backers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where recaps are also posted so other cities see them (/setup highlights-channel).
    highlights_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    # Whether the server's active groups appear in the public web directory and feeds.
    directory_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Shown on the public pages so people outside the server can join it; "" when unset.
    invite_url: Mapped[str] = mapped_column(String(200), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Group(Base):
    """A local users group: one city or region, led by its organizers."""

    __tablename__ = "groups"
    __table_args__ = (
        UniqueConstraint("guild_id", "name_key"),
        CheckConstraint(_one_of("status", GroupStatus), name="status"),
        Index("ix_groups_guild_status", "guild_id", "status"),
        Index("ix_groups_proposer_status", "proposer_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(100))
    # The name folded for comparison (case, accents, spacing) so "GUG México" == "gug mexico".
    name_key: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(100))
    city_key: Mapped[str] = mapped_column(String(100), index=True)
    region: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(2), default="", index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The language of the group's channel posts (a Discord locale: en, es, pt-BR); unset
    # means the server's preferred locale (/group edit language).
    language: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=GroupStatus.PENDING)
    proposer_id: Mapped[int] = mapped_column(BigInteger)
    role_id: Mapped[int | None] = mapped_column(BigInteger)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    # Where the proposal embed with its Approve/Reject buttons was posted.
    proposal_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    proposal_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Empty means the configured default offsets; else e.g. "1d,1h".
    reminder_offsets: Mapped[str] = mapped_column(String(100), default="")
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    members: Mapped[list[Membership]] = relationship(
        back_populates="group", lazy="raise", cascade="all, delete-orphan"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="group", lazy="raise", cascade="all, delete-orphan"
    )


class Membership(Base):
    """A member of a group; organizers are members with the flag set."""

    __tablename__ = "memberships"
    __table_args__ = (Index("ix_memberships_user", "user_id"),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    is_organizer: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    group: Mapped[Group] = relationship(back_populates="members", lazy="raise")


class Meeting(Base):
    """A meeting of one group, announced in the group's channel."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(_one_of("kind", MeetingKind), name="kind"),
        CheckConstraint(_one_of("status", MeetingStatus), name="status"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        Index("ix_meetings_group_starts", "group_id", "starts_at"),
        Index("ix_meetings_status_starts", "status", "starts_at"),
        Index("ix_meetings_announcement", "announcement_message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # Denormalised from the group so a shard can find its meetings without a join.
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=MeetingKind.MIXED)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    venue: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.SCHEDULED)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(BigInteger)
    announcement_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    announcement_message_id: Mapped[int | None] = mapped_column(BigInteger)
    scheduled_event_id: Mapped[int | None] = mapped_column(BigInteger)
    # Arrival counter for RSVPs, so the waitlist keeps the order reactions came in.
    rsvp_sequence: Mapped[int] = mapped_column(BigInteger, default=0)
    # iCalendar SEQUENCE: grows with every edit, so calendars replace their copy; a cancel
    # shows as STATUS:CANCELLED at the last edit's sequence (issue 15's contract).
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    group: Mapped[Group] = relationship(back_populates="meetings", lazy="raise")
    talks: Mapped[list[Talk]] = relationship(
        back_populates="meeting", lazy="raise", cascade="all, delete-orphan"
    )
    rsvps: Mapped[list[Rsvp]] = relationship(
        back_populates="meeting", lazy="raise", cascade="all, delete-orphan"
    )
    reminders: Mapped[list[Reminder]] = relationship(
        back_populates="meeting", lazy="raise", cascade="all, delete-orphan"
    )


class Talk(Base):
    """A talk proposed for a meeting; accepted ones form the agenda."""

    __tablename__ = "talks"
    __table_args__ = (CheckConstraint(_one_of("status", TalkStatus), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(200))
    abstract: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=TalkStatus.PROPOSED)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    meeting: Mapped[Meeting] = relationship(back_populates="talks", lazy="raise")


class Rsvp(Base):
    """One member's answer to one meeting."""

    __tablename__ = "rsvps"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint(_one_of("status", RsvpStatus), name="status"),
        Index("ix_rsvps_meeting_status_position", "meeting_id", "status", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    # Taken from Meeting.rsvp_sequence when the answer last changed: arrival order.
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    # Which reactions hold the answer (REACTION_NORMAL | REACTION_SUPER in db/rsvps.py):
    # a normal and a super reaction of one emoji are one answer until both are gone.
    # 0 means unknown (recorded before kinds were tracked): the first removal withdraws it.
    reaction_kinds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    meeting: Mapped[Meeting] = relationship(back_populates="rsvps", lazy="raise")


class Reminder(Base):
    """A reminder planned for a meeting at one offset before it starts."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("meeting_id", "offset_minutes"),
        CheckConstraint(_one_of("status", ReminderStatus), name="status"),
        Index("ix_reminders_status_due", "status", "due_at"),
        Index("ix_reminders_guild_status_due", "guild_id", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger)
    offset_minutes: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    meeting: Mapped[Meeting] = relationship(back_populates="reminders", lazy="raise")


class ReminderDelivery(Base):
    """The outcome of one reminder in one place: the channel (user 0) or a member's DMs."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("reminder_id", "user_id"),
        CheckConstraint(_one_of("status", DeliveryStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminders.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class UserPreference(Base):
    """What one person asked of the bot, and what Discord told us about them."""

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    reminder_dms: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when a DM failed with 50007, so we stop trying until they opt in again.
    dms_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The Discord locale of their last command, so DMs reach them in their language.
    locale: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class AuditEntry(Base):
    """A coordinator's action, kept for accountability."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_guild_created", "guild_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    actor_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(32))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class MemberName(Base):
    """The display name a member last used in a server, for the public pages.

    Recorded when the member runs a command, so web/ can name organizers and speakers
    without asking Discord; only organizers' and accepted speakers' names are shown.
    """

    __tablename__ = "member_names"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    display_name: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class CommandSync(Base):
    """The digest of the command definitions last synced, so unchanged ones are not re-sent."""

    __tablename__ = "command_sync"

    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


