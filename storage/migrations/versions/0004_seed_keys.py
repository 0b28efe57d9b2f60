"""seed keys: the key a committee's YAML gives each person, so re-seeding updates in place

Revision ID: 0004_seed_keys
Revises: 0003w
Create Date: 2026-12-01 07:02:23.803188
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004_seed_keys"
down_revision: str | None = "0003w"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seed_keys",
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("retired_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
            name=op.f("fk_seed_keys_committee_id_committees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_seed_keys_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("committee_id", "key", name=op.f("pk_seed_keys")),
    )


def downgrade() -> None:
    op.drop_table("seed_keys")
