"""``diemcau recording add FILE --meeting ID``: a recording too big for the chat (or already on
the server) taken in exactly as a chat upload is, and queued for the server's transcription."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import click

from bot.vietnamese import error_vi
from diemcau.media import check_recording
from diemcau.settings import Settings, get_settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.errors import DomainError
from storage.models import Recording
from storage.services.intake import file_chunks, take_in


@click.group()
def recording() -> None:
    """Bản ghi phiên họp: thêm tệp ghi âm, ghi hình (tới vài GB) từ máy chủ."""


async def _add(settings: Settings, file: Path, meeting_id: int) -> Recording:
    url = settings.effective_database_url
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_async_engine(url)
    try:
        return await take_in(
            make_async_sessionmaker(engine),
            file_chunks(file),
            data_dir=settings.data_dir,
            meeting_id=meeting_id,
            original_name=file.name,
            uploaded_by_id=None,
            now=datetime.now(settings.tz),
            tz=settings.tz,
            check_media=check_recording,
        )
    finally:
        await engine.dispose()


@recording.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--meeting", "meeting_id", type=int, required=True, help="Số của phiên họp.")
def add(file: Path, meeting_id: int) -> None:
    """Chép FILE vào thư mục dữ liệu (từng phần, SHA-256), xếp hàng chuyển thành văn bản."""
    if not file.is_file():
        raise click.ClickException(f"Không tìm thấy tệp: {file}")
    settings = get_settings()
    try:
        added = asyncio.run(_add(settings, file, meeting_id))
    except DomainError as error:
        raise click.ClickException(error_vi(error)) from error
    except OSError as error:
        raise click.ClickException(f"Không đọc hoặc ghi được tệp: {error.strerror}") from error
    click.echo(
        f"Đã thêm bản ghi số {added.id} ({added.size_bytes / 2**20:.1f} MB, "
        f"SHA-256 {added.sha256[:12]}…) vào phiên họp số {meeting_id}. "
        "Máy chủ (diemcau run) sẽ chuyển thành văn bản và gửi dự thảo để duyệt."
    )
