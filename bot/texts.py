"""Every Vietnamese text the bot says, kept together so it can be read and corrected at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from bot.vietnamese import (
    ANSWER_VI,
    MEETING_STATUS_VI,
    UNREACHED_VI,
    WEEKDAYS_VI,
    format_date,
    format_moment,
)
from storage.models import (
    AgendaItem,
    AnswerStatus,
    Invitation,
    Meeting,
    Person,
    Role,
    Task,
)
from storage.services.invitations import NotReached, Unreached

UNKNOWN_USER = (
    "Xin chào! Tài khoản Telegram này chưa được đăng ký trong hệ thống Điểm Cầu. "
    "Xin liên hệ tổ giúp việc (văn phòng) để nhận đường dẫn mời."
)
NOT_ALLOWED = "Đồng chí không có quyền dùng chức năng này."
GENERIC_ERROR = "Đã có lỗi khi xử lý yêu cầu. Tổ giúp việc đã được ghi nhận; xin thử lại sau."
BAD_BUTTON = "Nút này không hợp lệ hoặc đã cũ. Xin dùng tin nhắn mới nhất."
CANCELLED = "Đã hủy thao tác."
NOTHING_TO_CANCEL = "Không có thao tác nào đang chờ."
DIALOGUE_LOST = (
    "Không còn tìm thấy các câu trả lời trước của thao tác này, nên thao tác đã dừng. "
    "Xin bắt đầu lại."
)
DIALOGUE_EXPIRED = (
    "Câu hỏi trước đã chờ quá 24 giờ nên thao tác đã dừng; tin nhắn này chưa được ghi nhận. "
    "Xin bắt đầu lại."
)
USE_THE_BUTTONS = "Xin chọn bằng các nút ở tin nhắn trên (hoặc /huy)."
NOT_UNDERSTOOD = "Tôi chưa hiểu yêu cầu. Gõ /trogiup để xem các lệnh."

ROLE_VI = {
    Role.SECRETARIAT: "tổ giúp việc",
    Role.COORDINATOR: "đầu mối điểm cầu",
    Role.PARTICIPANT: "đại biểu",
    Role.LEADERSHIP: "lãnh đạo",
}

COMMANDS: dict[Role, list[tuple[str, str]]] = {
    Role.PARTICIPANT: [
        ("lichhop", "Lịch họp của tôi"),
        ("nhiemvu", "Nhiệm vụ của đơn vị tôi"),
        ("web", "Đăng nhập trang web Điểm Cầu"),
        ("trogiup", "Hướng dẫn sử dụng"),
        ("huy", "Hủy thao tác đang làm"),
    ],
    Role.COORDINATOR: [("diemdanh", "Điểm danh tại điểm cầu của tôi")],
    Role.SECRETARIAT: [
        ("taohop", "Tạo phiên họp mới"),
        ("hop", "Các phiên họp: giấy mời, xác nhận, nhắc"),
        ("moi", "Tạo đường dẫn mời người dùng"),
        ("duthao", "Dự thảo chờ duyệt"),
    ],
    Role.LEADERSHIP: [("duthao", "Dự thảo chờ duyệt")],
}


def commands_for(roles: set[Role]) -> list[tuple[str, str]]:
    """The commands a person sees in Telegram's menu, without repeats."""
    seen: dict[str, str] = {}
    for role in (Role.PARTICIPANT, Role.COORDINATOR, Role.SECRETARIAT, Role.LEADERSHIP):
        if role in roles or role == Role.PARTICIPANT:
            for name, description in COMMANDS[role]:
                seen.setdefault(name, description)
    return list(seen.items())


def welcome(person: Person, roles: set[Role]) -> str:
    role_names = ", ".join(ROLE_VI[r] for r in sorted(roles)) or ROLE_VI[Role.PARTICIPANT]
    return (
        f"Xin chào đồng chí {person.display_name}!\n"
        f"Tài khoản đã được gắn với hệ thống Điểm Cầu. Vai trò: {role_names}.\n"
        "Gõ /trogiup để xem các lệnh."
    )


def help_text(roles: set[Role]) -> str:
    lines = ["Các lệnh của đồng chí:"]
    lines += [f"/{name} — {description}" for name, description in commands_for(roles)]
    return "\n".join(lines)


