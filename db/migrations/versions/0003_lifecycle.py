"""lifecycle: reaction kinds of an answer, guild presence, lost group links

Revision ID: 0003_lifecycle
Revises: 0001
Create Date: 2026-12-01 04:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0003_lifecycle"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reaction_kinds", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "guild_presence",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("removed_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_guild_presence")),
    )
    op.create_table(
        "lost_group_links",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("discord_id", sa.BigInteger(), nullable=False),
        sa.Column("lost_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('channel', 'role')", name=op.f("ck_lost_group_links_kind")),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"],
            name=op.f("fk_lost_group_links_group_id_groups"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "kind", name=op.f("pk_lost_group_links")),
    )
    with op.batch_alter_table("lost_group_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lost_group_links_guild_id"), ["guild_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("lost_group_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lost_group_links_guild_id"))
    op.drop_table("lost_group_links")
    op.drop_table("guild_presence")
    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.drop_column("reaction_kinds")
