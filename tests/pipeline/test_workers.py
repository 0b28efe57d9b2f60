"""``diemcau worker`` processes on the real PostgreSQL: the stages as procrastinate jobs.

Three real worker processes (each with its own transcription process and the bundled
Whisper model) take twenty queued recordings of synthesised speech; the job's checkpoint
hook (``tests.pipeline.killpoints``) SIGKILLs one worker right after it stored the first of
a recording's two windows. Its job goes back to the queue once its heartbeat is missed and
is resumed by another worker from the stored window. Every recording must then be done
once: one transcript (every window once, no segment twice), one draft, progress that never
went backwards, and no process left alive.

Real transcription costs one model pass per window (two windows take far longer than the
whole queue's bookkeeping), so only the first five recordings are long enough for two
windows (the kill lands on one of them: workers take jobs in order); the other fifteen are
one short sentence.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from storage import migrate
from storage.models import Draft, Recording, RecordingStatus, TranscriptWindow
from storage.queue import defer_stage
from tests.conftest import fresh_postgres_database
from tests.pipeline import killpoints
from tests.transcribe.conftest import REPO, synthesise_to
from tests.transcribe.rows import NOW, assert_covered_once, segments_of, sync_sessions, windows_of

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

RECORDINGS = 20
LONG = 5  # the first five have two windows (60 s of mostly silence, then more speech)
WORKERS = 3
STALL_SECONDS = 4.0


@pytest.fixture
def db_url() -> Iterator[str]:
    for url in fresh_postgres_database("workers"):
        migrate.upgrade(url)  # procrastinate's schema comes with 0005_job_queue
        yield url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    yield from sync_sessions(db_url)


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("speech")
    short = synthesise_to(directory / "short.ogg", ["Giao Sở Tài chính báo cáo trước ngày 20/6."])
    long = synthesise_to(
        directory / "long.ogg",
        ["Chủ tịch Ủy ban nhân dân tỉnh kết luận.", 57.0,
         "Giao Sở Kế hoạch và Đầu tư hoàn thành trước ngày 20 tháng 6."],
    )  # fmt: skip
    return short, long


def queue_recordings(sessions: sessionmaker[Session], short: Path, long: Path) -> list[int]:
    """Twenty queued recordings, each with its transcription job queued in the same
    transaction (as ``storage.services.recordings.enqueue_recording`` does)."""
    ids = []
    with sessions.begin() as session:
        for number in range(RECORDINGS):
            path = long if number < LONG else short
            recording = Recording(
                path=str(path), original_name=path.name, sha256=f"{number:064x}",
                size_bytes=path.stat().st_size, status=RecordingStatus.QUEUED, progress=0.0,
                attempts=0, lease_token=0, created_at=NOW, updated_at=NOW,
            )  # fmt: skip
            session.add(recording)
            session.flush()
            assert defer_stage(session, recording.id, RecordingStatus.QUEUED) is not None
            ids.append(recording.id)
    return ids


def start_worker(url: str, data_dir: Path, tmp_path: Path, log: IO[str]) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIEMCAU_")}
    env |= {
        "PYTHONPATH": str(REPO),
        "DIEMCAU_DATABASE_URL": url,
        "DIEMCAU_DATA_DIR": str(data_dir),
        # The first window stored by any worker's transcription process kills that worker
        # (the process's parent), once in the whole test.
        killpoints.KILL_AT: "after-window",
        killpoints.KILL_WHO: "owner",
        killpoints.KILL_ONCE: str(tmp_path / "kill-fired"),
        killpoints.PIDS: str(tmp_path / "pool-pids.txt"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "diemcau", "worker", "--stall-seconds", str(STALL_SECONDS),
         "--checkpoint", "tests.pipeline.killpoints:checkpoint"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return not any(line.startswith("State:\tZ") for line in status)
    except FileNotFoundError:
        return False


def snapshot(sessions: sessionmaker[Session]) -> dict[int, tuple[RecordingStatus, float]]:
    with sessions() as session:
        rows = session.execute(select(Recording.id, Recording.status, Recording.progress))
        return {id_: (status, progress) for id_, status, progress in rows}


def test_three_workers_one_killed_mid_job_do_twenty_recordings_once(
    db_url: str,
    sessions: sessionmaker[Session],
    speech: tuple[Path, Path],
    model_data_dir: Path,
    tmp_path: Path,
) -> None:
    ids = queue_recordings(sessions, *speech)
    logs = [(tmp_path / f"worker-{n}.log").open("w") for n in range(WORKERS)]
    workers = [start_worker(db_url, model_data_dir, tmp_path, log) for log in logs]
    seen: dict[int, list[float]] = {i: [] for i in ids}
    try:
        deadline = time.monotonic() + 900
        while True:
            state = snapshot(sessions)
            for recording_id, (_, progress) in state.items():
                if not seen[recording_id] or seen[recording_id][-1] != progress:
                    seen[recording_id].append(progress)
            if all(status == RecordingStatus.DRAFTED for status, _ in state.values()):
                break
            failed = {i: s for i, (s, _) in state.items() if s == RecordingStatus.FAILED}
            assert not failed, failed
            assert time.monotonic() < deadline, (state, [w.poll() for w in workers])
            time.sleep(0.2)
        codes = [worker.poll() for worker in workers]
        # Exactly one worker was killed (by its own transcription process, at the hook);
        # the other two are still serving.
        assert sorted(codes, key=str) == [-signal.SIGKILL, None, None], codes
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)  # a graceful stop: no job is running
        codes_after = [worker.wait(timeout=60) for worker in workers]
        for log in logs:
            log.close()
    assert sorted(codes_after) == [-signal.SIGKILL, 0, 0], codes_after

    # Progress never went backwards, and every recording reached the end.
    for recording_id, values in seen.items():
        assert values == sorted(values), (recording_id, values)
        assert values[-1] == 1.0

    with sessions() as session:
        recordings = {r.id: r for r in session.scalars(select(Recording))}
        drafts = session.execute(
            select(Draft.recording_id, func.count()).group_by(Draft.recording_id)
        ).all()
        assert dict(drafts) == dict.fromkeys(ids, 1)  # one draft each
        for recording_id in ids:
            windows = windows_of(session, recording_id)
            # The windows cover the recording once; no segment is stored twice.
            assert_covered_once(windows, segments_of(session, recording_id))
            assert len(windows) == (2 if recording_id in ids[:LONG] else 1)
            assert recordings[recording_id].lease_owner is None

        # The killed run: its recording was resumed after its first window (the second
        # window under a newer claim), and ran twice; every other recording ran once.
        resumed = [i for i in ids if recordings[i].attempts == 2]
        assert len(resumed) == 1 and resumed[0] in ids[:LONG], {
            i: r.attempts for i, r in recordings.items()
        }
        tokens = list(
            session.scalars(
                select(TranscriptWindow.lease_token)
                .where(TranscriptWindow.recording_id == resumed[0])
                .order_by(TranscriptWindow.start)
            )
        )
        assert tokens[0] < tokens[1]
        assert all(recordings[i].attempts == 1 for i in ids if i != resumed[0])
        assert any(0 < value < 1 for value in seen[resumed[0]])  # stopped mid-recording

        # The queue: every transcription and draft job succeeded, the killed one after being
        # put back; the review jobs wait for a server (none runs here).
        jobs = session.execute(
            text(
                "SELECT task_name, status, count(*) FROM procrastinate_jobs "
                "GROUP BY task_name, status ORDER BY task_name, status"
            )
        ).all()
        assert [tuple(row) for row in jobs] == [
            ("diemcau.draft", "succeeded", RECORDINGS),
            ("diemcau.review", "todo", RECORDINGS),
            ("diemcau.transcribe", "succeeded", RECORDINGS),
        ]

    # No process left behind: the killed worker's transcription process followed it, and
    # nothing that was given this database (workers, their pools, multiprocessing's
    # resource trackers: all inherit the environment) still runs.
    pool = {int(line) for line in (tmp_path / "pool-pids.txt").read_text().split()}
    assert len(pool) == WORKERS
    deadline = time.monotonic() + 10
    while (left := processes_of(db_url)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left and not [pid for pid in pool if alive(pid)], left


def processes_of(url: str) -> set[int]:
    """Live processes whose environment names this database."""
    needle = f"DIEMCAU_DATABASE_URL={url}".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if needle in environ.split(b"\0") and alive(int(entry.name)):
            found.add(int(entry.name))
    return found