def invite_link(bot_username: str, code: str, person: Person, days: int) -> str:
    return (
        f"Đường dẫn mời cho {person.display_name} (dùng một lần, hết hạn sau {days} ngày):\n"
        f"https://t.me/{bot_username}?start={code}"
    )


def short_moment(moment: datetime, tz: tzinfo) -> str:
    """'08:00 thứ Năm 03/12/2026' in the office's zone: enough to tell two meetings apart."""
    local = moment.astimezone(tz)
    return f"{local:%H:%M} {WEEKDAYS_VI[local.weekday()]} {format_date(local.date())}"


def meeting_choice(meeting: Meeting, tz: tzinfo) -> str:
    """A meeting on a button: '03/12 08:00 — title', short enough for Telegram's buttons."""
    local = meeting.starts_at.astimezone(tz)
    label = f"{local:%d/%m %H:%M} — {meeting.title}"
    return label if len(label) <= 60 else label[:59] + "…"


def meeting_line(meeting: Meeting, tz: tzinfo) -> str:
    """Which meeting a message is about: its title, time and date."""
    return f"Phiên họp: {meeting.title} — {short_moment(meeting.starts_at, tz)}"


def agenda_lines(agenda: Sequence[AgendaItem]) -> list[str]:
    lines = []
    for item in agenda:
        presenter = item.presenter_text or (item.presenter.display_name if item.presenter else "")
        line = f"{item.position}. {item.title}"
        if presenter:
            line += f" — trình bày: {presenter}"
        lines.append(line)
        lines += [f"   • Tài liệu: {doc.title}" for doc in item.documents]
    return lines


def meeting_summary(meeting: Meeting, tz: tzinfo) -> str:
    points = ", ".join(mp.point.name for mp in meeting.points)
    lines = [
        meeting.title,
        f"Thời gian: {format_moment(meeting.starts_at, tz)}",
        f"Chủ trì: {meeting.chair.display_name}",
        f"Điểm cầu chính: {meeting.main_point.name}",
        f"Các điểm cầu: {points}",
    ]
    if meeting.agenda:
        lines += ["Chương trình:", *agenda_lines(meeting.agenda)]
    return "\n".join(lines)


def invitation(meeting: Meeting, point_name: str, tz: tzinfo) -> str:
    return (
        "GIẤY MỜI HỌP TRỰC TUYẾN\n"
        + meeting_summary(meeting, tz)
        + f"\n\nĐiểm cầu của đồng chí: {point_name}\nXin đồng chí xác nhận tham dự."
    )


def on_behalf(
    name: str, point_name: str, meeting: Meeting | None = None, tz: tzinfo | None = None
) -> str:
    line = f"\n{meeting_line(meeting, tz)}" if meeting is not None and tz is not None else ""
    return f"Trả lời thay cho {name} ({point_name}):{line}"


ANSWER_BUTTONS = {"acc": "Tham dự", "dec": "Vắng", "del": "Cử người dự thay"}
ANSWER_DONE = {
    "acc": "Đã ghi nhận: đồng chí tham dự.",
    "dec": "Đã ghi nhận: đồng chí vắng. Lý do: {reason}",
    "del": "Đã ghi nhận người dự thay: {delegate}.",
}


def answer_shown(invitation: Invitation, answered_at: datetime, tz: tzinfo) -> str:
    """What goes below the invitation once it is answered (and replaces itself when the
    person changes their mind): the answer, its reason or substitute, and when."""
    if invitation.status == AnswerStatus.DECLINED:
        answer = f"Vắng — lý do: {invitation.decline_reason}"
    elif invitation.status == AnswerStatus.DELEGATED:
        delegate = invitation.delegate_name or ""
        if invitation.delegate_title:
            delegate += f" ({invitation.delegate_title})"
        answer = f"Cử người dự thay: {delegate}"
    else:
        answer = ANSWER_VI[invitation.status]
    return (
        f"{ANSWER_RULE}\n✅ Trả lời: {answer}\n"
        f"(ghi nhận lúc {short_moment(answered_at, tz)}; có thể đổi trước giờ họp)"
    )


ANSWER_RULE = "——————————"


