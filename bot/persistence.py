"""Dialogues that survive a restart: python-telegram-bot's persistence on our own database.

PTB keeps each ``ConversationHandler``'s states and each person's ``user_data`` in memory and
hands them to a ``BasePersistence``; this one stores them in ``bot_conversations`` and
``bot_user_data`` through the application's SQLAlchemy sessions, on SQLite and PostgreSQL.

- **Only what changed is written.** PTB offers every person who sent an update, and every
  conversation a handler touched, even when nothing differs; the last stored form of each is
  kept here and an identical one is not written again. A finished dialogue deletes its rows.
- **One transaction per flush.** PTB hands over a person's state and their collected data in
  separate calls gathered together; they are staged and written in one transaction, so a crash
  never stores a question without the answers collected before it (or the reverse).
- **Typed, not pickled.** States are stored as ``Enum.MEMBER`` names and data as tagged JSON
  of registered frozen dataclasses (see ``encode``), readable in SQL and safe to load; a name
  the code no longer knows (a renamed state after an upgrade) is dropped with a warning, and
  the dialogue's handler then tells the person to start again.
- **Nothing else.** Bot data (which holds the wiring's dependencies), chat data and callback
  data are not stored: the bot keeps none of its own and signs its buttons instead. One server
  runs per database, so the rows are read once at start-up and never refreshed.

When the rows are written is the caller's choice: ``bot.app`` flushes after every update, so
a crash loses at most the update being handled (see docs/deploy.md, "What survives a restart").
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from typing import Any, cast

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput

from storage.models import BotConversation, BotUserData

log = logging.getLogger(__name__)

UserData = dict[Any, Any]
# As PTB types them (in a private module of its own): a conversation's key is its chat and
# user ids, and its state any object; ours are always Enum members.
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]


class UnknownRecord(ValueError):
    """Stored data names a class or member this version of the code does not register."""


class Codec:
    """Tagged JSON for the values dialogues keep: registered frozen dataclasses, enums,
    datetimes, tuples, lists and string-keyed dicts of JSON scalars."""

    def __init__(self, records: Iterable[type[Any]], states: Iterable[type[Enum]]) -> None:
        self.records = {cls.__name__: cls for cls in records}
        self.states = {cls.__name__: cls for cls in states}
        for cls in self.records.values():
            if not dataclasses.is_dataclass(cls):
                raise TypeError(f"{cls.__name__} is not a dataclass")

    def state_name(self, state: object) -> str:
        if not isinstance(state, Enum) or type(state).__name__ not in self.states:
            raise TypeError(f"conversation state {state!r} is not a registered Enum member")
        return f"{type(state).__name__}.{state.name}"

    def state(self, name: str) -> Enum:
        enum_name, _, member = name.partition(".")
        try:
            return self.states[enum_name][member]
        except KeyError:
            raise UnknownRecord(f"unknown conversation state {name!r}") from None

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, Enum):
            return {"$enum": self.state_name(value)}
        if isinstance(value, datetime):
            return {"$datetime": value.isoformat()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            name = type(value).__name__
            if self.records.get(name) is not type(value):
                raise TypeError(f"{name} is not a registered dialogue record")
            fields = {
                f.name: self.encode(getattr(value, f.name)) for f in dataclasses.fields(value)
            }
            return {"$record": name, "fields": fields}
        if isinstance(value, tuple):
            return {"$tuple": [self.encode(v) for v in value]}
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            if any(k.startswith("$") for k in value):
                raise TypeError(f"dict keys starting with '$' are reserved: {sorted(value)}")
            return {k: self.encode(v) for k, v in value.items()}
        raise TypeError(f"a dialogue cannot keep a {type(value).__name__}")

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "$enum" in value:
            return self.state(value["$enum"])
        if "$datetime" in value:
            return datetime.fromisoformat(value["$datetime"])
        if "$tuple" in value:
            return tuple(self.decode(v) for v in value["$tuple"])
        if "$record" in value:
            cls = self.records.get(value["$record"])
            if cls is None:
                raise UnknownRecord(f"unknown dialogue record {value['$record']!r}")
            try:
                return cls(**{k: self.decode(v) for k, v in value["fields"].items()})
            except TypeError as error:  # a field added or removed since it was stored
                raise UnknownRecord(f"{value['$record']}: {error}") from None
        return {k: self.decode(v) for k, v in value.items()}


async def _upsert(
    session: AsyncSession, model: type[Any], values: dict[str, Any], *, keys: tuple[str, ...]
) -> None:
    """Insert or update one row in one statement (SQLite and PostgreSQL share the syntax);
    another database gets SQLAlchemy's ``merge`` (a read, then the write)."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        await session.merge(model(**values))
        return
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    statement = insert(model).values(**values)
    changed = {name: statement.excluded[name] for name in values if name not in keys}
    await session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))


def _key_text(key: ConversationKey) -> str:
    return json.dumps(list(key), separators=(",", ":"))


def _key(text: str) -> ConversationKey:
    return cast(ConversationKey, tuple(json.loads(text)))


@dataclasses.dataclass
class WriteCounts:
    """What the database was asked to do, for bench/dialogue_writes.py and the tests."""

    transactions: int = 0
    rows_written: int = 0
    rows_deleted: int = 0
    offered: int = 0  # changes PTB handed over, written or not
    settled: int = 0  # of those, the ones whose writing is over (offered - settled: in flight)


