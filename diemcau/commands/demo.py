"""``diemcau demo``: the main job on the embedded default, on a fresh SQLite file.

1. It loads the Lai Châu committee, plans next week's session with its points and agenda,
   invites everyone point by point, records a few answers and one point's problem, and
   prints the attendance matrix the secretariat would see.
2. It drafts the conclusion notice of the session of 4 June 2021 (the sample article's
   conclusion, in our words) and writes it as DOCX and Markdown under the data directory.
3. It stores the shipped sample recording for a session held this morning, runs the
   transcription job on it in a worker process, drafts its minutes and writes them too.

It never touches the configured database.
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import minutes
from bot.vietnamese import format_attendance_matrix, format_moment
from diemcau.commands.seed import read_seed_file, seed_database
from diemcau.pipeline import RecordingPipeline, draft_from_content, stored_segments
from diemcau.progress import ProgressLine
from diemcau.settings import Settings, get_settings
from minutes import render
from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import (
    AnswerStatus,
    Committee,
    Draft,
    Invitation,
    Person,
    Point,
    Readiness,
)
from storage.seed import SeedResult
from storage.services.intake import StoredCopy, add_recording
from storage.services.invitations import answer_invitation, attendance_matrix, invite_points
from storage.services.meetings import AgendaInput, create_meeting, set_point_readiness

REPO = Path(__file__).resolve().parents[2]
SEED_FILE = REPO / "examples" / "laichau.yaml"
ARTICLE_CONCLUSION = REPO / "examples" / "laichau-2021-06-04-ket-luan.txt"
SAMPLE_RECORDING = REPO / "examples" / "sample-ket-luan.ogg"


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
    url, seed = await _fresh_database(settings)
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


async def _fresh_database(settings: Settings) -> tuple[str, SeedResult]:
    database = settings.data_dir / "demo.db"
    for leftover in database.parent.glob(database.name + "*"):
        leftover.unlink()
    url = demo_url(settings)
    seed, _ = await seed_database(url, read_seed_file(SEED_FILE))
    return url, seed


def demo_url(settings: Settings) -> str:
    return f"sqlite+aiosqlite:///{(settings.data_dir / 'demo.db').as_posix()}"


def draft_sample_session(settings: Settings, seed_data: dict[str, Any]) -> tuple[str, list[Path]]:
    """The conclusion notice of 4 June 2021 from the article's conclusion, as DOCX and MD."""
    text = ARTICLE_CONCLUSION.read_text(encoding="utf-8")
    drafted = minutes.draft_minutes(text, meeting_date=date(2021, 6, 4))
    committee = seed_data["committee"]
    # Only what the seed file and the article say: the article gives the day ("Sáng 4/6"),
    # not the hour, so the notice leaves the hour blank for the clerk.
    info = minutes.MeetingInfo(
        issuing_body=str(committee["issuing_body"]),
        abbreviation=str(committee.get("notice_abbreviation") or "UBND"),
        place_name=str(committee["province"]),
        title="Phiên họp lần thứ 3 Ban Chỉ đạo lập Quy hoạch tỉnh Lai Châu thời kỳ 2021-2030, "
        "tầm nhìn đến năm 2050",
        main_place="Phòng họp trực tuyến UBND tỉnh Lai Châu",
        chair_name="Trần Tiến Dũng",
        chair_title="Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo",
        points=tuple(minutes.PointAttendance(str(p["name"])) for p in seed_data["points"]),
        recipients=("Các thành viên Ban Chỉ đạo", "Các đơn vị được giao nhiệm vụ"),
        signer_authority=committee.get("signer_authority"),
        signer_title=committee.get("signer_title"),
        signer_name=committee.get("signer_name"),
    )
    out = settings.data_dir / "demo"
    out.mkdir(parents=True, exist_ok=True)
    docx_path, md_path = (
        out / "thong-bao-ket-luan-2021-06-04.docx",
        out / "thong-bao-ket-luan-2021-06-04.md",
    )
    render.to_docx(drafted, docx_path, info)
    record_path = out / "bien-ban-2021-06-04.docx"  # the minutes record, attendance by point
    render.to_docx(drafted, record_path, info, kind="bien_ban")
    markdown = render.to_markdown(drafted, info)
    md_path.write_text(markdown, encoding="utf-8")
    return format_tasks(drafted), [docx_path, record_path, md_path]


def format_tasks(drafted: minutes.MinutesDraft) -> str:
    lines = []
    for i, task in enumerate(drafted.tasks, start=1):
        deadline = render.deadline_label(task)
        coop = f"; phối hợp: {', '.join(task.cooperating)}" if task.cooperating else ""
        lines.append(f"  {i}. {task.assignee}{coop} — {task.action} — hạn: {deadline}")
    return "\n".join(lines) or "  (không có nhiệm vụ)"