def with_answer(
    message_text: str, invitation: Invitation, answered_at: datetime, tz: tzinfo
) -> str:
    """The invitation as it was sent, with the current answer below it."""
    base = message_text.split(f"\n\n{ANSWER_RULE}", 1)[0]
    return f"{base}\n\n{answer_shown(invitation, answered_at, tz)}"


def answer_recorded(invitation: Invitation, tz: tzinfo) -> str:
    """The reply to a typed answer: which meeting, which point, which answer."""
    done = {
        AnswerStatus.ACCEPTED: "đồng chí tham dự",
        AnswerStatus.DECLINED: f"đồng chí vắng. Lý do: {invitation.decline_reason}",
        AnswerStatus.DELEGATED: "người dự thay: "
        + (invitation.delegate_name or "")
        + (f" ({invitation.delegate_title})" if invitation.delegate_title else ""),
    }.get(invitation.status, ANSWER_VI[invitation.status].lower())
    if invitation.answered_by_id not in (None, invitation.person_id):
        done = done.replace("đồng chí", invitation.person.display_name, 1)
        done = f"trả lời thay — {done}"
    return (
        f"Đã ghi nhận: {done}\n{meeting_line(invitation.meeting, tz)}\n"
        f"Điểm cầu: {invitation.point.name}"
    )


ASK_DECLINE_REASON = "Xin cho biết lý do vắng mặt (gõ một tin nhắn):"
ASK_DELEGATE = (
    "Xin gõ họ tên và chức vụ người dự thay, cách nhau bởi dấu phẩy.\n"
    "Ví dụ: Lò Văn Minh, Phó Giám đốc"
)

READY_BUTTON = "Điểm cầu sẵn sàng"
PROBLEM_BUTTON = "Có sự cố"
ASK_PROBLEM = "Xin mô tả sự cố tại điểm cầu (đường truyền, âm thanh, hình ảnh...):"


def readiness_request(meeting: Meeting, point_name: str, tz: tzinfo) -> str:
    return (
        f"KIỂM TRA ĐƯỜNG TRUYỀN — {point_name}\n{meeting.title}\n"
        f"Thời gian: {format_moment(meeting.starts_at, tz)}\n"
        "Xin đồng chí xác nhận tình trạng điểm cầu trước giờ họp."
    )


def readiness_recorded(
    point_name: str, ready: bool, note: str | None, meeting: Meeting, tz: tzinfo
) -> str:
    if ready:
        return f"Đã ghi nhận: {point_name} sẵn sàng.\n{meeting_line(meeting, tz)}"
    return (
        f"Đã ghi nhận sự cố tại {point_name}: {note}. Tổ giúp việc sẽ phối hợp xử lý.\n"
        f"{meeting_line(meeting, tz)}"
    )


def problem_alert(point_name: str, meeting: Meeting, note: str, tz: tzinfo) -> str:
    return f"⚠️ Sự cố tại {point_name}: {note}\n{meeting_line(meeting, tz)}"


def reminder_no_answer(meeting: Meeting, tz: tzinfo) -> str:
    return (
        f"NHẮC XÁC NHẬN THAM DỰ\n{meeting.title}\n"
        f"Thời gian: {format_moment(meeting.starts_at, tz)}\n"
        "Đồng chí chưa trả lời giấy mời; xin xác nhận bằng các nút dưới đây."
    )


# --- secretariat: creating a meeting -------------------------------------------------------

ASK_TITLE = "Tạo phiên họp mới. Xin gõ tiêu đề phiên họp (hoặc /huy để thôi):"
ASK_TIME = "Thời gian bắt đầu? Ví dụ: “8h00 ngày 4/12”, “14 giờ thứ năm tuần sau”, “7:30 sáng mai”."
BAD_TIME = "Chưa hiểu thời gian “{text}”. Xin gõ lại, ví dụ: “8h00 ngày 4/12”."
PAST_TIME = "Thời gian {when} đã qua. Xin chọn một thời điểm trong tương lai."
ASK_CHAIR = "Ai chủ trì phiên họp?"
ASK_POINTS = "Chọn các điểm cầu tham gia (bấm để chọn/bỏ), rồi bấm “Xong”:"
POINTS_DONE = "Xong"
ASK_AGENDA = (
    "Nội dung chương trình: mỗi tin nhắn một nội dung, dạng “Nội dung — người trình bày”.\n"
    "Bấm “Xong” khi đủ."
)
AGENDA_DONE = "Xong"
AGENDA_ADDED = "Đã thêm nội dung {n}. Gõ nội dung tiếp theo hoặc bấm “Xong”."
CONFIRM_SAVE = "Lưu phiên họp"
CONFIRM_DISCARD = "Bỏ"
NO_COMMITTEE = "Đồng chí chưa thuộc tổ giúp việc của Ban Chỉ đạo nào."


