"""``diemcau token create|list|revoke``: tokens for scripts that read the JSON API."""

from __future__ import annotations

from datetime import datetime

import click
from sqlalchemy.ext.asyncio import AsyncSession

from diemcau.commands.people import _in_transaction, committee_option
from diemcau.startup import checked_settings
from storage.models import Committee, Role
from storage.services.api_tokens import create_token, revoke_token, tokens_of
from storage.texts import format_moment


@click.group()
def token() -> None:
    """Mã truy cập cho các tập lệnh đọc API JSON (gửi kèm `Authorization: Bearer …`)."""


@token.command("create")
@committee_option
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="Mã truy cập xem được những gì vai trò này xem được trong Ban Chỉ đạo.",
)
def create(committee_name: str | None, name: str, role: str) -> None:
    """Tạo mã truy cập tên NAME (chỉ đọc) và in ra một lần duy nhất."""
    settings = checked_settings()

    async def work(session: AsyncSession, committee: Committee) -> tuple[int, str]:
        made, secret = await create_token(
            session, name=name, committee=committee, role=Role(role), now=datetime.now(settings.tz)
        )
        return made.id, secret

    token_id, secret = _in_transaction(settings, committee_name, work)
    click.echo(f"Đã tạo mã truy cập số {token_id} “{name.strip()}” ({role}).")
    click.echo("Lưu lại ngay, mã này không được hiển thị lại:")
    click.echo(secret)


@token.command("list")
@committee_option
def list_tokens(committee_name: str | None) -> None:
    """In các mã truy cập: số, tên, vai trò, ngày tạo, đã thu hồi hay chưa (không in mã)."""
    settings = checked_settings()

    async def work(session: AsyncSession, committee: Committee) -> list[str]:
        lines = [f"{committee.name}:"]
        for t in await tokens_of(session, committee):
            state = (
                f"đã thu hồi lúc {format_moment(t.revoked_at, settings.tz)}"
                if t.revoked_at
                else "đang dùng"
            )
            made = format_moment(t.created_at, settings.tz)
            lines.append(f"  {t.id}\t{t.name}\t{t.role.value}\ttạo lúc {made}\t{state}")
        if len(lines) == 1:
            lines.append("  (chưa có mã truy cập nào)")
        return lines

    for line in _in_transaction(settings, committee_name, work):
        click.echo(line)


@token.command("revoke")
@committee_option
@click.argument("token_id", metavar="ID", type=int)
def revoke(committee_name: str | None, token_id: int) -> None:
    """Thu hồi mã truy cập số ID: nó hết hiệu lực ngay."""
    settings = checked_settings()

    async def work(session: AsyncSession, committee: Committee) -> str:
        found = await revoke_token(
            session, token_id, committee=committee, now=datetime.now(settings.tz)
        )
        return found.name

    name = _in_transaction(settings, committee_name, work)
    click.echo(f"Đã thu hồi mã truy cập số {token_id} “{name}”.")
