"""``diemcau backup DIR`` and ``diemcau restore DIR``: the database and the recordings."""

from __future__ import annotations

from pathlib import Path

import click

from bot.vietnamese import error_vi
from diemcau.startup import acquire_instance_lock, checked_settings
from storage import backup as backups


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def backup(directory: Path) -> None:
    """Sao lưu CSDL và các bản ghi vào thư mục DIRECTORY (mới hoặc rỗng); chạy được khi máy
    chủ đang chạy."""
    settings = checked_settings()
    try:
        summary = backups.backup(settings.effective_database_url, settings.data_dir, directory)
    except backups.BackupError as error:
        raise click.ClickException(error_vi(error)) from None
    click.echo(
        f"Đã sao lưu CSDL ({summary.backend}) và {summary.files} tệp "
        f"({_size(summary.file_bytes)}) vào {directory}."
    )


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Ghi đè dữ liệu hiện có, không hỏi lại.")
def restore(directory: Path, yes: bool) -> None:
    """Khôi phục CSDL và các bản ghi từ bản sao lưu DIRECTORY (máy chủ phải dừng)."""
    # A damaged database is what one restores over: only the settings are checked here.
    settings = checked_settings(database=False)
    lock = acquire_instance_lock(settings)
    try:
        if not yes:
            click.confirm(
                "Khôi phục sẽ thay toàn bộ dữ liệu hiện có bằng bản sao lưu. Tiếp tục?",
                abort=True,
            )
        summary = backups.restore(settings.effective_database_url, settings.data_dir, directory)
    except backups.BackupError as error:
        raise click.ClickException(error_vi(error)) from None
    finally:
        lock.release()
    click.echo(
        f"Đã khôi phục CSDL ({summary.backend}) và {summary.files} tệp "
        f"({_size(summary.file_bytes)}) từ {directory}."
    )
