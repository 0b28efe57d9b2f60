"""Conclusions and tasks from the sentences of a meeting.

The rules follow how Vietnamese administrative language assigns work:

* an explicit order: "giao X (chủ trì, phối hợp với Y) …", "yêu cầu X …", "đề nghị X …",
  "X được giao …", said by the chair or the issuing body (not by a participant);
* a unit as subject with a duty word: "X khẩn trương …", "X có trách nhiệm …", "X phải …";
* a unit as subject with an action verb, inside the chair's directions ("Sở Xây dựng làm
  đầu mối …", "sở công thương thì phối hợp với sở tài chính theo dõi …");
* a following sentence without a subject that adds an action carries the last subject
  over ("rồi thành lập các tổ kiểm tra …"); one that only adds a deadline ("Thời hạn …:
  trước ngày 23/5/2019", "cái này tuần sau là phải có") joins the task before it.

Not tasks: facts ("… đã ban hành"), what a participant proposes or promises ("Phó Giám đốc
Sở Y tế đề nghị …", "Theo …, Sở sẽ …"), summaries of a plan issued earlier ("Theo Kế
hoạch, …"), and empty closing formulas ("đề nghị các đồng chí khẩn trương triển khai").

The analysis is a small state machine over the sentences: *where* a sentence sits (the
chair's directions, a plan summary, a participant's turn) decides how much a bare
"unit + verb" sentence counts.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from minutes.deadlines import DeadlineResult, parse_deadline
from minutes.model import Conclusion, Task
from minutes.segment import Sentence
from minutes.text import match_view
from minutes.units import UnitMatch, find_unit_at, map_to_known, parse_unit_list, unit_name

__all__ = ["extract"]


def _words(*items: str) -> str:
    return (
        "(?:" + "|".join(w.replace(" ", r"\s+") for w in sorted(items, key=len, reverse=True)) + ")"
    )


# Action verbs that open a directive's predicate.
VERBS = _words(
    "khẩn trương",
    "tập trung",
    "tiếp tục",
    "chủ động",
    "kịp thời",
    "tăng cường",
    "đẩy mạnh",
    "đẩy nhanh",
    "hoàn thành",
    "hoàn thiện",
    "hoàn tất",
    "hoàn chỉnh",
    "triển khai",
    "thực hiện",
    "tổ chức",
    "xây dựng",
    "rà soát",
    "kiểm tra",
    "thanh tra",
    "nghiên cứu",
    "tham mưu",
    "tổng hợp",
    "chỉ đạo",
    "phối hợp",
    "chủ trì",
    "theo dõi",
    "đôn đốc",
    "giám sát",
    "hướng dẫn",
    "ban hành",
    "trình",
    "gửi",
    "cập nhật",
    "bổ sung",
    "điều chỉnh",
    "lập",
    "thành lập",
    "kiện toàn",
    "bố trí",
    "giải ngân",
    "giải phóng",
    "bàn giao",
    "tiếp nhận",
    "xử lý",
    "giải quyết",
    "phê duyệt",
    "thẩm định",
    "chuẩn bị",
    "quán triệt",
    "tuyên truyền",
    "vận động",
    "làm việc",
    "làm rõ",
    "làm đầu mối",
    "chốt",
    "cử",
    "công khai",
    "nắm chắc",
    "nắm",
    "đánh giá",
    "khắc phục",
    "phát hiện",
    "ngăn chặn",
    "ưu tiên",
    "dựa vào",
    "căn cứ",
    "chịu trách nhiệm",
    "có trách nhiệm",
    "cung cấp",
    "chuyển",
    "phân bổ",
    "phát huy",
    "bám sát",
    "quản lý",
    "duy trì",
    "bảo đảm",
    "đảm bảo",
    "rút kinh nghiệm",
    "thống kê",
    "điều tra",
    "lựa chọn",
    "sửa chữa",
    "di dời",
    "thu hồi",
    "nghiệm thu",
    "quyết toán",
    "thanh toán",
    "vào cuộc",
    "coi",
    "xác định",
    "phân công",
    "sắp xếp",
    "định hình",
    "hỗ trợ",
    "soạn thảo",
    "dự thảo",
    "góp ý",
    "xin ý kiến",
    "cho ý kiến",
    "ra thông báo",
    "thông báo",
    "khảo sát",
    "kiểm kê",
    "bồi thường",
    "nâng cấp",
    "cải tạo",
    "nâng cao",
    "đổi mới",
    "chấn chỉnh",
    "xem xét",
    "thẩm tra",
    "phấn đấu",
    "báo cáo",
    "tham gia",
    "nộp",
    "đề xuất",
    "chấp hành",
    "hoàn trả",
    "kiểm soát",
    "tháo gỡ",
    "đẩy",
    "mời",
    "giao",
    "đăng ký",
    "cấp",
    "phát động",
    "ra quân",
    "in",
    "phát hành",
    "tiến hành",
    "quyết liệt",
    "nghiêm túc",
    "sớm",
    "khẩn",
    "cần",
    "phải",
    "cung ứng",
    "tổng kết",
    "sơ kết",
    "lên kế hoạch",
    "vận hành",
    "khai thác",
    "thu",
    "tiếp thu",
    "giải trình",
    "chỉnh sửa",
    "hoàn",
    "chủ trì",
    "thiết lập",
    "thống nhất",
    "kêu gọi",
    "tuyên dương",
    "biểu dương",
    "khen thưởng",
    "xử phạt",
    "lấy ý kiến",
    "đối chiếu",
    "tra soát",
    "số hóa",
    "ứng dụng",
    "vận động",
    "đưa",
    "tuyển",
    "thẩm",
    "xin",
    "giúp",
    "phân loại",
    "thu gom",
    "dọn",
    "bố trí",
    "lắp đặt",
    "sửa",
    "làm",
)
_VERB_RE = re.compile(rf"{VERBS}(?!\w)")

# Words between a subject and its verb that make the sentence an order.
_DUTY = _words(
    "có trách nhiệm",
    "chịu trách nhiệm",
    "được giao",
    "cần phải",
    "phải",
    "cần",
    "khẩn trương",
    "sớm",
    "làm đầu mối",
    "chủ trì",
    "tập trung",
    "tiếp tục",
    "chủ động",
    "kịp thời",
    "được",
    "nhanh chóng",
    "nghiêm túc",
    "quyết liệt",
    "tích cực",
    "khẩn",
    "trực tiếp",
    "nhất thiết",
    "hãy",
    "cũng",
    "thì",
    "là",
    "cùng",
)
_STRONG_DUTY = re.compile(
    r"có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|được\s+giao|phải|cần|khẩn\s+trương|sớm"
    r"|làm\s+đầu\s+mối|chủ\s+trì|nhanh\s+chóng"
)
_REMIT = (
    r"theo\s+chức\s+năng(?:\s*,\s*|\s+)nhiệm\s+vụ(?:\s+được\s+giao)?|theo\s+thẩm\s+quyền"
    r"|trong\s+phạm\s+vi\s+(?:chức\s+năng|quản\s+lý|thẩm\s+quyền)(?:(?:\s*,\s*|\s+)nhiệm\s+vụ)?"
    r"(?:\s+(?:của\s+mình|được\s+giao))?|căn\s+cứ\s+chức\s+năng(?:\s*,\s*|\s+)nhiệm\s+vụ"
)
# "(các bến xe khách) nếu có tăng chuyến thì phải …": a condition between subject and verb
_CONDITION = r"nếu\s+[^,.;:]{1,60}?\s+thì"
_SKIP_RE = re.compile(rf"(?:\s*(?:,|:|à|ờ|ừ|ạ|ơ|{_CONDITION}|{_REMIT}|{_DUTY})(?!\w))*\s*")

# Discourse openers skipped before looking for a subject.
_LEAD_RE = re.compile(
    r"(?:[\s,:;\-–•*+]+|\d{1,2}[.)]\s|[a-zđ][.)]\s"
    r"|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s*,(?=\s)|(?:"
    + "|".join(
        w.replace(" ", r"\s+")
        for w in sorted(
            [
                "rồi",
                "à",
                "ờ",
                "ừ",
                "ạ",
                "thì",
                "là",
                "còn",
                "và",
                "nhưng mà",
                "nhưng",
                "cho nên",
                "nên",
                "vì vậy",
                "vì thế",
                "do đó",
                "do vậy",
                "đồng thời",
                "tiếp theo",
                "tiếp đó",
                "ngoài ra",
                "bên cạnh đó",
                "cùng với đó",
                "riêng",
                "đặc biệt",
                "trong đó",
                "cụ thể",
                "theo đó",
                "sau đó",
                "từ đó",
                "cuối cùng",
                "trước hết",
                "trước mắt",
                "trong thời gian tới",
                "thời gian tới",
                "trong thời gian sắp tới",
                "thời gian sắp tới",
                "trong thời gian tới đây",
                "thời gian tới đây",
                "về phía",
                "đối với",
                "một là",
                "hai là",
                "ba là",
                "bốn là",
                "năm là",
                "thứ nhất",
                "thứ hai",
                "thứ ba",
                "thứ tư",
                "thứ năm",
                "thứ sáu",
                "thứ bảy",
                "thứ tám",
                "thứ chín",
                "thứ mười",
                "thứ nữa",
                "thứ nữa là",
                "một việc nữa là",
                "một việc nữa",
                "việc nữa là",
                "ngoài những nhiệm vụ trên",
                "mặt khác",
                "tuy nhiên",
                "bây giờ",
                "giờ",
                "thế thì",
                "vậy thì",
                "ok",
                "nhé",
                "nói chung",
                "cái này quan trọng",
                "cái này rất quan trọng",
                "quan trọng nhất là",
                "quan trọng là",
                "lưu ý là",
                "chú ý là",
                "tóm lại",
                "một",
                "hai",
            ],
            key=len,
            reverse=True,
        )
    )
    + r")(?!\w))*"
)

_TRIGGER_RE = re.compile(
    r"(?<!\w)(?P<trig>giao(?:\s+(?:nhiệm\s+vụ|việc)(?:\s+cụ\s+thể)?)?(?:\s+cho)?|yêu\s+cầu"
    r"|đề\s+nghị|chỉ\s+đạo|phân\s+công(?:\s+cho)?|nhờ|lưu\s+ý)(?!\w)"
)
_NOT_TRIGGER_BEFORE = re.compile(
    r"(?<!\w)(?:được|đã|đã\s+được|theo|các|những|sự|ban|lãnh\s+đạo,|lãnh\s+đạo|đáp\s+ứng|nhiệm\s+vụ"
    r"|công\s+tác|ý\s+kiến|cơ\s+quan|văn\s+bản|có|về|đúng|tại)\s*$"
)
_NOT_TRIGGER_AFTER = re.compile(r"\s*(?:của|,\s*điều\s+hành|điều\s+hành|và|thì|như\s+sau)(?!\w)")

_PARTICIPANT = re.compile(
    r"(?<!\w)(?:(?:phó\s+)?giám\s+đốc|đại\s+diện|trưởng\s+phòng|(?:chi\s+)?cục\s+trưởng"
    r"|hiệu\s+trưởng|đại\s+biểu|có\s+ý\s+kiến|kiến\s+nghị|ý\s+kiến\s+của|ông|bà|doanh\s+nghiệp"
    r"|người\s+dân|cử\s+tri|chúng\s+tôi|chúng\s+em|em\s+xin|xin\s+phép|thay\s+mặt\s+sở"
    r"|chủ\s+tịch\s+(?:ubnd|ủy\s+ban\s+nhân\s+dân)\s+(?:huyện|xã|thành\s+phố|thị\s+xã))(?!\w)"
)
_CHAIR_PERSON = re.compile(
    r"(?<!\w)(?:chủ\s+tịch|bí\s+thư|trưởng\s+ban|thủ\s+tướng|bộ\s+trưởng|tôi|đồng\s+chí\s+chủ\s+trì"
    r"|lãnh\s+đạo\s+(?:ubnd|ủy\s+ban)\s+tỉnh)(?!\w)"
)
_CHAIR_BODY = re.compile(
    r"(?<!\w)(?:ubnd\s+tỉnh|ủy\s+ban\s+nhân\s+dân\s+tỉnh|ban\s+chỉ\s+đạo|thường\s+trực"
    r"|ban\s+thường\s+vụ|tỉnh\s+ủy|hội\s+nghị|phiên\s+họp|cuộc\s+họp)(?!\w)"
)
_CHAIR_ISSUER = re.compile(
    r"(?<!\w)(?:ubnd\s+tỉnh|ủy\s+ban\s+nhân\s+dân\s+tỉnh|ban\s+chỉ\s+(?:đạo|huy)|thường\s+trực"
    r"|ban\s+thường\s+vụ|tỉnh\s+ủy)(?!\w)"
)
_DIRECTIVE_MARK = re.compile(
    r"(?:kết\s+luận|(?<!ban\s)chỉ\s+đạo|yêu\s+cầu|đề\s+nghị|giao|nhấn\s+mạnh|lưu\s+ý|quán\s+triệt"
    r"|như\s+sau)(?!\w)"
)
_BACKGROUND = re.compile(
    r"^(?:theo\s+(?:kế\s+hoạch|chỉ\s+thị|nghị\s+quyết|quyết\s+định|chương\s+trình|đề\s+án)(?!\w)"
    r"|(?:ubnd\s+tỉnh|kế\s+hoạch|chỉ\s+thị|nghị\s+quyết)[^.]{0,80}(?:đưa\s+ra|đề\s+ra|xác\s+định)"
    r"[^.]{0,40}nhóm\s+nhiệm\s+vụ)"
)
_REPORTAGE = re.compile(
    r"^(?:tại\s+(?:buổi|cuộc|phiên|hội\s+nghị)|thảo\s+luận|theo\s+(?:ông|bà|phó|giám\s+đốc"
    r"|đại\s+diện|lãnh\s+đạo|báo\s+cáo|thống\s+kê|sở|ban|ủy\s+ban|ubnd|đồng\s+chí)|qua\s+báo\s+cáo"
    r"|báo\s+cáo\s+(?:tại|cho\s+biết)|các\s+đại\s+biểu)"
)
_REPORT_VERB = re.compile(
    r"(?:đã|vừa|đang|báo\s+cáo\s+(?:là|rằng)|cho\s+biết|cho\s+rằng|nêu|trình\s+bày|giới\s+thiệu"
    r"|phát\s+biểu|đề\s+nghị|đề\s+xuất|kiến\s+nghị|có\s+ý\s+kiến|xin|cam\s+kết|thông\s+tin"
    r"|nhận\s+định|khẳng\s+định|chưa|không|cũng\s+báo\s+cáo|cũng\s+đã|ghi\s+nhận|trao\s+đổi"
    r"|tham\s+luận|là|có\s+kế\s+hoạch|có\s+báo\s+cáo|có\s+đề\s+xuất|có\s+văn\s+bản|được\s+(?:biết|ghi\s+nhận|đánh\s+giá)|bày\s+tỏ|mong\s+muốn)(?!\w)"
)
_WILL = re.compile(r"(?:sẽ)(?!\w)")
_SELF = re.compile(
    r"(?<!\w)(?:chúng\s+tôi|chúng\s+em|em\s+xin|tôi\s+xin|cam\s+kết|đơn\s+vị\s+mình)(?!\w)"
)
_COOP_RE = re.compile(
    r"(?<!\w)phối\s+hợp(?:\s+(?:chặt\s+chẽ|thật|hơn|tốt|nữa|cùng)){0,3}(?:\s+với)?\s+(?:cả\s+)?"
)
_CLOSING = re.compile(
    r"(?<!\w)(?:xin\s+hết|xin\s+cảm\s+ơn|cảm\s+ơn|chúc|kết\s+thúc|bế\s+mạc|xin\s+chào)(?!\w)"
)
_CONCLUSION_MARK = re.compile(
    r"(?<!\w)(?:thống\s+nhất|ghi\s+nhận|biểu\s+dương|đánh\s+giá|nhấn\s+mạnh|khẳng\s+định|cơ\s+bản"
    r"|chịu\s+trách\s+nhiệm|phải|cần|là\s+(?:một\s+)?(?:vấn\s+đề|nhiệm\s+vụ)|quan\s+trọng|kết\s+luận"
    r"|đồng\s+ý|chấp\s+thuận|phấn\s+đấu|mục\s+tiêu|hợp\s+lý|tốt|chưa\s+quyết|nghiên\s+cứu\s+thêm"
    r"|phức\s+tạp|còn\s+(?:chậm|vênh|hạn\s+chế|khó\s+khăn))(?!\w)"
)
_BOILERPLATE = re.compile(
    r"(?<!\w)(?:bài\s+viết|lượt\s+(?:xem|tải|truy\s+cập)|bạn\s+đọc|cập\s+nhật\s*:|nguồn\s*:"
    r"|quang\s+cảnh|ảnh\s*:|tin\s*,\s*ảnh|đăng\s+nhập)"
)
# "tôi xin kết luận mấy vấn đề như sau", "tôi đề nghị mấy việc": the frame, not content
_INTRO = re.compile(
    r"(?:kết\s+luận|chỉ\s+đạo|tóm\s+lại|đề\s+nghị|như\s+sau)(?:\s+\S+){0,4}?\s*"
    r"(?:như\s+sau|thế\s+này|như\s+thế\s+này|(?:mấy|một\s+số)\s+(?:ý|vấn\s+đề|việc|nội\s+dung))"
    r"\s*[:.]?\s*$|như\s+sau\s*:?\s*$"
)
_ADMONITION = re.compile(r"(?<!\w)(?:không\s+để|tránh|tuyệt\s+đối\s+không)(?!\w)")
_MERGE_START = re.compile(
    r"^(?:(?:thời\s+)?hạn|cái\s+(?:này|đó)|việc\s+(?:này|đó)|nội\s+dung\s+(?:này|đó)"
    r"|yêu\s+cầu\s+(?:hoàn\s+chỉnh|hoàn\s+thiện|xong))(?!\w)"
)
_COMPLETION_ONLY = re.compile(
    r"^\s*(?:(?:yêu\s+cầu|phải|là|thì|xong|hoàn\s+chỉnh|hoàn\s+thiện|hoàn\s+thành|gửi|nộp"
    r"|báo\s+cáo|trình|có|nhé|các\s+đồng\s+chí|[,.:;])(?!\w)\s*)+"
)
_COMPLETION_FIRST = re.compile(
    r"^(?:[,.:;]\s*)?(?:(?:là|thì|phải|yêu\s+cầu|cần)\s+)*(?:có|xong|hoàn\s+thành|hoàn\s+chỉnh"
    r"|hoàn\s+thiện|gửi|nộp|báo\s+cáo|trình)(?!\w)"
)
_NOMINAL_SUBJECT = re.compile(r"\S\s+(?:phải|cần)\s+(?:có|là|được|rõ|mang|bảo\s+đảm|đảm\s+bảo|phù)")
_GENERIC_ASSIGNEE = re.compile(
    r"^(?:các|mọi|anh|chị|em|đồng|tất)\s*(?:đồng\s+chí|anh\s+chị|anh\s+em|người|cả)?$"
)
_FILLERS = re.compile(r"(?<!\w)(?:à|ờ|ừ|ạ|ơ|nhé|nha|nhá)(?!\w)\s*,?\s*")


class Zone(Enum):
    """Where a sentence sits in the text."""

    NEUTRAL = "neutral"
    DIRECTIVE = "directive"
    BACKGROUND = "background"
    PARTICIPANT = "participant"


@dataclass
class _Draft:
    assignees: list[str]
    cooperating: list[str]
    action: str
    deadline: DeadlineResult
    sentences: list[Sentence]
    implicit: bool = False


@dataclass
class _State:
    zone: Zone = Zone.NEUTRAL
    reset_pending: bool = False
    directive_seen: bool = False
    heading: bool = False
    last_subject: list[str] = field(default_factory=list)
    last_subject_at: int = -10
    last_paragraph: int = -1
    tasks: list[_Draft] = field(default_factory=list)
    conclusions: list[Conclusion] = field(default_factory=list)


def _lead_end(view: str, pos: int = 0) -> int:
    m = _LEAD_RE.match(view, pos)
    return m.end() if m else pos


def _skip_deadline(view: str, pos: int, deadline: DeadlineResult) -> int:
    if deadline.start is None or deadline.end is None:
        return pos
    if pos - 1 <= deadline.start <= pos + 1:
        pos = _lead_end(view, deadline.end)
    return pos


def _names(
    units: Sequence[UnitMatch], meeting_date: date | None, known: Sequence[str]
) -> list[str]:
    names: list[str] = []
    for unit in units:
        name = map_to_known(unit_name(unit, meeting_date=meeting_date), known)
        if name not in names:
            names.append(name)
    return names


def _is_generic(units: Sequence[UnitMatch]) -> bool:
    return all(_GENERIC_ASSIGNEE.match(" ".join(match_view(u.surface).split())) for u in units)


def _action(text: str, view: str, start: int, end: int, deadline: DeadlineResult) -> str:
    """A short phrase for the action: the predicate without fillers, deadline or partners."""
    cuts: list[tuple[int, int]] = []
    if deadline.start is not None and deadline.end is not None:
        cuts.append((deadline.start, deadline.end))
    for m in _COOP_RE.finditer(view, start, end):
        units, unit_end = parse_unit_list(text, view, m.end())
        if units:
            cuts.append((m.start() + len("phối hợp"), unit_end))
    parts: list[tuple[int, int]] = [(start, end)]
    for c_start, c_end in cuts:
        parts = [
            (x, y) for a, b in parts for x, y in ((a, min(b, c_start)), (max(a, c_end), b)) if y > x
        ]
    phrase = " ".join(text[a:b] for a, b in parts if b > a)
    phrase = _FILLERS.sub(" ", phrase)
    phrase = re.sub(r"^\s*(?:(?:thì|là|cần|phải|,|:)(?!\w)\s*)+", "", phrase, flags=re.IGNORECASE)
    phrase = re.sub(r"\s+([,.;:])", r"\1", phrase)
    phrase = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", phrase)
    phrase = " ".join(phrase.split()).strip(" ,;:.")
    phrase = _shorten(phrase)
    return phrase[:1].upper() + phrase[1:]


_ACTION_WORDS = 30
_CLAUSE_BREAK = re.compile(r"[,;](?=\s)|\s(?=(?:để|nhằm)\s)")
_NAME_LINK = frozenset({"và", "-", "–", "&"})


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _shorten(phrase: str, limit: int = _ACTION_WORDS) -> str:
    """At most ``limit`` words, cut where a formal notice can stop.

    The cut falls on the last clause boundary within the limit (a comma, a semicolon, or
    before "để" / "nhằm"); without one, the cut never ends inside a name: a unit name or a
    run of capitalised words ("Sở Kế hoạch và Đầu tư") is finished first.
    """
    words = phrase.split()
    if len(words) <= limit:
        return phrase
    phrase = " ".join(words)
    head = " ".join(words[:limit])
    breaks = [
        m.start() for m in _CLAUSE_BREAK.finditer(head) if len(head[: m.start()].split()) >= 6
    ]
    if breaks:
        return head[: breaks[-1]].rstrip(" ,;:") + " …"
    cut = len(head)
    view = match_view(phrase)
    for m in re.finditer(r"(?<!\S)\S", head):
        unit = find_unit_at(phrase, view, m.start()) if _capitalised(m.group(0)) else None
        if unit is not None and unit.start < cut < unit.end:
            cut = unit.end
            break
    kept = phrase[:cut].split()
    rest = phrase[cut:].split()
    i = 0
    while i < len(rest) and kept and _capitalised(kept[-1]):
        if _capitalised(rest[i]):
            kept.append(rest[i])
            i += 1
        elif rest[i] in _NAME_LINK and i + 1 < len(rest) and _capitalised(rest[i + 1]):
            kept.extend(rest[i : i + 2])
            i += 2
        else:
            break
    if i >= len(rest):
        return " ".join(kept)
    return " ".join(kept).rstrip(",;:") + " …"


def _cooperating(
    text: str, view: str, start: int, end: int, meeting_date: date | None, known: Sequence[str]
) -> list[str]:
    for m in _COOP_RE.finditer(view, start, end):
        units, _ = parse_unit_list(text, view, m.end())
        if units:
            return _names(units, meeting_date, known)
    return []


# How far before a verb its speaker is looked for. A speaker ("Phó Giám đốc Sở Y tế, bà X,")
# is a few words long; looking further back only costs time, and looking back over the whole
# sentence for every verb made long unpunctuated transcripts quadratic.
_SPEAKER_WINDOW = 400


def _speaker_allows(text: str, view: str, prefix_end: int) -> tuple[bool, bool]:
    """(may this be an order, is a chair person speaking) for words before a trigger."""
    lo = _window_start(view, prefix_end, _SPEAKER_WINDOW)
    prefix = view[lo:prefix_end]
    chunks = re.split(r"[,;:]", prefix)
    # the speaker is the noun phrase right before the verb: a few words at most
    speaker = " ".join(chunks[-1].split(" ")[-12:])
    if not speaker.strip() and len(chunks) > 1:
        # "Đại diện Sở Y tế, bà X, đề nghị …" — but not a topic: "Về kiến nghị …, giao …"
        previous = chunks[-2].strip()
        if not re.match(
            r"(?:về|đối\s+với|với|theo|sau\s+khi|trên\s+cơ\s+sở|để|tại|căn\s+cứ"
            r"|(?:các|những|mọi)\s+(?:kiến\s+nghị|đề\s+xuất|ý\s+kiến|vấn\s+đề|nội\s+dung|vướng\s+mắc))"
            r"(?!\w)",
            previous,
        ):
            speaker = previous
    if _PARTICIPANT.search(speaker):
        return False, False
    # "Ngân hàng Chính sách xã hội chi nhánh tỉnh đề nghị …": a unit speaks.
    chunk_start = prefix_end - len(speaker)
    lead = _lead_end(view, chunk_start)
    speaking = find_unit_at(text, view, lead) if lead < prefix_end else None
    if speaking is not None and speaking.end <= prefix_end:
        name = match_view(speaking.name)
        if not _CHAIR_BODY.search(name) and "ubnd tỉnh" not in name:
            return False, False
    # "sở xây dựng đề nghị …", "bên hải quan đề xuất …": a unit right before the verb.
    tail = prefix.rstrip(" ,")
    tail_text = text[lo : lo + len(tail)]
    for m in re.finditer(r"\S+", tail):
        unit = find_unit_at(tail_text, tail, m.start())
        if unit is not None and re.fullmatch(
            r"\s*(?:thì|cũng|có\s+ý\s+kiến\s+là|là|,)?\s*", tail[unit.end :]
        ):
            name = match_view(unit.name)
            if not _CHAIR_BODY.search(name) and "ubnd tỉnh" not in name:
                return False, False
            break
    return True, _first_end(_CHAIR_PERSON, view) <= prefix_end


def _window_start(view: str, end: int, width: int) -> int:
    """Where a look-back of about ``width`` characters before ``end`` starts: at a word."""
    if end <= width:
        return 0
    space = view.find(" ", end - width, end)
    return space + 1 if space >= 0 else end - width


@functools.lru_cache(maxsize=16)
def _first_end(pattern: re.Pattern[str], view: str) -> int:
    """Where the first match of ``pattern`` in ``view`` ends (past the end when none).

    Asked once per verb of a sentence; cached so that a long sentence is searched once.
    """
    m = pattern.search(view)
    return m.end() if m else len(view) + 1


def _has_words(view: str, start: int, end: int, count: int) -> bool:
    """Whether ``view[start:end]`` holds at least ``count`` words, without copying it."""
    pos = start
    for _ in range(count):
        m = _WORD_AHEAD.match(view, pos, end)
        if m is None:
            return False
        pos = m.end()
    return True


_WORD_AHEAD = re.compile(r"\s*\S+")
_DONE_BEFORE = re.compile(r"(?:đã|vừa)\s*$")
# A look-back before a trigger ("đã đề nghị", "các yêu cầu"): the words right before it.
_BEFORE_WINDOW = 80


def _ends_in_unit(text: str, view: str, start: int, end: int) -> bool:
    """Whether ``view[start:end]`` ends with a unit name (the tail of a list of units)."""
    window_start = max(start, end - 120)
    for w in re.finditer(r"(?<!\S)\S", view[window_start:end]):
        unit = find_unit_at(text, view, window_start + w.start())
        if unit is not None and unit.end >= end - 1:
            return True
    return False


def _clauses(text: str, view: str) -> list[tuple[int, int]]:
    """Split where a new unit takes over: at ";" unless the part before it ends in a unit
    (a list of assignees), and at "," when a complete order is followed by another unit
    with its own verb ("yêu cầu Sở Y tế kiểm tra …, Công an tỉnh xử lý …")."""
    cuts = [0]
    for m in re.finditer(r"[;,]", view):
        right_start = _lead_end(view, m.end())
        unit = find_unit_at(text, view, right_start)
        if unit is None:
            continue
        if m.group(0) == ",":
            if not _new_order_after_comma(text, view, cuts[-1], m.start(), right_start):
                continue
            cuts.append(m.end())
            continue
        direct = re.match(r"\s*", view[m.end() :])
        if right_start > m.end() + (direct.end() if direct else 0):
            cuts.append(m.end())  # "…; riêng Sở GTVT …": a new subject after a connector
            continue
        if _ends_in_unit(text, view, cuts[-1], m.start()):
            continue  # "Giao các sở, ngành tỉnh; UBND các huyện; …" is one list
        cuts.append(m.end())
    cuts.append(len(view))
    return [(a, b) for a, b in itertools.pairwise(cuts) if view[a:b].strip()]


def _new_order_after_comma(text: str, view: str, start: int, comma: int, right: int) -> bool:
    left = view[start:comma]
    if len(left.split()) < 4:
        return False
    duty = _duty_follows(text, view, right) and not re.search(
        r"(?<!\w)(?:nào|nếu|trường\s+hợp|khi)(?!\w)", left
    )  # "Nơi nào không triển khai …, Chủ tịch UBND cấp huyện phải chịu trách nhiệm": a condition
    if not _VERB_RE.search(left) and not duty:
        return False  # "…, tôi không đồng ý lùi …, ban quản lý dự án phải …" may cut
    if _ends_in_unit(text, view, start, comma):
        return False  # a list of units: "gửi Sở Kế hoạch và Đầu tư, đơn vị tư vấn …"
    if any(w[:1].isupper() for w in text[start:comma].split()[-2:]):
        return False  # "… ý kiến của Thường trực Tỉnh ủy, Ban Chỉ đạo …": names in a list
    units, end = parse_unit_list(text, view, right)
    if any(_CHAIR_ISSUER.search(match_view(u.name)) for u in units):
        return False
    if (
        not units
        or _is_generic(units)
        or any(
            u.group
            and not duty
            and not u.surface.lower().startswith(("các", "ubnd", "ủy ban", "uỷ ban"))
            for u in units
        )
    ):
        return False
    if _REPORT_VERB.match(view, _plain_end(view, end)) or _SPEAKS_SOON.match(view, end):
        return False
    skip = _SKIP_RE.match(view, end)
    act = skip.end() if skip else end
    if _STRONG_DUTY.search(view[end:act]):
        return True
    verb = _VERB_RE.match(view, act)
    return verb is not None and match_view(verb.group(0)) not in ("cần", "phải", "sớm", "giao")


def _duty_follows(text: str, view: str, right: int) -> bool:
    """A named unit right after the comma, then a duty word: "ban quản lý dự án phải …"."""
    units, end = parse_unit_list(text, view, right)
    if not units:
        return False
    skip = _SKIP_RE.match(view, end)
    return bool(
        skip and re.search(r"(?<!\w)(?:phải|có\s+trách\s+nhiệm|khẩn\s+trương)(?!\w)", skip.group(0))
    )


_BULLET = re.compile(r"\s*(?:[-–•+*]|\d{1,2}[.)]|[a-zđ][.)])\s")
_CONTINUING = re.compile(
    r"\s*(?:đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|tiếp\s+đó|sau\s+đó|cùng\s+với\s+đó"
    r"|mặt\s+khác)(?!\w)"
)
_ENUMERATOR = re.compile(
    r"^\s*(?:thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)(?!\w)|cuối\s+cùng(?!\w)"
    r"|(?:một|hai|ba|bốn|năm)\s+là(?!\w)|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s*,\s"
    r"|\d{1,2}[.)](?:\s|$)|[a-zđ][.)]\s|[-–•+*]\s)"
)


_SPEECH = re.compile(
    r"(?<!\w)(?:phát\s+biểu|cho\s+biết|đề\s+nghị|đề\s+xuất|kiến\s+nghị|báo\s+cáo|nêu|cam\s+kết"
    r"|thông\s+tin|khẳng\s+định|trình\s+bày|mong\s+muốn|bày\s+tỏ)(?!\w)"
)


def _chair_directs(view: str) -> bool:
    """The chair or the issuing body speaks in one chunk: "Chủ tịch UBND tỉnh chỉ đạo: …"."""
    for chunk in re.split(r"[,;]", view):
        chair = _CHAIR_PERSON.search(chunk) or _CHAIR_ISSUER.search(chunk)
        mark = _DIRECTIVE_MARK.search(chunk, chair.end()) if chair is not None else None
        if (
            chair is not None
            and mark is not None
            and not _PARTICIPANT.search(chunk[: chair.start()])
            and not _CAPTION_TAIL.fullmatch(chunk[mark.end() :])
        ):
            return True
    return False


# "… phát biểu kết luận Phiên họp." — a photo caption, not the directions themselves
_CAPTION_TAIL = re.compile(
    r"\s*(?:tại\s+)?(?:phiên|hội|buổi|cuộc)\s+[^\s:]+(?:\s+[^\s:;,]+){0,3}?\s*\.?\s*"
)


def _participant_speaks(view: str) -> bool:
    """A participant is the speaker of a chunk: "Phó Giám đốc Sở Y tế … đề nghị …"."""
    for chunk in re.split(r"[,;:]", view):
        m = _PARTICIPANT.search(chunk)
        if m and _SPEECH.search(chunk, m.end()):
            return True
    return False


# "Trong thời gian tới, …", "thời gian tới tôi yêu cầu …": what comes next is to be done
_TIME_AHEAD = re.compile(r"\s*(?:trong\s+)?thời\s+gian\s+(?:sắp\s+)?tới(?!\w)")


# "Để tổ chức Lễ hội an toàn, giao các đơn vị …": a purpose, then the order
_PURPOSE_THEN_ORDER = re.compile(
    r"\s*(?:[ivx]+\.\s*)?để\s[^.:]{3,160}?,\s*(?:giao|yêu\s+cầu|đề\s+nghị|chỉ\s+đạo)(?!\w)"
)


def _update_zone(state: _State, view: str, lead: int, spoken: bool) -> None:
    body = view[lead:]
    if state.reset_pending or view.lstrip(" ,").startswith(("[...]", "[…]")):
        state.zone = Zone.NEUTRAL
    state.reset_pending = "[...]" in view or "[…]" in view
    if state.zone is Zone.NEUTRAL and _ENUMERATOR.match(view) and not view.lstrip().startswith("-"):
        # "Một là, sở y tế …", "Thứ hai, …": the chair's enumerated directions
        state.zone = Zone.DIRECTIVE
    if (
        state.zone is Zone.PARTICIPANT
        and state.directive_seen
        and (spoken or _ENUMERATOR.match(view))
    ):
        # In the chair's own words a participant is only quoted; the directions go on.
        state.zone = Zone.DIRECTIVE
    if _BACKGROUND.search(body):
        state.zone = Zone.BACKGROUND
    elif _REPORTAGE.search(body) or (_participant_speaks(view) and not _CHAIR_PERSON.search(view)):
        state.zone = Zone.PARTICIPANT
    if (
        _chair_directs(view)
        or (_TRIGGER_RE.match(body) and not _PARTICIPANT.search(view))
        or _TIME_AHEAD.match(view)
        or _PURPOSE_THEN_ORDER.match(view)
        or re.search(r"(?:xin|để)\s+kết\s+luận|kết\s+luận\s+(?:như\s+sau|mấy|một\s+số)", view)
        or re.match(r"\s*(?:phát\s+biểu\s+)?kết\s+luận\s+(?:buổi|hội\s+nghị|cuộc|phiên)", view)
        or re.search(
            r"tôi\s+(?:xin\s+)?(?:nói|đề\s+nghị|giao|yêu\s+cầu|chỉ\s+đạo|có|chốt|lưu\s+ý|nhắc)"
            r"\s+(?:lại\s+)?(?:mấy|một\s+số|các|vài|\S+)\s+(?:việc|ý|vấn\s+đề|nội\s+dung|điểm)(?!\w)",
            view,
        )
        or re.search(
            r"(?:hội\s+nghị|cuộc\s+họp|phiên\s+họp|các\s+bên|hai\s+bên|các\s+đơn\s+vị|các\s+đại\s+biểu"
            r"|ban\s+chỉ\s+đạo|thường\s+trực)"
            r"\s+(?:đã\s+)?(?:thống\s+nhất|kết\s+luận)",
            view,
        )
        or re.search(
            r"(?:tóm\s+(?:lại|tắt)|chốt\s+lại)\s+(?:mấy|một\s+số|các)\s+(?:ý|việc|vấn\s+đề)", view
        )
    ):
        state.zone = Zone.DIRECTIVE
    if state.zone is Zone.DIRECTIVE:
        state.directive_seen = True


def extract(
    sentences: Sequence[Sentence],
    *,
    meeting_date: date | None,
    known_units: Sequence[str] = (),
) -> tuple[tuple[Conclusion, ...], tuple[Task, ...]]:
    """The conclusions and tasks of a meeting, from its sentences in order."""
    reference = meeting_date or date(2000, 1, 1)
    state = _State()
    if sentences and sentences[0].spoken:
        state.zone = Zone.NEUTRAL
    for sentence in sentences:
        _sentence(state, sentence, reference, meeting_date, known_units)
    tasks = tuple(_finish(d, meeting_date) for d in state.tasks)
    return tuple(state.conclusions), tasks


def _finish(d: _Draft, meeting_date: date | None) -> Task:
    first, last = d.sentences[0], d.sentences[-1]
    evidence = " ".join(s.text for s in d.sentences)
    deadline = d.deadline
    resolved = deadline.date if meeting_date is not None else None
    if meeting_date is None and deadline.text is not None and _has_explicit_year(deadline.text):
        resolved = deadline.date
    return Task(
        assignee="; ".join(d.assignees),
        cooperating=tuple(c for c in d.cooperating if c not in d.assignees),
        action=d.action,
        deadline=resolved,
        deadline_text=deadline.text,
        evidence=evidence,
        start=first.start,
        end=last.end,
        needs_review=d.implicit or (deadline.text is not None and resolved is None),
    )


def _has_explicit_year(text: str) -> bool:
    return bool(re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", text))


def _sentence(
    state: _State,
    sentence: Sentence,
    reference: date,
    meeting_date: date | None,
    known: Sequence[str],
) -> None:
    text = sentence.text
    view = match_view(text)
    lead = _lead_end(view)
    if (
        sentence.paragraph != state.last_paragraph
        and not sentence.spoken
        and not _CONTINUING.match(view)
        and not (state.heading and _BULLET.match(view))
        and not (state.zone is Zone.DIRECTIVE and state.last_subject_at == sentence.index - 1)
    ):
        state.last_subject = []
        state.heading = False
    state.last_paragraph = sentence.paragraph
    _update_zone(state, view, lead, sentence.spoken)
    deadline = parse_deadline(text, reference=reference)
    made = 0
    for a, b in _clauses(text, view):
        clause_deadline = deadline
        if deadline.start is not None and not (a <= deadline.start < b):
            clause_deadline = parse_deadline(text[a:b], reference=reference)
            clause_deadline = _shifted(clause_deadline, a)
        made += _clause(state, sentence, text, view, a, b, clause_deadline, meeting_date, known)
    if made:
        if state.zone is Zone.NEUTRAL:
            # the chair has begun giving directions: "anh em ở các huyện thì phải …"
            state.zone = Zone.DIRECTIVE
            state.directive_seen = True
        return
    if _adds_deadline_to_last_task(state, sentence, view, deadline):
        return
    conclusion = _conclusion(state, sentence, text, view, lead)
    if conclusion is not None:
        state.conclusions.append(conclusion)


def _adds_deadline_to_last_task(
    state: _State, sentence: Sentence, view: str, deadline: DeadlineResult
) -> bool:
    """A sentence that only adds the deadline of the task just before it joins that task:
    "Thời hạn hoàn thành: trước ngày 23/5/2019.", "cái này tuần sau là phải có",
    "Yêu cầu hoàn thành trước 30/6." (not one that opens a new item: "Thứ hai, …", "rồi …")."""
    if (
        deadline.found
        and state.tasks
        and state.tasks[-1].sentences[-1].index == sentence.index - 1
        and not state.tasks[-1].deadline.found
        and not _ENUMERATOR.match(view)
        and not _NEXT_STEP.match(view)
    ):
        body = view[_lead_end(view) :]
        rest = (
            body[: max(0, (deadline.start or 0) - len(view) + len(body))]
            + " "
            + body[(deadline.end or 0) - len(view) + len(body) :]
        )
        if (
            _MERGE_START.search(body)
            or _COMPLETION_ONLY.fullmatch(rest.strip() + " ")
            or len(rest.split()) <= 3
            or _COMPLETION_FIRST.match(rest.strip())
        ):
            last = state.tasks[-1]
            last.sentences.append(sentence)
            last.deadline = deadline
            return True
    return False


def _conclusion(
    state: _State, sentence: Sentence, text: str, view: str, lead: int
) -> Conclusion | None:
    """A sentence of the chair's directions that is not a task but states an assessment, an
    agreement or a general requirement: "Hội nghị thống nhất thông qua …", "Quy hoạch là một
    vấn đề lớn, quan trọng …", "Các cấp, các ngành phải nâng cao trách nhiệm …"."""
    if state.zone is Zone.DIRECTIVE and not _CLOSING.search(view):
        body = text[lead:].strip()
        words = body.split()
        if (
            len(words) >= 6
            and _CONCLUSION_MARK.search(view)
            and not _BOILERPLATE.search(view)
            and not _INTRO.search(view)
        ):
            cleaned = _FILLERS.sub(" ", body)
            cleaned = re.sub(
                r"^.{0,120}?(?:nhấn\s+mạnh|kết\s+luận|khẳng\s+định|lưu\s+ý)\s*:\s*", "", cleaned
            )
            cleaned = " ".join(cleaned.split()).strip(" ,")
            cleaned = cleaned[:1].upper() + cleaned[1:]
            return Conclusion(cleaned, text, sentence.start, sentence.end)
    return None


