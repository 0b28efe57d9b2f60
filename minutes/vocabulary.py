"""The words the drafter recognises, compiled into patterns over the match view.

Order verbs ("giao", "yêu cầu"), action and duty verbs, discourse openers, the titles of
those who speak and their speech verbs, the chair's own bodies, conclusion words,
enumerators. Everything is matched on :func:`minutes.text.match_view` (lower case, one tone
placement), so the lists are written in lower case.
"""

from __future__ import annotations

import re
from pathlib import Path

_WORDS = Path(__file__).with_name("words")


def word_list(name: str) -> tuple[str, ...]:
    """The entries of ``minutes/words/<name>.txt`` in file order (see its README.md).

    Every entry must come with an example (``words | example``): a list that a newcomer can
    read is part of the rule.
    """
    entries: list[str] = []
    path = _WORDS / f"{name}.txt"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words, sep, example = line.partition(" | ")
        if not sep or not example.strip() or not words.strip():
            raise ValueError(f"{path}:{number}: an entry needs an example after ' | '")
        entries.append(" ".join(words.split()))
    return tuple(entries)


def alternation(
    entries: tuple[str, ...], *, longest_first: bool = False, space: str = r"\s+"
) -> str:
    """A regex group matching any entry, a space in an entry matching ``space``.

    ``longest_first`` for lists where the order of the file does not matter, so that
    "hoàn thành" is tried before "hoàn"; otherwise the first entry that fits wins.
    """
    items = sorted(entries, key=len, reverse=True) if longest_first else list(entries)
    return (
        "(?:" + "|".join(space.join(re.escape(w) for w in item.split(" ")) for item in items) + ")"
    )


# Verbs that open the predicate of an order ("Sở Y tế khẩn trương rà soát …").
VERBS = alternation(word_list("action_verbs"), longest_first=True)


_VERB_RE = re.compile(rf"{VERBS}(?!\w)")


# Words between a subject and its verb that make the sentence an order.
# Words between a subject and its verb that make the sentence an order.
_DUTY = alternation(word_list("duty_words"), longest_first=True)


_STRONG_DUTY = re.compile(
    r"có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|được\s+(?:giao|yêu\s+cầu|đề\s+nghị|chỉ\s+đạo)"
    r"|phải|cần|khẩn\s+trương|sớm"
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
# Discourse openers skipped before looking for a subject.
_LEAD_RE = re.compile(
    r"(?:[\s,:;\-–•*+…]+|\.\.\.|\d{1,2}[.)]\s|[a-zđ][.)]\s"
    r"|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s*,(?=\s)"
    # the document the text reports, named bare: "Theo văn bản, các huyện …", "Theo quyết
    # định này, các tổ công tác có trách nhiệm …" (a numbered one is an earlier plan)
    r"|theo\s+(?:văn\s+bản|công\s+văn|quyết\s+định|chỉ\s+thị)(?:\s+(?:này|trên))?\s*,"
    # what the document stresses: "Thông báo cũng nêu rõ, từng ngành, từng địa phương …"
    r"|(?:thông\s+báo|văn\s+bản|công\s+văn|chỉ\s+thị|kết\s+luận)(?:\s+(?:này|trên))?"
    r"(?:\s+cũng)?\s+(?:nêu\s+rõ|nhấn\s+mạnh|chỉ\s+rõ)\s*,|"
    + alternation(word_list("openers"), longest_first=True)
    + r"(?!\w))*"
)


_TRIGGER_RE = re.compile(
    rf"(?<!\w)(?P<trig>{alternation(word_list('order_verbs'), longest_first=True)})(?!\w)"
)


_NOT_TRIGGER_BEFORE = re.compile(
    r"(?<!\w)(?:được|đã|đã\s+được|theo|các|những|sự|ban|bàn|chuyển|lãnh\s+đạo,|lãnh\s+đạo|đáp\s+ứng|nhiệm\s+vụ"
    r"|phát\s+biểu"  # "Phát biểu chỉ đạo, Chủ tịch …": a speech, not an order to the chair
    r"|(?:để|nhằm)(?:\s+[^\s,.;:]+){0,3}"  # "nhằm tập trung chỉ đạo, …": a purpose
    r"|công\s+tác|ý\s+kiến|cơ\s+quan|văn\s+bản|có|về|đúng|tại"
    r"|(?<!các\s)việc)\s*$"  # "về việc giao cơ quan chủ quản …": the matter, not an order
)


# After the verb: a noun use ("chỉ đạo của …", "chỉ đạo này", "yêu cầu trên", "đề nghị đó").
_NOT_TRIGGER_AFTER = re.compile(
    r"\s*(?:của|,\s*điều\s+hành|điều\s+hành|và|thì|như\s+sau|này|đó|trên|nói\s+trên"
    r"|thông|dịch|lưu|hữu|nhận|kết)(?!\w)"  # "giao thông", "giao dịch", "giao lưu" …
    # "họp giao ban định kỳ tháng 9", "giao ban trực tuyến": the regular meeting, not an order
    r"|\s*ban\s+(?:định\s+kỳ|thường\s+kỳ|tháng|tuần|quý|trực\s+tuyến|công\s+tác|khối|sáng"
    r"|chiều|đầu|cuối|giữa|lần|với|năm)(?!\w)"
)


_PARTICIPANT = re.compile(rf"(?<!\w){alternation(word_list('speaker_titles'))}(?!\w)")


_CHAIR_PERSON = re.compile(rf"(?<!\w){alternation(word_list('chair_persons'))}(?!\w)")


_CHAIR_BODY = re.compile(rf"(?<!\w){alternation(word_list('chair_bodies'))}(?!\w)")


_CHAIR_ISSUER = re.compile(
    r"(?<!\w)(?:ubnd\s+tỉnh|ủy\s+ban\s+nhân\s+dân\s+tỉnh|ban\s+chỉ\s+(?:đạo|huy)|thường\s+trực"
    r"|ban\s+thường\s+vụ|tỉnh\s+ủy)(?!\w)"
)


_DIRECTIVE_MARK = re.compile(
    r"(?:kết\s+luận|(?<!ban\s)chỉ\s+đạo|yêu\s+cầu|đề\s+nghị|giao|nhấn\s+mạnh|lưu\s+ý|quán\s+triệt"
    r"|như\s+sau|nêu\s+rõ)(?!\w)"
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


# Closing words: of a speech ("xin cảm ơn"), of a decision ("… chịu trách nhiệm thi hành Quyết
# định này", "… căn cứ Quyết định thi hành").
_CLOSING = re.compile(
    r"(?<!\w)(?:xin\s+hết|xin\s+cảm\s+ơn|cảm\s+ơn|chúc|kết\s+thúc|bế\s+mạc|xin\s+chào"
    r"|thi\s+hành\s+(?:quyết\s+định|chỉ\s+thị)\s+này|căn\s+cứ\s+quyết\s+định\s+thi\s+hành)(?!\w)"
)


_CONCLUSION_MARK = re.compile(
    rf"(?<!\w){alternation(word_list('conclusion_words'), longest_first=True)}(?!\w)"
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
    rf"^\s*(?:{alternation(word_list('enumerators'))}(?!\w)"
    r"|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s*,\s"
    r"|\d{1,2}[.)](?:\s|$)|[a-zđ][.)]\s|[-–•+*]\s)"
)


_SPEECH = re.compile(rf"(?<!\w){alternation(word_list('speech_verbs'))}(?!\w)")


_MARKER = (
    r"(?:thì|phải|cần|có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|khẩn\s+trương|chủ\s+trì"
    r"|được\s+(?:giao|yêu\s+cầu|đề\s+nghị|chỉ\s+đạo)|làm\s+đầu\s+mối)(?!\w)"
)


_TAIL_WORD = r"\s+(?!(?:thì|là|à|ờ|ừ|cũng|đã|sẽ|đang|có|không|chưa|được)(?!\w))[^\s,.;:]+"


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
        "định nghị quyết đúng quy định "
        # "… chịu trách nhiệm thi hành Quyết định này": the closing formula of a decision
        "chịu trách nhiệm thi hành",
    )
)


