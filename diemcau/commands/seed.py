"""``diemcau seed FILE``: load a committee, its points and people from YAML."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import yaml

from bot.vietnamese import error_vi
from diemcau.commands.people import print_invite_links
from diemcau.startup import checked_settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.errors import DomainError
from storage.seed import SeedResult, load_seed
from storage.services.people import create_invite_code, get_person


def read_seed_file(path: Path) -> dict[str, Any]:
    """Parse the YAML file, or stop with one clear line."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise click.ClickException(f"Không đọc được tệp {path}: {error}") from error
    if not isinstance(data, dict):
        raise click.ClickException(
            f"Tệp {path} không phải một bảng YAML (committee, points, people)."
        )
    return data


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""

    def __init__(self, result: SeedResult) -> None:
        super().__init__("dry run")
        self.result = result


async def seed_database(
    url: str,
    data: dict[str, Any],
    *,
    invite_at: datetime | None = None,
    dry_run: bool = False,
) -> tuple[SeedResult, list[tuple[str, str]]]:
    """Bring the schema up to date, then load or update everything in one transaction. With
    ``invite_at``, each new person without a Telegram account also gets a one-time
    invitation code: (display name, code) pairs. A dry run rolls everything back."""
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_async_engine(url)
    try:
        async with make_async_sessionmaker(engine).begin() as session:
            result = await load_seed(session, data, now=invite_at)
            if dry_run:
                session.expunge_all()  # keep what was loaded readable after the rollback
                raise DryRun(result)
            codes = []
            if invite_at is not None:
                for person_id in result.new_person_ids.values():
                    person = await get_person(session, person_id)
                    if person.telegram_user_id is None:
                        invite = await create_invite_code(session, person_id, now=invite_at)
                        codes.append((person.display_name, invite.code))
            return result, codes
    except DryRun as rolled_back:
        return rolled_back.result, []
    finally:
        await engine.dispose()


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Chỉ in những thay đổi, không ghi gì.")
def seed(file: Path, dry_run: bool) -> None:
    """Nạp Ban Chỉ đạo, điểm cầu và thành phần từ tệp YAML (xem examples/laichau.yaml).

    Nạp lại tệp đã sửa thì cập nhật tại chỗ: thêm người, đổi tên, chuyển điểm cầu, cho
    thôi tham gia (giữ lịch sử trả lời và nhiệm vụ)."""
    data = read_seed_file(file)
    settings = checked_settings()
    now = datetime.now(settings.tz)
    try:
        result, codes = asyncio.run(
            seed_database(settings.effective_database_url, data, invite_at=now, dry_run=dry_run)
        )
    except DomainError as error:
        raise click.ClickException(error_vi(error)) from error
    name = result.committee.name
    if dry_run:
        click.echo(f"Thử (không ghi gì) với “{name}”:")
    if result.created:
        verb = "Sẽ nạp" if dry_run else "Đã nạp"
        click.echo(
            f"{verb} “{name}”: {result.points} điểm cầu, "
            f"{result.people} người, {result.units} đơn vị."
        )
    elif result.changes:
        click.echo(f"{'Sẽ cập nhật' if dry_run else 'Đã cập nhật'} “{name}”:")
        for line in result.changes:
            click.echo(f"  {line}")
    else:
        click.echo(f"“{name}” đã khớp với tệp: không có thay đổi.")
    if codes:
        click.echo()
        print_invite_links(settings, codes)