def _shifted(result: DeadlineResult, offset: int) -> DeadlineResult:
    if result.start is None or result.end is None:
        return result
    return DeadlineResult(
        result.date, result.text, result.start + offset, result.end + offset, result.kind
    )


def _clause(
    state: _State,
    sentence: Sentence,
    text: str,
    view: str,
    a: int,
    b: int,
    deadline: DeadlineResult,
    meeting_date: date | None,
    known: Sequence[str],
) -> int:
    """Find a task in ``text[a:b]``; return how many were made (0 or 1).

    The rules are tried in turn: an explicit order, a unit as the subject, then the last
    subject carried over; the first that decides (a task or a definite "no") wins.
    """
    lead = _lead_end(view, a)
    lead = _skip_deadline(view, lead, deadline)
    zone = state.zone
    body = view[lead:b]
    if zone is Zone.BACKGROUND or (zone is Zone.PARTICIPANT and not _TRIGGER_RE.match(body)):
        subject = find_unit_at(text, view, lead)
        if subject is not None:
            state.last_subject = []
        return 0

    args = (state, sentence, text, view, a, b, lead, deadline, meeting_date, known)
    made = _explicit_order(*args)
    if made is None:
        made = _unit_as_subject(*args)
    if made is None:
        made = _carried_subject(*args)
    return made


