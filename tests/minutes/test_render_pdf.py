"""The documents as the office prints them: DOCX → PDF by LibreOffice (headless), read back
page by page with poppler's pdftotext.

The seed meeting is the real path: examples/laichau.yaml loaded into the database, the demo's
session planned with its answers, the article's conclusion drafted and stored, and the
documents rendered from the database by ``diemcau.documents``.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import minutes
from diemcau.commands.demo import plan_session
from diemcau.documents import draft_documents, meeting_info
from diemcau.pipeline import draft_content
from minutes.render import to_docx
from storage.models import Invitation, Recording, TranscriptSegment
from storage.seed import load_seed
from storage.services.drafts import approve_draft, create_draft
from storage.services.invitations import mark_presence

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "examples" / "laichau.yaml"
ARTICLE = REPO / "examples" / "laichau-2021-06-04-ket-luan.txt"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} not found: install libreoffice-writer and poppler-utils (.ci/run)"
    return found


def pdf_pages(docx_files: Sequence[Path], workdir: Path) -> dict[str, list[str]]:
    """Each DOCX converted by LibreOffice; the text of its PDF, page by page."""
    profile = workdir / "lo-profile"  # its own profile: runs at the same time do not clash
    subprocess.run(
        [
            _tool("soffice"),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            *map(str, docx_files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(workdir)},
    )
    pages = {}
    for docx in docx_files:
        pdf = workdir / f"{docx.stem}.pdf"
        text = subprocess.run(
            [_tool("pdftotext"), "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        pages[docx.stem] = text.split("\f")[:-1]  # pdftotext ends every page with a form feed
    return pages


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def assert_page_numbers_from_page_two(pages: list[str]) -> None:
    assert len(pages) >= 2, "the check needs a document of two pages or more"
    assert "1" not in _lines(pages[0])
    for number, page in enumerate(pages[1:], start=2):
        assert _lines(page)[0] == str(number), f"page {number} starts {_lines(page)[:1]}"


def assert_signature_not_alone(pages: list[str], heading: str, closing: str) -> None:
    """The page of the signature block also holds the closing line and text above it."""
    holding = [i for i, page in enumerate(pages) if heading in page]
    assert len(holding) == 1, f"{heading!r} on pages {holding}"
    page = pages[holding[0]]
    above = _lines(page.split(heading, 1)[0])
    body = [line for line in above if not line.isdigit() and closing not in line]
    assert any(closing in line for line in above), f"closing line not with the signature: {above}"
    assert body, f"page {holding[0] + 1} holds only the closing line and the signature"


@pytest.fixture
async def seed_meeting(db: AsyncSession, now: datetime) -> int:
    seed = await load_seed(db, yaml.safe_load(SEED.read_text(encoding="utf-8")))
    meeting_id = await plan_session(db, seed, now=now, tz=VN)
    # At the session the coordinator marks the standing vice-chair absent (no reason given).
    invitation = await db.scalar(
        select(Invitation).where(
            Invitation.meeting_id == meeting_id,
            Invitation.person_id == seed.person_ids["tong-thanh-hai"],
        )
    )
    assert invitation is not None
    await mark_presence(
        db, invitation.id, present=False, by_id=seed.person_ids["cv-cntt-vp-ubnd"], now=now
    )
    return meeting_id


async def test_seed_meeting_documents_are_fit_to_sign(
    db: AsyncSession, seed_meeting: int, now: datetime, tmp_path: Path
) -> None:
    drafted = minutes.draft_minutes(ARTICLE.read_text(encoding="utf-8"))
    assert len(drafted.tasks) >= 2
    draft = await create_draft(db, content=draft_content(drafted), now=now, meeting_id=seed_meeting)
    pending = await draft_documents(db, draft, VN)
    assert pending.record is not None and pending.transcript is None  # no recording
    files = []
    for name, data in (pending.notice, pending.record):
        files.append(tmp_path / name)
        files[-1].write_bytes(data)
    notice_docx, record_docx = files

    # python-docx reads back what the database gave.
    header = Document(str(notice_docx)).tables[0].rows[0].cells[0].text
    assert "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU" in header and "Số: …/TB-UBND" in header
    signature = Document(str(notice_docx)).tables[-1].rows[0].cells[1].text.split("\n")
    assert signature[:2] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"] and signature[-1] == "…"
    record = Document(str(record_docx))
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in record.tables[1].rows}
    main = rows["Điểm cầu UBND tỉnh"]
    assert "Trần Tiến Dũng (Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo)" in main[0]
    assert "Tống Thanh Hải (Phó Chủ tịch Thường trực UBND tỉnh) (lý do: …)" in main[2]
    assert (
        "Giàng A Tính (Phó Chủ tịch UBND tỉnh) (lý do: Đi kiểm tra công tác phòng, chống "
        "thiên tai tại huyện Mường Tè)" in main[2]
    )
    assert rows["Điểm cầu VNPT Lai Châu"][1] == (
        "Lò Văn Minh (Phó Giám đốc Sở Kế hoạch và Đầu tư), dự thay Giám đốc Sở Kế hoạch và "
        "Đầu tư, Phó Trưởng Ban Chỉ đạo"
    )
    secretary_signs = record.tables[-1].rows[0].cells[0].text.splitlines()
    assert secretary_signs[0] == "THƯ KÝ" and secretary_signs[-1] == "…"  # known by title only
    record_text = "\n".join(p.text for p in record.paragraphs)
    assert "Thư ký: Chuyên viên phòng Tổng hợp, Văn phòng UBND tỉnh (thư ký phiên họp)." in (
        record_text
    )
    assert "Bắt đầu: lúc 08 giờ 00, ngày 01/12/2026." in record_text  # as planned
    assert "Phiên họp kết thúc lúc … giờ …, ngày …./." in record_text  # no end recorded

    pages = pdf_pages(files, tmp_path)
    for stem, heading, closing in (
        (notice_docx.stem, "Nơi nhận:", "thực hiện./."),
        (record_docx.stem, "THƯ KÝ", "./."),
    ):
        assert "DỰ THẢO" in _lines(pages[stem][0])[0]
        assert_page_numbers_from_page_two(pages[stem])
        assert_signature_not_alone(pages[stem], heading, closing)
    assert "điểm cầu: UBND tỉnh, VNPT Lai Châu, thành phố Lai Châu" in " ".join(
        " ".join(_lines(p)) for p in pages[notice_docx.stem]
    )

    # Approved: the mark goes and the date of issue is the day of approval.
    await approve_draft(db, draft.id, base_version=draft.version, approver_id=None, now=now)
    approved = await draft_documents(db, draft, VN)
    path = tmp_path / "approved.docx"
    path.write_bytes(approved.notice[1])
    text = "".join(pdf_pages([path], tmp_path)["approved"])
    assert "DỰ THẢO" not in text and "Lai Châu, ngày 26 tháng 11 năm 2026" in text


async def test_meeting_info_leaves_blank_what_the_database_lacks(
    db: AsyncSession, seed_meeting: int
) -> None:
    info = await meeting_info(db, seed_meeting, VN)
    assert info.end is None and info.number is None and info.signer_name is None
    assert info.issued_on is None
    assert info.signer_authority == "TL. CHỦ TỊCH" and info.place_name == "Lai Châu"


def test_signature_never_alone_on_a_page(tmp_path: Path) -> None:
    """Drafts of 1 to 14 tasks move the end of the text down the page a row at a time: at
    whichever row the page breaks, the signature keeps text above it, and every page from
    the second carries its number."""
    drafted = minutes.draft_minutes(ARTICLE.read_text(encoding="utf-8"))
    info = minutes.MeetingInfo(
        issuing_body="ỦY BAN NHÂN DÂN TỈNH LAI CHÂU",
        place_name="Lai Châu",
        recipients=("Các thành viên Ban Chỉ đạo", "Các đơn vị được giao nhiệm vụ"),
    )
    files = []
    for count in range(1, 15):
        tasks = tuple(drafted.tasks[i % len(drafted.tasks)] for i in range(count))
        for kind in ("thong_bao", "bien_ban"):
            path = tmp_path / f"{kind}-{count:02d}.docx"
            to_docx(dataclasses.replace(drafted, tasks=tasks), path, info, kind)  # type: ignore[arg-type]
            files.append(path)
    pages = pdf_pages(files, tmp_path)
    page_counts = set()
    for path in files:
        heading = "Nơi nhận:" if path.stem.startswith("thong_bao") else "THƯ KÝ"
        assert_signature_not_alone(pages[path.stem], heading, "./.")
        page_counts.add(len(pages[path.stem]))
        if len(pages[path.stem]) > 1:
            assert_page_numbers_from_page_two(pages[path.stem])
    assert len(page_counts) >= 2  # the sweep did cross a page boundary


async def test_a_recorded_draft_comes_with_its_transcript(
    db: AsyncSession, seed_meeting: int, now: datetime
) -> None:
    recording = Recording(
        meeting_id=seed_meeting,
        path="recordings/phien-4.ogg",
        sha256="0" * 64,
        size_bytes=1,
        duration_s=3700.0,
        created_at=now,
        updated_at=now,
    )
    recording.segments = [
        TranscriptSegment(seq=0, start=5.2, end=9.0, text="Kính thưa các đồng chí."),
        TranscriptSegment(seq=1, start=3661.0, end=3666.0, text="Giao Sở Tài chính chủ trì."),
    ]
    db.add(recording)
    await db.flush()
    drafted = minutes.draft_minutes("Giao Sở Tài chính chủ trì.")
    draft = await create_draft(
        db,
        content=draft_content(drafted),
        now=now,
        meeting_id=seed_meeting,
        recording_id=recording.id,
    )
    documents = await draft_documents(db, draft, VN)
    assert documents.transcript is not None
    name, data = documents.transcript
    assert name == f"ban-ghi-{draft.id}.docx"
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert paragraphs[1] == "Phiên họp lần thứ 4 Ban Chỉ đạo lập Quy hoạch tỉnh Lai Châu"
    assert paragraphs[-2:] == [
        "[00:00:05] Kính thưa các đồng chí.",
        "[01:01:01] Giao Sở Tài chính chủ trì.",
    ]
