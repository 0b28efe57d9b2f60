"""The dialogues' persistence on its own, on SQLite and PostgreSQL: forms round-trip typed,
one transaction per flush, and what a later version no longer knows is dropped at start-up
rather than crashing it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.dialogues import codec
from bot.handlers.meetings import AgendaEntry, NewMeetingForm, NewMeetingStep
from bot.persistence import DatabasePersistence
from storage.db import create_all_sync, make_async_engine, make_async_sessionmaker, make_sync_engine
from storage.models import BotConversation, BotUserData
from tests.conftest import BACKENDS, VN, empty_database_url

KEY = (1001, 1001)
FORM = NewMeetingForm(
    committee_id=3,
    title="Phiên họp thử",
    starts_at=datetime(2026, 12, 3, 8, 0, tzinfo=VN),
    chair_id=7,
    point_ids=(1, 2),
    agenda=(AgendaEntry("Báo cáo tiến độ", "Đơn vị tư vấn"), AgendaEntry("Ý kiến các huyện")),
)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from empty_database_url(request.param, tmp_path, "persistence")


@pytest.fixture
async def sessions(database: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_sync_engine(database)
    create_all_sync(engine)
    engine.dispose()
    async_engine = make_async_engine(database)
    yield make_async_sessionmaker(async_engine)
    await async_engine.dispose()


def persistence(sessions: async_sessionmaker[AsyncSession]) -> DatabasePersistence:
    return DatabasePersistence(
        sessions, codec=codec(), clock=lambda: datetime(2026, 12, 1, tzinfo=VN)
    )


async def test_a_flush_stores_state_and_form_together_and_a_restart_reads_them(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = persistence(sessions)
    assert await first.get_conversations("dialogues") == {}
    assert await first.get_user_data() == {}
    # As PTB's update_persistence hands them over: gathered.
    await asyncio.gather(
        first.update_conversation("dialogues", KEY, NewMeetingStep.TIME),
        first.update_user_data(1001, {"dialogue": FORM}),
    )
    assert first.counts.transactions == 1 and first.counts.rows_written == 2
    # The same again: nothing to write.
    await asyncio.gather(
        first.update_conversation("dialogues", KEY, NewMeetingStep.TIME),
        first.update_user_data(1001, {"dialogue": FORM}),
        first.update_user_data(1002, {}),  # someone with no dialogue
    )
    assert first.counts.transactions == 1

    again = persistence(sessions)  # the next process
    assert await again.get_conversations("dialogues") == {KEY: NewMeetingStep.TIME}
    restored = (await again.get_user_data())[1001]["dialogue"]
    assert restored == FORM and isinstance(restored.point_ids, tuple)
    assert restored.starts_at is not None and restored.starts_at.utcoffset() is not None
    # It knows what is stored: an unchanged value is not written again after a restart either.
    await again.update_user_data(1001, {"dialogue": FORM})
    assert again.counts.transactions == 0
    # The dialogue ends: both rows go.
    await asyncio.gather(
        again.update_conversation("dialogues", KEY, None),
        again.update_user_data(1001, {}),
    )
    assert again.counts.transactions == 1 and again.counts.rows_deleted == 2
    third = persistence(sessions)
    assert await third.get_conversations("dialogues") == {}
    assert await third.get_user_data() == {}


async def test_what_the_code_no_longer_knows_is_dropped_at_start_up(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    stamp = datetime(2026, 12, 1, tzinfo=VN)
    async with sessions.begin() as session:
        session.add_all(
            [
                BotConversation(
                    name="dialogues", key="[1,1]", state="OldStep.GONE", updated_at=stamp
                ),
                BotConversation(
                    name="dialogues", key="[2,2]", state="NewMeetingStep.AGENDA", updated_at=stamp
                ),
                BotUserData(
                    user_id=1,
                    data={"dialogue": {"$record": "OldForm", "fields": {}}},
                    updated_at=stamp,
                ),
                BotUserData(
                    user_id=2,
                    data={"dialogue": {"$record": "NewMeetingForm", "fields": {"gone": 1}}},
                    updated_at=stamp,
                ),
            ]
        )
    loaded = persistence(sessions)
    assert await loaded.get_conversations("dialogues") == {(2, 2): NewMeetingStep.AGENDA}
    assert await loaded.get_user_data() == {}


def test_only_registered_types_are_kept() -> None:
    with pytest.raises(TypeError, match="cannot keep a set"):
        codec().encode({"dialogue": {1, 2}})
    with pytest.raises(TypeError, match="not a registered Enum"):
        codec().state_name("TITLE")
