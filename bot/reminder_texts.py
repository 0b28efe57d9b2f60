"""Vietnamese texts of the reminders and the weekly digest, kept together for proofreading."""

from __future__ import annotations

from datetime import date, tzinfo

from bot.texts import task_card
from bot.vietnamese import CATEGORY_VI, format_date, format_moment
from storage.models import Meeting, Task
from storage.services.reminders import WeeklyDigest
from storage.services.tasks import Category


def _meeting_lines(meeting: Meeting, tz: tzinfo) -> str:
    return f"{meeting.title}\nThời gian: {format_moment(meeting.starts_at, tz)}"


def meeting_no_answer(
    meeting: Meeting, tz: tzinfo, days_left: int, point_name: str | None = None
) -> str:
    when = "ngày mai" if days_left == 1 else f"sau {days_left} ngày nữa"
    where = f"\nĐiểm cầu của đồng chí: {point_name}" if point_name else ""
    return (
        f"NHẮC XÁC NHẬN THAM DỰ\n{_meeting_lines(meeting, tz)}{where}\n"
        f"Phiên họp diễn ra {when}; đồng chí chưa trả lời giấy mời. "
        "Xin xác nhận bằng các nút dưới đây."
    )


def meeting_day_before(meeting: Meeting, tz: tzinfo, point_name: str | None) -> str:
    where = f"\nĐiểm cầu của đồng chí: {point_name}" if point_name else ""
    return f"NHẮC LỊCH HỌP NGÀY MAI\n{_meeting_lines(meeting, tz)}{where}"


def meeting_hour_before(meeting: Meeting, tz: tzinfo, point_name: str | None) -> str:
    where = f"\nĐiểm cầu của đồng chí: {point_name}" if point_name else ""
    return (
        f"PHIÊN HỌP BẮT ĐẦU SAU 1 GIỜ\n{_meeting_lines(meeting, tz)}{where}\n"
        "Đề nghị đồng chí có mặt trước giờ họp 15 phút."
    )


def confirm_point(meeting: Meeting, tz: tzinfo, point_names: list[str]) -> str:
    return (
        f"KIỂM TRA ĐƯỜNG TRUYỀN\n{_meeting_lines(meeting, tz)}\n"
        f"Còn 30 phút đến giờ họp. Đề nghị xác nhận điểm cầu {', '.join(point_names)} "
        "đã sẵn sàng (âm thanh, hình ảnh, đường truyền)."
    )


def task_before(task: Task, tz: tzinfo, working_days: int, meeting: Meeting | None = None) -> str:
    return (
        f"NHẮC VIỆC: còn {working_days} ngày làm việc đến hạn\n{task_card(task, tz, meeting)}\n"
        "Đồng chí cập nhật tiến độ bằng các nút dưới đây."
    )


def task_due_today(task: Task, tz: tzinfo, meeting: Meeting | None = None) -> str:
    return f"NHẮC VIỆC: hôm nay là hạn hoàn thành\n{task_card(task, tz, meeting)}"


def task_overdue(task: Task, tz: tzinfo, days_overdue: int, meeting: Meeting | None = None) -> str:
    return (
        f"NHIỆM VỤ QUÁ HẠN {days_overdue} NGÀY\n{task_card(task, tz, meeting)}\n"
        "Đề nghị báo cáo kết quả hoặc xin gia hạn."
    )


def task_escalation(
    task: Task, tz: tzinfo, days_overdue: int, meeting: Meeting | None = None
) -> str:
    return (
        f"BÁO CÁO NHIỆM VỤ CHẬM TRỄ\nNhiệm vụ sau đã quá hạn {days_overdue} ngày, "
        f"chưa hoàn thành:\n{task_card(task, tz, meeting)}"
    )


CATEGORY_SHORT = {
    Category.DONE_ON_TIME: "đúng hạn",
    Category.DONE_LATE: "xong quá hạn",
    Category.OPEN_IN_TIME: "trong hạn",
    Category.OVERDUE: "quá hạn",
}


def weekly_digest(digest: WeeklyDigest, today: date) -> str:
    """The leadership's Monday report."""
    lines = [
        f"BÁO CÁO TUẦN — {digest.committee}",
        f"Tuần từ {format_date(digest.week_start)} đến {format_date(digest.week_end)}"
        f" (số liệu đến ngày {format_date(today)})",
        "",
        f"1. Tình hình thực hiện nhiệm vụ ({digest.task_total} nhiệm vụ):",
    ]
    lines += [f"   • {CATEGORY_VI[c]}: {digest.tasks.total[c]}" for c in Category]
    if digest.tasks.by_unit:
        lines.append("   Theo đơn vị chủ trì:")
        for unit, counts in sorted(digest.tasks.by_unit.items()):
            parts = ", ".join(f"{CATEGORY_SHORT[c]} {counts[c]}" for c in Category if counts[c])
            lines.append(f"   – {unit}: {parts}")
    lines += ["", "2. Tham dự các phiên họp trong tuần:"]
    if not digest.meetings:
        lines.append("   Không có phiên họp nào.")
    else:
        lines += [f"   Phiên họp: {'; '.join(digest.meetings)}"]
        for row in digest.attendance:
            lines.append(
                f"   – {row.point}: mời {row.invited}, tham dự {row.accepted}, "
                f"cử người thay {row.delegated}, vắng {row.declined}, "
                f"chưa trả lời {row.no_answer}; có mặt {row.present}"
            )
    return "\n".join(lines)