def confirm_meeting(
    title: str, when: str, chair: str, points: Sequence[str], agenda: Sequence[str]
) -> str:
    lines = [
        "XÁC NHẬN PHIÊN HỌP",
        f"Tiêu đề: {title}",
        f"Thời gian: {when}",
        f"Chủ trì: {chair}",
        f"Điểm cầu: {', '.join(points)}",
    ]
    if agenda:
        lines += ["Chương trình:", *(f"{i}. {a}" for i, a in enumerate(agenda, start=1))]
    return "\n".join(lines)


def meeting_saved(title: str) -> str:
    return f"Đã lưu phiên họp “{title}”. Bấm “Gửi giấy mời” khi sẵn sàng."


SEND_INVITATIONS = "Gửi giấy mời"
FINISH_MEETING = "Kết thúc phiên họp"


def meeting_listed(meeting: Meeting, tz: tzinfo) -> str:
    """A meeting in /hop: title, time and where it stands."""
    return (
        f"{meeting.title}\n{format_moment(meeting.starts_at, tz)}\n"
        f"Trạng thái: {MEETING_STATUS_VI[meeting.status]}"
    )


def meeting_finished(meeting: Meeting, tz: tzinfo) -> str:
    return (
        f"Đã kết thúc phiên họp.\n{meeting_line(meeting, tz)}\n"
        "Gửi bản ghi của phiên họp vào đây để chuyển thành văn bản và soạn dự thảo."
    )


SHOW_MATRIX = "Tình hình xác nhận"
REMIND = "Nhắc người chưa trả lời"
ANSWER_FOR = "Trả lời thay"
CANCEL_MEETING = "Hủy phiên họp"
RESCHEDULE = "Dời lịch"
ASK_CANCEL_REASON = "Xin gõ lý do hủy phiên họp:"
ASK_NEW_TIME = "Thời gian mới? (ví dụ “8h00 ngày 10/12”)"
EDIT_TITLE = "Sửa tiêu đề"
ADD_AGENDA = "Thêm nội dung"
ASK_NEW_TITLE = "Xin gõ tiêu đề mới của phiên họp:"
ASK_AGENDA_ITEM = "Xin gõ nội dung cần thêm, dạng “Nội dung — người trình bày”:"


def invitations_going(meeting: Meeting, tz: tzinfo, n_people: int) -> str:
    return f"Đang gửi giấy mời tới {n_people} người…\n{meeting_line(meeting, tz)}"


def invitations_sent(
    meeting: Meeting, tz: tzinfo, n_people: int, n_points: int, n_waiting: int = 0
) -> str:
    waiting = (
        f"\n{n_waiting} giấy mời chưa gửi được (Telegram bận hoặc lỗi mạng), "
        "hệ thống sẽ tự gửi lại."
        if n_waiting
        else ""
    )
    return (
        f"Đã gửi giấy mời tới {n_people} người tại {n_points} điểm cầu.{waiting}\n"
        f"{meeting_line(meeting, tz)}"
    )


ISSUE_LINKS = "Tạo đường dẫn mời cho họ"


def not_reached(missed: Sequence[NotReached]) -> str:
    """Whom the invitations did not reach, point by point, and why: whom to phone."""
    lines = [f"CHƯA NHẬN ĐƯỢC GIẤY MỜI ({len(missed)} người):"]
    point = None
    for item in missed:
        if item.invitation.point.name != point:
            point = item.invitation.point.name
            lines.append(f"{point}:")
        lines.append(f"  - {item.invitation.person.display_name}: {UNREACHED_VI[item.reason]}")
    if any(item.reason != Unreached.BLOCKED for item in missed):
        lines.append("Bấm nút dưới đây để tạo đường dẫn mời, rồi chuyển cho từng người.")
    return "\n".join(lines)