class DatabasePersistence(BasePersistence[UserData, dict[Any, Any], dict[Any, Any]]):
    """PTB's persistence on our SQLAlchemy sessions: conversations and user data only."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        codec: Codec,
        clock: Callable[[], datetime],
        update_interval: float = 60,
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.sessions = sessions
        self.codec = codec
        self.clock = clock
        self.counts = WriteCounts()
        # What the database holds now, as written: a new value equal to it is not written.
        self._stored_users: dict[int, str] = {}
        self._stored_states: dict[tuple[str, str], str] = {}
        # Staged for the next transaction; None means "delete the row".
        self._staged_users: dict[int, tuple[str, Any] | None] = {}
        self._staged_states: dict[tuple[str, str], str | None] = {}
        self._batch: asyncio.Future[None] | None = None

    # --- reading, once at start-up ---

    async def get_user_data(self) -> dict[int, UserData]:
        result: dict[int, UserData] = {}
        async with self.sessions() as session:
            rows = (await session.scalars(select(BotUserData))).all()
        for row in rows:
            try:
                data = self.codec.decode(row.data)
            except UnknownRecord as error:
                log.warning("dropping the stored dialogue data of user %s: %s", row.user_id, error)
                continue
            result[row.user_id] = data
            self._stored_users[row.user_id] = json.dumps(row.data, sort_keys=True)
        return result

    async def get_conversations(self, name: str) -> ConversationDict:
        result: ConversationDict = {}
        async with self.sessions() as session:
            rows = (
                await session.scalars(select(BotConversation).where(BotConversation.name == name))
            ).all()
        for row in rows:
            try:
                result[_key(row.key)] = self.codec.state(row.state)
            except UnknownRecord as error:
                log.warning("dropping the stored conversation %s %s: %s", name, row.key, error)
                continue
            self._stored_states[(name, row.key)] = row.state
        return result

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    # --- writing only what changed ---

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        self.counts.offered += 1
        try:
            await self._update_conversation(name, key, new_state)
        finally:
            self.counts.settled += 1

    async def _update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        where = (name, _key_text(key))
        text = None if new_state is None else self.codec.state_name(new_state)
        if self._stored_states.get(where) == text:
            self._staged_states.pop(where, None)
            return
        self._staged_states[where] = text
        await self._write_staged()

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        self.counts.offered += 1
        try:
            await self._update_user_data(user_id, data)
        finally:
            self.counts.settled += 1

    async def _update_user_data(self, user_id: int, data: UserData) -> None:
        encoded = self.codec.encode(data) if data else None
        text = None if encoded is None else json.dumps(encoded, sort_keys=True)
        if self._stored_users.get(user_id) == text:
            self._staged_users.pop(user_id, None)
            return
        self._staged_users[user_id] = None if text is None else (text, encoded)
        await self._write_staged()

    async def drop_user_data(self, user_id: int) -> None:
        if user_id in self._stored_users:
            self._staged_users[user_id] = None
            await self._write_staged()

    async def _write_staged(self) -> None:
        """Join the transaction about to be written, or start one: everything PTB hands over
        in one ``update_persistence`` run is staged before the first write begins."""
        if self._batch is None:
            self._batch = asyncio.ensure_future(self._write_batch())
        await self._batch

    async def _write_batch(self) -> None:
        await asyncio.sleep(0)  # the other calls gathered with this one stage their rows now
        self._batch = None  # what is staged from here on goes into the next transaction
        users, self._staged_users = self._staged_users, {}
        states, self._staged_states = self._staged_states, {}
        if not users and not states:
            return
        now = self.clock()
        try:
            await self._write(users, states, now)
        except Exception:
            # Nothing was stored: stage it again under anything newer, for the next flush.
            self._staged_users = {**users, **self._staged_users}
            self._staged_states = {**states, **self._staged_states}
            raise
        self._remember(users, states)

    async def _write(
        self,
        users: dict[int, tuple[str, Any] | None],
        states: dict[tuple[str, str], str | None],
        now: datetime,
    ) -> None:
        async with self.sessions.begin() as session:
            for (name, key), state in states.items():
                if state is None:
                    await session.execute(
                        delete(BotConversation).where(
                            BotConversation.name == name, BotConversation.key == key
                        )
                    )
                else:
                    await _upsert(
                        session,
                        BotConversation,
                        {"name": name, "key": key, "state": state, "updated_at": now},
                        keys=("name", "key"),
                    )
            for user_id, value in users.items():
                if value is None:
                    await session.execute(delete(BotUserData).where(BotUserData.user_id == user_id))
                else:
                    await _upsert(
                        session,
                        BotUserData,
                        {"user_id": user_id, "data": value[1], "updated_at": now},
                        keys=("user_id",),
                    )

    def _remember(
        self, users: dict[int, tuple[str, Any] | None], states: dict[tuple[str, str], str | None]
    ) -> None:
        """Committed: what the database holds now."""
        self.counts.transactions += 1
        for where, state in states.items():
            if state is None:
                self._stored_states.pop(where, None)
                self.counts.rows_deleted += 1
            else:
                self._stored_states[where] = state
                self.counts.rows_written += 1
        for user_id, value in users.items():
            if value is None:
                self._stored_users.pop(user_id, None)
                self.counts.rows_deleted += 1
            else:
                self._stored_users[user_id] = value[0]
                self.counts.rows_written += 1

    # --- what this persistence does not keep ---

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        return None  # one server per database: what is in memory is what is stored

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        """Called once at shutdown, after PTB's last ``update_persistence``: every change was
        written when it was handed over, so only a batch still in flight is waited for."""
        if self._batch is not None:
            await self._batch