# A person named by honorific and name, then the chair's title: the chair, not a participant.
# "bà Hồ Thị Nguyên Thảo - Phó Chủ tịch UBND tỉnh đề nghị …",
# "ông Nguyễn Văn An, Phó Chủ tịch UBND tỉnh yêu cầu …", "đồng chí Bí thư Tỉnh ủy chỉ đạo …".
_NAMED_CHAIR = re.compile(
    r"(?:ông|bà|đồng\s+chí)\s+(?:[^\s,;:]+\s+){0,5}?(?:[-–,]\s*)?(?:phó\s+)?"
    + _CHAIR_PERSON.pattern
)
# The chair's act named before the speaker: "Kết luận hội nghị, …", "Chủ trì buổi làm việc,
# …", "Phát biểu chỉ đạo tại hội nghị, …", "Bế mạc kỳ họp, …": the person who follows chairs.
# "Kết thúc cuộc họp, đồng chí X, Giám đốc Sở đề nghị …" closes the meeting the same way.
_CHAIR_FRAME = re.compile(
    r"\s*(?:phát\s+biểu\s+)?(?:kết\s+luận|chỉ\s+đạo|chủ\s+trì|bế\s+mạc"
    r"|kết\s+thúc\s+(?:buổi|cuộc|phiên|hội\s+nghị|kỳ\s+họp))(?:\s+[^\s,.;:]+){0,8}\s*,"
)


def participant_in(phrase: str, *, framed: bool = False) -> bool:
    """Whether ``phrase`` (match view) names a participant as its speaker.

    An honorific ("ông", "bà") is a participant unless the chair's title follows the name.
    When the sentence opens with the chair's act (``framed``: "Chủ trì hội nghị, bà X …",
    "Kết luận cuộc họp, đồng chí X, Phó Chủ tịch UBND huyện yêu cầu …", "Kết thúc cuộc họp,
    đồng chí X, Giám đốc Sở đề nghị …"), the person named chairs whatever the title: a
    district or a department holds its own meetings. Voices that are no person's title
    (delegates, businesses, "chúng tôi") stay participants.
    """
    for m in _PARTICIPANT.finditer(phrase):
        honorific = m.group(0) in ("ông", "bà")
        if honorific and (framed or _NAMED_CHAIR.match(phrase, m.start())):
            continue
        if framed and _PERSON_TITLE.match(m.group(0)):
            continue
        return True
    return False


# A participant marker that is a person's title or honorific, not a group's voice.
_PERSON_TITLE = re.compile(
    r"(?:ông|bà|phó\s|giám\s+đốc|trưởng|chủ\s+tịch|cục\s+trưởng|chi\s+cục|hiệu\s+trưởng)"
)
