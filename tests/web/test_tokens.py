"""Tokens for scripts: made, listed and revoked with ``diemcau token``, sent as
``Authorization: Bearer``; they read the JSON API as their role in their committee, change
nothing, open no page, and stop working once revoked."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner, Result
from sqlalchemy import select

from diemcau.cli import cli
from diemcau.settings import get_settings
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import ApiToken, AuditEntry
from tests.conftest import VN
from tests.storage.factories import committee_data
from web.app import init_app

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A committee seeded through the command line; the database's URL."""
    monkeypatch.setenv("DIEMCAU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DIEMCAU_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    seed_file = tmp_path / "bcd.yaml"
    seed_file.write_text(yaml.safe_dump(committee_data(), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["seed", str(seed_file)])
    assert result.exit_code == 0, result.output
    yield get_settings().effective_database_url
    get_settings.cache_clear()


@pytest.fixture
async def client(database: str) -> AsyncIterator[Client]:
    server = TestServer(init_app(database, VN))
    test_client = TestClient(server)
    await test_client.start_server()
    try:
        yield test_client
    finally:
        await test_client.close()


async def diemcau(*args: str) -> Result:
    """The command line, off the test's event loop (it runs its own)."""
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args))


def made_token(output: str) -> tuple[int, str]:
    found = re.search(r"số (\d+) .*\n.*\n(dct_\S+)", output)
    assert found is not None, output
    return int(found[1]), found[2]


async def test_a_token_reads_the_api_until_revoked(database: str, client: Client) -> None:
    made = await diemcau("token", "create", "Báo cáo tuần", "--role", "leadership")
    assert made.exit_code == 0, made.output
    token_id, secret = made_token(made.output)
    bearer = {"Authorization": f"Bearer {secret}"}

    me = await client.get("/api/me", headers=bearer)
    assert me.status == 200
    body = await me.json()
    assert body["name"] == "Tích hợp “Báo cáo tuần”"
    assert [c["roles"] for c in body["committees"]] == [["leadership"]]
    assert (await client.get("/api/reports/tasks", headers=bearer)).status == 200
    attendance = await client.get("/api/reports/attendance", headers=bearer)
    assert attendance.status == 200  # leadership sees every point
    assert len((await attendance.json())["points"]) == 3
    assert (await client.get("/api/openapi.json", headers=bearer)).status == 200

    # Reading only, and only the API: no page, no spreadsheet, no change.
    assert (await client.get("/tasks", headers=bearer, allow_redirects=False)).status == 401
    assert (await client.get("/reports/tasks.xlsx", headers=bearer)).status == 401
    assert (await client.post("/api/me", headers=bearer)).status == 403
    assert (await client.post("/logout", headers=bearer)).status == 401

    listed = await diemcau("token", "list")
    assert f"{token_id}\tBáo cáo tuần\tleadership" in listed.output and "đang dùng" in listed.output
    assert secret not in listed.output

    revoked = await diemcau("token", "revoke", str(token_id))
    assert revoked.exit_code == 0, revoked.output
    refused = await client.get("/api/me", headers=bearer)
    assert refused.status == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert "đã thu hồi" in (await diemcau("token", "list")).output
    unknown = await diemcau("token", "revoke", "999")
    assert unknown.exit_code != 0 and "Không có mã truy cập số 999" in unknown.output

    engine = make_async_engine(database)
    try:
        async with make_async_sessionmaker(engine)() as session:
            stored = (await session.scalars(select(ApiToken))).one()
            actions = list(
                await session.scalars(
                    select(AuditEntry.action).where(AuditEntry.entity == "api_token")
                )
            )
    finally:
        await engine.dispose()
    assert secret not in stored.token_hash and len(stored.token_hash) == 64
    assert actions == ["api_token.create", "api_token.revoke"]


async def test_a_participants_token_sees_no_attendance(client: Client) -> None:
    made = await diemcau("token", "create", "Cổng thông tin", "--role", "participant")
    _, secret = made_token(made.output)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert (await client.get("/api/reports/attendance", headers=bearer)).status == 403
    # A participant sees their unit's tasks; a token has no unit, so it sees none.
    tasks = await (await client.get("/api/reports/tasks", headers=bearer)).json()
    assert tasks["units"] == []


@pytest.mark.parametrize(
    "header",
    ["Bearer dct_forged", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-even-ours"],
)
async def test_a_forged_token_is_refused(client: Client, header: str) -> None:
    response = await client.get("/api/me", headers={"Authorization": header})
    assert response.status == 401
    assert (await response.json())["error"] == 401


def test_a_token_needs_a_name() -> None:
    result = CliRunner().invoke(cli, ["token", "create", "  ", "--role", "leadership"])
    assert result.exit_code != 0