def _explicit_order(
    state: _State,
    sentence: Sentence,
    text: str,
    view: str,
    a: int,
    b: int,
    lead: int,
    deadline: DeadlineResult,
    meeting_date: date | None,
    known: Sequence[str],
) -> int | None:
    """Rule 1, an order by a trigger verb, with the unit after it:

    "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát …",
    "Chủ tịch UBND tỉnh yêu cầu UBND các huyện khẩn trương …",
    "tôi đề nghị anh em bên sở y tế kiểm tra lại …", or without a unit, carrying the last
    subject over ("Yêu cầu hoàn chỉnh, gửi Văn phòng … trước ngày 24/5").

    The number of tasks made, or None when no trigger decides and the next rules try.
    """
    for m in _TRIGGER_RE.finditer(view, a, b):
        before_at = max(a, m.start() - _BEFORE_WINDOW)
        if _NOT_TRIGGER_BEFORE.search(view, before_at, m.start()) or _NOT_TRIGGER_AFTER.match(
            view, m.end()
        ):
            continue
        allowed, chair_person = _speaker_allows(text, view, m.start())
        if not allowed:
            return None
        if _directs_its_own(state, sentence, view, lead, m):
            # "1. Sở Nông nghiệp … chủ trì …. Chỉ đạo Chi cục Thú y cung ứng …": the unit of
            # the order just before directs its own subordinate
            return _add(
                state,
                sentence,
                list(state.last_subject),
                text,
                view,
                m.start(),
                b,
                deadline,
                meeting_date,
                known,
                implicit=True,
                keep_subject=True,
            )
        pos = _lead_end(view, m.end())
        pos = _skip_deadline(view, pos, deadline)
        pos = re.match(r"(?:\s*(?:cho|là|,|:|đối\s+với))*\s*", view[pos:]).end() + pos  # type: ignore[union-attr]
        units, end = parse_unit_list(text, view, pos)
        if not units:
            headed = _HEADED_UNIT.match(view, pos, b)
            if headed and not _VERB_RE.search(headed.group("words")):
                h_end = pos + len(headed.group("unit"))
                surface = text[pos:h_end]
                units, end = [UnitMatch(pos, h_end, surface, _tidy(surface), True)], h_end
        if not units:
            bare = _bare_headed_unit(text, view, pos, b)
            if bare is not None:
                units, end = [bare], bare.end
        if units and _is_generic(units):
            return 0  # "đề nghị các đồng chí khẩn trương triển khai": a closing formula
        colon = view.find(":", end, b)
        if units and colon >= 0 and not view[colon + 1 : b].strip() and m.start() - lead < 4:
            tail = view[end:colon]
            if not _VERB_RE.search(tail) and len(tail.split()) <= 6:
                # "Yêu cầu Công ty Cổ phần Môi trường đô thị:": a heading over the items below
                if tail.strip():
                    names = [_tidy(text[units[-1].start : colon])]
                else:
                    names = _names(units, meeting_date, known)
                state.last_subject, state.last_subject_at = names, sentence.index
                state.heading = True
                return 0
        if units:
            after = _SKIP_RE.match(view, end)
            act_start = after.end() if after else end
            if not _has_words(view, act_start, b, 2):
                continue
            if view[lead : m.start()].strip() and not m.start() - lead < 4:
                # the subject of the sentence is someone else than the chair
                subj = find_unit_at(text, view, lead)
                if subj is not None and not _CHAIR_BODY.search(match_view(subj.name)):
                    return None
            names = _names(units, meeting_date, known)
            return _add(
                state, sentence, names, text, view, act_start, b, deadline, meeting_date, known
            )
        if m.group("trig").startswith("lưu"):
            continue  # "lưu ý" orders only a unit it names
        # No unit named: "… chỉ đạo khẩn trương hoàn tất …", "yêu cầu là cuối tháng này …"
        after = _SKIP_RE.match(view, pos)
        verb_at = after.end() if after else pos
        verb_at = _skip_deadline(view, verb_at, deadline)
        verb_at = _SKIP_RE.match(view, verb_at).end()  # type: ignore[union-attr]
        if not _VERB_RE.match(view, verb_at) or not _has_words(view, verb_at, b, 3):
            continue
        if _DONE_BEFORE.search(view, before_at, m.start()):
            return 0
        if _merge_finishing(state, sentence, view, verb_at, deadline):
            return 1
        own = find_unit_at(text, view, lead) if m.start() > lead else None
        if (
            own is not None
            and own.end <= m.start()
            and not _CHAIR_BODY.search(match_view(own.name))
            and not _CHAIR_PERSON.match(view, lead)
        ):
            return None  # "Sở X hướng dẫn …; chỉ đạo vận hành …": the sentence has its own subject
        if state.last_subject and sentence.index - state.last_subject_at <= 2:
            return _add(
                state,
                sentence,
                list(state.last_subject),
                text,
                view,
                verb_at,
                b,
                deadline,
                meeting_date,
                known,
                implicit=True,
                keep_subject=True,
            )
        if chair_person and m.group("trig").startswith(("chỉ", "yêu")):
            return _add(
                state,
                sentence,
                ["Các đơn vị liên quan"],
                text,
                view,
                verb_at,
                b,
                deadline,
                meeting_date,
                known,
                implicit=True,
            )
        return 0
    return None


