"""``diemcau demo``: the main job on the embedded default, on a fresh SQLite file.

It loads the Lai Châu committee, plans next week's session with its points and agenda,
invites everyone point by point, records a few answers and one point's problem, and prints
the attendance matrix the secretariat would see. It never touches the configured database.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from diemcau.commands.seed import read_seed_file, seed_database
from diemcau.settings import Settings, get_settings
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import AnswerStatus, Invitation, Readiness
from storage.seed import SeedResult
from storage.services.invitations import answer_invitation, attendance_matrix, invite_points
from storage.services.meetings import AgendaInput, create_meeting, set_point_readiness
from storage.texts import format_attendance_matrix, format_moment

REPO = Path(__file__).resolve().parents[2]
SEED_FILE = REPO / "examples" / "laichau.yaml"


@dataclass(frozen=True, slots=True)
class DemoAnswer:
    person: str  # key in the seed file
    status: AnswerStatus
    reason: str | None = None
    delegate_name: str | None = None
    delegate_title: str | None = None


ANSWERS = (
    DemoAnswer("tran-tien-dung", AnswerStatus.ACCEPTED),
    DemoAnswer("tong-thanh-hai", AnswerStatus.ACCEPTED),
    DemoAnswer(
        "giang-a-tinh",
        AnswerStatus.DECLINED,
        reason="Đi kiểm tra công tác phòng, chống thiên tai tại huyện Mường Tè",
    ),
    DemoAnswer("ha-trong-hai", AnswerStatus.ACCEPTED),
    DemoAnswer(
        "gd-so-khdt",
        AnswerStatus.DELEGATED,
        delegate_name="Lò Văn Minh",
        delegate_title="Phó Giám đốc Sở Kế hoạch và Đầu tư",
    ),
    DemoAnswer("tu-van", AnswerStatus.ACCEPTED),
    DemoAnswer("ct-sin-ho", AnswerStatus.ACCEPTED),
    DemoAnswer("ct-phong-tho", AnswerStatus.ACCEPTED),
    DemoAnswer("bt-than-uyen", AnswerStatus.DECLINED, reason="Dự hội nghị của Tỉnh ủy"),
)


def next_week_start(now: datetime, tz: ZoneInfo) -> datetime:
    """08:00 on Tuesday of next week, in the office's zone."""
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
    return datetime.combine(monday + timedelta(days=1), time(8, 0), tzinfo=tz)


async def plan_session(
    session: AsyncSession, seed: SeedResult, *, now: datetime, tz: ZoneInfo
) -> int:
    """Schedule next week's session, invite every point, and record answers and readiness."""
    people, points = seed.person_ids, seed.point_ids
    meeting = await create_meeting(
        session,
        committee_id=seed.committee.id,
        number=4,
        title="Phiên họp lần thứ 4 Ban Chỉ đạo lập Quy hoạch tỉnh Lai Châu",
        starts_at=next_week_start(now, tz),
        chair_id=people["tran-tien-dung"],
        main_point_id=points["ubnd-tinh"],
        point_ids=list(points.values()),
        now=now,
        actor_id=people["chanh-vp-ubnd"],
        agenda=[
            AgendaInput(
                title="Báo cáo dự thảo Quy hoạch tỉnh sau khi tiếp thu ý kiến các huyện, ngành",
                presenter_text="Đơn vị tư vấn lập quy hoạch tỉnh",
                documents=("Dự thảo Báo cáo Quy hoạch tỉnh (lần 2).pdf",),
            ),
            AgendaInput(
                title="Tổng hợp ý kiến bằng văn bản của các huyện, thành phố, các ngành",
                presenter_id=people["gd-so-khdt"],
                documents=("Báo cáo tổng hợp ý kiến.docx",),
            ),
        ],
    )
    await invite_points(session, meeting.id, now=now, actor_id=people["chanh-vp-ubnd"])
    invitations = {
        inv.person_id: inv
        for inv in await session.scalars(
            select(Invitation).where(Invitation.meeting_id == meeting.id)
        )
    }
    for answer in ANSWERS:
        await answer_invitation(
            session,
            invitations[people[answer.person]].id,
            status=answer.status,
            reason=answer.reason,
            delegate_name=answer.delegate_name,
            delegate_title=answer.delegate_title,
            now=now,
        )
    await set_point_readiness(
        session,
        meeting_id=meeting.id,
        point_id=points["vnpt"],
        readiness=Readiness.READY,
        by_id=people["kt-vnpt"],
        now=now,
    )
    await set_point_readiness(
        session,
        meeting_id=meeting.id,
        point_id=points["phong-tho"],
        readiness=Readiness.PROBLEM,
        note="Đường truyền chập chờn, đang phối hợp VNPT xử lý",
        by_id=people["vp-phong-tho"],
        now=now,
    )
    return meeting.id


async def run_demo(settings: Settings, *, now: datetime) -> str:
    """Build the demo database from scratch and return the matrix as text."""
    database = settings.data_dir / "demo.db"
    for leftover in database.parent.glob(database.name + "*"):
        leftover.unlink()
    url = f"sqlite+aiosqlite:///{database.as_posix()}"
    seed = await seed_database(url, read_seed_file(SEED_FILE))
    engine = make_async_engine(url)
    try:
        sessions = make_async_sessionmaker(engine)
        async with sessions.begin() as session:
            meeting_id = await plan_session(session, seed, now=now, tz=settings.tz)
        async with sessions() as session:
            matrix = await attendance_matrix(session, meeting_id)
    finally:
        await engine.dispose()
    return format_attendance_matrix(matrix, settings.tz)


@click.command()
def demo() -> None:
    """Chạy thử toàn bộ luồng trên CSDL SQLite mới trong thư mục dữ liệu."""
    settings = get_settings()
    now = datetime.now(settings.tz)
    click.echo(f"Điểm Cầu — chạy thử lúc {format_moment(now, settings.tz)}")
    click.echo(f"Cơ sở dữ liệu: {settings.data_dir / 'demo.db'} (tạo mới)\n")
    click.echo(asyncio.run(run_demo(settings, now=now)))
