"""Tables that keep a long-lived network mendable: where the bot is, and lost group links."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.network import _one_of, utc_now
from db.types import UTCDateTime


class GuildPresence(Base):
    """Whether the bot is still in a server: removed servers have their reminders paused."""

    __tablename__ = "guild_presence"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # Set when the bot was removed (GUILD_DELETE without "unavailable"); None once back.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class LinkKind(StrEnum):
    """A Discord object the bot created for a group and can lose."""

    CHANNEL = "channel"
    ROLE = "role"


class LostGroupLink(Base):
    """A group's channel or role that was deleted on Discord, until it is repaired.

    Kept apart from ``Group.channel_id`` being empty: a group approved without the
    Manage Channels permission never had a channel, and its reminders are not held.
    """

    __tablename__ = "lost_group_links"
    __table_args__ = (CheckConstraint(_one_of("kind", LinkKind), name="kind"),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # The deleted channel's or role's id, for the coordinators' listing.
    discord_id: Mapped[int] = mapped_column(BigInteger)
    lost_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