def _subject_lead(text: str, view: str, lead: int, b: int) -> tuple[int, bool]:
    """Where a subject unit may start, and whether a reporting schedule opens the clause
    ("Định kỳ hằng tháng, Sở Y tế báo cáo …", an order though it has no deadline)."""
    scheduled = _SCHEDULE_LEAD.match(view, lead, b)
    if scheduled and find_unit_at(text, view, scheduled.end()) is not None:
        lead = scheduled.end()
    else:
        scheduled = None
    return _subject_start(text, view, lead, b), scheduled is not None


def _unit_as_subject(
    state: _State,
    sentence: Sentence,
    text: str,
    view: str,
    a: int,
    b: int,
    lead: int,
    deadline: DeadlineResult,
    meeting_date: date | None,
    known: Sequence[str],
) -> int | None:
    """Rule 2, a unit as the subject, with a duty word or (in the chair's directions) any
    predicate:

    "Sở Y tế có trách nhiệm hướng dẫn …", "UBND các huyện khẩn trương hoàn thành …",
    "sở tài chính thì bố trí vốn …", "Công ty khai thác thủy lợi phải vận hành …".

    Not a task: a fact ("… đã hoàn thành"), a unit that speaks ("Ngân hàng … đề nghị"),
    the chair's own body ("UBND tỉnh sẽ xem xét"). None when no unit is the subject.
    """
    zone = state.zone
    lead, scheduled = _subject_lead(text, view, lead, b)
    subject_units, end = parse_unit_list(text, view, lead)
    if subject_units and re.fullmatch(r"\s*:?\s*", view[end:b]):
        # "a) Sở Kế hoạch và Đầu tư:" — a heading; the lines under it are its tasks
        state.last_subject = _names(subject_units, meeting_date, known)
        state.last_subject_at = sentence.index
        state.heading = True
        return 0
    if subject_units and (
        subject_units[-1].group or view[subject_units[-1].start :].startswith("các")
    ):
        # "các huyện ven biển thì phải …": a group with a descriptive tail;
        # "các chủ đầu tư có dự án giải ngân dưới 50% thì …": with a relative clause
        tail_words = _descriptive_tail(view, end, b)
        if tail_words is not None:
            last = subject_units[-1]
            new_end = end + len(tail_words)
            subject_units[-1] = UnitMatch(
                last.start,
                new_end,
                text[last.start : new_end],
                _tidy(text[last.start : new_end]),
                True,
            )
            end = new_end
    if not subject_units:
        headed = _HEADED_UNIT.match(view, lead, b)
        if headed and not _VERB_RE.search(headed.group("words")):
            h_end = lead + len(headed.group("unit"))
            surface = text[lead:h_end]
            subject_units, end = [UnitMatch(lead, h_end, surface, _tidy(surface), True)], h_end
    if not subject_units and (zone is Zone.DIRECTIVE or sentence.spoken):
        bare = _bare_headed_unit(text, view, lead, b)
        if bare is not None:
            subject_units, end = [bare], bare.end
    if not subject_units and zone is Zone.DIRECTIVE:
        level = _BARE_LEVEL.match(view, lead, b)
        if level is not None:
            # spoken "huyện thì phải tập trung …": the district's People's Committee
            l_end = level.end("level")
            name = "UBND " + " ".join(view[lead:l_end].split())
            subject_units, end = [UnitMatch(lead, l_end, text[lead:l_end], name)], l_end
    if subject_units:
        role = _ROLE_APPOSITIVE.match(view, end, b)
        if role:
            end = role.end()  # "Sở Nông nghiệp … là cơ quan thường trực, chủ trì …"
        # "các đồng chí ở xã phường thì ủy ban nhân dân các xã phường chỉ đạo …"
        restated = None if role else re.match(r"\s*(?:,\s*)?(?:thì|là)\s+", view[end:b])
        if restated:
            again, end2 = parse_unit_list(text, view, end + restated.end())
            if again:
                subject_units, end = again, end2
        if _is_generic(subject_units):
            return 0
        names = _names(subject_units, meeting_date, known)
        rest = view[end:b]
        skip = _SKIP_RE.match(view, end)
        act_start = skip.end() if skip else end
        between = view[end:act_start]
        reported = _REPORT_VERB.match(view, _plain_end(view, end))
        if reported and not re.match(r"\s*(?:,\s*)?(?:được\s+giao|có\s+trách\s+nhiệm)", rest):
            # a fact about the unit; a following sentence without subject is about it
            state.last_subject, state.last_subject_at = names, sentence.index
            return 0
        speaks = _SPEAKS_SOON.match(view, end, b)
        if speaks and not any(
            _VERB_RE.match(w.group(0)) for w in re.finditer(r"\S+", speaks.group(1))
        ):
            # "Ngân hàng … chi nhánh tỉnh đề nghị …": the unit speaks, nobody orders it
            return 0
        if all(_CHAIR_BODY.fullmatch(match_view(u.name)) for u in subject_units):
            return 0  # "UBND tỉnh sẽ xem xét …": the chair's own body, not an assignee
        will = _WILL.match(view, act_start)
        if will:
            if (
                zone not in (Zone.DIRECTIVE, Zone.NEUTRAL)
                or _SELF.search(view)
                or view[a:lead].strip().startswith("theo")
            ):
                return 0
            act_start = _SKIP_RE.match(view, will.end()).end()  # type: ignore[union-attr]
        if re.match(
            r"(?:\s+[^\s,.;:]+){0,3}?\s+(?:đã|vừa|đang)(?!\w)", view[end:b]
        ) and not _strong_words(between):
            state.last_subject, state.last_subject_at = names, sentence.index
            return 0  # "UBND các huyện cơ bản đã hoàn thành …": a fact
        # "X sẽ …" reported as the outcome of the meeting counts like a duty word
        strong = bool(_STRONG_DUTY.search(between)) or will is not None or scheduled
        if sentence.spoken and re.search(r"(?<!\w)thì(?!\w)", between):
            strong = True  # spoken "sở tài chính thì bố trí …": the topic marker of an order
        verb = _VERB_RE.match(view, act_start)
        # Inside the chair's directions any predicate counts ("đài … tăng thời lượng …"),
        # unless the unit is followed by a function word (it is not the subject then).
        if (
            verb is None
            and not strong
            and (zone is not Zone.DIRECTIVE or _FUNCTION_WORD.match(view, act_start))
        ):
            return 0
        if len(view[act_start:b].split()) < 2:
            return 0
        if not strong and zone is not Zone.DIRECTIVE:
            return 0
        if (
            verb is not None
            and match_view(verb.group(0)) in ("báo cáo", "đề xuất", "trình", "giao")
            and not strong
            and not deadline.found
        ):
            return 0
        return _add(state, sentence, names, text, view, act_start, b, deadline, meeting_date, known)
    return None


