"""The job's checkpoint hook for the fault tests: a real SIGKILL at an exact moment.

The pipeline under test is built with ``worker_checkpoint="tests.pipeline.killpoints:
checkpoint"``; the job calls it at its named moments (``transcribe.job``). The environment,
set only by the tests, says when to kill and whom:
- ``DIEMCAU_TEST_KILL_AT``: the moment (``before-first-window``, ``after-window``,
  ``after-last-window``, ``transcribed``); ``after-window`` fires after the first window;
- ``DIEMCAU_TEST_KILL_WHO``: ``worker`` (this process) or ``owner`` (the server that
  started it, whose death this worker must then follow);
- ``DIEMCAU_TEST_KILL_ONCE``: a file created when the kill fires, so the retry runs through
  (unset: every run is killed, to see the retries end);
- ``DIEMCAU_TEST_PIDS``: every worker appends its pid here, to check none is left behind.
"""

from __future__ import annotations

import os
import signal

KILL_AT = "DIEMCAU_TEST_KILL_AT"
KILL_WHO = "DIEMCAU_TEST_KILL_WHO"
KILL_ONCE = "DIEMCAU_TEST_KILL_ONCE"
PIDS = "DIEMCAU_TEST_PIDS"


def checkpoint(moment: str) -> None:
    pids = os.environ.get(PIDS)
    if pids:
        with open(pids, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
    if moment != os.environ.get(KILL_AT):
        return
    once = os.environ.get(KILL_ONCE)
    try:  # O_EXCL: exactly one kill, however many runs reach this moment
        if once:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    victim = os.getppid() if os.environ.get(KILL_WHO) == "owner" else os.getpid()
    os.kill(victim, signal.SIGKILL)
