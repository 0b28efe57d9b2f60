"""Who speaks before an order verb: the chair (an order), or a participant or a unit (a
proposal: "Phó Giám đốc Sở Y tế đề nghị …", "sở xây dựng đề nghị …").
"""

from __future__ import annotations

import re

from minutes.extract.scan import _first_end, _lead_end, _window_start
from minutes.options import OPTIONS
from minutes.text import match_view
from minutes.units import find_unit_at
from minutes.vocabulary import _CHAIR_BODY, _CHAIR_FRAME, _CHAIR_PERSON, participant_in


def _speaker_allows(
    text: str, view: str, prefix_end: int, chair_title: str = "", *, opening: bool = False
) -> tuple[bool, bool]:
    """(may this be an order, is a chair person speaking) for words before a trigger.

    ``chair_title`` is the title the text named as chairing ("… Chủ tịch UBND huyện chủ
    trì"): said before the verb, it is the chair speaking, not a participant. ``opening``:
    no chair has spoken yet, so a body that demands ("Sở GTVT Hà Nội yêu cầu các chủ đầu
    tư …") is the one the text is about, giving its own order."""
    # "yêu cầu", "chỉ đạo", "giao" are said only downwards; "đề nghị" may be a proposal
    demands = opening and bool(_SUPERIOR_VERB.match(view, prefix_end))
    lo = _window_start(view, prefix_end, OPTIONS.speaker_window_chars)
    prefix = view[lo:prefix_end]
    chunks = re.split(r"[,;:]", prefix)
    # the speaker is the noun phrase right before the verb: a few words at most
    speaker = " ".join(chunks[-1].split(" ")[-12:])
    fronted = False
    if _OWN_REPORT.fullmatch(speaker) and len(chunks) > 1:
        # "ông X, Phó Chủ tịch UBND tỉnh, cho biết ông đã yêu cầu …": the title before speaks
        speaker = chunks[-2]
    elif not speaker.strip() and len(chunks) > 1:
        # "Đại diện Sở Y tế, bà X, đề nghị …" — but not a topic: "Về kiến nghị …, giao …"
        previous = chunks[-2].strip()
        fronted = _fronted_topic(chunks)
        if not fronted:
            speaker = previous
    if chair_title and " ".join(chunks[-1].split()).startswith(chair_title):
        # "Chủ tịch UBND huyện đánh giá cao … và yêu cầu …": the announced chair opens the clause
        return True, True
    if (
        participant_in(speaker, framed=bool(_CHAIR_FRAME.match(view)))
        and not _head_commands(speaker, view, prefix_end)
        # "Ông Long giao chủ tịch UBND các huyện …": only a superior assigns work
        and not _ASSIGNS.match(view, prefix_end)
    ):
        return False, False
    # "Ngân hàng Chính sách xã hội chi nhánh tỉnh đề nghị …": a unit speaks.
    chunk_start = prefix_end - len(speaker)
    lead = _lead_end(view, chunk_start)
    speaking = find_unit_at(text, view, lead) if lead < prefix_end else None
    if (
        speaking is not None
        and speaking.end <= prefix_end
        and not _CHAIR_PERSON.match(view, speaking.start)  # "Chủ tịch UBND TP giao …"
    ):
        name = match_view(speaking.name)
        if (
            not _CHAIR_BODY.search(name)
            and "ubnd tỉnh" not in name
            and not _DIRECTS_BELOW.match(view, prefix_end)
            and not demands
        ):
            return False, False
    # "sở xây dựng đề nghị …", "bên hải quan đề xuất …": a unit right before the verb.
    tail = prefix.rstrip(" ,")
    tail_text = text[lo : lo + len(tail)]
    # The unit must end at the verb and no unit name is longer than this, so words further
    # back cannot start it: looking there made the check the drafter's hot spot.
    first = max(0, len(tail) - OPTIONS.speaker_unit_chars)
    for m in _WORD_START.finditer(tail, first):
        unit = find_unit_at(tail_text, tail, m.start())
        if unit is not None and re.fullmatch(
            r"\s*(?:thì|cũng|có\s+ý\s+kiến\s+là|là|,)?\s*", tail[unit.end :]
        ):
            name = match_view(unit.name)
            if _CHAIR_PERSON.match(tail, unit.start) or _HEADED_BY_CHAIR.search(
                tail, max(0, unit.start - 40), unit.start
            ):
                break  # "Chủ tịch UBND thành phố giao …": the head of the body speaks, the chair
            if fronted:
                break  # "Trên cơ sở ý kiến của Sở Tư pháp, yêu cầu …": the unit is in the basis
            if _DIRECTS_BELOW.match(view, prefix_end):
                break  # "Sở Nông nghiệp đề nghị UBND các huyện góp ý …": it directs those below
            if _SENT_TO.search(tail, 0, unit.start):
                break  # "… có văn bản gửi Ban Quản lý dự án X, đề nghị …": the addressee
            if demands:
                break  # "Sở GTVT Hà Nội yêu cầu các chủ đầu tư …", opening the text
            if not _CHAIR_BODY.search(name) and "ubnd tỉnh" not in name:
                return False, False
            break
    return True, _first_end(_CHAIR_PERSON, view) <= prefix_end


