"""Where a sentence sits: the chair's directions, a participant's turn, background, or not
yet known. The zone decides how much a bare "unit + verb" sentence counts.
"""

from __future__ import annotations

import re

from minutes.extract.state import Zone, _State
from minutes.vocabulary import (
    _CHAIR_FRAME,
    _CHAIR_ISSUER,
    _CHAIR_PERSON,
    _DIRECTIVE_MARK,
    _ENUMERATOR,
    _PARTICIPANT,
    _PERSON_TITLE,
    _SPEECH,
    _TRIGGER_RE,
    participant_in,
)

_BACKGROUND = re.compile(
    # a question-and-answer page retells what the law says ("Hỏi: … Đáp: Chủ tịch UBND các cấp
    # có trách nhiệm …"): nobody orders anything
    r"^(?:(?:hỏi|đáp|trả\s+lời)\s*:"
    r"|theo\s+(?:kế\s+hoạch|chỉ\s+thị|nghị\s+quyết|quyết\s+định|chương\s+trình|đề\s+án)(?!\w)"
    r"(?!(?:\s+(?:này|trên))?\s*,)"  # "Theo quyết định, …": the one the text reports
    # an earlier resolution or directive as the one who ordered: "Nghị quyết giao nhiệm vụ cho
    # từng bộ, đồng thời yêu cầu …", "Chỉ thị số 05 yêu cầu các huyện …" (not "… này")
    r"|(?:nghị\s+quyết|chỉ\s+thị)(?:\s+số\s+\S+)?\s+(?:đã\s+)?(?:giao|yêu\s+cầu)(?!\w)"
    r"|(?:ubnd\s+tỉnh|kế\s+hoạch|chỉ\s+thị|nghị\s+quyết)[^.]{0,80}(?:đưa\s+ra|đề\s+ra|xác\s+định)"
    r"[^.]{0,40}nhóm\s+nhiệm\s+vụ)"
)


_REPORTAGE = re.compile(
    r"^(?:tại\s+(?:buổi|cuộc|phiên|hội\s+nghị)|thảo\s+luận|theo\s+(?:ông|bà|phó(?!\s+(?:thủ\s+tướng|chủ\s+tịch|bí\s+thư))|giám\s+đốc"
    r"|đại\s+diện|lãnh\s+đạo|báo\s+cáo|thống\s+kê|sở|ban|ủy\s+ban|ubnd|đồng\s+chí)|qua\s+báo\s+cáo"
    r"|báo\s+cáo\s+(?:tại|cho\s+biết)|các\s+đại\s+biểu)"
)


def _chair_directs(view: str) -> bool:
    """The chair or the issuing body speaks in one chunk: "Chủ tịch UBND tỉnh chỉ đạo: …",
    "bà X - Phó Chủ tịch UBND tỉnh đề nghị …"; or the sentence opens with the chair's act
    and then gives an order: "Chủ trì hội nghị, bà X thống nhất … và yêu cầu …"."""
    if _CHAIR_FRAME.match(view) and _DIRECTIVE_MARK.search(view, _CHAIR_FRAME.match(view).end()):  # type: ignore[union-attr]
        return True
    chunks = re.split(r"[,;]", view)
    for i, chunk in enumerate(chunks):
        if i and _THEN_ORDERS.match(chunk) and any(map(_chair_subject, chunks[max(0, i - 3) : i])):
            return True  # "Chủ tịch … nhận định …, đồng thời yêu cầu Quỹ …"
        chair = _CHAIR_PERSON.search(chunk) or _CHAIR_ISSUER.search(chunk)
        mark = _DIRECTIVE_MARK.search(chunk, chair.end()) if chair is not None else None
        if (
            chair is not None
            and mark is not None
            and not participant_in(chunk[: chair.start() + len(chair.group(0))])
            and not _CAPTION_TAIL.fullmatch(chunk[mark.end() :])
        ):
            return True
    return False


# "…, đồng thời yêu cầu …", "…, giao cho công chức địa chính …": the chair's next clause orders
_THEN_ORDERS = re.compile(
    r"\s*(?:(?:đồng\s+thời|và|sau\s+đó|cũng)\s+(?:yêu\s+cầu|đề\s+nghị|chỉ\s+đạo|giao|lưu\s+ý)"
    r"|giao(?:\s+nhiệm\s+vụ)?\s+cho)(?!\w)"
)