def invite_links(bot_username: str, links: Sequence[tuple[Person, str]], days: int) -> str:
    lines = [f"Đường dẫn mời (mỗi đường dẫn dùng một lần, hết hạn sau {days} ngày):"]
    lines += [
        f"- {person.display_name}: https://t.me/{bot_username}?start={code}"
        for person, code in links
    ]
    return "\n".join(lines)


def reminded(n: int) -> str:
    return f"Đã nhắc {n} người chưa trả lời." if n else "Mọi người đã trả lời giấy mời."


def meeting_cancelled(meeting: Meeting, reason: str | None, tz: tzinfo) -> str:
    return (
        f"THÔNG BÁO HỦY PHIÊN HỌP\n{meeting.title}\n"
        f"(dự kiến {short_moment(meeting.starts_at, tz)})\nLý do: {reason or 'không nêu'}"
    )


def meeting_moved(meeting: Meeting, tz: tzinfo) -> str:
    return (
        f"THÔNG BÁO DỜI LỊCH HỌP\n{meeting.title}\n"
        f"Thời gian mới: {format_moment(meeting.starts_at, tz)}"
    )


def meeting_changed(meeting: Meeting, tz: tzinfo) -> str:
    return "THÔNG BÁO THAY ĐỔI PHIÊN HỌP\n" + meeting_summary(meeting, tz)


NO_MEETINGS = "Chưa có phiên họp nào sắp tới."
NO_MEETING_FOR_RECORDING = (
    "Chưa có phiên họp nào đang diễn ra hoặc đã họp: bản ghi được nhận từ lúc phiên họp bắt đầu."
)
NO_ROLL_CALL = "Hôm nay không có phiên họp nào tại điểm cầu của đồng chí để điểm danh."


def roll_call(meeting: Meeting, point_name: str, tz: tzinfo) -> str:
    return (
        f"ĐIỂM DANH — {point_name}\n{meeting_line(meeting, tz)}\nBấm tên để đánh dấu có mặt / vắng:"
    )


MY_MEETINGS_HEADER = "Lịch họp của đồng chí:"

# --- recordings, drafts ---------------------------------------------------------------------

ASK_RECORDING_MEETING = "Bản ghi này thuộc phiên họp nào?"
TOO_BIG = (
    "Tệp {size} MB vượt giới hạn {limit} MB mà máy chủ Telegram cho bot tải về, nên bot chưa "
    "nhận được. Tệp chưa bị mất (vẫn còn trong cuộc trò chuyện này). Hai cách gửi bản ghi lớn:\n"
    "1. Trên máy chủ của tỉnh, chạy lệnh:\n"
    "   diemcau recording add <tệp> --meeting <số phiên họp>\n"
    "2. Nhờ quản trị bật máy chủ Bot API cục bộ (nhận tệp tới 2 GB, xem README, mục "
    "“Large recordings”), rồi gửi lại tệp ở đây."
)
RECENT_MEETING_NUMBERS = "Số của các phiên họp gần đây:"
RECORDING_RECEIVING = "Đang nhận bản ghi…"
LOCAL_FILE_UNREADABLE = (
    "Máy chủ chưa đọc được tệp từ máy chủ Bot API cục bộ (cấu hình thư mục dùng chung chưa "
    "đúng). Tệp chưa bị mất; xin báo quản trị rồi gửi lại."
)
TRANSCRIBING = "Đang chuyển giọng nói thành văn bản… {percent}%"
TRANSCRIBED = (
    "Đã chuyển xong giọng nói thành văn bản ({segments} đoạn, {minutes} phút). Đang soạn dự thảo…"
)
TRANSCRIBE_FAILED = "Không chuyển được bản ghi thành văn bản: {reason}"


