"""``diemcau people list|add|invite``: a committee's people after the first seed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession

from bot.vietnamese import error_vi
from diemcau.settings import Settings
from diemcau.startup import checked_settings
from storage import migrate
from storage.db import make_async_engine, make_async_sessionmaker
from storage.errors import DomainError
from storage.models import Committee, Role
from storage.roster import add_person, find_committee, person_by_key, roster
from storage.services.people import INVITE_TTL, create_invite_code

T = TypeVar("T")

committee_option = click.option(
    "--committee", "committee_name", metavar="TÊN", help="Tên (hoặc tên ngắn) Ban Chỉ đạo."
)


def _in_transaction(
    settings: Settings,
    committee_name: str | None,
    work: Callable[[AsyncSession, Committee], Awaitable[T]],
) -> T:
    async def go() -> T:
        url = settings.effective_database_url
        await asyncio.to_thread(migrate.upgrade, url)
        engine = make_async_engine(url)
        try:
            async with make_async_sessionmaker(engine).begin() as session:
                committee = await find_committee(session, committee_name)
                return await work(session, committee)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(go())
    except DomainError as error:
        raise click.ClickException(error_vi(error)) from None


@click.group()
def people() -> None:
    """Thành phần Ban Chỉ đạo sau lần nạp đầu: xem, thêm, gửi lại đường dẫn mời."""


@people.command("list")
@committee_option
def list_people(committee_name: str | None) -> None:
    """In danh sách: khoá, họ tên và chức vụ, điểm cầu, vai trò, Telegram."""
    settings = checked_settings()

    async def work(session: AsyncSession, committee: Committee) -> list[str]:
        lines = [f"{committee.name}:"]
        for entry in await roster(session, committee):
            telegram = (
                "đã liên kết Telegram" if entry.person.telegram_user_id else "chưa có Telegram"
            )
            state = "thôi tham gia" if entry.retired else ", ".join(r.value for r in entry.roles)
            lines.append(
                f"  {entry.key or '—'}\t{entry.person.display_name}\t{entry.point or '—'}\t"
                f"{state}\t{telegram}"
            )
        return lines

    for line in _in_transaction(settings, committee_name, work):
        click.echo(line)


@people.command("add")
@committee_option
@click.option("--key", required=True, help="Khoá của người này (dùng cả trong tệp YAML).")
@click.option("--title", required=True, help="Chức vụ.")
@click.option("--name", "full_name", help="Họ tên.")
@click.option("--point", "point_code", metavar="MÃ", help="Mã điểm cầu ngồi dự.")
@click.option("--unit", "unit_name", help="Đơn vị (tên hoặc tên ngắn).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="Vai trò (lặp lại được); mặc định participant.",
)
def add(
    committee_name: str | None,
    key: str,
    title: str,
    full_name: str | None,
    point_code: str | None,
    unit_name: str | None,
    roles: tuple[str, ...],
) -> None:
    """Thêm một người và in đường dẫn mời. Thêm cả vào tệp YAML, nếu không lần seed sau sẽ
    cho người này thôi tham gia."""
    settings = checked_settings()

    async def work(session: AsyncSession, committee: Committee) -> tuple[str, str]:
        person = await add_person(
            session,
            committee,
            key=key,
            title=title,
            full_name=full_name,
            point_code=point_code,
            unit_name=unit_name,
            roles=tuple(Role(r) for r in roles) or (Role.PARTICIPANT,),
        )
        invite = await create_invite_code(session, person.id, now=datetime.now(settings.tz))
        return person.display_name, invite.code

    name, code = _in_transaction(settings, committee_name, work)
    click.echo(f"Đã thêm {name}.")
    print_invite_links(settings, [(name, code)])


@people.command("invite")
@committee_option
@click.argument("keys", nargs=-1)
def invite(committee_name: str | None, keys: tuple[str, ...]) -> None:
    """Đường dẫn mời mới (một lần) cho KEYS, hoặc cho mọi người chưa liên kết Telegram."""
    settings = checked_settings()

    async def work(session: AsyncSession, committee: Committee) -> list[tuple[str, str]]:
        now = datetime.now(settings.tz)
        if keys:
            chosen = [await person_by_key(session, committee, key) for key in keys]
        else:
            chosen = [
                e.person
                for e in await roster(session, committee)
                if not e.retired and e.person.telegram_user_id is None
            ]
        links = []
        for person in chosen:
            code = (await create_invite_code(session, person.id, now=now)).code
            links.append((person.display_name, code))
        return links

    links = _in_transaction(settings, committee_name, work)
    if not links:
        click.echo("Mọi người đã liên kết Telegram: không cần đường dẫn mời.")
    print_invite_links(settings, links)


def print_invite_links(settings: Settings, links: list[tuple[str, str]]) -> None:
    """(display name, code) pairs as t.me deep links."""
    if not links:
        return
    bot = settings.telegram_bot_username or "<tên-bot>"
    days = INVITE_TTL // timedelta(days=1)
    click.echo(f"Đường dẫn mời (mỗi đường dẫn dùng một lần, hết hạn sau {days} ngày):")
    for name, code in links:
        click.echo(f"- {name}: https://t.me/{bot}?start={code}")
    if not settings.telegram_bot_username:
        click.echo("(Đặt DIEMCAU_TELEGRAM_BOT_USERNAME để in đúng tên bot.)")