def _carried_subject(
    state: _State,
    sentence: Sentence,
    text: str,
    view: str,
    a: int,
    b: int,
    lead: int,
    deadline: DeadlineResult,
    meeting_date: date | None,
    known: Sequence[str],
) -> int:
    """Rule 3, no subject: within the chair's directions, a following sentence that adds an
    action keeps the last subject ("Lập kế hoạch …", "rồi thành lập các tổ kiểm tra …",
    "đồng thời kiện toàn lại …"), at most two sentences after it was named."""
    zone = state.zone
    lead, _ = _subject_lead(text, view, lead, b)
    if zone is not Zone.DIRECTIVE or not state.last_subject:
        return 0
    if sentence.index - state.last_subject_at > 2 and not state.heading:
        return 0
    start = lead
    cond = re.match(r"(?:căn\s+cứ|trên\s+cơ\s+sở|sau\s+khi)[^,]{3,120},\s*", view[start:b])
    if cond:
        start += cond.end()
    verb = _VERB_RE.match(view, start)
    if verb is None or match_view(verb.group(0)) in ("cần", "phải", "sớm", "khẩn", "giao", "in"):
        return 0
    clause = view[start:b]
    admonition = _ADMONITION.search(clause)
    if (
        len(clause.split()) < 5
        or _NOMINAL_SUBJECT.search(clause)
        or (admonition is not None and len(clause[: admonition.start()].split()) < 5)
    ):
        return 0
    if _merge_finishing(state, sentence, view, start, deadline):
        return 1
    return _add(
        state,
        sentence,
        list(state.last_subject),
        text,
        view,
        start,
        b,
        deadline,
        meeting_date,
        known,
        implicit=True,
        keep_subject=True,
    )