def _chair_subject(chunk: str) -> bool:
    """The chunk opens with the chair as its subject ("Chủ tịch UBND tỉnh nhận định …")."""
    chair = _CHAIR_PERSON.search(chunk)
    return chair is not None and not participant_in(chunk[: chair.end()]) and chair.start() < 40


# "… phát biểu kết luận Phiên họp." — a photo caption, not the directions themselves
_CAPTION_TAIL = re.compile(
    r"\s*(?:tại\s+)?(?:phiên|hội|buổi|cuộc)\s+[^\s:]+(?:\s+[^\s:;,]+){0,3}?\s*\.?\s*"
)


def _participant_speaks(view: str) -> bool:
    """A participant is the speaker of a chunk: "Phó Giám đốc Sở Y tế … đề nghị …"."""
    framed = bool(_CHAIR_FRAME.match(view))
    for chunk in re.split(r"[,;:]", view):
        m = _PARTICIPANT.search(chunk)
        if m and _SPEECH.search(chunk, m.end()) and participant_in(chunk, framed=framed):
            return True
    return False


# "Trong thời gian tới, …", "thời gian tới tôi yêu cầu …": what comes next is to be done
_TIME_AHEAD = re.compile(r"\s*(?:trong\s+)?thời\s+gian\s+(?:sắp\s+)?tới(?!\w)")


# "Để tổ chức Lễ hội an toàn, giao các đơn vị …": a purpose, then the order; so too a basis
# ("Trên cơ sở ý kiến thẩm định của Sở Tư pháp, yêu cầu …", "Căn cứ kết quả kiểm tra, giao …",
# "Xét đề nghị của Sở Tài chính, đề nghị …")
_PURPOSE_THEN_ORDER = re.compile(
    r"\s*(?:[ivx]+\.\s*)?(?:để|trên\s+cơ\s+sở|căn\s+cứ|xét\s+đề\s+nghị\s+của|theo\s+đề\s+nghị\s+của"
    r"|sau\s+khi|nhằm)\s[^.:]{3,160}?,\s*(?:giao|yêu\s+cầu|đề\s+nghị|chỉ\s+đạo)(?!\w)"
)


# An earlier order recalled: "Trước đó, …", "Trước đây, …", "Hồi tháng 6, …".
_EARLIER = re.compile(r"(?:trước\s+(?:đó|đây)|hồi\s+tháng\s+\S+)\s*,")


def _central_chair(view: str) -> bool:
    """Whether a sentence shows a central body giving the orders of the text:

    "Phó Thủ tướng Nguyễn Văn A đồng ý để UBND tỉnh X làm cơ quan chủ quản …",
    "Thủ tướng Chính phủ yêu cầu UBND các tỉnh rà soát …", or the letterhead
    "VĂN PHÒNG CHÍNH PHỦ" of a notice. Then "UBND tỉnh X tổ chức đấu thầu …" is a task of
    the province, not the chair's own body speaking of itself.
    """
    return bool(_CENTRAL_ISSUER.search(view))


# A People's Council session and its chair: "bế mạc kỳ họp thứ 12, HĐND tỉnh …", "Chủ tịch
# HĐND tỉnh đề nghị UBND tỉnh …", "kỳ họp lần này thì mình đã thảo luận …".
_COUNCIL_SESSION = re.compile(
    r"(?<!\w)(?:(?:bế|khai)\s+mạc\s+kỳ\s+họp|kỳ\s+họp\s+(?:lần\s+)?này|các\s+vị\s+đại\s+biểu"
    r"|chủ\s+tịch\s+(?:hđnd|hội\s+đồng\s+nhân\s+dân)(?:\s+[^\s,.;:]+){0,4}?\s+"
    r"(?:đề\s+nghị|yêu\s+cầu|phát\s+biểu|kết\s+luận))(?!\w)"
)


_CENTRAL_ISSUER = re.compile(
    r"^\s*văn\s+phòng\s+chính\s+phủ\s*$"
    r"|(?<!\w)(?:phó\s+)?(?:thủ\s+tướng|bộ\s+trưởng|thứ\s+trưởng)(?:\s+chính\s+phủ)?"
    r"(?:\s+[^\s,.;:]+){0,4}?\s+(?:đã\s+|vừa\s+)?"
    r"(?:giao|yêu\s+cầu|chỉ\s+đạo|đồng\s+ý|có\s+ý\s+kiến|cho\s+ý\s+kiến|kết\s+luận)(?!\w)"
)


