"""The one-ahead producer thread between decoding/VAD and the model (no model needed)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from transcribe.engine import _ahead
from transcribe.errors import AudioError


def test_items_come_in_order_produced_in_another_thread() -> None:
    threads: list[str] = []

    def produce() -> Iterator[int]:
        for i in range(5):
            threads.append(threading.current_thread().name)
            yield i

    assert list(_ahead(produce())) == [0, 1, 2, 3, 4]
    assert set(threads) == {"transcribe-decode"}


def test_at_most_one_item_is_produced_ahead() -> None:
    produced: list[int] = []

    def produce() -> Iterator[int]:
        for i in range(10):
            produced.append(i)
            yield i

    seen = _ahead(produce())
    assert next(seen) == 0
    # one handed over, one waiting in the queue, one blocked on the put: never the rest
    threading.Event().wait(0.3)
    assert len(produced) <= 3
    seen.close()


def test_an_error_is_raised_after_the_items_before_it() -> None:
    def produce() -> Iterator[int]:
        yield 1
        yield 2
        raise AudioError("tệp bị cắt cụt", "truncated")

    got: list[int] = []
    with pytest.raises(AudioError):
        for item in _ahead(produce()):
            got.append(item)
    assert got == [1, 2]


def test_closing_early_stops_and_closes_the_producer() -> None:
    closed = threading.Event()

    def produce() -> Iterator[int]:
        try:
            yield from range(1000)
        finally:
            closed.set()

    seen = _ahead(produce())
    assert next(seen) == 0
    seen.close()
    assert closed.is_set()
    assert not any(t.name == "transcribe-decode" for t in threading.enumerate())
