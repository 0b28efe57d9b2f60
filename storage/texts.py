"""Vietnamese renderings of domain objects for any text channel (terminal, chat, digest).

Dates are day/month/year, times are shown in the office's zone, weekdays in Vietnamese.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from storage.models import AnswerStatus, MeetingStatus, Readiness
from storage.services.invitations import AttendanceMatrix, Unreached

WEEKDAYS_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

ANSWER_VI = {
    AnswerStatus.ACCEPTED: "Tham dự",
    AnswerStatus.DECLINED: "Vắng",
    AnswerStatus.DELEGATED: "Cử người dự thay",
    AnswerStatus.NEEDS_ACTION: "Chưa trả lời",
}

MEETING_STATUS_VI = {
    MeetingStatus.PLANNED: "dự kiến",
    MeetingStatus.ONGOING: "đang họp",
    MeetingStatus.FINISHED: "đã kết thúc",
    MeetingStatus.CANCELLED: "đã hủy",
}

READINESS_VI = {
    Readiness.UNKNOWN: "chưa xác nhận",
    Readiness.READY: "sẵn sàng",
    Readiness.PROBLEM: "có sự cố",
}


NEVER_RECEIVED_VI = "Chưa nhận được giấy mời"
UNREACHED_VI = {
    Unreached.NO_ACCOUNT: "chưa gắn tài khoản Telegram",
    Unreached.LINK_UNUSED: "đã có đường dẫn mời nhưng chưa dùng",
    Unreached.LINK_EXPIRED: "đường dẫn mời đã hết hạn",
    Unreached.BLOCKED: "đã chặn bot",
}


def _counts_line(
    counts: dict[AnswerStatus, int], never_received: int, *, sep: str = "; ", lower: bool = False
) -> str:
    """Each person once: "chưa trả lời" counts only those the invitation reached."""
    parts = [
        (ANSWER_VI[s], counts[s] - (never_received if s == AnswerStatus.NEEDS_ACTION else 0))
        for s in ANSWER_VI
    ]
    parts.append((NEVER_RECEIVED_VI, never_received))
    return sep.join(f"{label.lower() if lower else label} {n}" for label, n in parts)


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
    lines = [
        f"TÌNH HÌNH XÁC NHẬN THAM DỰ: {matrix.title}",
        f"Thời gian: {format_moment(matrix.starts_at, tz)}",
        "Tổng: " + _counts_line(matrix.totals, matrix.never_received),
        "",
    ]
    for row in matrix.rows:
        counts = row.counts
        marker = "★ " if row.is_main else ""
        header = f"{marker}{row.point_name} — điểm cầu {READINESS_VI[row.readiness]}"
        if row.readiness_note:
            header += f" ({row.readiness_note})"
        lines.append(header)
        lines.append("  " + _counts_line(counts, row.never_received, sep=", ", lower=True))
        for attendee in row.attendees:
            detail = ANSWER_VI[attendee.status]
            if attendee.never_received and attendee.unreached is not None:
                detail = f"{NEVER_RECEIVED_VI} ({UNREACHED_VI[attendee.unreached]})"
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
