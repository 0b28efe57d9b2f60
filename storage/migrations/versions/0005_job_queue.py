"""job queue: procrastinate's schema on PostgreSQL (nothing on SQLite)

The stages of a recording are procrastinate jobs on PostgreSQL (storage/queue.py). Its
tables, types and functions come from the installed procrastinate's own schema SQL, created
here under the migration lock (env.py) so two processes starting at once create it once.
Autogenerate ignores them (storage.migrate.include_object): they belong to procrastinate.

Revision ID: 0005_job_queue
Revises: 0005_tokens
Create Date: 2026-12-02 00:10:00
"""

from collections.abc import Sequence

from alembic import op

from storage.queue import drop_schema, install_schema

revision: str = "0005_job_queue"
down_revision: str | None = "0005_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        install_schema(connection)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        drop_schema(connection)
