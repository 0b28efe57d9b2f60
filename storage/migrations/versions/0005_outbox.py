"""outbox: the notification log becomes the outbox of every message; webhook updates seen

Revision ID: 0005_outbox
Revises: 0005_tokens
Create Date: 2026-12-01 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0005_outbox"
down_revision: str | None = "0005_job_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COLUMNS = (
    ("chat_id", sa.BigInteger()),
    ("text", sa.Text()),
    ("markup", sa.JSON()),
    ("document", sa.LargeBinary()),
    ("document_name", sa.String(length=200)),
    ("next_attempt_at", storage.types.UTCDateTime(timezone=True)),
    ("claimed_by", sa.String(length=200)),
    ("claimed_at", storage.types.UTCDateTime(timezone=True)),
    ("telegram_message_id", sa.BigInteger()),
)


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index(
            "ix_notifications_state_next_attempt_at", ["state", "next_attempt_at"], unique=False
        )
    op.create_table(
        "webhook_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_webhook_updates")),
    )
    op.create_index(
        "ix_webhook_updates_received_at", "webhook_updates", ["received_at"], unique=False
    )


def downgrade() -> None:
    # Rows still waiting in the outbox would be taken for sent by the old code: mark them.
    op.execute(
        "UPDATE notifications SET state = 'failed', error = 'downgraded before sending' "
        "WHERE state IN ('pending', 'sending', 'in_doubt')"
    )
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_index("ix_notifications_state_next_attempt_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("telegram_message_id")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("document_name")
        batch_op.drop_column("document")
        batch_op.drop_column("markup")
        batch_op.drop_column("text")
        batch_op.drop_column("chat_id")
    op.drop_index("ix_webhook_updates_received_at", table_name="webhook_updates")
    op.drop_table("webhook_updates")
