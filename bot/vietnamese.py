"""Vietnamese renderings of domain values for every channel that shows them to people: the
bot, the web office and the command line. Storage keeps none: its errors carry a code that
``error_vi`` turns into a sentence here.

Dates are day/month/year, times are shown in the office's zone, weekdays in Vietnamese.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from storage.errors import DomainError, ErrorCode
from storage.models import AnswerStatus, MeetingStatus, Readiness, RecordingStatus, TaskStatus
from storage.services.invitations import AttendanceMatrix, Unreached
from storage.services.tasks import Category

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


RECORDING_STATUS_VI: dict[RecordingStatus, str] = {
    RecordingStatus.UPLOADED: "đã nhận tệp",
    RecordingStatus.QUEUED: "chờ chép lời",
    RecordingStatus.TRANSCRIBING: "đang chép lời",
    RecordingStatus.TRANSCRIBED: "đã chép lời",
    RecordingStatus.DRAFTED: "đã soạn dự thảo",
    RecordingStatus.SENT: "đã gửi duyệt",
    RecordingStatus.FAILED: "lỗi",
}

STATUS_VI: dict[TaskStatus, str] = {
    TaskStatus.ASSIGNED: "đã giao",
    TaskStatus.IN_PROGRESS: "đang thực hiện",
    TaskStatus.EXTENSION_REQUESTED: "chờ quyết định gia hạn",
    TaskStatus.DONE: "hoàn thành",
    TaskStatus.CANCELLED: "đã hủy",
}

CATEGORY_VI: dict[Category, str] = {
    Category.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Category.DONE_LATE: "Hoàn thành quá hạn",
    Category.OPEN_IN_TIME: "Đang thực hiện, còn trong hạn",
    Category.OVERDUE: "Chưa hoàn thành, quá hạn",
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


# --- domain errors --------------------------------------------------------------------------

# The entity a NotFound names (a model's class name) → what the person was looking for.
NOT_FOUND_VI = {
    "Meeting": "Không tìm thấy phiên họp.",
    "Invitation": "Không tìm thấy giấy mời.",
    "Person": "Không tìm thấy người này.",
    "Point": "Không tìm thấy điểm cầu.",
    "Committee": "Không tìm thấy Ban Chỉ đạo.",
    "Draft": "Không tìm thấy dự thảo.",
    "Task": "Không tìm thấy nhiệm vụ.",
    "Unit": "Không tìm thấy đơn vị.",
    "ApiToken": "Không có mã truy cập số {number}.",
    "Recording": "Không tìm thấy bản ghi.",
    "Upload": "Không tìm thấy lượt tải lên này.",
}

ERROR_VI: dict[ErrorCode, str] = {
    ErrorCode.NOT_FOUND: "Không tìm thấy.",
    ErrorCode.NO_SUCH_MEETING_NUMBER: "Không có phiên họp số {number}.",
    ErrorCode.MEETING_NEEDS_TITLE: "Phiên họp cần có tiêu đề.",
    ErrorCode.MEETING_NEEDS_POINT: "Phiên họp cần ít nhất một điểm cầu.",
    ErrorCode.TIME_NEEDS_ZONE: "Thời gian phải kèm múi giờ.",
    ErrorCode.START_IN_PAST: (
        "Thời gian bắt đầu phiên họp đã qua; hãy chọn một thời điểm trong tương lai."
    ),
    ErrorCode.END_NOT_AFTER_START: "Thời gian kết thúc phải sau thời gian bắt đầu.",
    ErrorCode.POINTS_NOT_OF_COMMITTEE: "Có điểm cầu không thuộc Ban Chỉ đạo này: {points}.",
    ErrorCode.CHAIR_NOT_MEMBER: "Người chủ trì phải là thành viên Ban Chỉ đạo.",
    ErrorCode.MEETING_NOT_PLANNED: (
        "Phiên họp không còn ở trạng thái dự kiến nên không thể thay đổi."
    ),
    ErrorCode.MEETING_NOT_ONGOING: "Chỉ kết thúc được phiên họp đang diễn ra.",
    ErrorCode.POINT_NOT_IN_MEETING: "Điểm cầu này không tham gia phiên họp.",
    ErrorCode.PROBLEM_NEEDS_NOTE: "Xin mô tả sự cố để tổ giúp việc xử lý.",
    ErrorCode.INVITATIONS_CLOSED: (
        "Phiên họp đã bắt đầu hoặc không còn dự kiến; không gửi giấy mời được nữa."
    ),
    ErrorCode.MEETING_CANCELLED: "Phiên họp đã bị hủy, không cần trả lời.",
    ErrorCode.ANSWERS_CLOSED: "Phiên họp đã bắt đầu nên không thể thay đổi trả lời.",
    ErrorCode.ANSWER_NEEDED: "Xin chọn một câu trả lời.",
    ErrorCode.DECLINE_NEEDS_REASON: "Xin cho biết lý do vắng mặt.",
    ErrorCode.DELEGATE_NEEDS_NAME: "Xin cho biết họ tên người dự thay.",
    ErrorCode.TASK_TRANSITION: (
        "Nhiệm vụ đang ở trạng thái “{current}”, không chuyển sang “{target}” được."
    ),
    ErrorCode.TASK_NEEDS_UNIT_AND_ACTION: "Mỗi nhiệm vụ cần có đơn vị chủ trì và nội dung.",
    ErrorCode.EXTENSION_NEEDS_REASON: "Xin cho biết lý do xin gia hạn.",
    ErrorCode.EXTENSION_NOT_LATER: "Hạn mới phải sau hạn hiện tại.",
    ErrorCode.EXTENSION_NEEDS_DATE: "Xin chọn hạn mới (ngày/tháng/năm).",
    ErrorCode.NO_EXTENSION_PENDING: "Nhiệm vụ này không có đề nghị gia hạn đang chờ.",
    ErrorCode.DRAFT_DECIDED: "Dự thảo đã được duyệt hoặc trả lại; không sửa được nữa.",
    ErrorCode.DRAFT_SAVED_BY_OTHER: (
        "Dự thảo vừa được người khác lưu; xin mở lại bản mới nhất rồi sửa tiếp."
    ),
    ErrorCode.DRAFT_CHANGED_SINCE_VIEWED: (
        "Dự thảo đã thay đổi sau khi đồng chí xem; xin xem lại bản mới nhất trước khi duyệt."
    ),
    ErrorCode.DRAFT_FORM_STALE: "Biểu mẫu thiếu số phiên bản; xin tải lại.",
    ErrorCode.REJECTION_NEEDS_REASON: "Xin ghi lý do trả lại dự thảo.",
    ErrorCode.INVITE_CODE_INVALID: (
        "Mã mời không hợp lệ, đã dùng hoặc đã hết hạn. Xin liên hệ tổ giúp việc để nhận mã mới."
    ),
    ErrorCode.TELEGRAM_TAKEN: "Tài khoản Telegram này đã gắn với một người khác trong hệ thống.",
    ErrorCode.LOGIN_LINK_INVALID: (
        "Đường dẫn đăng nhập không hợp lệ, đã dùng hoặc đã hết hạn. "
        "Gửi lệnh /web cho bot để nhận đường dẫn mới."
    ),
    ErrorCode.RECORDING_DUPLICATE: "Bản ghi này đã có: bản ghi số {id}, {where}, thêm lúc {added}.",
    ErrorCode.NOT_A_RECORDING: "Tệp không dùng được làm bản ghi: {reason}.",
    ErrorCode.RECORDING_NOT_SAVED: (
        "Không lưu được bản ghi vào cơ sở dữ liệu nên bản ghi chưa được nhận; tệp tải về "
        "đã được xoá. Xin gửi lại, hoặc báo quản trị hệ thống nếu lỗi còn lặp lại."
    ),
    ErrorCode.UPLOAD_EMPTY: "Tệp rỗng, không có gì để tải.",
    ErrorCode.UPLOAD_TOO_LARGE: "Tệp quá lớn ({length_gb:.1f} GB); giới hạn là {limit_gb:.1f} GB.",
    ErrorCode.UPLOAD_COMPLETE: "Tệp này đã được tải lên đầy đủ rồi.",
    ErrorCode.UPLOAD_OFFSET_MISMATCH: (
        "Vị trí tải lên không khớp với máy chủ; trình duyệt sẽ hỏi lại và tiếp tục."
    ),
    ErrorCode.UPLOAD_BUSY: "Phần trước của tệp vẫn đang được ghi; xin chờ giây lát.",
    ErrorCode.UPLOAD_OVER_LENGTH: "Trình duyệt gửi nhiều hơn độ dài tệp đã khai; phần này bị bỏ.",
    ErrorCode.UPLOAD_CHECKSUM_MISMATCH: (
        "Một phần của tệp bị hỏng trên đường truyền; trình duyệt sẽ gửi lại phần đó."
    ),
    ErrorCode.UPLOAD_ALREADY_COMPLETE: "Tệp đã tải lên đầy đủ.",
    ErrorCode.UPLOAD_BAD_METADATA: "Thông tin kèm tệp không hợp lệ.",
    ErrorCode.UPLOAD_HEADER_MISSING: "Yêu cầu tải lên thiếu thông tin.",
    ErrorCode.UPLOAD_CHECKSUM_ALGORITHM: "Thuật toán kiểm tra không hỗ trợ.",
    ErrorCode.UPLOAD_CHECKSUM_INVALID: "Mã kiểm tra không hợp lệ.",
    ErrorCode.UPLOAD_LENGTH_NEEDED: "Cần biết trước độ dài tệp.",
    ErrorCode.UPLOAD_NEEDS_MEETING: "Chưa chọn phiên họp.",
    ErrorCode.SEED_INVALID: "Tệp dữ liệu mẫu không hợp lệ: {detail}",
    ErrorCode.NO_COMMITTEE_NAMED: "Không có Ban Chỉ đạo “{name}”.",
    ErrorCode.NO_COMMITTEE_YET: "Chưa có Ban Chỉ đạo nào: chạy seed.",
    ErrorCode.SEVERAL_COMMITTEES: "Có nhiều Ban Chỉ đạo: chọn một bằng --committee TÊN.",
    ErrorCode.NO_PERSON_KEY: "Không có ai với khoá “{key}”.",
    ErrorCode.PERSON_KEY_TAKEN: "Khoá “{key}” đã có người dùng.",
    ErrorCode.NO_POINT_CODE: "Không có điểm cầu “{point}”.",
    ErrorCode.NO_UNIT_NAME: "Không có đơn vị “{name}”.",
    ErrorCode.TOKEN_NAME_LENGTH: "Tên mã truy cập phải có từ 1 đến 100 ký tự.",
    ErrorCode.BAD_QUERY: "Tham số của báo cáo không hợp lệ.",
    ErrorCode.BACKUP_TOOL_MISSING: (
        "Không tìm thấy {tool}: cài gói postgresql-client (cùng phiên bản với máy chủ)."
    ),
    ErrorCode.BACKUP_TOOL_FAILED: "{tool} thất bại: {detail}",
    ErrorCode.BACKUP_TARGET_NOT_EMPTY: (
        "Thư mục {target} đã có dữ liệu: chọn một thư mục mới hoặc rỗng."
    ),
    ErrorCode.BACKUP_NO_DATABASE: "Chưa có tệp CSDL {database}: không có gì để sao lưu.",
    ErrorCode.BACKUP_NOT_A_BACKUP: "{source} không phải một bản sao lưu của Điểm Cầu.",
    ErrorCode.BACKUP_UNKNOWN_FORMAT: "Bản sao lưu {source} có định dạng lạ: {format}.",
    ErrorCode.BACKUP_WRONG_BACKEND: (
        "Bản sao lưu là của {backup}, còn DIEMCAU_DATABASE_URL là {current}."
    ),
    ErrorCode.BACKUP_FILE_DAMAGED: "Tệp {file} trong bản sao lưu bị thiếu hoặc hỏng.",
}


def error_vi(error: DomainError, tz: tzinfo | None = None) -> str:
    """The sentence a person reads for a refused request, from its code and params."""
    params = dict(error.params)
    if error.code == ErrorCode.NOT_FOUND:
        found = NOT_FOUND_VI.get(str(params.get("entity")), ERROR_VI[ErrorCode.NOT_FOUND])
        return found.format(**params)
    if error.code == ErrorCode.TASK_TRANSITION:
        params = {k: STATUS_VI[TaskStatus(str(v))] for k, v in params.items()}
    if error.code == ErrorCode.UPLOAD_TOO_LARGE:  # bytes in storage, gigabytes for people
        params["length_gb"] = int(str(params["length"])) / 2**30
        params["limit_gb"] = int(str(params["limit"])) / 2**30
    if error.code == ErrorCode.RECORDING_DUPLICATE:
        title, number = params.get("meeting_title"), params.get("meeting_id")
        params["where"] = f"phiên họp “{title}” (số {number})" if title else "không gắn phiên họp"
        added = params.get("added_at")
        if isinstance(added, datetime):
            local = added.astimezone(tz) if tz is not None else added
            params["added"] = f"{local:%H:%M} ngày {format_date(local.date())}"
    return ERROR_VI[error.code].format(**params)
