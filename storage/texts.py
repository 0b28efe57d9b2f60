"""Vietnamese renderings of domain objects for any text channel (terminal, chat, digest).

Dates are day/month/year, times are shown in the office's zone, weekdays in Vietnamese.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from storage.models import AnswerStatus, Readiness
from storage.services.invitations import AttendanceMatrix

WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

ANSWER_VI = {
    AnswerStatus.ACCEPTED: "Tham dự",
    AnswerStatus.DECLINED: "Vắng",
    AnswerStatus.DELEGATED: "Cử người dự thay",
    AnswerStatus.NEEDS_ACTION: "Chưa trả lời",
}

READINESS_VI = {
    Readiness.UNKNOWN: "chưa xác nhận",
    Readiness.READY: "sẵn sàng",
    Readiness.PROBLEM: "có sự cố",
}


def format_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_moment(moment: datetime, tz: tzinfo) -> str:
    """'08 giờ 00, thứ Ba, ngày 01/12/2026' in the office's zone."""
    local = moment.astimezone(tz)
    return (
        f"{local.hour:02d} giờ {local.minute:02d}, {WEEKDAYS_VI[local.weekday()]}, "
        f"ngày {format_date(local.date())}"
    )


def format_attendance_matrix(matrix: AttendanceMatrix, tz: tzinfo) -> str:
    """The secretariat's view: per point, readiness and who answered what."""
    totals = matrix.totals
    lines = [
        f"TÌNH HÌNH XÁC NHẬN THAM DỰ: {matrix.title}",
        f"Thời gian: {format_moment(matrix.starts_at, tz)}",
        "Tổng: " + "; ".join(f"{ANSWER_VI[s]} {totals[s]}" for s in ANSWER_VI),
        "",
    ]
    for row in matrix.rows:
        counts = row.counts
        marker = "★ " if row.is_main else ""
        header = f"{marker}{row.point_name} — điểm cầu {READINESS_VI[row.readiness]}"
        if row.readiness_note:
            header += f" ({row.readiness_note})"
        lines.append(header)
        lines.append("  " + ", ".join(f"{ANSWER_VI[s].lower()} {counts[s]}" for s in ANSWER_VI))
        for attendee in row.attendees:
            detail = ANSWER_VI[attendee.status]
            if attendee.status == AnswerStatus.DECLINED and attendee.reason:
                detail += f" — lý do: {attendee.reason}"
            if attendee.status == AnswerStatus.DELEGATED and attendee.delegate:
                detail += f": {attendee.delegate}"
            if attendee.present is not None:
                detail += " · có mặt" if attendee.present else " · vắng mặt"
            name = (
                attendee.name
                if attendee.name == attendee.title
                else f"{attendee.name}, {attendee.title}"
            )
            lines.append(f"  - {name}: {detail}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
