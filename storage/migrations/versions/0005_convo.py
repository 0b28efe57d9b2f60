"""bot conversations and user data: a dialogue with the bot survives a restart

Revision ID: 0005_convo
Revises: 0004_seed_keys
Create Date: 2026-12-01 23:53:29.749244
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005_convo"
down_revision: str | None = "0004_seed_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_conversations",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=100), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", "key", name=op.f("pk_bot_conversations")),
    )
    op.create_table(
        "bot_user_data",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_bot_user_data")),
    )


def downgrade() -> None:
    op.drop_table("bot_user_data")
    op.drop_table("bot_conversations")
