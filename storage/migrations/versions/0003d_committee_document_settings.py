"""committee document settings: the header's parent body, the signer, the secretary

Revision ID: 0003d
Revises: 0002
Create Date: 2026-12-01 07:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003d"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch: SQLite cannot add a foreign key to an existing table; the table is rebuilt.
    with op.batch_alter_table("committees") as batch_op:
        batch_op.add_column(sa.Column("parent_body", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("signer_authority", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("signer_title", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("signer_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("secretary_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_committees_secretary_id_people"),
            "people",
            ["secretary_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("committees") as batch_op:
        batch_op.drop_constraint(op.f("fk_committees_secretary_id_people"), type_="foreignkey")
        batch_op.drop_column("secretary_id")
        batch_op.drop_column("signer_name")
        batch_op.drop_column("signer_title")
        batch_op.drop_column("signer_authority")
        batch_op.drop_column("parent_body")
