"""Exchange between groups: speaker bank, recurring meetings, attendance, recaps."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.network import _one_of, utc_now
from db.types import UTCDateTime


class OfferStatus(StrEnum):
    """Whether a talk offer can still be found."""

    OPEN = "open"
    WITHDRAWN = "withdrawn"


class InvitationStatus(StrEnum):
    """A speaker's answer to an invitation."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class SeriesStatus(StrEnum):
    """Whether a series still makes new occurrences."""

    ACTIVE = "active"
    ENDED = "ended"


class TalkOffer(Base):
    """A talk a member can give, in the network-wide speaker bank."""

    __tablename__ = "talk_offers"
    __table_args__ = (
        CheckConstraint(_one_of("status", OfferStatus), name="status"),
        Index("ix_talk_offers_guild_status", "guild_id", "status"),
        Index("ix_talk_offers_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    topic: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # As the speaker typed them, e.g. "es, pt".
    languages: Mapped[str] = mapped_column(String(100), default="")
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=OfferStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SpeakerInvitation(Base):
    """An organizer's invitation of an offered talk to one meeting."""

    __tablename__ = "speaker_invitations"
    __table_args__ = (
        UniqueConstraint("offer_id", "meeting_id"),
        CheckConstraint(_one_of("status", InvitationStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("talk_offers.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    invited_by: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default=InvitationStatus.PENDING)
    talk_id: Mapped[int | None] = mapped_column(ForeignKey("talks.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MeetingSeries(Base):
    """A recurring meeting: the rule and the template its occurrences are made from."""

    __tablename__ = "meeting_series"
    __table_args__ = (
        CheckConstraint(_one_of("status", SeriesStatus), name="status"),
        Index("ix_meeting_series_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger)
    # A core.recurrence.Frequency; the first occurrence fixes weekday, date and wall-clock time.
    frequency: Mapped[str] = mapped_column(String(24))
    first_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    ends_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last slot made into a meeting; extending starts after it.
    generated_until: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=SeriesStatus.ACTIVE)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    venue: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class SeriesOccurrence(Base):
    """Links a meeting to its series and the slot the rule gave it (kept when it is moved)."""

    __tablename__ = "series_occurrences"
    __table_args__ = (UniqueConstraint("series_id", "slot"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    series_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="CASCADE")
    )
    slot: Mapped[datetime] = mapped_column(UTCDateTime)


class AttendanceCheckin(Base):
    """Someone pressed "I'm here" at a meeting."""

    __tablename__ = "attendance_checkins"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class MeetingRecap(Base):
    """What happened at a meeting, and where the recap was posted."""

    __tablename__ = "meeting_recaps"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    notes: Mapped[str] = mapped_column(Text)
    # One link per line.
    links: Mapped[str] = mapped_column(Text, default="")
    written_by: Mapped[int] = mapped_column(BigInteger)
    group_message_id: Mapped[int | None] = mapped_column(BigInteger)
    highlights_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    highlights_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
