"""``diemcau recording add``: a real recording streamed into the data directory and queued for
its meeting, the same way a chat upload is; every refusal is one Vietnamese line and leaves
nothing behind."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.vietnamese import error_vi
from diemcau.cli import cli
from diemcau.media import check_recording
from diemcau.settings import get_settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.errors import DomainError, ErrorCode
from storage.models import Recording, RecordingStatus
from storage.services.intake import DuplicateRecording, RecordingNotSaved, file_chunks, take_in
from tests.conftest import BACKENDS, VN
from tests.storage.factories import make_committee, make_meeting


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("DIEMCAU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DIEMCAU_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def speech(path: Path, words: str = "Kết luận phiên họp Ban Chỉ đạo tỉnh") -> Path:
    """Real Vietnamese speech from espeak-ng, as a WAV file."""
    subprocess.run(["espeak-ng", "-v", "vi", "-w", str(path), words], check=True)
    return path


def tone(path: Path, seconds: int) -> Path:
    """A long recording made quickly: a 44.1 kHz stereo tone (about 10 MB a minute)."""
    command = ["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", str(path)]
    subprocess.run([*command, "synth", str(seconds), "sine", "440"], check=True)
    return path


async def _meeting(url: str) -> int:
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_async_engine(url)
    async with make_async_sessionmaker(engine).begin() as session:
        seed = await make_committee(session)
        meeting = await make_meeting(session, seed, now=datetime.now(VN))
    await engine.dispose()
    return meeting.id


async def _recordings(url: str) -> list[Recording]:
    engine = make_async_engine(url)
    async with make_async_sessionmaker(engine)() as session:
        rows = list(await session.scalars(select(Recording).order_by(Recording.id)))
    await engine.dispose()
    return rows


def add(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["recording", "add", *args])
    return result.exit_code, result.output


def test_a_recording_is_copied_hashed_and_queued_and_a_second_copy_is_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    url = get_settings().effective_database_url
    meeting_id = asyncio.run(_meeting(url))
    source = speech(tmp_path / "ket luan.wav")
    code, output = add(str(source), "--meeting", str(meeting_id))
    assert code == 0, output
    assert "Đã thêm bản ghi số 1 " in output and f"phiên họp số {meeting_id}" in output

    [recording] = asyncio.run(_recordings(url))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert recording.status == RecordingStatus.QUEUED
    assert recording.meeting_id == meeting_id and recording.original_name == "ket luan.wav"
    assert recording.sha256 == digest and recording.size_bytes == source.stat().st_size
    stored = Path(recording.path)
    assert stored == data_dir / "recordings" / digest
    assert stored.read_bytes() == source.read_bytes()

    # The same bytes under another name: refused, naming the first recording and its meeting.
    again = tmp_path / "ban-sao.wav"
    again.write_bytes(source.read_bytes())
    code, output = add(str(again), "--meeting", str(meeting_id))
    assert code == 1
    added = recording.created_at.astimezone(VN)
    assert "Bản ghi này đã có: bản ghi số 1" in output
    assert f"phiên họp “Phiên họp lần thứ 3” (số {meeting_id})" in output
    assert f"{added:%H:%M} ngày {added:%d/%m/%Y}" in output
    assert output.strip().count("\n") == 0
    assert len(asyncio.run(_recordings(url))) == 1
    assert sorted(p.name for p in (data_dir / "recordings").iterdir()) == [digest]


def test_every_refusal_is_one_vietnamese_line_and_keeps_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    url = get_settings().effective_database_url
    meeting_id = asyncio.run(_meeting(url))
    notes = tmp_path / "ghi-chep.txt"
    notes.write_text("Ghi chép cuộc họp, không phải ghi âm.\n" * 50, encoding="utf-8")
    cut = tmp_path / "bi-cat.wav"
    cut.write_bytes(speech(tmp_path / "full.wav").read_bytes()[:-4000])
    cases = {
        "Không tìm thấy tệp:": [str(tmp_path / "khong-co.mp3"), "--meeting", str(meeting_id)],
        "Không có phiên họp số 999.": [str(cut), "--meeting", "999"],
        "Tệp không dùng được làm bản ghi: không đọc được tệp": [
            str(notes),
            "--meeting",
            str(meeting_id),
        ],
        "Tệp không dùng được làm bản ghi: tệp bị cắt cụt": [str(cut), "--meeting", str(meeting_id)],
    }
    for expected, args in cases.items():
        code, output = add(*args)
        assert code == 1, output
        assert expected in output
        assert output.strip().count("\n") == 0, output
        assert "Traceback" not in output and ".partial" not in output
    assert asyncio.run(_recordings(url)) == []
    recordings = data_dir / "recordings"
    assert not recordings.exists() or list(recordings.iterdir()) == []
    assert notes.exists() and cut.exists()  # the sources are never touched


async def test_a_long_recording_passes_through_in_chunks(tmp_path: Path, now: datetime) -> None:
    """Memory stays flat: a 40 MB file is taken in while Python never holds more than a few
    chunks of it (traced allocations, not time)."""
    source = tone(tmp_path / "hai-gio.wav", 240)
    assert source.stat().st_size > 40 * 1024 * 1024
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    meeting_id = await _meeting(url)
    engine = make_async_engine(url)
    tracemalloc.start()
    try:
        recording = await take_in(
            make_async_sessionmaker(engine),
            file_chunks(source),
            data_dir=tmp_path / "data",
            meeting_id=meeting_id,
            original_name=source.name,
            uploaded_by_id=None,
            now=now,
            tz=VN,
            check_media=check_recording,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await engine.dispose()
    assert recording.size_bytes == source.stat().st_size
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MB"


async def test_a_meeting_that_does_not_exist_is_refused_before_any_byte_is_copied(
    tmp_path: Path, now: datetime
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    await _meeting(url)
    read: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        read.append(1)
        yield b"RIFF"

    engine = make_async_engine(url)
    with pytest.raises(DomainError, match="meeting 42"):
        await take_in(
            make_async_sessionmaker(engine),
            chunks(),
            data_dir=tmp_path / "data",
            meeting_id=42,
            original_name=None,
            uploaded_by_id=None,
            now=now,
            tz=VN,
        )
    await engine.dispose()
    assert read == [] and not (tmp_path / "data").exists()


def test_the_command_is_documented_as_its_help_says() -> None:
    help_text = CliRunner().invoke(cli, ["recording", "add", "--help"]).output
    assert "FILE" in help_text and "--meeting" in help_text
    docs = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "## `diemcau recording add`" in docs  # tests/ops compares the page with --help


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
async def test_the_same_bytes_twice_on_each_database(
    empty_database: str, tmp_path: Path, now: datetime
) -> None:
    meeting_id = await _meeting(empty_database)
    source = speech(tmp_path / "a.wav")
    engine = make_async_engine(empty_database)
    sessions = make_async_sessionmaker(engine)

    async def add_once(name: str) -> Recording:
        return await take_in(
            sessions,
            file_chunks(source),
            data_dir=tmp_path / "data",
            meeting_id=meeting_id,
            original_name=name,
            uploaded_by_id=None,
            now=now,
            tz=VN,
            check_media=check_recording,
        )

    try:
        first = await add_once("a.wav")
        with pytest.raises(DuplicateRecording) as refused:
            await add_once("b.wav")
        assert refused.value.existing_id == first.id
        assert "thêm lúc 09:00 ngày 26/11/2026" in error_vi(refused.value)
    finally:
        await engine.dispose()
    assert [r.original_name for r in await _recordings(empty_database)] == ["a.wav"]


@pytest.mark.parametrize("empty_database", BACKENDS, indirect=True)
async def test_a_hostile_file_name_is_stored_sanitised_and_a_refused_row_keeps_no_file(
    empty_database: str, tmp_path: Path, now: datetime
) -> None:
    """A 600-character name and a NUL (PostgreSQL refuses NUL in text) are stored cleaned;
    when the database refuses the row anyway, the copy is removed and the reason is one
    Vietnamese sentence."""
    meeting_id = await _meeting(empty_database)
    engine = make_async_engine(empty_database)
    sessions = make_async_sessionmaker(engine)
    data = tmp_path / "data"

    async def add(source: Path, name: str, uploaded_by_id: int | None = None) -> Recording:
        return await take_in(
            sessions,
            file_chunks(source),
            data_dir=data,
            meeting_id=meeting_id,
            original_name=name,
            uploaded_by_id=uploaded_by_id,
            now=now,
            tz=VN,
            check_media=check_recording,
        )

    long_name = "Phiên họp " + "dài" * 200 + ".wav"
    try:
        first = await add(speech(tmp_path / "a.wav"), long_name)
        second = await add(
            speech(tmp_path / "b.wav", "Thông báo kết luận"), "biên\x00bản\x07/../x.wav"
        )
        with pytest.raises(RecordingNotSaved) as refused:  # no such uploader: the row is refused
            await add(speech(tmp_path / "c.wav", "Đơn vị tư vấn"), "c.wav", uploaded_by_id=10**6)
    finally:
        await engine.dispose()
    assert first.original_name is not None and len(first.original_name) <= 200
    assert first.original_name.startswith("Phiên họp dài") and first.original_name.endswith(".wav")
    assert second.original_name == "biênbản_.._x.wav"
    assert refused.value.code == ErrorCode.RECORDING_NOT_SAVED
    assert "Không lưu được bản ghi" in error_vi(refused.value)
    stored = await _recordings(empty_database)
    assert [r.original_name for r in stored] == [first.original_name, second.original_name]
    # Only the two accepted copies are on disk: no partial file, not the refused one.
    assert sorted(p.name for p in (data / "recordings").iterdir()) == sorted(
        r.sha256 for r in stored
    )
