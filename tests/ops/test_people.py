"""``diemcau people list|add|invite`` and ``seed --dry-run`` through the command line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from diemcau.cli import cli
from diemcau.settings import get_settings
from tests.storage.factories import committee_data


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DIEMCAU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DIEMCAU_DATABASE_URL", raising=False)
    monkeypatch.setenv("DIEMCAU_TELEGRAM_BOT_USERNAME", "diemcau_bot")
    get_settings.cache_clear()
    seed_file = tmp_path / "bcd.yaml"
    seed_file.write_text(yaml.safe_dump(committee_data(), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["seed", str(seed_file)])
    assert result.exit_code == 0, result.output
    yield seed_file
    get_settings.cache_clear()


def test_dry_run_prints_the_changes_and_writes_nothing(seeded: Path) -> None:
    data = committee_data()
    next(p for p in data["people"] if p["key"] == "u1_0")["point"] = "p2"
    seeded.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    dry = runner.invoke(cli, ["seed", "--dry-run", str(seeded)])
    assert dry.exit_code == 0, dry.output
    assert "Sẽ cập nhật" in dry.output
    assert "Người 1.0 (Chuyên viên 1.0): chuyển điểm cầu “Điểm cầu 1” → “Điểm cầu 2”" in dry.output
    # Nothing was written: the real run still has the same change to make.
    real = runner.invoke(cli, ["seed", str(seeded)])
    assert "chuyển điểm cầu “Điểm cầu 1” → “Điểm cầu 2”" in real.output
    assert "Đã cập nhật" in real.output
    assert "không có thay đổi" in runner.invoke(cli, ["seed", str(seeded)]).output


def test_people_list_add_and_invite(seeded: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["people", "list"])
    assert listed.exit_code == 0, listed.output
    assert re.search(
        r"u1_0\tNgười 1\.0 \(Chuyên viên 1\.0\)\tĐiểm cầu 1\tparticipant", listed.output
    )

    added = runner.invoke(
        cli,
        ["people", "add", "--key", "pgd", "--title", "Phó Giám đốc", "--name", "Lò Thị Mai",
         "--point", "p2", "--unit", "ĐV2", "--role", "participant", "--role", "coordinator"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    first = re.findall(r"https://t\.me/diemcau_bot\?start=([\w-]+)", added.output)
    assert len(first) == 1
    assert "pgd\tLò Thị Mai (Phó Giám đốc)\tĐiểm cầu 2\tcoordinator, participant" in (
        runner.invoke(cli, ["people", "list"]).output
    )
    again = runner.invoke(cli, ["people", "add", "--key", "pgd", "--title", "X"])
    assert again.exit_code == 1 and "đã có người dùng" in again.output

    fresh = runner.invoke(cli, ["people", "invite", "pgd"])
    codes = re.findall(r"https://t\.me/diemcau_bot\?start=([\w-]+)", fresh.output)
    assert len(codes) == 1 and codes != first  # a new one-time link
    everyone = runner.invoke(cli, ["people", "invite"])
    assert len(re.findall(r"\?start=", everyone.output)) == len(committee_data()["people"]) + 1
    unknown = runner.invoke(cli, ["people", "invite", "nobody"])
    assert unknown.exit_code == 1 and "Không có ai với khoá “nobody”" in unknown.output