# An order verb, then the many units one level below the speaker: a department or district
# directing its own subordinates ("Sở … đề nghị UBND các huyện, thị xã tham gia góp ý",
# "UBND huyện yêu cầu các xã …", "Giám đốc Sở đề nghị các phòng chuyên môn …"), not a
# proposal to the chair.
_DIRECTS_BELOW = re.compile(
    r"(?:đề\s+nghị|yêu\s+cầu|giao|chỉ\s+đạo)\s+(?:(?:ubnd|ủy\s+ban\s+nhân\s+dân|chủ\s+tịch\s+ubnd)\s+)?"
    r"(?:các\s+(?:huyện|xã|phường|quận|thị\s+trấn|phòng|đơn\s+vị\s+trực\s+thuộc|trường)(?!\w)"
    # one room of a district or city: "UBND thành phố cũng đề nghị Phòng Quản lý đô thị …"
    r"|phòng\s+(?!chống|cháy|ngừa|tránh)\S)"
)


# The words before a unit that make it the addressee of a letter, not its writer.
_SENT_TO = re.compile(r"(?<!\w)(?:gửi|gởi)(?:\s+(?:tới|đến|cho))?\s*$")


# A word, not the end of one cut by the look-back ("(?<!\S)" sees before the start position).
_WORD_START = re.compile(r"(?<!\S)\S+")


# A leader reporting his own order: "…, cho biết ông đã yêu cầu …", "…, cho biết bà vừa giao …".
_OWN_REPORT = re.compile(r"\s*cho\s+biết\s+(?:ông|bà|đồng\s+chí)\s+(?:đã|vừa)\s*")


def _fronted_topic(chunks: list[str]) -> bool:
    """Whether the words before an order verb with no speaker of their own are a fronted
    topic, even one whose noun phrase holds commas:

    "Đối với những phản ánh, kiến nghị của cử tri, đề nghị Sở Xây dựng trả lời …",
    "Về các vướng mắc, kiến nghị của doanh nghiệp, yêu cầu Sở Công Thương …".

    Only the three pieces before the verb are looked at (a topic is short), and a person
    between the topic and the verb is the speaker.
    """
    for chunk in reversed(chunks[-4:-1]):
        words = chunk.strip()
        if _FRONTED.match(words):
            return True
        if _PERSON_CHUNK.match(words):
            return False  # "Về kinh phí, bà X, Giám đốc Sở Tài chính, đề nghị …": she speaks
    return False


# A piece that names a person by honorific or title: the speaker, not part of a topic.
_PERSON_CHUNK = re.compile(
    r"(?:ông|bà|đồng\s+chí|anh|chị|đại\s+diện|(?:phó\s+)?(?:giám\s+đốc|chủ\s+tịch|bí\s+thư"
    r"|trưởng\s+\S+|thủ\s+trưởng|cục\s+trưởng|chi\s+cục\s+trưởng|hiệu\s+trưởng))(?!\w)"
)


def _head_commands(speaker: str, view: str, verb_at: int) -> bool:
    """Whether the head of a body gives an order with a verb only a superior uses, so the
    speaker chairs though the title names a city or district body:

    "Chủ tịch UBND thành phố giao nhiệm vụ cho các sở …" (the city's own meeting),
    "Chủ tịch UBND huyện chỉ đạo các xã rà soát …".

    A proposal keeps the head a participant: "Chủ tịch UBND huyện đề nghị tỉnh hỗ trợ vốn."
    """
    return bool(_CHAIR_PERSON.match(speaker.strip()) and _SUPERIOR_VERB.match(view, verb_at))


_ASSIGNS = re.compile(r"giao(?!\w)")


# "yêu cầu", "chỉ đạo" and "giao" are said only downwards, while "đề nghị" from a participant or a
# department is often a proposal to the chair.
_SUPERIOR_VERB = re.compile(r"(?:giao|chỉ\s+đạo|yêu\s+cầu)(?!\w)")


# The chair's title right before a unit: the unit is the chair's own ("Chủ tịch UBND TP",
# "Chủ tịch Hội đồng nhân dân thành phố Cần Thơ yêu cầu …").
_HEADED_BY_CHAIR = re.compile(
    _CHAIR_PERSON.pattern
    + r"(?:\s+(?:hội\s+đồng\s+nhân\s+dân|hđnd|ủy\s+ban\s+nhân\s+dân|ubnd|ủy\s+ban))?\s*$"
)


# A fronted phrase (a topic, a basis, a purpose) before the order verb: the units it names
# do not speak. "Về kiến nghị của Sở Y tế, giao …", "Trên cơ sở ý kiến thẩm định của Sở Tư
# pháp, yêu cầu …", "Căn cứ đề xuất của Sở Tài chính, đề nghị …".
_FRONTED = re.compile(
    r"(?:về|đối\s+với|với|theo|sau\s+khi|trên\s+cơ\s+sở|để|tại|căn\s+cứ"
    r"|(?:các|những|mọi)\s+(?:kiến\s+nghị|đề\s+xuất|ý\s+kiến|vấn\s+đề|nội\s+dung|vướng\s+mắc))"
    r"(?!\w)"
)


_SPEAKS_SOON = re.compile(
    r"((?:\s+[^\s,.;:]+){0,3}?)\s+(?:đề\s+nghị|đề\s+xuất|kiến\s+nghị|cho\s+biết|báo\s+cáo\s+là"
    r"|nói\s+(?:là|rằng)|giải\s+thích|giải\s+trình|phản\s+ánh"
    r"|có\s+ý\s+kiến|cam\s+kết|xin\s+phép|trình\s+bày)(?!\w)"
)
