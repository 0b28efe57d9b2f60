"""Progress people can see: percent of the audio done, time elapsed, time still to go.

On a terminal one line is redrawn in place; elsewhere (a pipe, a log) a plain line is
written at each tenth, so a log shows the work moving without a wall of redraws.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

# Redraw a terminal line at most this often: the engine reports after every batch of clips.
REDRAW_S = 0.2


def clock_text(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a duration in seconds."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressLine:
    """``label [#####-----]  50% · 0:12 đã qua · còn ~0:12`` for a fraction 0..1."""

    def __init__(
        self,
        label: str,
        *,
        stream: TextIO | None = None,
        terminal: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        width: int = 24,
    ) -> None:
        self.label, self.width, self.clock = label, width, clock
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.started = clock()
        self.fraction = 0.0
        self._drawn_at: float | None = None
        self._tenths_shown = -1

    def text(self) -> str:
        elapsed = self.clock() - self.started
        filled = round(self.fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.label} [{bar}] {self.fraction:4.0%} · {clock_text(elapsed)} đã qua"
        if 0.02 <= self.fraction < 1.0:
            line += f" · còn ~{clock_text(elapsed * (1 - self.fraction) / self.fraction)}"
        return line

    def update(self, fraction: float) -> None:
        """Move to ``fraction`` (never backwards) and show it if it is time to."""
        self.fraction = min(1.0, max(self.fraction, fraction))
        if self.terminal:
            now = self.clock()
            if self._drawn_at is None or now - self._drawn_at >= REDRAW_S or fraction >= 1.0:
                self._drawn_at = now
                self.stream.write("\r" + self.text() + "\033[K")
                self.stream.flush()
            return
        tenths = int(self.fraction * 10)
        if tenths > self._tenths_shown:
            self._tenths_shown = tenths
            self.stream.write(self.text() + "\n")
            self.stream.flush()

    def close(self) -> None:
        """End the redrawn line (a terminal), so what follows starts on its own line."""
        if self.terminal and self._drawn_at is not None:
            self.stream.write("\r" + self.text() + "\033[K\n")
            self.stream.flush()
