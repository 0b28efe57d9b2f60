"""Worker processes that cannot outlive the process that started them.

A transcription worker left running after its server died finishes a job nobody owns and
holds hundreds of megabytes for nothing. Two guards, because either alone has a gap:
- on Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``);
- everywhere, a daemon thread checks every second that the parent is still the one that
  started us (an orphan is re-parented, so ``getppid()`` changes), which also covers a parent
  that died before the ``prctl`` call took effect.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent_pid: int, *, check_every_s: float = 1.0) -> None:
    """Make this process exit as soon as ``parent_pid`` (its parent) is gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the guard was in place

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(check_every_s)
        os._exit(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()
