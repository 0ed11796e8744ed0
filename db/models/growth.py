"""Growth: people waiting for a group, backers of proposals, check-ins with quiet groups."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.network import _one_of, utc_now
from db.types import UTCDateTime


class CheckinStatus(StrEnum):
    """Where a check-in with a quiet group is between planned and answered."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    ANSWERED = "answered"
    CANCELLED = "cancelled"


class CheckinAnswer(StrEnum):
    """What a quiet group's organizer answered."""

    ACTIVE = "active"
    NEED_HELP = "need_help"
    PLEASE_ARCHIVE = "please_archive"


class Interest(Base):
    """A person waiting for a group in a place; fulfilled when one opens near it."""

    __tablename__ = "interests"
    __table_args__ = (
        UniqueConstraint("guild_id", "user_id", "place_key"),
        Index("ix_interests_guild_latitude", "guild_id", "latitude"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # The folded city and country code, so "São Paulo, BR" and "sao paulo, BR" are one place.
    place_key: Mapped[str] = mapped_column(String(110))
    city: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(2), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fulfilled_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL")
    )


class Backer(Base):
    """A person backing a proposed group; they become members when it is approved."""

    __tablename__ = "backers"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    backed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class GroupCheckin(Base):
    """A check-in with a quiet group: planned, claimed once, sent, answered."""

    __tablename__ = "group_checkins"
    __table_args__ = (
        CheckConstraint(_one_of("status", CheckinStatus), name="status"),
        CheckConstraint(f"answer IS NULL OR {_one_of('answer', CheckinAnswer)}", name="answer"),
        Index("ix_group_checkins_status_due", "status", "due_at"),
        Index("ix_group_checkins_group_created", "group_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=CheckinStatus.PENDING)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_by: Mapped[int | None] = mapped_column(BigInteger)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