NO_TASK_FOUND = (
    "Vì sao chưa có nhiệm vụ: không tìm thấy câu giao nhiệm vụ nào (câu có đơn vị và việc phải "
    "làm, ví dụ “Giao Sở Tài chính chủ trì … trước ngày …”). {transcript}Nếu có nhiệm vụ bị bỏ "
    "sót, bấm “Thêm nhiệm vụ”."
)
TRANSCRIPT_BELOW = "Bản ghi lời nói gửi kèm bên dưới để đối chiếu. "
NO_SPEECH = "Không nghe được lời nói nào trong bản ghi ({length}): xin nghe lại tệp ghi âm."
THIN_TRANSCRIPT = (
    "Bản ghi chỉ nghe được {words} từ trong {length}: có thể tiếng nhỏ, nhiều đoạn im lặng "
    "hoặc nhạc, hay không phải tiếng Việt. Xin nghe lại tệp ghi âm."
)
CONFIRM_EMPTY_APPROVAL = (
    "Dự thảo số {draft_id} không có nhiệm vụ nào: nếu duyệt, thông báo kết luận sẽ không giao "
    "việc cho đơn vị nào. Đồng chí vẫn duyệt?"
)
APPROVE_WITHOUT_TASKS = "Vẫn duyệt, không có nhiệm vụ"


