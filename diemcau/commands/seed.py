"""``diemcau seed FILE``: load a committee, its points and people from YAML."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import click
import yaml

from diemcau.settings import get_settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.errors import DomainError
from storage.seed import SeedResult, load_seed


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


async def seed_database(url: str, data: dict[str, Any]) -> SeedResult:
    """Bring the schema up to date, then load everything in one transaction."""
    await asyncio.to_thread(migrate.upgrade, url)
    engine = make_async_engine(url)
    try:
        async with make_async_sessionmaker(engine).begin() as session:
            return await load_seed(session, data)
    finally:
        await engine.dispose()


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def seed(file: Path) -> None:
    """Nạp Ban Chỉ đạo, điểm cầu và thành phần từ tệp YAML (xem examples/laichau.yaml)."""
    data = read_seed_file(file)
    try:
        result = asyncio.run(seed_database(get_settings().effective_database_url, data))
    except DomainError as error:
        raise click.ClickException(error.message_vi) from error
    click.echo(
        f"Đã nạp “{result.committee.name}”: {result.points} điểm cầu, "
        f"{result.people} người, {result.units} đơn vị."
    )