def _directs_its_own(
    state: _State, sentence: Sentence, view: str, lead: int, trigger: re.Match[str]
) -> bool:
    """A subject-less sentence opening with "Chỉ đạo …" right after an order to a unit."""
    if trigger.start() != lead or not trigger.group("trig").startswith("chỉ"):
        return False
    if state.heading and state.last_subject and _BULLET.match(view):
        return True  # "1. Sở Nông nghiệp …:" then "a) Chỉ đạo Chi cục Kiểm lâm …"
    if state.zone is not Zone.DIRECTIVE or not state.tasks or not state.last_subject:
        return False
    last = state.tasks[-1]
    return (
        last.sentences[-1].index == sentence.index - 1
        and last.assignees == state.last_subject
        and not _ENUMERATOR.match(view)
        and not any(_CHAIR_BODY.search(match_view(n)) for n in last.assignees)
    )


# A reporting schedule set for the unit that follows: an order, though it has no deadline.
_SCHEDULE_LEAD = re.compile(r"(?:định\s+kỳ|hằng|hàng|mỗi)(?:\s+[^\s,.;:]+){1,4}?\s*,\s*")

# "rồi báo cáo …", "sau đó báo cáo …": the next step, a task of its own (labelling rule 2)
_NEXT_STEP = re.compile(r"\s*(?:rồi|sau\s+đó|tiếp\s+đó|tiếp\s+theo)(?!\w)")