def _announced_chair(view: str) -> str:
    """The title of the person a sentence names as chairing the meeting, or "":

    "Đồng chí Trần Ngọc Bình, Phó Chủ tịch UBND huyện chủ trì cuộc họp." → "phó chủ tịch
    ubnd huyện"; "… do đồng chí X, Phó Bí thư Huyện ủy, Chủ tịch UBND huyện chủ trì." →
    "chủ tịch ubnd huyện"; "Dưới sự chủ trì của ông X, Giám đốc Sở, …" → "giám đốc sở".
    """
    m = _CHAIRED_BY.search(view) or _CHAIRED_UNDER.search(view)
    if m is None:
        return ""
    title = " ".join(m.group("title").split())
    return title if _CHAIR_PERSON.search(title) or _PERSON_TITLE.match(title) else ""


_CHAIRED_BY = re.compile(
    r"(?:^|,|\bdo)\s*(?P<title>[^,;:.()]{3,60}?)\s+(?:làm\s+)?chủ\s+trì"
    r"(?:\s+(?:hội\s+nghị|cuộc\s+họp|phiên\s+họp|buổi\s+làm\s+việc|buổi\s+họp|phiên|cuộc|buổi))?"
    r"\s*(?:[.,;]|$)"
)
_CHAIRED_UNDER = re.compile(
    r"dưới\s+sự\s+chủ\s+trì\s+của\s+(?:đồng\s+chí|ông|bà)\s+[^,;:.]{2,40},\s*"
    r"(?:[^,;:.]{3,60},\s*)*?(?P<title>[^,;:.]{3,60}?)\s*(?:[,.;]|$)"
    r"(?=\s*(?:ubnd|ủy\s+ban|hội\s+đồng|sở|ban|huyện|tỉnh|thành|đã|tổ\s+chức|họp|$))"
)


def _chair_opens(state: _State, view: str) -> bool:
    """The announced chair opens the sentence and gives an order in it: "Chủ tịch UBND huyện
    đánh giá cao …, đồng thời chỉ rõ … và yêu cầu cơ quan …" at a district's own meeting."""
    title = state.chair_title
    if not title:
        return False
    opening = re.match(r"\s*(?:(?:đồng\s+chí|ông|bà)\s+)?" + re.escape(title) + r"(?!\w)", view)
    return opening is not None and _DIRECTIVE_MARK.search(view, opening.end()) is not None


# The operative part of a decision or directive: "QUYẾT ĐỊNH:", "CHỈ THỊ:", "QUYẾT NGHỊ:" on a
# line of its own; the articles below it (Điều 1., Điều 2. …) are what the issuer orders.
_OPERATIVE_PART = re.compile(r"\s*(?:quyết\s+định|quyết\s+nghị|chỉ\s+thị)\s*:\s*$")


def _update_zone(state: _State, view: str, lead: int, spoken: bool) -> None:
    body = view[lead:]
    announced = _announced_chair(view)
    if announced:
        state.chair_title = announced
    if not state.central_chair and _central_chair(view):
        state.central_chair = True
    if not state.council_chair and _COUNCIL_SESSION.search(view):
        state.council_chair = True
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
        or _chair_opens(state, view)
        or _OPERATIVE_PART.match(view)
        or (_TRIGGER_RE.match(body) and not participant_in(view))
        or _TIME_AHEAD.match(view)
        or _PURPOSE_THEN_ORDER.match(view)
        or re.search(r"(?:xin|để)\s+kết\s+luận|kết\s+luận\s+(?:như\s+sau|mấy|một\s+số)", view)
        or re.match(r"\s*(?:phát\s+biểu\s+)?kết\s+luận\s+(?:buổi|hội\s+nghị|cuộc|phiên)", view)
        or re.search(
            r"tôi\s+(?:xin\s+)?(?:nói|đề\s+nghị|giao|yêu\s+cầu|chỉ\s+đạo|có|chốt|lưu\s+ý|nhắc|gợi\s+ý|nêu)"
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
    if _EARLIER.match(body):
        state.zone = Zone.BACKGROUND  # "Trước đó, ngày 13/9, UBND tỉnh có văn bản giao …"
    if state.zone is Zone.DIRECTIVE:
        state.directive_seen = True
