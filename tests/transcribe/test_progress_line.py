"""The progress people see: percent of the audio, time elapsed, time still to go."""

from __future__ import annotations

import io

from diemcau.progress import ProgressLine, clock_text


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_line_shows_percent_elapsed_and_estimate() -> None:
    clock, out = Clock(), io.StringIO()
    bar = ProgressLine("Đang chép lời", stream=out, terminal=True, clock=clock, width=10)
    clock.now += 30
    bar.update(0.25)
    assert out.getvalue() == ("\rĐang chép lời [##--------]  25% · 0:30 đã qua · còn ~1:30\033[K")
    clock.now += 0.05
    bar.update(0.3)  # too soon to redraw
    assert out.getvalue().count("\r") == 1
    clock.now += 60
    bar.update(0.2)  # never backwards
    assert "30%" in out.getvalue().rsplit("\r", 1)[-1]
    bar.close()
    assert out.getvalue().endswith("\033[K\n")


def test_a_pipe_gets_a_plain_line_at_each_tenth_only() -> None:
    clock, out = Clock(), io.StringIO()
    bar = ProgressLine("Đang chép lời", stream=out, terminal=False, clock=clock)
    for step in range(101):
        clock.now += 1
        bar.update(step / 100)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and "\r" not in out.getvalue()
    assert lines[0].startswith("Đang chép lời [") and "0%" in lines[0]
    assert "100%" in lines[-1] and "1:41 đã qua" in lines[-1]
    bar.close()
    assert len(out.getvalue().splitlines()) == 11


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 59.6, 61, 3600 + 62)] == ["0:00", "1:00", "1:01", "1:01:02"]