_FINISH = re.compile(
    r"(?:hoàn\s+chỉnh|hoàn\s+thiện|hoàn\s+thành|gửi|nộp|báo\s+cáo|trình|xong)(?!\w)"
)


def _merge_finishing(
    state: _State, sentence: Sentence, view: str, verb_at: int, deadline: DeadlineResult
) -> bool:
    """ "Yêu cầu hoàn chỉnh, gửi Văn phòng … trước ngày 24/5": finishing the task just before
    it, by a deadline it lacked; the sentence joins that task."""
    if not deadline.found or not state.tasks:
        return False
    last = state.tasks[-1]
    if last.deadline.found or last.sentences[-1].index != sentence.index - 1:
        return False
    if not _FINISH.match(view, verb_at) or _NEXT_STEP.match(view):
        return False
    last.sentences.append(sentence)
    last.deadline = deadline
    return True


def _action_start(view: str, act_start: int) -> int:
    """Keep "chủ trì", "khẩn trương" … in the action when the skip passed over them."""
    window_start = max(0, act_start - 40)
    window = view[window_start:act_start]
    best = act_start
    for m in re.finditer(
        r"(?<!\w)(?:chủ\s+trì|làm\s+đầu\s+mối|khẩn\s+trương|chịu\s+trách\s+nhiệm|tiếp\s+tục"
        r"|tập\s+trung|chủ\s+động|kịp\s+thời)(?!\w)",
        window,
    ):
        if _SKIP_RE.fullmatch(window[m.start() :]) or re.fullmatch(
            rf"(?:\s*(?:,|:|à|ờ|{_DUTY})(?!\w))*\s*", window[m.start() :]
        ):
            best = min(best, window_start + m.start())
    return best


_MARKER = (
    r"(?:thì|phải|cần|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|khẩn\s+trương|chủ\s+trì"
    r"|được\s+giao|làm\s+đầu\s+mối)(?!\w)"
)
_TAIL_WORD = r"\s+(?!(?:thì|là|à|ờ|ừ|cũng|đã|sẽ|đang|có|không|chưa)(?!\w))[^\s,.;:]+"
_TAIL_BEFORE_MARKER = re.compile(
    rf"(?P<words>(?:{_TAIL_WORD}){{1,4}}?)\s*,?\s*{_MARKER}"
    rf"|(?P<long>(?:{_TAIL_WORD}){{5,8}}?)\s*,?\s*thì(?!\w)"
)
_RELATIVE_TAIL = re.compile(
    r"(?P<words>\s+(?:có|nào|mà|thuộc|ở|tại|trên|đang|được|chưa|không)(?:\s+[^\s,.;:]+){1,11}?)"
    r"\s*,?\s*thì(?!\w)"
)
_SHORT_RELATIVE_TAIL = re.compile(
    r"(?P<words>\s+(?:có(?!\s+(?:trách|ý\s+kiến|báo\s+cáo|văn\s+bản))|nào|thuộc|ở|tại|trên)"
    r"(?:\s+[^\s,.;:]+){1,4}?)\s*,?\s*(?:phải|cần|khẩn\s+trương)(?!\w)"
)
_HEADED_UNIT = re.compile(
    r"(?P<unit>(?:văn\s+phòng|ban|trung\s+tâm|hội|chi\s+cục|cục|phòng|công\s+ty|tổng\s+công\s+ty"
    r"|tổ|đội|đoàn|quỹ|viện|trường|bệnh\s+viện|đài|báo|ngân\s+hàng|bưu\s+điện|cảng\s+vụ"
    r"|liên\s+minh|hợp\s+tác\s+xã|tập\s+đoàn|các\s+\S+)"
    rf"(?P<words>(?:{_TAIL_WORD}){{1,7}}?))(?:\s+{_CONDITION})?\s*,?\s*{_MARKER}"
)
# Head nouns of organisations, as a recogniser writes them (lowercase, no known name needed):
# "công ty khai thác thủy lợi", "phòng tài nguyên môi trường huyện", "ngân hàng chính sách …"
_ORG_HEAD = re.compile(
    r"(?:các\s+)?(?:tổng\s+công\s+ty|công\s+ty|ngân\s+hàng|trung\s+tâm|chi\s+cục|cục|phòng"
    r"|ban\s+quản\s+lý|ban|sở|công\s+an|bộ\s+chỉ\s+huy|ủy\s+ban|uỷ\s+ban|hội|đoàn|đài|kho\s+bạc"
    r"|văn\s+phòng|bệnh\s+viện|viện|trường|hạt|đồn|trạm|viễn\s+thông|điện\s+lực|bưu\s+điện"
    r"|chi\s+nhánh|quỹ|liên\s+đoàn|liên\s+minh|hợp\s+tác\s+xã|tập\s+đoàn|thanh\s+tra|đội"
    r"|tổ\s+công\s+tác|ngành|cảnh\s+sát|bộ\s+đội)(?!\w)"
    r"(?!\s+(?:hợp|nghị|thảo|trường|học|họp|chống|ngũ|viên|cáo|hành|bộ|ngày|đêm|lãnh|nào|này"
    r"|đó|đã|sẽ|cũng|thì|là|của|và|ở|bên)(?!\w))"
)
# Verbs that are part of a unit's name ("khai thác thủy lợi", "quản lý dự án").
_NAME_VERB = re.compile(
    r"(?:khai\s+thác|quản\s+lý|xây\s+dựng|bảo\s+vệ|phát\s+triển|đầu\s+tư|kiểm\s+soát|hỗ\s+trợ"
    r"|đăng\s+ký|giám\s+sát|thanh\s+tra|chăn\s+nuôi|khuyến\s+nông|đào\s+tạo|phục\s+vụ"
    r"|thu\s+gom|cứu\s+hộ|cứu\s+nạn|phát\s+thanh|truyền\s+hình|tư\s+vấn|giải\s+phóng|quy\s+hoạch"
    r"|bồi\s+thường|tái\s+định\s+cư|cấp\s+nước|thoát\s+nước|vận\s+tải|kiểm\s+định|trồng\s+trọt)(?!\w)"
)
_NAME_BREAK = re.compile(
    r"(?:thì|là|đã|đang|sẽ|cũng|có|không|chưa|được|của|cho|với|về|tại|trong|để|nhưng|rồi|mà|nào"
    r"|này|đó|nhé|ạ|à|ờ|thôi|vừa|vẫn|còn|đều|phải|cần|hãy|nên)(?!\w)"
)


