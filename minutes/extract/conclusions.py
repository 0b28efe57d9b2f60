"""The chair's conclusions: assessments, agreements and general requirements, the
sentences of the directions that are not tasks.
"""

from __future__ import annotations

import re

from minutes.deadlines import DeadlineResult
from minutes.extract.state import Zone, _State
from minutes.model import Conclusion
from minutes.options import OPTIONS
from minutes.segment import Sentence
from minutes.text import match_view
from minutes.vocabulary import _CHAIR_PERSON, _CLOSING, _CONCLUSION_MARK, _FILLERS

_BOILERPLATE = re.compile(
    r"(?<!\w)(?:bài\s+viết|lượt\s+(?:xem|tải|truy\s+cập)|bạn\s+đọc|cập\s+nhật\s*:|nguồn\s*:"
    r"|quang\s+cảnh|ảnh\s*:|tin\s*,\s*ảnh|đăng\s+nhập)"
)


# "tôi xin kết luận mấy vấn đề như sau", "tôi đề nghị mấy việc": the frame, not content
_INTRO = re.compile(
    r"(?:kết\s+luận|chỉ\s+đạo|tóm\s+lại|đề\s+nghị|như\s+sau)(?:\s+\S+){0,4}?\s*"
    r"(?:như\s+sau|thế\s+này|như\s+thế\s+này|(?:mấy|một\s+số)\s+(?:ý|vấn\s+đề|việc|nội\s+dung))"
    r"\s*[:.]?\s*$|như\s+sau\s*:?\s*$"
    # "… tập trung làm tốt một số việc sau:": the list follows
    r"|(?:mấy|một\s+số|các|những)\s+(?:ý|vấn\s+đề|việc|nội\s+dung|nhiệm\s+vụ)"
    r"(?:\s+(?:trọng\s+tâm|chủ\s+yếu))?\s+sau(?:\s+đây)?\s*[:.]?\s*$"
    # "Phó Chủ tịch UBND tỉnh đã có kết luận, được thông báo như sau": that there is one
    r"|(?:đã\s+)?có\s+(?:ý\s+kiến\s+)?kết\s+luận(?:\s+chỉ\s+đạo)?\s*(?:,|\.|$)"
    # "… đã quán triệt những nội dung mà các sở, ngành cần tập trung thực hiện …": the
    # points come after
    r"|quán\s+triệt\s+(?:những|các|một\s+số|mấy)\s+(?:nội\s+dung|vấn\s+đề|việc|nhiệm\s+vụ)\s+mà"
)

# unpunctuated speech: "tôi xin kết luận nhanh để anh em còn về triển khai", a short line
# that only announces the conclusions; "thôi các đồng chí triển khai cho tốt nhé" closes them
_SPOKEN_FRAME = re.compile(r"^\s*(?:\S+\s+){0,2}?tôi\s+(?:xin\s+)?(?:kết\s+luận|chốt)(?!\w)")
_SPOKEN_FRAME_MAX_WORDS = 12
_SEND_OFF = re.compile(
    r"(?:các\s+đồng\s+chí|anh\s+em)\s+(?:về\s+)?(?:triển\s+khai|thực\s+hiện|làm)\s+cho\s+tốt"
    r"(?:\s+nhé)?\s*[.!]?\s*$"
)

# the meeting being held, with what it was for: "Ngày 9/1, Thường trực Huyện ủy họp giao ban
# để cho ý kiến về …", "Ban Chỉ đạo tổ chức phiên họp quý III để đánh giá kết quả …"
_MEETING_HELD = re.compile(
    r"(?:tổ\s+chức\s+(?:hội\s+nghị|phiên\s+họp|cuộc\s+họp|buổi\s+làm\s+việc)"
    r"|(?<!cuộc\s)(?<!phiên\s)(?<!buổi\s)(?<!kỳ\s)(?<!dự\s)(?<!\w)họp)(?!\w)[^.;:]{0,80}?"
    r"(?<!\w)(?:để|nhằm)\s"
)


def _held_for(view: str, lead: int) -> bool:
    """The sentence says the meeting was held and what for, with no assessment before that:
    "Ban Chỉ đạo … tổ chức phiên họp quý III để đánh giá kết quả …" (the assessing is the
    meeting's purpose, not its outcome)."""
    held = _MEETING_HELD.search(view)
    if held is None:
        return False
    verb_at = _assessing_verb_at(view, lead)
    return verb_at is None or verb_at > held.start()


