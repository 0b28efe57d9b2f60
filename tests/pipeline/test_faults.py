"""Fault tests: real processes, real SIGKILL, the real bundled model, SQLite and PostgreSQL.

An owner process (``tests.pipeline.owner``, what ``diemcau run`` holds) runs the pipeline on
the shipped synthesised recording (47.7 s: two 36-second windows). The job's checkpoint hook
(``tests.pipeline.killpoints``, switched on by environment variables only these tests set)
sends SIGKILL at an exact moment, to the worker or to the owner. After the restart there
must be exactly one transcript (windows contiguous, no segment twice), one draft and one
review message, and no worker process left alive.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage import migrate
from storage.models import Draft, RecordingStatus, TranscriptWindow
from tests.conftest import BACKENDS, empty_database_url
from tests.pipeline import killpoints
from tests.transcribe.conftest import REPO, SAMPLE
from tests.transcribe.rows import (
    add_recording,
    assert_covered_once,
    segments_of,
    state,
    sync_sessions,
    windows_of,
)

MOMENTS = ["before-first-window", "after-window", "after-last-window", "transcribed"]

pytestmark = pytest.mark.slow


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    for url in empty_database_url(request.param, tmp_path, "faults"):
        migrate.upgrade(url)  # the real migrations, 0003 included
        yield url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    yield from sync_sessions(db_url)


@pytest.fixture
def recording_id(sessions: sessionmaker[Session]) -> int:
    return add_recording(sessions, SAMPLE)


class Owners:
    """Starts owner processes on one recording and collects what they leave behind."""

    def __init__(self, url: str, recording_id: int, data_dir: Path, tmp_path: Path) -> None:
        self.url, self.recording_id, self.data_dir = url, recording_id, data_dir
        self.reviews = tmp_path / "reviews.txt"
        self.pids = tmp_path / "worker-pids.txt"
        self.fired = tmp_path / "kill-fired"

    def start(
        self, *, kill_at: str | None = None, who: str = "worker", every_run: bool = False
    ) -> subprocess.Popen[str]:
        env = {**os.environ, "PYTHONPATH": str(REPO), killpoints.PIDS: str(self.pids)}
        if kill_at is not None:
            env |= {killpoints.KILL_AT: kill_at, killpoints.KILL_WHO: who}
            if not every_run:
                env[killpoints.KILL_ONCE] = str(self.fired)
        return subprocess.Popen(
            [sys.executable, "-m", "tests.pipeline.owner", self.url, str(self.recording_id),
             str(self.data_dir), str(self.reviews)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def run(self, **kwargs: Any) -> tuple[int, str, str]:
        process = self.start(**kwargs)
        try:
            out, err = process.communicate(timeout=300)
        finally:
            process.kill()
        return process.returncode, out, err

    def worker_pids(self) -> set[int]:
        if not self.pids.exists():
            return set()
        return {int(line) for line in self.pids.read_text().split()}

    def assert_no_worker_left(self, within_s: float = 10.0) -> None:
        deadline = time.monotonic() + within_s
        alive = self.worker_pids()
        while alive and time.monotonic() < deadline:
            alive = {pid for pid in alive if _alive(pid)}
            time.sleep(0.1)
        assert not alive, f"worker processes left behind: {sorted(alive)}"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return not any(line.startswith("State:\tZ") for line in status)  # a zombie is dead
    except FileNotFoundError:
        return False


@pytest.fixture
def owners(
    db_url: str, recording_id: int, model_data_dir: Path, tmp_path: Path
) -> Iterator[Owners]:
    found = Owners(db_url, recording_id, model_data_dir, tmp_path)
    yield found
    for pid in found.worker_pids():  # never leave a worker to the next test, even on failure
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def assert_one_transcript_one_draft_one_review(
    sessions: sessionmaker[Session], recording_id: int, owners: Owners
) -> None:
    recording = state(sessions, recording_id)
    assert recording.status == RecordingStatus.SENT and recording.progress == 1.0
    assert recording.lease_owner is None  # released
    with sessions() as session:
        windows = windows_of(session, recording_id)
        segments = segments_of(session, recording_id)
        drafts = list(session.scalars(select(Draft).where(Draft.recording_id == recording_id)))
    # The windows cover the recording once, end to end; no segment twice: numbered without
    # gaps, in time order, each counted by one window.
    assert_covered_once(windows, segments)
    assert len(windows) >= 2
    assert windows[-1].end == pytest.approx(recording.duration_s or 0, abs=0.05)
    assert recording.duration_s == pytest.approx(47.7, abs=0.5)
    for before, after in itertools.pairwise(segments):
        assert after.start >= before.end - 0.05, (before.text, after.text)
    assert len({(s.start, s.text) for s in segments}) == len(segments)
    assert len(drafts) == 1
    reviews = owners.reviews.read_text().splitlines()
    assert [line.split()[0] for line in reviews] == [str(drafts[0].id)]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_worker_killed_at_any_moment_is_replaced_and_the_job_finishes_once(
    sessions: sessionmaker[Session], recording_id: int, owners: Owners, moment: str
) -> None:
    code, out, err = owners.run(kill_at=moment, who="worker")
    assert owners.fired.exists(), "the kill never fired"
    assert code == 0 and out.startswith("done:"), (out, err)
    assert "not usable" not in out
    assert_one_transcript_one_draft_one_review(sessions, recording_id, owners)
    # Killed after the job marked the recording transcribed, the retry has nothing to run.
    assert state(sessions, recording_id).attempts == (1 if moment == "transcribed" else 2)
    # The dead worker, and the pool's replacement (which, after "transcribed", had no job).
    assert len(owners.worker_pids()) == (1 if moment == "transcribed" else 2)
    owners.assert_no_worker_left()


@pytest.mark.parametrize(
    ("moment", "stage_left"),
    [("after-window", RecordingStatus.TRANSCRIBING), ("transcribed", RecordingStatus.TRANSCRIBED)],
)
def test_a_server_killed_mid_job_or_before_the_draft_takes_its_worker_and_resumes_on_restart(
    sessions: sessionmaker[Session],
    recording_id: int,
    owners: Owners,
    moment: str,
    stage_left: RecordingStatus,
) -> None:
    code, out, err = owners.run(kill_at=moment, who="owner")
    assert code == -signal.SIGKILL, (code, out, err)
    owners.assert_no_worker_left()  # the orphaned worker followed its server
    killed = state(sessions, recording_id)
    assert killed.status == stage_left
    if moment == "after-window":
        assert 0 < killed.progress < 1
    with sessions() as session:
        assert session.scalar(select(Draft.id).where(Draft.recording_id == recording_id)) is None

    code, out, err = owners.run()  # the restarted server, once the dead one's lease expired
    assert code == 0 and out.startswith("done:"), (out, err)
    assert_one_transcript_one_draft_one_review(sessions, recording_id, owners)
    assert state(sessions, recording_id).attempts == (2 if moment == "after-window" else 1)
    owners.assert_no_worker_left()


def test_two_servers_on_one_database_never_both_transcribe(
    sessions: sessionmaker[Session], recording_id: int, owners: Owners
) -> None:
    first, second = owners.start(), owners.start()
    results = [process.communicate(timeout=300) for process in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    assert_one_transcript_one_draft_one_review(sessions, recording_id, owners)
    recording = state(sessions, recording_id)
    assert recording.attempts == 1  # one transcription run in all
    with sessions() as session:
        tokens = set(
            session.scalars(
                select(TranscriptWindow.lease_token).where(
                    TranscriptWindow.recording_id == recording_id
                )
            )
        )
    assert len(tokens) == 1  # every window written under one claim
    assert len(owners.worker_pids()) == 1  # only one server ever ran the job
    owners.assert_no_worker_left()


def test_a_recording_that_kills_every_worker_fails_after_a_bounded_number_of_runs(
    sessions: sessionmaker[Session], recording_id: int, owners: Owners
) -> None:
    code, out, err = owners.run(kill_at="before-first-window", who="worker", every_run=True)
    assert code == 1, (out, err)
    assert out.startswith("failed: tiến trình chép lời bị dừng đột ngột 4 lần"), (out, err)
    assert "pool" not in out  # never Python's words
    recording = state(sessions, recording_id)
    assert recording.status == RecordingStatus.FAILED and recording.attempts == 4
    assert recording.error is not None and recording.error in out
    assert len(owners.worker_pids()) == 4
    owners.assert_no_worker_left()