_BARE_LEVEL = re.compile(
    r"(?P<level>huyện|xã|phường|thị\s+xã|thành\s+phố)(?:\s+(?:mình|nhà|này))?"
    r"(?=\s*,?\s*(?:thì|phải|cần|có\s+trách\s+nhiệm|khẩn\s+trương)(?!\w))"
)


_FILLER_PAUSE = re.compile(r"\s*,\s*(?:(?:à|ờ|ừ|thì)\s*,?\s*)+")


def _bare_headed_unit(text: str, view: str, pos: int, b: int) -> UnitMatch | None:
    """A unit named by a head noun and a few words up to its verb, in any case: "công ty khai
    thác thủy lợi phải vận hành …", "ngân hàng chính sách xã hội chi nhánh tỉnh xem xét …"."""
    head = _ORG_HEAD.match(view, pos, b)
    if head is None or _CHAIR_ISSUER.match(view, pos, b) or _CHAIR_BODY.match(view, pos, b):
        return None
    end = head.end()
    words = 0
    while words <= 8:
        pause = _FILLER_PAUSE.match(view, end, b)
        if pause and words >= 1 and _VERB_RE.match(view, pause.end(), b):
            # "hội chữ thập đỏ tỉnh, à, hỗ trợ …": a spoken pause before the verb
            surface = text[pos:end]
            return UnitMatch(pos, end, surface, _tidy(surface), surface.lower().startswith("các"))
        gap = re.match(r"\s+", view[end:b])
        if gap is None:
            return None
        at = end + gap.end()
        name_verb = _NAME_VERB.match(view, at, b)
        verb = None if name_verb else _VERB_RE.match(view, at, b)
        alone = head.group(0) in ("văn phòng", "công an")  # "văn phòng tổng hợp …"
        if words == 0 and verb is not None and not alone:
            return None  # "ban chỉ đạo …", "phòng chống …": not a unit's own name
        if (words >= 1 or alone) and (verb is not None or re.match(r"thì(?!\w)", view[at:b])):
            if len(view[at:b].split()) < 3:
                return None
            surface = text[pos:end]
            return UnitMatch(pos, end, surface, _tidy(surface), surface.lower().startswith("các"))
        if _NAME_BREAK.match(view, at, b) or re.match(r"[,.;:]", view[at:b]):
            return None
        word = re.match(r"[^\s,.;:]+", view[at:b])
        if word is None:
            return None
        end = at + word.end()
        words += 1
    return None


_FUNCTION_WORD = re.compile(
    r"(?:của|và|với|là|tại|trong|về|cho|đã|có|cũng|này|đó|mà|nào|ở|theo|nên|được|bị|đang|vừa"
    r"|chưa|không|rồi|sẽ|đều|hiện|nay|vẫn|còn|thuộc|gồm|như|trên|dưới|từ|đến|tới|nhưng|hay|hoặc"
    r"|số|những|một|cùng|thôi|ạ|nhé|vậy|đây|kia|chứ|ấy|thế|nữa|lại|mới|luôn|ra|vào|lên|xuống"
    r"|cơ\s+bản|bước\s+đầu|thời\s+gian\s+qua|vừa\s+qua|năm\s+qua|rất|chủ\s+yếu|nhìn\s+chung"
    r"|hiện\s+nay|thực\s+hiện\s+tốt|làm\s+tốt|đạt|tương\s+đối"
    r"|\d)(?!\w)|[^\w]|$"
)


_GENERIC_ACTION_WORDS = frozenset(
    re.findall(
        r"\w+",
        "khẩn trương tích cực tập trung triển khai thực hiện tổ chức nghiêm túc quyết liệt hơn "
        "nữa tốt các nội dung nhiệm vụ trên đã được giao nêu kết luận này ngay về cho tôi đồng "
        "chí tiếp tục quan tâm chỉ đạo có hiệu quả việc công tác những theo và thời gian tới "
        "sớm nhé ạ à ờ nhanh chóng đầy đủ kịp thời chỉ thị thông báo công văn văn bản quyết "
        "định nghị quyết đúng quy định",
    )
)


def _is_empty_formula(predicate: str) -> bool:
    """ "khẩn trương triển khai thực hiện": an order with no content of its own."""
    words = re.findall(r"\w+", predicate)
    return bool(words) and all(w in _GENERIC_ACTION_WORDS for w in words)


def _descriptive_tail(view: str, end: int, b: int) -> str | None:
    """Words that still describe a group before its order: "(các huyện) ven biển thì phải",
    "(các chủ đầu tư) có dự án giải ngân dưới 50% thì", "(các huyện) có rừng phải"."""
    short = _TAIL_BEFORE_MARKER.match(view, end, b)
    if short is not None:
        words = short.group("words") or short.group("long")
        return None if _VERB_RE.match(words.lstrip()) else words
    relative = _RELATIVE_TAIL.match(view, end, b) or _SHORT_RELATIVE_TAIL.match(view, end, b)
    return relative.group("words") if relative is not None else None


def _tidy(surface: str) -> str:
    surface = " ".join(surface.split()).strip(" ,;:.")
    return surface[:1].upper() + surface[1:]


_TOPIC = re.compile(
    r"(?:cái\s+)?(?:việc|vụ|vấn\s+đề|chuyện|về|đối\s+với|phần|nếu|trường\s+hợp|khi)\s"
    r"[^,.;:]{1,100}?(?:\s+thì\s+|\s*,\s*(?:thì\s+)?)"
)


_LOOSE_TOPIC = re.compile(r"[^,.;:]{1,60}?\s+thì\s+(?:(?:à|ờ)\s+)?")


def _subject_start(text: str, view: str, lead: int, b: int) -> int:
    """Where the subject starts, past "để" ("để ủy ban huyện vận động …"), a topic ("cái việc
    … thì …") or a condition ("nếu có cưỡng chế, …") that names no unit."""
    if find_unit_at(text, view, lead) is not None:
        return lead
    colon = view.find(":", lead, b)
    if colon >= 0:
        # "…, hội nghị thống nhất: Ban Quản lý … sẽ …"
        after = _lead_end(view, colon + 1)
        if find_unit_at(text, view, after) is not None:
            return after
    pos = lead
    loose = _LOOSE_TOPIC.match(view, lead, b)
    if loose and (
        find_unit_at(text, view, loose.end()) is not None
        or _bare_headed_unit(text, view, loose.end(), b) is not None
    ):
        return loose.end()  # "còn kinh phí thuê bảo vệ rừng thì sở nông nghiệp …"
    for _ in range(2):
        topic = _TOPIC.match(view, pos, b)
        if topic:
            pos = _lead_end(view, topic.end())
        m = re.match(r"để\s+", view[pos:b])
        if m:
            pos += m.end()
        if find_unit_at(text, view, pos) is not None:
            return pos
    return lead


_ROLE_APPOSITIVE = re.compile(
    r"\s*(?:,\s*)?là\s+(?:cơ\s+quan|đơn\s+vị)\s+(?:thường\s+trực|đầu\s+mối|chủ\s+trì"
    r"|chuyên\s+môn|tham\s+mưu)(?:\s+[^\s,.;:]+){0,8}?\s*,\s*"
)
_SPEAKS_SOON = re.compile(
    r"((?:\s+[^\s,.;:]+){0,3}?)\s+(?:đề\s+nghị|đề\s+xuất|kiến\s+nghị|cho\s+biết|báo\s+cáo\s+là"
    r"|nói\s+(?:là|rằng)|giải\s+thích|phản\s+ánh"
    r"|có\s+ý\s+kiến|cam\s+kết|xin\s+phép|trình\s+bày)(?!\w)"
)


def _strong_words(between: str) -> bool:
    return bool(_STRONG_DUTY.search(between))


def _plain_end(view: str, pos: int) -> int:
    m = re.match(r"(?:\s*(?:,|thì|à|ờ|cũng)(?!\w))*\s*", view[pos:])
    return pos + (m.end() if m else 0)


_LIST_FRAME = re.compile(
    r"(?:nhiệm\s+vụ|nội\s+dung|việc|công\s+việc|giải\s+pháp|biện\s+pháp|yêu\s+cầu)"
    r"(?:\s+[^\s,.;:]+){0,4}?\s+(?:sau(?:\s+đây)?|như\s+sau|dưới\s+đây)\s*:?\s*$"
)


def _add(
    state: _State,
    sentence: Sentence,
    names: list[str],
    text: str,
    view: str,
    act_start: int,
    end: int,
    deadline: DeadlineResult,
    meeting_date: date | None,
    known: Sequence[str],
    *,
    implicit: bool = False,
    keep_subject: bool = False,
) -> int:
    if not implicit and _is_empty_formula(view[act_start:end]):
        return 0
    if _LIST_FRAME.search(view, act_start, end):
        return 0  # "giao các đơn vị triển khai các nhiệm vụ sau:": the items are the tasks
    coop_from = max(0, act_start - 40)
    coop = _cooperating(text, view, coop_from, end, meeting_date, known)
    action = _action(text, view, _action_start(view, act_start), end, deadline)
    state.tasks.append(_Draft(names, coop, action, deadline, [sentence], implicit))
    if not keep_subject or not state.last_subject:
        state.last_subject = names
    state.last_subject_at = sentence.index
    return 1