def _conclusion(
    state: _State,
    sentence: Sentence,
    text: str,
    view: str,
    lead: int,
    deadline: DeadlineResult | None = None,
) -> Conclusion | None:
    """A sentence that is not a task but states the chair's assessment, agreement or general
    requirement: "Hội nghị thống nhất thông qua …", "Quy hoạch là một vấn đề lớn, quan trọng
    …", "Các cấp, các ngành phải nâng cao trách nhiệm …" (within the chair's directions), or
    anywhere the chair is the one who assesses: "…, Thứ trưởng ghi nhận, biểu dương kết quả
    …", "Chủ tịch UBND tỉnh đánh giá cao sự vào cuộc của các huyện …".

    Never a deadline left over from a task ("phải hoàn thành trước ngày 15/8") nor a line of
    figures; a general target keeps its time ("quyết tâm … trong năm 2016").
    """
    assessed = _chair_assesses(view)
    if not (state.zone is Zone.DIRECTIVE or assessed) or _CLOSING.search(view):
        return None
    body = text[lead:].strip()
    words = body.split()
    if (
        _word_count(body) < OPTIONS.conclusion_min_words
        or not (assessed or _CONCLUSION_MARK.search(_ABOUT.sub(" ", view)))
        or _BOILERPLATE.search(view)
        or _INTRO.search(view)
        or (_SPOKEN_FRAME.match(view) and len(words) <= _SPOKEN_FRAME_MAX_WORDS)
        or _SEND_OFF.search(view)
        or _held_for(view, lead)
        or (deadline is not None and deadline.found and not _TARGET.search(view))
    ):
        return None
    verb_at = _assessing_verb_at(view, lead)
    if verb_at is not None:
        # "Kết luận buổi làm việc, Phó Chủ tịch UBND tỉnh đánh giá cao …" → "Đánh giá cao …":
        # the frame and the speaker are who said it, the conclusion is what was said
        said = text[verb_at:].strip()
        if _word_count(said) >= OPTIONS.conclusion_min_words:
            body = said
        elif _word_count(said) < len(said.split()):
            # "… đánh giá cao tinh thần [...]": what was assessed is lost with the page
            return None
        else:
            pointed = _point_before_verb(text, view, lead, verb_at)
            if pointed is None:
                # "Chủ tịch UBND thành phố nhấn mạnh.": the frame, nothing concluded
                return None
            body = pointed
    cleaned = _FILLERS.sub(" ", body)
    cleaned = re.sub(
        r"^[^;]{0,120}?(?:nhấn\s+mạnh|kết\s+luận|khẳng\s+định|lưu\s+ý|nêu\s+rõ|chỉ\s+rõ)\s*:\s*",
        "",
        cleaned,
    )
    cleaned = " ".join(cleaned.split()).strip(" ,")
    cleaned = cleaned[:1].upper() + cleaned[1:]
    if _mostly_figures(cleaned.split()):
        return None
    return Conclusion(cleaned, text, sentence.start, sentence.end)


# The chair, the meeting or a leader who chairs, then an assessing or agreeing verb.
_ASSESSOR = re.compile(
    # (the meeting as what is held is no assessor: "tổ chức hội nghị đánh giá tình hình …")
    rf"(?<!\w)(?:{_CHAIR_PERSON.pattern[7:-6]}|(?<!chức\s)(?<!tại\s)(?<!dự\s)(?<!trì\s)"
    r"(?:hội\s+nghị|cuộc\s+họp|phiên\s+họp)|ban\s+chỉ\s+đạo"
    r"|thường\s+trực|thứ\s+trưởng|lãnh\s+đạo\s+tỉnh|kỳ\s+họp|các\s+thành\s+viên"
    r"|các\s+sở(?:\s*,\s*|\s+)ngành|các\s+đại\s+biểu)(?!\w)"
)
_ASSESSING = re.compile(
    r"(?<!\w)(?:ghi\s+nhận|biểu\s+dương|đánh\s+giá(?:\s+cao)?|thống\s+nhất|đồng\s+ý|chấp\s+thuận"
    r"|nhận\s+định|khẳng\s+định|nhấn\s+mạnh|cho\s+rằng|hoan\s+nghênh|đề\s+cao|thông\s+qua"
    r"|đồng\s+tình|quyết\s+tâm|thấy|nêu\s+rõ|chỉ\s+rõ|chỉ\s+ra"
    # "nêu 10 vấn đề cần tập trung", "nêu mấy nội dung": the chair's points, then the list
    r"|nêu(?=\s+\S+\s+(?:vấn\s+đề|nội\s+dung|nhóm)))(?!\w)"
)


