"""Conclusions and tasks from the sentences of a meeting.

The rules follow how Vietnamese administrative language assigns work:

* an explicit order: "giao X (chủ trì, phối hợp với Y) …", "yêu cầu X …", "đề nghị X …",
  "X được giao …", said by the chair or the issuing body (not by a participant);
* a unit as subject with a duty word: "X khẩn trương …", "X có trách nhiệm …", "X phải …";
* a unit as subject with an action verb, inside the chair's directions ("Sở Xây dựng làm
  đầu mối …", "sở công thương thì phối hợp với sở tài chính theo dõi …");
* a following sentence without a subject that adds an action carries the last subject
  over ("rồi thành lập các tổ kiểm tra …"); one that only spells the order out ("Trong đó,
  trước mắt …") or only adds a deadline ("Thời hạn …: trước ngày 23/5/2019", "cái tổng kết
  này là trong tháng một phải xong") joins the task before it.

Who speaks is read from the sentence's structure: the chair's act fronted ("Kết luận cuộc
họp, đồng chí X, Giám đốc Sở đề nghị …") or the chair the text announced ("… do đồng chí X,
Chủ tịch UBND huyện chủ trì") makes the person named the chair whatever the title; the
addressee of a letter ("… gửi Ban Quản lý dự án X, đề nghị …") is asked, not asking; and a
unit's order to the many units below it ("Sở … đề nghị UBND các huyện …") is an order.

Not tasks: facts ("… đã ban hành"), what a participant proposes or promises ("Phó Giám đốc
Sở Y tế đề nghị …", "Theo …, Sở sẽ …"), summaries of a plan issued earlier ("Theo Kế
hoạch, …"), and empty closing formulas ("đề nghị các đồng chí khẩn trương triển khai").

The analysis is a small state machine over the sentences: *where* a sentence sits (the
chair's directions, a plan summary, a participant's turn) decides how much a bare
"unit + verb" sentence counts.

Where things are:

* ``zones``: where a sentence sits; ``speakers``: who speaks before an order verb;
* ``clauses``: a sentence cut where a new unit takes over;
* ``orders``: the task rules (``_explicit_order``, ``_unit_as_subject``, ``_elaboration``,
  ``_carried_subject``), each with the sentences it is for in its docstring;
* ``deadline_sentences``: a sentence that only gives the last task's deadline;
* ``actions``: the action phrase; ``conclusions``: the chair's conclusions;
* ``state`` and ``scan``: what is remembered between sentences, cursor helpers.

Word lists are data files in ``minutes/words/`` (compiled by ``minutes.vocabulary``), unit
names are recognised by ``minutes.units`` alone, and every threshold is in
``minutes.options.OPTIONS``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from minutes.deadlines import parse_deadline
from minutes.extract.clauses import _clauses
from minutes.extract.conclusions import (
    _assessing_verb_at,
    _chair_assesses,
    _conclusion,
    _points,
)
from minutes.extract.deadline_sentences import (
    _adds_deadline_to_last_task,
    _another_part_with_its_deadline,
)
from minutes.extract.orders import UNNAMED_ASSIGNEE, _clause
from minutes.extract.scan import _lead_end, _shifted
from minutes.extract.state import Step, Zone, _Draft, _State
from minutes.extract.zones import _update_zone
from minutes.model import Conclusion, Task
from minutes.options import OPTIONS
from minutes.segment import Sentence
from minutes.text import key, match_view
from minutes.units import find_unit_at
from minutes.vocabulary import _BULLET, _CONTINUING

__all__ = ["Step", "extract"]


def extract(
    sentences: Sequence[Sentence],
    *,
    meeting_date: date | None,
    known_units: Sequence[str] = (),
    trace: list[Step] | None = None,
) -> tuple[tuple[Conclusion, ...], tuple[Task, ...]]:
    """The conclusions and tasks of a meeting, from its sentences in order.

    With ``trace``, a :class:`Step` per sentence is appended to it (``--explain``).
    """
    reference = meeting_date or date(2000, 1, 1)
    state = _State(trace=trace)
    if sentences and sentences[0].spoken:
        state.zone = Zone.NEUTRAL
    for sentence in sentences:
        _sentence(state, sentence, reference, meeting_date, known_units)
    tasks = tuple(_finish(d, meeting_date) for d in _without_repeats(state.tasks))
    if not state.conclusions and state.headline is not None:
        gist = _headline_gist(state.headline)
        if gist is not None:
            state.conclusions.append(gist)
    points = [point for conclusion in state.conclusions for point in _points(conclusion)]
    return _distinct(points, tasks), tasks


def _without_repeats(drafts: list[_Draft]) -> list[_Draft]:
    """One task for an order a page states twice: the same unit, the same deadline and (nearly)
    the same words ("Đề nghị Sở X khẩn trương …" in the lead and again in the body, or a
    sentence repeated under a photo). The first keeps its place.

    Only the last few tasks of the same unit and deadline are compared, so a long transcript
    stays linear.
    """
    kept: list[_Draft] = []
    seen: dict[tuple[tuple[str, ...], date | None], list[set[str]]] = {}
    drafts = _without_unnamed_restated(drafts)
    for draft in drafts:
        words = set(key(draft.action).split())
        earlier = seen.setdefault((tuple(draft.assignees), draft.deadline.date), [])
        if any(_overlap(words, other) >= OPTIONS.repeat_overlap for other in earlier[-20:]):
            continue
        earlier.append(words)
        kept.append(draft)
    return kept


def _without_unnamed_restated(drafts: list[_Draft]) -> list[_Draft]:
    """A lead that gives an order without naming a unit ("Lãnh đạo UBND tỉnh yêu cầu xử lý
    nghiêm việc xây dựng tự phát …"), restated below with its unit ("… yêu cầu UBND huyện Tuy
    An phối hợp kiểm tra, xử lý nghiêm các vi phạm về xây dựng …"): one task, the named one.
    Only the neighbouring tasks are compared, so a long transcript stays linear."""
    window = 20
    words = [set(key(d.action).split()) for d in drafts]
    kept = []
    for i, draft in enumerate(drafts):
        if draft.implicit and draft.assignees == [UNNAMED_ASSIGNEE]:
            near = range(max(0, i - window), min(len(drafts), i + window + 1))
            if any(
                j != i
                and drafts[j].assignees != [UNNAMED_ASSIGNEE]
                and _overlap(words[i], words[j]) >= OPTIONS.repeat_overlap
                for j in near
            ):
                continue
        kept.append(draft)
    return kept


def _distinct(conclusions: list[Conclusion], tasks: tuple[Task, ...]) -> tuple[Conclusion, ...]:
    """Each conclusion once, and none that only repeats a task's sentence."""
    task_sentences = {key(t.evidence) for t in tasks}
    seen: set[str] = set()
    kept: list[Conclusion] = []
    for conclusion in conclusions:
        words = key(conclusion.text)
        # a conclusion that is a task's whole sentence again; one clause of it ("…, đồng thời
        # đồng ý …") is its own conclusion
        whole = len(conclusion.text) > len(conclusion.evidence) * 0.6
        if words in seen or (whole and key(conclusion.evidence) in task_sentences):
            continue
        seen.add(words)
        kept.append(conclusion)
    return tuple(kept)


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


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
    state.fired.clear()
    state.reasons.clear()
    outcome = _read(state, sentence, reference, meeting_date, known)
    if state.trace is not None:
        reasons = tuple(dict.fromkeys(state.reasons)) if outcome == "none" else ()
        state.trace.append(
            Step(
                sentence.index,
                sentence.text,
                state.zone.value,
                outcome,
                tuple(state.fired),
                reasons,
            )
        )


def _headline_gist(headline: Sentence) -> Conclusion | None:
    """The title of a written text as its one conclusion, when the body states none: a
    directive's title says what it is for ("Hòa Sơn tập trung giải phóng mặt bằng đường ven
    biển", "Công bố tình trạng khẩn cấp sạt lở bờ sông tại xã Tân An"). The place before a
    colon ("Hòa Sơn: …") is dropped. A title that says what the text is rather than what it
    decides is left out (:func:`_names_no_gist`), and so is one that only names an order
    ("Yêu cầu …", "Khẩn trương …"), a question or a figure.
    """
    text = re.sub(r"^[^:]{1,40}:\s*", "", headline.text.strip())
    view = match_view(text)
    if (
        len(text.split()) < OPTIONS.conclusion_min_words
        or _TRIGGER_AT_START.match(view)
        or text.endswith("?")
        or any(ch.isdigit() for ch in text)
        or _names_no_gist(text, view)
    ):
        return None
    return Conclusion(text[:1].upper() + text[1:], headline.text, headline.start, headline.end)


def _names_no_gist(text: str, view: str) -> bool:
    """A title that names the text, not what it decides: the letterhead ("VĂN PHÒNG CHÍNH
    PHỦ | CỘNG HÒA …"), a document's label ("Thông báo của Bí thư …", "Về việc góp ý dự thảo
    …"), the issuing body alone ("Bộ Tài nguyên và Môi trường") or giving an order ("UBND
    tỉnh X giao nhiệm vụ …"), or the meeting as an event ("UBND tỉnh Tiền Giang họp thường
    niên", "Thường trực Huyện ủy cho ý kiến vào Kế hoạch …") unless
    it also says what was agreed or required ("Hội nghị thống nhất …", "Đừng để lần nào họp
    HĐND cũng kiến nghị vấn đề cũ")."""
    letters = [ch for ch in text if ch.isalpha()]
    if "|" in text or (letters and sum(ch.isupper() for ch in letters) * 2 > len(letters)):
        return True
    if _DOCUMENT_LABEL.match(view):
        return True
    unit = find_unit_at(text, view, 0)
    if unit is not None and _TRIGGER_AT_START.match(view[unit.end :].lstrip()):
        # "UBND tỉnh Yên Bái giao nhiệm vụ kiểm tra …": an order restated, the issuer first
        return True
    if unit is not None and all(
        w[:1].isupper() or w in _PLACE_LEVELS for w in text[unit.end :].strip(" .").split()
    ):
        # "Sở Giao thông vận tải tỉnh Hòa Sơn": the body and its place, nothing said
        return True
    return bool(_MEETING_EVENT.search(view)) and not (
        _chair_assesses(view) or _REQUIREMENT.search(view)
    )


_DOCUMENT_LABEL = re.compile(
    r"(?:thông\s+báo|về\s+việc|v/v|công\s+văn|quyết\s+định|kế\s+hoạch|chỉ\s+thị|tờ\s+trình"
    r"|báo\s+cáo|giấy\s+mời)(?!\w)"
)
_PLACE_LEVELS = frozenset(("tỉnh", "thành", "phố", "huyện", "quận", "thị", "xã", "phường"))
_REQUIREMENT = re.compile(r"(?<!\w)(?:đừng|không\s+để|phải|cần)(?!\w)")
_MEETING_EVENT = re.compile(
    r"(?<!\w)(?:họp|hội\s+nghị|giao\s+ban|làm\s+việc\s+với|cho\s+ý\s+kiến|thảo\s+luận)(?!\w)"
)


_TRIGGER_AT_START = re.compile(r"(?:yêu\s+cầu|giao|đề\s+nghị|chỉ\s+đạo|khẩn\s+trương)(?!\w)")


def _agreement_after_task(sentence: Sentence, text: str) -> Conclusion | None:
    """An agreement joined to an order in one sentence is also a conclusion:

    "… có ý kiến để UBND tỉnh X chủ động bố trí vốn, đồng thời đồng ý về nguyên tắc để UBND
    tỉnh X làm chủ đầu tư.", "Giao Sở Y tế …; đồng thời thống nhất lùi hạn nộp hồ sơ."
    """
    m = _JOINED_AGREEMENT.search(match_view(text))
    if m is None:
        return None
    clause = text[m.start("what") :].strip(" .;,")
    if len(clause.split()) < OPTIONS.conclusion_min_words:
        return None
    return Conclusion(clause[:1].upper() + clause[1:], text, sentence.start, sentence.end)


def _assessment_before_task(sentence: Sentence, text: str) -> Conclusion | None:
    """The chair's assessment that opens a sentence whose order follows is also a conclusion:
    "Chủ tịch UBND huyện đánh giá cao tinh thần trách nhiệm của các phòng, đồng thời yêu cầu
    Văn phòng …" → "Đánh giá cao tinh thần trách nhiệm của các phòng"."""
    view = match_view(text)
    verb_at = _assessing_verb_at(view, 0)
    if verb_at is None:
        return None
    order = _THEN_ORDER.search(view, verb_at)
    if order is None:
        return None
    clause = text[verb_at : order.start()].strip(" .;,")
    if len(clause.split()) < OPTIONS.conclusion_min_words:
        return None
    return Conclusion(clause[:1].upper() + clause[1:], text, sentence.start, sentence.end)


# the order that follows an assessment in one sentence: ", đồng thời yêu cầu …", "và đề nghị …"
# (the words between never hold a second assessment: ", đồng thời chỉ rõ những hạn chế … và
# yêu cầu …" keeps "chỉ rõ …" as a point of its own)
_THEN_ORDER = re.compile(
    r"\s*(?:,\s*)?(?:(?:đồng\s+thời|và)\s+)+"
    r"(?:(?!chỉ\s+rõ|chỉ\s+ra|phê\s+bình|ghi\s+nhận|biểu\s+dương|lưu\s+ý)\S+\s+){0,12}?"
    r"(?:yêu\s+cầu|đề\s+nghị|giao|chỉ\s+đạo)(?!\w)"
)


_JOINED_AGREEMENT = re.compile(
    r"(?:[,;]\s*(?:và\s+)?đồng\s+thời\s+"
    # after a bare ";" the chair's own agreement ("…; thống nhất hằng tháng họp Ban Chỉ đạo
    # một lần …"), not a part of the order ("…; thống nhất với Bộ Giao thông vận tải …")
    r"|;\s*(?=\S+\s+\S+\s+(?!với(?!\w))))"
    r"(?P<what>(?:đồng\s+ý|thống\s+nhất|chấp\s+thuận)(?!\w))"
)


def _agreement_before_order(sentence: Sentence, text: str) -> Conclusion | None:
    """An agreement fronted to the order it leads to is a conclusion of its own: "Sau khi
    thống nhất với dự thảo kế hoạch triển khai, Phó Chủ tịch … chỉ đạo …" → "Thống nhất với
    dự thảo kế hoạch triển khai"."""
    m = _FRONTED_AGREEMENT.match(match_view(text))
    if m is None:
        return None
    clause = text[m.start("what") : m.end("what")].strip(" ,")
    if len(clause.split()) < OPTIONS.conclusion_min_words:
        return None
    return Conclusion(clause[:1].upper() + clause[1:], text, sentence.start, sentence.end)


_FRONTED_AGREEMENT = re.compile(
    r"\s*(?:sau\s+khi|trên\s+cơ\s+sở)\s+(?:cơ\s+bản\s+)?"
    r"(?P<what>(?:thống\s+nhất|nhất\s+trí|đồng\s+ý|thông\s+qua)(?!\w)[^,;.:]{3,200}),"
)


def _target_joined(sentence: Sentence, text: str) -> Conclusion | None:
    """A general target joined to an order is a conclusion too: "… chỉ đạo khẩn trương hoàn
    tất các thủ tục pháp lý, phấn đấu để dự án được khởi động vào cuối năm 2021." →
    "Phấn đấu để dự án được khởi động vào cuối năm 2021"."""
    m = _JOINED_TARGET.search(match_view(text))
    if m is None:
        return None
    clause = text[m.start("what") :].strip(" .;,")
    clause = re.split(r"[.;]", clause, maxsplit=1)[0].strip(" ,")
    if len(clause.split()) < OPTIONS.conclusion_min_words:
        return None
    return Conclusion(clause[:1].upper() + clause[1:], text, sentence.start, sentence.end)


_JOINED_TARGET = re.compile(r"[,;]\s*(?:và\s+)?(?P<what>phấn\s+đấu|mục\s+tiêu\s+là)(?!\w)")


# A photo's caption: "… ở các cảng hàng không (Ảnh minh họa)", "Ảnh: PV".
_PHOTO_CAPTION = re.compile(r"\((?:Ảnh|ảnh|Nguồn ảnh)\b[^)]*\)\s*\.?\s*$|^\s*Ảnh\s*:")


def _is_headline(sentence: Sentence) -> bool:
    """The title of a written article: the first line, short, with no closing mark
    ("Quảng Bình khẩn trương sửa chữa cầu treo sau bão", "Yêu cầu các huyện rà soát hộ
    nghèo"). The body says the same order again, with its context."""
    words = sentence.text.split()
    return (
        not sentence.spoken
        and sentence.paragraph == 0
        and sentence.first_in_paragraph
        and len(words) <= OPTIONS.headline_max_words
        and not sentence.text.rstrip().endswith((".", "!", "?", "…", ":", ";"))
    )


def _read(
    state: _State,
    sentence: Sentence,
    reference: date,
    meeting_date: date | None,
    known: Sequence[str],
) -> str:
    """Read one sentence into the state; say what it gave: task, deadline, conclusion, none."""
    text = sentence.text
    if _is_headline(sentence):
        state.headline = sentence
        state.reasons.append("tiêu đề bài viết: nhắc lại nội dung bên dưới")
        return "none"
    if _PHOTO_CAPTION.search(text):
        state.reasons.append("chú thích ảnh: nhắc lại nội dung bài")
        return "none"
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
        agreed = _agreement_after_task(sentence, text) or _assessment_before_task(sentence, text)
        for found in (
            _agreement_before_order(sentence, text),
            agreed,
            _target_joined(sentence, text),
        ):
            if found is not None:
                state.conclusions.append(found)
        if state.zone is Zone.NEUTRAL:
            # the chair has begun giving directions: "anh em ở các huyện thì phải …"
            state.zone = Zone.DIRECTIVE
            state.directive_seen = True
        return "task"
    if _adds_deadline_to_last_task(state, sentence, view, deadline):
        return "deadline"
    if _another_part_with_its_deadline(state, sentence, text, view, deadline):
        return "task"
    conclusion = _conclusion(state, sentence, text, view, lead, deadline)
    if conclusion is not None:
        state.conclusions.append(conclusion)
        return "conclusion"
    return "none"