def recording_length(seconds: float) -> str:
    """'45 giây', '12 phút', '2 giờ 05 phút'."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} giây"
    hours, minutes = divmod(round(whole / 60), 60)
    return f"{hours} giờ {minutes:02d} phút" if hours else f"{minutes} phút"


def draft_review(
    draft_id: int, version: int, content: dict[str, Any], notes: Sequence[str] = ()
) -> str:
    """The draft as reviewers read it; ``notes`` (why it is empty or thin) come first."""
    lines = [f"DỰ THẢO THÔNG BÁO KẾT LUẬN (số {draft_id}, bản {version})", ""]
    for note in notes:
        lines += [note, ""]
    lines.append("Kết luận:")
    conclusions = content.get("conclusions", [])
    lines += [f"- {c['text']}" for c in conclusions] or ["(chưa có)"]
    lines += ["", "Nhiệm vụ:"]
    for i, task in enumerate(content.get("tasks", []), start=1):
        deadline = task.get("deadline")
        when = (
            format_date(_iso(deadline)) if deadline else (task.get("deadline_text") or "không nêu")
        )
        coop = f"; phối hợp: {', '.join(task['cooperating'])}" if task.get("cooperating") else ""
        lines.append(f"{i}. {task['assignee']}{coop}: {task['action']} — hạn: {when}")
    if not content.get("tasks"):
        lines.append("(không có nhiệm vụ)")
    return "\n".join(lines)


def _iso(value: str) -> Any:
    from datetime import date

    return date.fromisoformat(value)


APPROVE = "Duyệt"
ADD_TASK = "Thêm nhiệm vụ"
ASK_NEW_TASK = (
    "Gõ nhiệm vụ cần thêm, các phần cách nhau bởi dấu chấm phẩy:\n"
    "Đơn vị chủ trì; nội dung; thời hạn (nếu có)\n"
    "Ví dụ: Sở Tài chính; Báo cáo phương án bố trí vốn; trước ngày 30/6/2027"
)
BAD_NEW_TASK = "Cần ít nhất đơn vị chủ trì và nội dung, cách nhau bởi dấu chấm phẩy."
REJECT = "Trả lại"
EDIT_TASK = "Sửa NV {n}"
DROP_TASK = "Bỏ NV {n}"
ASK_EDIT_FIELD = "Sửa gì ở nhiệm vụ {n}?"
EDIT_FIELDS = {"unit": "Đơn vị chủ trì", "action": "Nội dung", "deadline": "Thời hạn"}
ASK_EDIT_VALUE = "Gõ {field} mới cho nhiệm vụ {n}:"
BAD_DEADLINE = "Chưa hiểu thời hạn “{text}”. Gõ dạng ngày/tháng/năm, ví dụ 20/12/2026."
ASK_REJECT_REASON = "Xin gõ lý do trả lại dự thảo:"
DRAFT_SAVED = "Đã lưu sửa đổi (bản {version})."
DRAFT_APPROVED = "Đã duyệt dự thảo số {draft_id}; {n} nhiệm vụ đã được giao tới các đơn vị."
DRAFT_REJECTED = "Đã trả lại dự thảo số {draft_id}. Lý do: {reason}"
NO_DRAFTS = "Không có dự thảo nào chờ duyệt."
DOCUMENT_CAPTIONS = {
    "notice": "Dự thảo thông báo kết luận (DOCX)",
    "record": "Dự thảo biên bản phiên họp (DOCX)",
    "transcript": "Bản ghi lời nói của phiên họp ([giờ:phút:giây] là thời điểm trong bản ghi)",
}

# --- tasks ----------------------------------------------------------------------------------

TASK_PROGRESS = "Đang thực hiện"
TASK_DONE = "Hoàn thành"
TASK_EXTEND = "Xin gia hạn"
ASK_DONE_REPORT = "Xin báo cáo ngắn kết quả thực hiện nhiệm vụ:"
ASK_EXTENSION = "Xin gõ hạn mới và lý do, ví dụ: “15/01/2027, chờ số liệu của Bộ”."
BAD_EXTENSION = "Chưa hiểu. Xin gõ dạng “ngày/tháng/năm, lý do”."
GRANT = "Đồng ý gia hạn"
REFUSE = "Không đồng ý"


def task_card(task: Task, tz: tzinfo, meeting: Meeting | None = None) -> str:
    if task.deadline_date:
        deadline = format_date(task.deadline_date)
    elif task.deadline_at:
        deadline = format_moment(task.deadline_at, tz)
    else:
        deadline = task.deadline_text or "không nêu"
    coop = f"\nPhối hợp: {', '.join(task.cooperating)}" if task.cooperating else ""
    source = ""
    if meeting is not None:  # which meeting's conclusion notice gave the task
        notice = f" (dự thảo số {task.draft_id})" if task.draft_id else ""
        source = (
            f"\nTheo thông báo kết luận{notice} phiên họp: {meeting.title} — "
            f"{short_moment(meeting.starts_at, tz)}"
        )
    return (
        f"NHIỆM VỤ SỐ {task.id}{source}\nĐơn vị chủ trì: {task.assignee_text}{coop}\n"
        f"Nội dung: {task.action}\nThời hạn: {deadline}"
    )


def _task_named(task: Task, meeting: Meeting | None, tz: tzinfo) -> str:
    """'nhiệm vụ 3 “Báo cáo …” (Phiên họp: … — 08:00 …)': enough to know which one."""
    action = task.action if len(task.action) <= 80 else task.action[:79] + "…"
    where = f"\n{meeting_line(meeting, tz)}" if meeting else ""
    return f"nhiệm vụ {task.id} “{action}”{where}"


def task_assigned(task: Task, tz: tzinfo, meeting: Meeting | None = None) -> str:
    return "Đồng chí nhận được nhiệm vụ sau cuộc họp:\n" + task_card(task, tz, meeting)


def progress_recorded(task: Task, meeting: Meeting | None, tz: tzinfo) -> str:
    return f"Đã ghi nhận đang thực hiện {_task_named(task, meeting, tz)}"


def done_recorded(task: Task, meeting: Meeting | None, tz: tzinfo) -> str:
    return f"Đã ghi nhận hoàn thành {_task_named(task, meeting, tz)}\nCảm ơn đồng chí."


def extension_requested(
    task: Task,
    person: Person,
    new_date: str,
    reason: str,
    tz: tzinfo,
    meeting: Meeting | None = None,
) -> str:
    return (
        f"ĐỀ NGHỊ GIA HẠN từ {person.display_name}\n{task_card(task, tz, meeting)}\n"
        f"Hạn đề nghị: {new_date}\nLý do: {reason}"
    )


def extension_sent(task: Task, meeting: Meeting | None, tz: tzinfo) -> str:
    return f"Đã gửi tổ giúp việc đề nghị gia hạn {_task_named(task, meeting, tz)}"


def extension_decided(task: Task, granted: bool, meeting: Meeting | None, tz: tzinfo) -> str:
    named = _task_named(task, meeting, tz)
    if granted and task.deadline_date is not None:
        return f"Được gia hạn đến {format_date(task.deadline_date)}: {named}"
    if granted:  # an extension of a deadline kept as words: the words stay
        return f"Được gia hạn: {named}"
    return f"Đề nghị gia hạn không được chấp thuận; giữ thời hạn cũ: {named}"


NO_TASKS = "Đơn vị của đồng chí không có nhiệm vụ nào đang mở."
