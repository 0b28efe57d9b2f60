"""Alembic, configured in code: no alembic.ini to find, the URL comes from the caller."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from storage.db import sync_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Tables that live in the database but belong to libraries, not to our models: procrastinate's
# queue (every name with its prefix), and APScheduler's job store, created in databases the
# reminders ran on before they became a loop of their own (bot.reminders); nothing reads it now.
# Autogenerate must neither drop nor compare them.
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})
FOREIGN_PREFIXES = ("procrastinate_",)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    foreign = name in FOREIGN_TABLES or (name or "").startswith(FOREIGN_PREFIXES)
    return not (type_ == "table" and reflected and foreign)


def alembic_config(url: str | URL) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' must be escaped for ConfigParser interpolation (passwords may contain it).
    url_text = sync_url(url).render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url_text)
    return config


def upgrade(url: str | URL, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | URL, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str | URL) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from storage.db import make_sync_engine

    engine = make_sync_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
