"""The wiring: settings from the environment, ``diemcau db``, ``seed`` and ``demo``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from diemcau.cli import COMMANDS, cli
from diemcau.settings import Settings, get_settings

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DIEMCAU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DIEMCAU_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_settings_read_the_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIEMCAU_DATA_DIR", "/srv/diemcau")
    monkeypatch.setenv("DIEMCAU_WHISPER_MODEL", "large-v3")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.whisper_model == "large-v3"
    assert settings.effective_database_url == "sqlite+aiosqlite:////srv/diemcau/diemcau.db"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    monkeypatch.setenv("DIEMCAU_DATABASE_URL", "postgresql+psycopg://app@db/diemcau")
    assert Settings(_env_file=None).effective_database_url.startswith("postgresql")  # type: ignore[call-arg]


def test_an_unknown_time_zone_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIEMCAU_TIMEZONE", "Asia/Saigon_City")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_every_listed_command_loads() -> None:
    for name in COMMANDS:
        assert cli.get_command(None, name) is not None  # type: ignore[arg-type]
    assert cli.get_command(None, "nope") is None  # type: ignore[arg-type]


def test_db_upgrade_then_seed_then_seed_again_changes_nothing(data_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (data_dir / "diemcau.db").exists()
    first = runner.invoke(cli, ["seed", str(REPO / "examples" / "laichau.yaml")])
    assert first.exit_code == 0, first.output
    assert "10 điểm cầu" in first.output
    # Nobody in the file has a Telegram account yet: each gets a one-time link.
    links = re.findall(r"https://t\.me/<tên-bot>\?start=([\w-]+)", first.output)
    assert len(links) == 37 and len(set(links)) == 37
    assert (
        "- Trần Tiến Dũng (Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo): https://t.me/" in first.output
    )
    again = runner.invoke(cli, ["seed", str(REPO / "examples" / "laichau.yaml")])
    assert again.exit_code == 0, again.output
    assert "không có thay đổi" in again.output
    assert "https://t.me/" not in again.output  # nobody new: no new links


def test_seed_rejects_a_file_that_is_not_yaml(data_dir: Path) -> None:
    bad = data_dir / "bad.yaml"
    bad.write_text("committee: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["seed", str(bad)])
    assert result.exit_code == 1
    assert "Không đọc được tệp" in result.output
    assert "Traceback" not in result.output


def test_demo_prints_the_attendance_matrix(data_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "★ Điểm cầu UBND tỉnh" in out
    assert "Vắng — lý do: Đi kiểm tra công tác phòng, chống thiên tai" in out
    assert "Cử người dự thay: Lò Văn Minh (Phó Giám đốc Sở Kế hoạch và Đầu tư)" in out
    assert "có sự cố (Đường truyền chập chờn" in out
    assert re.search(r"ngày \d{2}/\d{2}/\d{4}", out)  # day/month/year
    totals = re.search(
        r"Tổng: Tham dự (\d+); Vắng (\d+); Cử người dự thay (\d+); Chưa trả lời (\d+); "
        r"Chưa nhận được giấy mời (\d+)",
        out,
    )
    assert totals is not None
    # Nobody in the demo has linked Telegram: the silent ones never got the invitation.
    assert [int(n) for n in totals.groups()] == [6, 2, 1, 0, 28]
    # The sample session's conclusion notice: the tasks DESIGN.md names, as DOCX and Markdown.
    assert "đơn vị tư vấn — Hoàn thiện Quy hoạch" in out and "hạn: 20/06/2021" in out
    assert "Các huyện, thành phố, các ngành — Tổng hợp ý kiến" in out
    notice = docx.Document(str(data_dir / "demo" / "thong-bao-ket-luan-2021-06-04.docx"))
    assert any(
        "Hoàn thiện Quy hoạch" in cell.text
        for t in notice.tables
        for r in t.rows
        for cell in r.cells
    )
    record = docx.Document(str(data_dir / "demo" / "bien-ban-2021-06-04.docx"))
    assert any(
        "Điểm cầu huyện Sìn Hồ" in cell.text
        for t in record.tables
        for r in t.rows
        for cell in r.cells
    )  # attendance by point
    markdown = (data_dir / "demo" / "thong-bao-ket-luan-2021-06-04.md").read_text(encoding="utf-8")
    assert "20/06/2021" in markdown
    # The sample recording went through the transcription job and the drafter.
    assert re.search(r"\[\s*\d+\.\ds\] \S+", out)
    assert (data_dir / "demo" / "thong-bao-ket-luan-ban-ghi-mau.docx").stat().st_size > 0
    # A second run starts again from a fresh database rather than failing on the seed.
    again = CliRunner().invoke(cli, ["demo"])
    assert again.exit_code == 0, again.output
