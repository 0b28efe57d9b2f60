"""The resumable uploads' store on disk: what a piece cut short leaves (kept without a
checksum, dropped with one), one writer at a time, ids that never reach a path, and the
sweep of abandoned uploads."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storage.errors import NotFound
from storage.services.uploads import UploadBusy, UploadStore

NOW = datetime(2026, 11, 26, 9, 0).astimezone()


async def cut_after(*blocks: bytes) -> AsyncIterator[bytes]:
    """A body whose connection drops after these blocks arrived."""
    for block in blocks:
        yield block
    raise ConnectionResetError("Connection lost")


async def whole(*blocks: bytes) -> AsyncIterator[bytes]:
    for block in blocks:
        yield block


@pytest.mark.parametrize(("checked", "kept"), [(False, 300), (True, 100)])
async def test_a_piece_cut_short_is_kept_unless_it_came_with_a_checksum(
    tmp_path: Path, checked: bool, kept: int
) -> None:
    store = UploadStore(tmp_path, max_bytes=10_000)
    upload = store.create(person_id=1, meeting_id=1, length=1000, filename=None, now=NOW)
    with store.writing(upload):
        await store.append(upload, offset=0, chunks=whole(b"a" * 100))
    piece = b"b" * 200 + b"c" * 300
    with pytest.raises(ConnectionResetError), store.writing(upload):
        await store.append(
            upload,
            offset=100,
            chunks=cut_after(b"b" * 200),
            sha256=hashlib.sha256(piece).digest() if checked else None,
        )
    assert store.offset(upload) == kept
    assert store.data_path(upload).read_bytes() == (b"a" * 100 + b"b" * 200)[:kept]


async def test_one_writer_at_a_time(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=10_000)
    upload = store.create(person_id=1, meeting_id=1, length=1000, filename=None, now=NOW)
    with store.writing(upload):
        assert store.busy(upload)
        with pytest.raises(UploadBusy), store.writing(upload):
            pass
    assert not store.busy(upload)


def test_ids_and_owners(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=10_000)
    upload = store.create(person_id=1, meeting_id=1, length=10, filename="a.wav", now=NOW)
    assert store.get(upload.id, person_id=1) == upload
    for bad, person in ((upload.id, 2), ("../../etc/passwd", 1), ("x" * 24, 1), ("", 1)):
        with pytest.raises(NotFound):
            store.get(bad, person_id=person)


def test_abandoned_uploads_are_swept(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, max_bytes=10_000)
    old = store.create(person_id=1, meeting_id=1, length=10, filename=None, now=NOW)
    busy = store.create(person_id=1, meeting_id=1, length=10, filename=None, now=NOW)
    fresh = store.create(person_id=1, meeting_id=1, length=10, filename=None, now=NOW)
    now = datetime.now().astimezone()
    long_ago = (now - timedelta(days=8)).timestamp()
    for upload in (old, busy):
        for path in (store.data_path(upload), store.data_path(upload).with_suffix(".json")):
            os.utime(path, (long_ago, long_ago))
    with store.writing(busy):
        assert store.sweep(now=now) == [old.id]
    assert not store.data_path(old).exists()
    assert store.get(fresh.id, person_id=1) == fresh
    assert store.get(busy.id, person_id=1) == busy