async def transcribe_sample(settings: Settings, *, now: datetime) -> tuple[str, list[Path]]:
    """The shipped recording, stored for a session held this morning, through the same job
    and drafter the bot uses; returns the transcript and tasks as text."""
    url = demo_url(settings)
    engine = make_async_engine(url)
    sessions = make_async_sessionmaker(engine)
    pipeline = RecordingPipeline(
        database_url=url,
        sessions=sessions,
        model=settings.whisper_model,
        data_dir=settings.data_dir,
        tz=settings.tz,
    )
    try:
        async with sessions.begin() as session:
            recording_id = await store_sample_recording(session, settings, now=now)
        # The job reports the share of the audio done as it stores each window; on a
        # terminal the bar also shows the time elapsed and the estimate left.
        bar = ProgressLine("  Đang chép lời", stream=sys.stdout)

        async def progress(fraction: float) -> None:
            bar.update(fraction)

        click.echo("  Chép lời trong tiến trình riêng (nạp mô hình Whisper base), rồi dự thảo…")
        outcome = await pipeline.process(recording_id, progress)
        bar.update(1.0)
        bar.close()
        async with sessions() as session:
            segments = await stored_segments(session, recording_id)
            draft = await session.get(Draft, outcome.draft_id)
            if draft is None:
                raise click.ClickException(
                    f"the pipeline reported draft {outcome.draft_id}, not stored"
                )
            meeting_id = draft.meeting_id
            content = draft.content
        out = settings.data_dir / "demo"
        docx_path = out / "thong-bao-ket-luan-ban-ghi-mau.docx"
        docx_path.write_bytes(await pipeline.render_notice(content, meeting_id))
        # The same segments, in the same words, as ``diemcau transcribe --format txt``.
        transcript = "\n".join(f"  [{s.start:6.1f}s] {s.text}" for s in segments)
        tasks = format_tasks(draft_from_content(content))
    finally:
        pipeline.close()
        await engine.dispose()
    heading = "  Văn bản chép lời (như diemcau transcribe trên cùng tệp):"
    return f"{heading}\n{transcript}\n\n  Nhiệm vụ dự thảo:\n{tasks}", [docx_path]


async def store_sample_recording(
    session: AsyncSession, settings: Settings, *, now: datetime
) -> int:
    """Copy the sample into the data directory and record it for a session held at 07:30
    this morning (scheduled, with the clock the services are given, the day before)."""
    committee = await session.scalar(select(Committee))
    chair = await session.scalar(select(Person).where(Person.full_name == "Trần Tiến Dũng"))
    main = await session.scalar(select(Point).where(Point.code == "ubnd-tinh"))
    if committee is None or chair is None or main is None:
        raise click.ClickException("Chưa nạp Ban Chỉ đạo mẫu (Lai Châu): chạy lại diemcau demo.")
    held_at = (now - timedelta(hours=3)).astimezone(settings.tz)
    meeting = await create_meeting(
        session,
        committee_id=committee.id,
        number=3,
        title="Phiên họp sáng nay (bản ghi mẫu)",
        starts_at=held_at,
        chair_id=chair.id,
        main_point_id=main.id,
        point_ids=[main.id],
        now=held_at - timedelta(days=1),
    )
    data = SAMPLE_RECORDING.read_bytes()
    target = settings.data_dir / "recordings" / hashlib.sha256(data).hexdigest()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    recording = await add_recording(
        session,
        meeting_id=meeting.id,
        stored=StoredCopy(target.resolve(), target.name, len(data)),
        original_name=SAMPLE_RECORDING.name,
        uploaded_by_id=None,
        now=now,
        tz=settings.tz,
    )
    return recording.id


@click.command()
def demo() -> None:
    """Chạy thử toàn bộ luồng trên CSDL SQLite mới trong thư mục dữ liệu."""
    settings = get_settings()
    now = datetime.now(settings.tz)
    click.echo(f"Điểm Cầu — chạy thử lúc {format_moment(now, settings.tz)}")
    click.echo(f"Cơ sở dữ liệu: {settings.data_dir / 'demo.db'} (tạo mới)\n")
    click.echo(asyncio.run(run_demo(settings, now=now)))

    click.echo("THÔNG BÁO KẾT LUẬN PHIÊN HỌP NGÀY 04/06/2021 (từ bài tường thuật mẫu)")
    tasks, files = draft_sample_session(settings, read_seed_file(SEED_FILE))
    click.echo(tasks)
    click.echo("  Đã ghi: " + ", ".join(str(f) for f in files) + "\n")

    click.echo(f"BẢN GHI MẪU: {SAMPLE_RECORDING.name} → văn bản → dự thảo")
    text, files = asyncio.run(transcribe_sample(settings, now=now))
    click.echo(text)
    click.echo("  Đã ghi: " + ", ".join(str(f) for f in files))