# the members or delegates of the meeting agreeing: what the meeting agreed, not one
# delegate's proposal ("Các đại biểu cơ bản nhất trí với dự thảo kế hoạch …", "đại biểu HĐND
# tỉnh đã thống nhất chủ trương …"); "đại biểu … đề nghị …" stays a participant's turn
_MEMBERS = re.compile(r"(?<!\w)(?:các\s+)?(?:đại\s+biểu|thành\s+viên)(?!\w)")
_AGREEING = re.compile(
    r"(?<!\w)(?:thống\s+nhất|nhất\s+trí|đồng\s+ý|thông\s+qua|biểu\s+quyết)(?!\w)"
)


# the meeting's overall assessment, whoever voices it: "Theo đánh giá chung, công tác chỉ đạo
# … đã góp phần đưa tăng trưởng … đạt mức khá", "thì nhìn chung là công tác thi công về cơ bản
# đã hoàn thành"
_OVERALL = re.compile(
    r"(?<!\w)(?:(?:theo\s+)?(?:đánh\s+giá|nhận\s+định)\s+chung|nhìn\s+chung)(?!\w)"
)

# the subject of a document is its name, not what the chair says: "nhận Văn bản số 5658 …
# về việc đánh giá kết quả 1 năm …" has no assessment in it
_ABOUT = re.compile(r"(?<!\w)về\s+việc(?!\w)[^,.;:]*")

# a general target keeps its time: "quyết tâm ra mắt 12 xã nông thôn mới trong năm 2016",
# "phấn đấu đến hết năm giải ngân đạt trên 95%" (a target, not a task's leftover deadline)
_TARGET = re.compile(r"(?<!\w)(?:quyết\s+tâm|phấn\s+đấu|mục\s+tiêu)(?!\w)")


def _chair_assesses(view: str) -> bool:
    """ "…, Thứ trưởng Lê Minh Ngân ghi nhận …": the assessor and the verb in one chunk; or
    the meeting's members agreeing ("Các đại biểu cơ bản nhất trí …"); or the overall
    assessment the meeting reached ("Theo đánh giá chung, …", "nhìn chung là …")."""
    if _OVERALL.search(view):
        return True
    for chunk in re.split(r"[,;:]", view):
        who = _ASSESSOR.search(chunk)
        verb = _ASSESSING.search(chunk, who.end()) if who is not None else None
        if who is not None and verb is not None and not _for_a_meeting(chunk, who.end(), verb):
            return True
        members = _MEMBERS.search(chunk)
        if members is not None and _AGREEING.search(chunk, members.end()):
            return True
    return False


def _assessing_verb_at(view: str, lead: int) -> int | None:
    """Where the assessing verb of the first chunk that opens with the chair as its speaker
    starts, or None ("Chủ tịch UBND tỉnh đánh giá cao …" → at "đánh giá")."""
    at = lead
    for chunk in re.split(r"([,;:])", view[lead:]):
        for who, verbs in (
            (_ASSESSOR.search(chunk), _ASSESSING),
            (_MEMBERS.search(chunk), _AGREEING),
        ):
            if who is not None and len(chunk[: who.start()].split()) <= 6:
                verb = verbs.search(chunk, who.end())
                if (
                    verb is not None
                    and not chunk[who.end() : verb.start()].count(" ") > 6
                    and not _for_a_meeting(chunk, who.end(), verb)
                ):
                    hedge = _HEDGE.search(chunk[: verb.start()])
                    return at + (hedge.start() if hedge is not None else verb.start())
        at += len(chunk)
    return None


# "Chủ tịch UBND tỉnh chủ trì hội nghị trực tuyến đánh giá …": a meeting between the chair
# and the verb makes the assessing the meeting's purpose, not what the chair said
_MEETING_BETWEEN = re.compile(
    r"(?<!\w)(?:hội\s+nghị|cuộc\s+họp|phiên\s+họp|buổi\s+(?:họp|làm\s+việc))"
)


def _for_a_meeting(chunk: str, after_who: int, verb: re.Match[str]) -> bool:
    """The verb names what a meeting between the speaker and it is for ("chủ trì hội nghị
    trực tuyến đánh giá công tác …"); a meeting that agrees ("tổ chức Hội nghị liên tịch
    thống nhất nội dung …") states its outcome, and stays."""
    between = _MEETING_BETWEEN.search(chunk, after_who, verb.start())
    return between is not None and _AGREEING.match(chunk, verb.start()) is None


