"""The words the drafter recognises, compiled into patterns over the match view.

Order verbs ("giao", "yêu cầu"), action and duty verbs, discourse openers, the titles of
those who speak and their speech verbs, the chair's own bodies, conclusion words,
enumerators. Everything is matched on :func:`minutes.text.match_view` (lower case, one tone
placement), so the lists are written in lower case.
"""

from __future__ import annotations

import re


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


_GENERIC_ASSIGNEE = re.compile(
    r"^(?:các|mọi|anh|chị|em|đồng|tất)\s*(?:đồng\s+chí|anh\s+chị|anh\s+em|người|cả)?$"
)


_FILLERS = re.compile(r"(?<!\w)(?:à|ờ|ừ|ạ|ơ|nhé|nha|nhá)(?!\w)\s*,?\s*")


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


_MARKER = (
    r"(?:thì|phải|cần|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|khẩn\s+trương|chủ\s+trì"
    r"|được\s+giao|làm\s+đầu\s+mối)(?!\w)"
)


_TAIL_WORD = r"\s+(?!(?:thì|là|à|ờ|ừ|cũng|đã|sẽ|đang|có|không|chưa)(?!\w))[^\s,.;:]+"


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
