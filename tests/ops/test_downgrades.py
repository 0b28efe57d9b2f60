"""A downgrade that would delete data refuses without --yes and says what; 'base' asks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import func, inspect, select

from diemcau.cli import cli
from diemcau.settings import get_settings
from storage import downgrades, migrate
from storage.db import make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import InviteCode
from storage.services.people import create_invite_code
from tests.conftest import BACKENDS, VN, empty_database_url
from tests.storage.factories import make_committee

HEAD = ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_current_head()


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    for url in empty_database_url(request.param, tmp_path, "down"):
        monkeypatch.setenv("DIEMCAU_DATABASE_URL", url)
        monkeypatch.setenv("DIEMCAU_DATA_DIR", str(tmp_path))
        get_settings.cache_clear()
        yield url
        get_settings.cache_clear()


async def _three_invite_codes(url: str) -> None:
    engine = make_async_engine(url)
    async with make_async_sessionmaker(engine).begin() as session:
        seed = await make_committee(session)
        for person_id in list(seed.person_ids.values())[:3]:
            await create_invite_code(session, person_id, now=datetime.now(VN))
    await engine.dispose()


def _invite_codes(url: str) -> int | None:
    engine = make_sync_engine(url)
    try:
        with engine.connect() as connection:
            if "invite_codes" not in inspect(connection).get_table_names():
                return None
            return connection.scalar(select(func.count()).select_from(InviteCode))
    finally:
        engine.dispose()


async def test_a_downgrade_that_drops_invitation_codes_refuses_without_yes(database: str) -> None:
    migrate.upgrade(database)
    await _three_invite_codes(database)
    runner = CliRunner()
    refused = runner.invoke(cli, ["db", "downgrade", "0001"])
    assert refused.exit_code == 1
    assert "3 dòng trong bảng invite_codes (mã mời)" in refused.output
    assert "--yes" in refused.output
    assert _invite_codes(database) == 3  # nothing happened
    assert migrate.current_revision(database) == HEAD

    done = runner.invoke(cli, ["db", "downgrade", "0001", "--yes"])
    assert done.exit_code == 0, done.output
    assert migrate.current_revision(database) == "0001"
    assert _invite_codes(database) is None


def test_a_downgrade_that_loses_nothing_goes_ahead(database: str) -> None:
    migrate.upgrade(database)
    assert downgrades.data_lost(database, "0001") == []
    result = CliRunner().invoke(cli, ["db", "downgrade", "--", "-1"])
    assert result.exit_code == 0, result.output
    assert migrate.current_revision(database) != HEAD
    assert CliRunner().invoke(cli, ["db", "downgrade", "0001"]).exit_code == 0
    assert migrate.current_revision(database) == "0001"


async def test_downgrade_base_asks(database: str) -> None:
    migrate.upgrade(database)
    await _three_invite_codes(database)
    runner = CliRunner()
    declined = runner.invoke(cli, ["db", "downgrade", "base"], input="n\n")
    assert declined.exit_code == 1
    assert "xoá mọi bảng và mọi dữ liệu" in declined.output
    assert "dòng trong bảng people (người)" in declined.output
    assert migrate.current_revision(database) == HEAD

    accepted = runner.invoke(cli, ["db", "downgrade", "base"], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert migrate.current_revision(database) is None


def test_the_drops_are_read_from_the_migrations(tmp_path: Path) -> None:
    migration = tmp_path / "0099_example.py"
    migration.write_text(
        "from alembic import op\n"
        "def upgrade() -> None:\n    op.drop_table('never_counted')\n"
        "def downgrade() -> None:\n"
        "    with op.batch_alter_table('tasks') as batch_op:\n"
        "        batch_op.drop_column('priority')\n"
        "    op.drop_column('people', 'nickname')\n"
        "    op.drop_table('labels')\n",
        encoding="utf-8",
    )
    assert downgrades._drops(migration) == [
        ("tasks", "priority"),
        ("people", "nickname"),
        ("labels", None),
    ]
