from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage import migrate
from storage.db import make_sync_engine
from storage.models import Base
from tests.conftest import BACKENDS


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
def test_migrations_go_up_match_the_models_and_come_down(empty_database: str) -> None:
    engine = make_sync_engine(empty_database)
    try:
        migrate.upgrade(empty_database)
        assert migrate.current_revision(empty_database) is not None
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables

        with engine.connect() as connection:
            # Library-owned tables (procrastinate's queue on PostgreSQL) are left out, as
            # env.py leaves them out of autogenerate.
            opts = {"compare_type": True, "include_object": migrate.include_object}
            context = MigrationContext.configure(connection, opts=opts)
            assert compare_metadata(context, Base.metadata) == []

        migrate.downgrade(empty_database, "base")
        assert migrate.current_revision(empty_database) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

        migrate.upgrade(empty_database)  # and up again: downgrade left nothing behind
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
