"""``diemcau db``: the database schema, through Alembic migrations."""

from __future__ import annotations

import click

from diemcau.startup import checked_settings
from storage import downgrades, migrate


@click.group()
def db() -> None:
    """Cơ sở dữ liệu: nâng cấp, hạ cấp, xem phiên bản lược đồ."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    url = checked_settings().effective_database_url
    migrate.upgrade(url, revision)
    click.echo(f"Lược đồ CSDL: {migrate.current_revision(url)}")


# What each table holds, for the line that says what a downgrade would delete.
TABLE_LABELS = {
    "invite_codes": "mã mời",
    "people": "người",
    "committees": "Ban Chỉ đạo",
    "units": "đơn vị",
    "points": "điểm cầu",
    "meetings": "phiên họp",
    "invitations": "giấy mời/trả lời",
    "recordings": "bản ghi",
    "transcript_segments": "đoạn phiên âm",
    "drafts": "dự thảo",
    "tasks": "nhiệm vụ",
    "task_events": "lịch sử nhiệm vụ",
    "notifications": "thông báo đã gửi",
    "audit_log": "nhật ký",
}


def describe(loss: downgrades.Loss) -> str:
    label = TABLE_LABELS.get(loss.table)
    where = f"bảng {loss.table}" + (f" ({label})" if label else "")
    if loss.column is not None:
        return f"cột {loss.column} của {loss.rows} dòng trong {where}"
    return f"{loss.rows} dòng trong {where}"


@db.command()
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Hạ cấp dù sẽ mất dữ liệu, không hỏi lại.")
def downgrade(revision: str, yes: bool) -> None:
    """Undo migrations down to REVISION ('base' empties the database).

    Refuses, without --yes, a downgrade that would delete data, and says what."""
    url = checked_settings().effective_database_url
    try:
        losses = downgrades.data_lost(url, revision)
    except ValueError as error:
        raise click.ClickException(f"Không hạ cấp được xuống {revision}: {error}") from None
    if revision == "base" and not yes:
        click.confirm(
            "Hạ cấp xuống 'base' xoá mọi bảng và mọi dữ liệu"
            + (f" ({'; '.join(describe(loss) for loss in losses)})" if losses else "")
            + ". Tiếp tục?",
            abort=True,
        )
    elif losses and not yes:
        raise click.ClickException(
            f"Hạ cấp xuống {revision} sẽ xoá {'; '.join(describe(loss) for loss in losses)}. "
            "Sao lưu trước (diemcau backup THƯ_MỤC), rồi chạy lại với --yes nếu chắc chắn."
        )
    migrate.downgrade(url, revision)
    click.echo(f"Lược đồ CSDL: {migrate.current_revision(url) or 'trống'}")


@db.command()
def current() -> None:
    """Print the schema revision the database is at."""
    click.echo(migrate.current_revision(checked_settings().effective_database_url) or "trống")
