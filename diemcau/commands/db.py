"""``diemcau db``: the database schema, through Alembic migrations."""

from __future__ import annotations

import click

from diemcau.startup import checked_settings
from storage import migrate


@click.group()
def db() -> None:
    """Cơ sở dữ liệu: nâng cấp, hạ cấp, xem phiên bản lược đồ."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    url = checked_settings().effective_database_url
    migrate.upgrade(url, revision)
    click.echo(f"Lược đồ CSDL: {migrate.current_revision(url)}")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ('base' empties the database)."""
    url = checked_settings().effective_database_url
    migrate.downgrade(url, revision)
    click.echo(f"Lược đồ CSDL: {migrate.current_revision(url) or 'trống'}")


@db.command()
def current() -> None:
    """Print the schema revision the database is at."""
    click.echo(migrate.current_revision(checked_settings().effective_database_url) or "trống")