# "cơ bản nhất trí", "về cơ bản thống nhất": the hedge belongs to what was agreed
_HEDGE = re.compile(r"(?<!\w)(?:về\s+)?cơ\s+bản\s*$")


# a second point joined to the first: ", đồng thời chỉ rõ …", "; trong đó cần lưu ý: …"
_NEXT_POINT = re.compile(
    r"(?:,\s*(?:và\s+)?đồng\s+thời|;\s*(?:đồng\s+thời|trong\s+đó)?)\s+"
    r"(?=(?:chỉ\s+rõ|chỉ\s+ra|phê\s+bình|ghi\s+nhận|biểu\s+dương|đánh\s+giá\s+cao|thống\s+nhất"
    r"|đồng\s+ý|nhấn\s+mạnh|cần\s+lưu\s+ý|lưu\s+ý)(?!\w))"
)


def _points(conclusion: Conclusion) -> list[Conclusion]:
    """One conclusion per point the chair makes, when one sentence makes two: "Đánh giá cao
    tinh thần trách nhiệm của các phòng, đồng thời chỉ rõ những hạn chế cần khắc phục" →
    "Đánh giá cao …" and "Chỉ rõ những hạn chế …"; "Thống nhất với dự thảo; trong đó cần
    lưu ý: cập nhật số liệu …" → "Thống nhất với dự thảo" and "Cần lưu ý: cập nhật …".
    A list of verbs for one object ("Ghi nhận, biểu dương kết quả …") stays one point."""
    text = conclusion.text
    cuts = [m for m in _NEXT_POINT.finditer(match_view(text))]
    if not cuts:
        return [conclusion]
    bounds = [0, *(m.start() for m in cuts)]
    starts = [0, *(m.end() for m in cuts)]
    ends = [*bounds[1:], len(text)]
    points = []
    for start, end in zip(starts, ends, strict=True):
        part = text[start:end].strip(" ,;.")
        if len(part.split()) >= OPTIONS.conclusion_min_words:
            points.append(
                Conclusion(
                    part[:1].upper() + part[1:],
                    conclusion.evidence,
                    conclusion.start,
                    conclusion.end,
                )
            )
    return points or [conclusion]


def _point_before_verb(text: str, view: str, lead: int, verb_at: int) -> str | None:
    """When the assessing verb ends the sentence, what it assesses stands before it.

    In the verb's own chunk, before the speaker: "số liệu trong dự thảo tôi thấy chưa chắc"
    → the whole clause. Or in the chunk before, pointed back to ("cái đó", "cái này") or
    named by a "Về …" frame: "…, mặt trận đã có kế hoạch rồi, cái đó tôi ghi nhận." →
    "Ghi nhận: …, mặt trận đã có kế hoạch rồi"; "Về kiến nghị của Ban Quản lý dự án …,
    Chủ tịch UBND tỉnh đồng ý về chủ trương." → "Đồng ý về chủ trương: về kiến nghị …".
    None when only the speaker stands there ("Chủ tịch UBND thành phố nhấn mạnh.").
    """
    chunk = max(view.rfind(mark, lead, verb_at) for mark in ",;:") + 1
    chunk = max(chunk, lead)
    fronted = view[chunk:verb_at]
    who = _ASSESSOR.search(fronted)
    if who is not None:
        fronted = fronted[: who.start()]
    if len(fronted.split()) >= OPTIONS.fronted_object_min_words:
        return text[lead:].strip()
    point = text[lead:chunk].strip(" ,;:")
    if len(point.split()) < OPTIONS.conclusion_min_words:
        return None
    return text[verb_at:].strip(" .") + ": " + point


def _word_count(text: str) -> int:
    """Words, not counting the mark of a page cut short ("Đánh giá cao tinh thần [...]" has
    four: it says nothing yet)."""
    return sum(1 for w in text.split() if w not in ("[...]", "[…]"))


def _mostly_figures(words: list[str]) -> bool:
    """ "Thu ngân sách đạt 3.120 tỷ đồng, bằng 52%, tăng 12%": a statistic, not a conclusion."""
    figures = sum(1 for w in words if any(c.isdigit() for c in w))
    return figures * 4 >= len(words)
