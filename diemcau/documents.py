"""The documents a draft becomes: the notice, the record and the transcript, as DOCX.

Wiring between storage and :mod:`minutes.render`: what the documents say about the meeting
comes from the database (the committee's issuer and signer, the chair, the secretary, the
start and end, attendance point by point); what the database does not have is left blank by
the renderer. A draft not yet approved is marked "DỰ THẢO".
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

import minutes
from minutes.render import to_docx, transcript_to_docx
from storage.models import AnswerStatus, Draft, DraftStatus, Person
from storage.services.invitations import Attendee, attendance_matrix
from storage.services.meetings import get_meeting

RECIPIENTS = ("Các thành viên Ban Chỉ đạo", "Các đơn vị được giao nhiệm vụ")


async def meeting_info(
    session: AsyncSession, meeting_id: int, tz: ZoneInfo, *, issued_on: date | None = None
) -> minutes.MeetingInfo:
    """What the header, opening, attendance and signature say, from the database."""
    # The matrix first: its load refreshes the meeting, dropping relationships it does not load.
    matrix = await attendance_matrix(session, meeting_id)
    meeting = await get_meeting(session, meeting_id)
    committee = meeting.committee
    secretary = (
        await session.get(Person, committee.secretary_id) if committee.secretary_id else None
    )
    return minutes.MeetingInfo(
        issuing_body=committee.issuing_body,
        parent_body=committee.parent_body,
        abbreviation=committee.notice_abbreviation,
        place_name=committee.province,
        issued_on=issued_on,
        title=meeting.title,
        start=meeting.starts_at.astimezone(tz),
        end=meeting.ends_at.astimezone(tz) if meeting.ends_at else None,
        main_place=meeting.main_point.location or meeting.main_point.name,
        chair_name=meeting.chair.full_name,
        chair_title=meeting.chair.title,
        secretary=secretary.display_name if secretary else None,
        secretary_name=secretary.full_name if secretary else None,
        points=tuple(point_attendance(row.point_name, row.attendees) for row in matrix.rows),
        recipients=RECIPIENTS,
        signer_authority=committee.signer_authority,
        signer_title=committee.signer_title,
        signer_name=committee.signer_name,
        agenda=tuple(item.title for item in meeting.agenda),
    )


def point_attendance(point: str, attendees: tuple[Attendee, ...]) -> minutes.PointAttendance:
    """One point's line of the record. A coordinator's check-in decides; without one, the
    answer to the invitation does (accepted: present, declined: absent with its reason,
    delegated: the substitute), and no answer at all is shown as not yet marked."""
    present: list[str] = []
    absent: list[minutes.Absence] = []
    substitutes: list[minutes.Substitute] = []
    unmarked: list[str] = []
    for a in attendees:
        who = a.name if a.name == a.title else f"{a.name} ({a.title})"
        if a.present is False or (a.present is None and a.status == AnswerStatus.DECLINED):
            absent.append(minutes.Absence(who, a.reason))
        elif a.status == AnswerStatus.DELEGATED and a.delegate:
            substitutes.append(minutes.Substitute(a.delegate, who))
        elif a.present or a.status == AnswerStatus.ACCEPTED:
            present.append(who)
        else:
            unmarked.append(who)
    return minutes.PointAttendance(
        point, tuple(present), tuple(absent), tuple(substitutes), tuple(unmarked)
    )


@dataclass(frozen=True, slots=True)
class DraftDocuments:
    """A draft's files, ready to send: name → DOCX bytes."""

    notice: tuple[str, bytes]
    record: tuple[str, bytes] | None  # only for a draft of a known meeting
    transcript: tuple[str, bytes] | None  # only for a draft made from a recording


async def draft_documents(
    session: AsyncSession, draft: Draft, tz: ZoneInfo, *, content: dict[str, Any] | None = None
) -> DraftDocuments:
    """The notice, the record and the transcript of a draft (its stored content, or
    ``content`` when the caller holds a newer one). "DỰ THẢO" until it is approved."""
    from diemcau.pipeline import draft_from_content, stored_segments

    approved = draft.status == DraftStatus.APPROVED
    issued_on = draft.decided_at.astimezone(tz).date() if approved and draft.decided_at else None
    info = (
        await meeting_info(session, draft.meeting_id, tz, issued_on=issued_on)
        if draft.meeting_id is not None
        else None
    )
    segments = (
        await stored_segments(session, draft.recording_id) if draft.recording_id is not None else []
    )
    drafted = draft_from_content(content if content is not None else draft.content)
    said = [minutes.Segment(s.start, s.end, s.text) for s in segments]

    def render() -> DraftDocuments:
        notice = _docx(lambda p: to_docx(drafted, p, info, mark_draft=not approved))
        record = (
            _docx(lambda p: to_docx(drafted, p, info, "bien_ban", mark_draft=not approved))
            if info is not None
            else None
        )
        transcript = _docx(lambda p: transcript_to_docx(said, p, info)) if said else None
        return DraftDocuments(
            notice=(f"thong-bao-ket-luan-{draft.id}.docx", notice),
            record=(f"bien-ban-{draft.id}.docx", record) if record else None,
            transcript=(f"ban-ghi-{draft.id}.docx", transcript) if transcript else None,
        )

    return await asyncio.to_thread(render)


def _docx(write: Callable[[Path], None]) -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.docx"
        write(path)
        return path.read_bytes()
