"""The task rules: an explicit order, a unit as the subject, the last subject carried
over. Each rule is a function whose docstring shows the sentences it is for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from minutes.deadlines import DeadlineResult, find_deadlines, parse_deadline
from minutes.extract.actions import _action, _action_start, _cooperating, _is_empty_formula
from minutes.extract.scan import _has_words, _lead_end, _plain_end, _skip_deadline, _strong_words
from minutes.extract.speakers import (
    _DIRECTS_BELOW,
    _SPEAKS_SOON,
    _SUPERIOR_VERB,
    _speaker_allows,
)
from minutes.extract.state import Zone, _Draft, _is_generic, _names, _State
from minutes.options import OPTIONS
from minutes.segment import Sentence
from minutes.text import match_view
from minutes.units import (
    _BARE_LEVEL,
    _HEADED_UNIT,
    UnitMatch,
    _bare_headed_unit,
    _descriptive_tail,
    _tidy,
    find_head_alone,
    find_place,
    find_unit_at,
    parse_unit_list,
)
from minutes.vocabulary import (
    _BULLET,
    _CHAIR_BODY,
    _CHAIR_PERSON,
    _ENUMERATOR,
    _FUNCTION_WORD,
    _NOT_TRIGGER_AFTER,
    _NOT_TRIGGER_BEFORE,
    _REPORT_VERB,
    _SELF,
    _SKIP_RE,
    _STRONG_DUTY,
    _TRIGGER_RE,
    _VERB_RE,
    _WILL,
    alternation,
    word_list,
)

_ADMONITION = re.compile(r"(?<!\w)(?:không\s+để|tránh|tuyệt\s+đối\s+không)(?!\w)")


_NOMINAL_SUBJECT = re.compile(r"\S\s+(?:phải|cần)\s+(?:có|là|được|rõ|mang|bảo\s+đảm|đảm\s+bảo|phù)")


# The assignee of an order that names no unit ("Chủ tịch yêu cầu xử lý nghiêm …")
UNNAMED_ASSIGNEE = "Các đơn vị liên quan"

_DONE_BEFORE = re.compile(r"(?:đã|vừa)\s*$")


@dataclass(frozen=True, slots=True)
class _Clause:
    """The clause ``text[a:b]`` of ``sentence`` that each task rule reads: ``view`` is its
    matching form, ``lead`` where its words start, ``deadline`` the one found in it;
    ``meeting_date`` and ``known`` resolve the names of units."""

    sentence: Sentence
    text: str
    view: str
    a: int
    b: int
    lead: int
    deadline: DeadlineResult
    meeting_date: date | None
    known: Sequence[str]


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
        return state.why("thuộc phần bối cảnh hoặc lời của đại biểu, không phải chỉ đạo")

    clause = _Clause(sentence, text, view, a, b, lead, deadline, meeting_date, known)
    for name, rule in RULES:
        before = len(state.tasks)
        made = rule(state, clause)
        if made is None:
            continue
        if made and len(state.tasks) > before:
            state.fired.append(f"{name}: {'; '.join(state.tasks[-1].assignees)}")
        elif made and name == "elaboration":
            state.fired.append(
                f"{name}: gộp vào nhiệm vụ của {'; '.join(state.tasks[-1].assignees)}"
            )
        elif made:
            state.fired.append(f"{name}: gộp vào nhiệm vụ trước (thêm thời hạn)")
        return made
    return 0


def _explicit_order(state: _State, c: _Clause) -> int | None:
    """Rule 1, an order by a trigger verb, with the unit after it:

    "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát …",
    "Chủ tịch UBND tỉnh yêu cầu UBND các huyện khẩn trương …",
    "tôi đề nghị anh em bên sở y tế kiểm tra lại …", or without a unit, carrying the last
    subject over ("Yêu cầu hoàn chỉnh, gửi Văn phòng … trước ngày 24/5").

    The number of tasks made, or None when no trigger decides and the next rules try.
    """
    sentence, text, view, a, b, lead = c.sentence, c.text, c.view, c.a, c.b, c.lead
    deadline, meeting_date, known = c.deadline, c.meeting_date, c.known
    for m in _TRIGGER_RE.finditer(view, a, b):
        before_at = max(a, m.start() - OPTIONS.trigger_lookback_chars)
        not_before = _NOT_TRIGGER_BEFORE.search(view, before_at, m.start())
        if not_before and _CHAIR_DID.search(view, before_at, m.start()):
            not_before = None  # "Chủ tịch UBND tỉnh đã chỉ đạo huyện X …": reported, still an order
        if not_before or _NOT_TRIGGER_AFTER.match(view, m.end()):
            continue
        if m.group("trig").startswith("chỉ") and _DIRECTING_IS_THE_ACTION.search(
            view, before_at, m.start()
        ):
            # "các quận huyện thì tập trung chỉ đạo ban quản lý dự án …", "anh liêm chủ trì,
            # chỉ đạo các đơn vị trực thuộc …": directing is what the subject must do
            continue
        if _PLAN_SUBJECT.match(view, lead) and _WILL_BEFORE.search(view, lead, m.start()):
            # "Theo đó, kế hoạch của UBND thành phố sẽ … giao nhiệm vụ cho từng cơ quan": what
            # a plan will do, summarised, not an order given here
            return state.why("kế hoạch, đề án sẽ giao việc: tóm tắt văn bản, không phải chỉ đạo")
        opening = state.zone is Zone.NEUTRAL and not state.directive_seen
        allowed, chair_person = _speaker_allows(
            text, view, m.start(), state.chair_title, opening=opening
        )
        if not allowed:
            state.reasons.append(
                "người nói trước động từ giao việc là đại biểu hoặc một đơn vị (đề xuất, "
                "không phải chỉ đạo)"
            )
            return None
        if _directs_its_own(state, sentence, view, lead, m):
            # "1. Sở Nông nghiệp … chủ trì …. Chỉ đạo Chi cục Thú y cung ứng …": the unit of
            # the order just before directs its own subordinate
            return _add_carried(state, c, m.start())
        pos = _lead_end(view, m.end())
        pos = _skip_deadline(view, pos, deadline)
        pos = re.match(r"(?:\s*(?:cho|là|,|:|đối\s+với))*\s*", view[pos:]).end() + pos  # type: ignore[union-attr]
        fronted_at, pos = pos, _after_fronted_time(text, view, pos, b)
        if pos > fronted_at:
            # "đề nghị trong năm 2025, Sở Y tế …": the fronted time is the order's deadline
            fronted_deadline = parse_deadline(
                text[fronted_at:pos], reference=meeting_date or date(2000, 1, 1)
            )
            if fronted_deadline.found:
                c = replace(c, deadline=_shift(fronted_deadline, fronted_at))
                deadline = c.deadline
        units, end = parse_unit_list(text, view, pos)
        if units and units[-1].group:
            units[-1], end = _with_descriptive_words(text, view, units[-1], b)
        if not units:
            person = _person_by_title(text, view, pos, b)
            if person is not None:
                units, end = [person], person.end
        if not units:
            whole = _WHOLE_BODY.match(view, pos, b)
            if whole is not None:
                surface = text[pos : whole.end()]
                units, end = (
                    [UnitMatch(pos, whole.end(), surface, _tidy(surface), True)],
                    whole.end(),
                )
        if not units:
            headed = _headed_unit(text, view, pos, b)
            if headed is not None:
                units, end = [headed], headed.end
        if not units:
            bare = (
                _bare_headed_unit(text, view, pos, b)
                or find_place(text, view, pos, b)
                or find_head_alone(text, pos, b)
            )
            if bare is not None:
                units, end = [bare], bare.end
        if units and _is_generic(units):
            return state.why(
                'công thức chung không nêu đơn vị ("đề nghị các đồng chí …")'
            )  # "đề nghị các đồng chí khẩn trương triển khai": a closing formula
        colon = view.find(":", end, b)
        if units and colon >= 0 and not view[colon + 1 : b].strip() and m.start() - lead < 4:
            tail = view[end:colon]
            if _LIST_ANNOUNCED.search(tail):
                # "Yêu cầu UBND tỉnh chỉ đạo các ngành … làm tốt một số việc sau:": the items
                # below are the tasks of the units named here
                state.last_subject = _names(units[:1], meeting_date, known)
                state.last_subject_at, state.heading = sentence.index, True
                return state.why("câu dẫn một danh sách việc; các dòng dưới là nhiệm vụ của đơn vị")
            if not _VERB_RE.search(tail) and len(tail.split()) <= 6:
                # "Yêu cầu Công ty Cổ phần Môi trường đô thị:": a heading over the items below
                if tail.strip():
                    names = [_tidy(text[units[-1].start : colon])]
                else:
                    names = _names(units, meeting_date, known)
                state.last_subject, state.last_subject_at = names, sentence.index
                state.heading = True
                return state.why(
                    "tiêu đề của các mục bên dưới; đơn vị được ghi nhớ cho các câu sau"
                )
        if units:
            after = _SKIP_RE.match(view, end)
            act_start = after.end() if after else end
            if not _has_words(view, act_start, b, 2):
                continue
            announced = bool(state.chair_title) and view.startswith(state.chair_title, lead)
            if view[lead : m.start()].strip() and not m.start() - lead < 4 and not announced:
                # the subject of the sentence is someone else than the chair
                subj = find_unit_at(text, view, lead)
                if subj is not None and view.startswith(":", subj.end):
                    subj = None  # "UBND xã X: Với các hạng mục …, yêu cầu …": a heading, the topic
                if (
                    subj is not None
                    and not _CHAIR_BODY.search(match_view(subj.name))
                    and not _subject_gives_the_order(subj, view, lead, m.start(), opening)
                ):
                    state.reasons.append("câu có chủ ngữ khác cơ quan chủ trì")
                    return None
            names = (state.central_chair and _named_provinces(units)) or _names(
                units, meeting_date, known
            )
            return _add(state, c, names, act_start)
        if m.group("trig").startswith("lưu"):
            continue  # "lưu ý" orders only a unit it names
        # No unit named: "… chỉ đạo khẩn trương hoàn tất …", "yêu cầu là cuối tháng này …"
        after = _SKIP_RE.match(view, pos)
        verb_at = after.end() if after else pos
        verb_at = _skip_deadline(view, verb_at, deadline)
        verb_at = _SKIP_RE.match(view, verb_at).end()  # type: ignore[union-attr]
        if not _VERB_RE.match(view, verb_at) or not _has_words(view, verb_at, b, 3):
            state.reasons.append(f"sau “{m.group('trig')}” không có đơn vị hay việc cụ thể")
            continue
        if _DONE_BEFORE.search(view, before_at, m.start()) and not _CHAIR_DID.search(
            view, before_at, m.start()
        ):
            return state.why('việc đã làm ("đã/vừa" trước động từ giao việc)')
        if _merge_finishing(state, sentence, view, verb_at, deadline):
            return 1
        addressee = _addressee_before(text, view, lead, m.start())
        if addressee is not None:
            # "UBND xã có văn bản gửi Ban Quản lý dự án X, đề nghị chỉ đạo nhà thầu …"
            names = _names([addressee], meeting_date, known)
            return _add(state, c, names, verb_at)
        own = find_unit_at(text, view, lead) if m.start() > lead else None
        if (
            own is not None
            and own.end <= m.start()
            and not _CHAIR_BODY.search(match_view(own.name))
            and not _CHAIR_PERSON.match(view, lead)
        ):
            state.reasons.append("câu đã có đơn vị làm chủ ngữ riêng")
            return None  # "Sở X hướng dẫn …; chỉ đạo vận hành …": the sentence has its own subject
        if (
            state.last_subject
            and sentence.index - state.last_subject_at <= OPTIONS.carry_subject_sentences
        ):
            return _add_carried(state, c, verb_at)
        if chair_person and m.group("trig").startswith(("chỉ", "yêu")):
            return _add(
                state,
                c,
                [UNNAMED_ASSIGNEE],
                verb_at,
                implicit=True,
            )
        return state.why("lệnh không nêu đơn vị và không có đơn vị trước đó để kế thừa")
    return None


def _subject_gives_the_order(
    subj: UnitMatch, view: str, lead: int, verb_at: int, opening: bool
) -> bool:
    """Whether a sentence's subject, said right before the order verb, is the one giving the
    order rather than another body than the chair's."""
    if not _RIGHT_BEFORE.fullmatch(view, subj.end, verb_at):
        return False
    return bool(
        # "Chủ tịch UBND thành phố yêu cầu …": the head of the body speaks
        _CHAIR_PERSON.match(view, lead)
        # "Sở GTVT Hà Nội yêu cầu các chủ đầu tư …" before any direction of a chair: the body
        # the text is about gives the order. Inside a chair's directions, "Ban QLDA yêu cầu nhà
        # thầu …" is the Ban's own task.
        or (opening and _SUPERIOR_VERB.match(view, verb_at))
        # "UBND thành phố cũng đề nghị Phòng Quản lý đô thị …": one People's Committee to its
        # own room ("UBND các huyện chỉ đạo các xã …" is theirs)
        or (re.match(r"UBND (?!các|cấp)", subj.name) and _DIRECTS_BELOW.match(view, verb_at))
        # "Tổng cục Quản lý thị trường yêu cầu Cục Quản lý thị trường các tỉnh …": one body
        # demanding of the many below it
        or (not subj.group and _DEMANDS_OF_MANY.match(view, verb_at))
    )


# "yêu cầu" and then many bodies, by "các" or in each place ("Cục … các tỉnh, thành phố").
_DEMANDS_OF_MANY = re.compile(
    r"yêu\s+cầu\s+(?:các\s|(?:[^\s,.;:]+\s+){1,6}các\s+(?:tỉnh|huyện|xã))"
)


# Words right before "chỉ đạo" that make directing the subject's own action.
_DIRECTING_IS_THE_ACTION = re.compile(
    r"(?<!\w)(?:tập\s+trung|chủ\s+trì\s*,|tiếp\s+tục|phải|cần|khẩn\s+trương|trực\s+tiếp"
    r"|thì|có\s+trách\s+nhiệm)\s*$"
)


# A document as the subject of the sentence, and its future tense.
_PLAN_SUBJECT = re.compile(r"(?:kế\s+hoạch|đề\s+án|chương\s+trình|dự\s+thảo|phương\s+án)(?!\w)")
_WILL_BEFORE = re.compile(r"(?<!\w)sẽ(?!\w)")


# Between a subject and the order verb it says: nothing but a time word ("… đã yêu cầu").
_RIGHT_BEFORE = re.compile(r"\s*(?:(?:cũng|đã|vừa)\s+)*")


_HEAD_ASKS = re.compile(r"(?:yêu\s+cầu|đề\s+nghị|giao)(?!\w)")
# What a head does at the meeting, never a task of its own: "Chủ tịch UBND huyện kết luận …".
_HEAD_SPEAKS = re.compile(rf"{alternation(word_list('chair_acts'), longest_first=True)}(?!\w)")


def _headed_unit(text: str, view: str, pos: int, b: int) -> UnitMatch | None:
    """A group named by its head word and a few words, none of them a verb, before its action
    ("các đơn vị trực thuộc …", "Ban Quản lý dự án …"); None when none starts at ``pos``."""
    headed = _HEADED_UNIT.match(view, pos, b)
    if headed is None or _VERB_RE.search(headed.group("words")):
        return None
    h_end = pos + len(headed.group("unit"))
    surface = text[pos:h_end]
    return UnitMatch(pos, h_end, surface, _tidy(surface), True)


def _person_by_title(text: str, view: str, pos: int, b: int) -> UnitMatch | None:
    """A person given the order by name and title, or by the title of a body's head:

    "giao ông Trần Văn Nam, Phó Chủ tịch UBND tỉnh, chỉ đạo các sở …",
    "đề nghị Chủ tịch UBND huyện Đông Hải có văn bản chỉ đạo …",
    "yêu cầu Giám đốc Sở Y tế báo cáo …" stays "Sở Y tế" (the unit list reads it first).

    The name is the words as written, so the clerk sees who was named.
    """
    named = _NAMED_PERSON.match(text, pos, b)
    if named is not None:
        surface = named.group("person")
        return UnitMatch(pos, pos + len(surface), surface, _tidy(surface))
    title = _HEAD_TITLE.match(view, pos, b)
    if title is None:
        return None
    units, end = parse_unit_list(text, view, title.end())
    if len(units) != 1 or units[0].start != title.end():
        return None
    surface = text[pos:end]
    return UnitMatch(pos, end, surface, _tidy(surface))


# "ông Trần Văn Nam, Phó Chủ tịch UBND tỉnh," — an honorific, a capitalised name, a title
# between commas.
_NAMED_PERSON = re.compile(
    r"(?P<person>(?:ông|bà|Ông|Bà)\s+(?:[A-ZĐ]\w*\s+){1,4}?[A-ZĐ]\w*\s*,\s*"
    r"(?:Phó\s+)?(?:Chủ\s+tịch|Bí\s+thư|Giám\s+đốc|Trưởng\s+ban)[^,.;:]{0,60})\s*,"
)


# The head of a body as the one given the order: "Chủ tịch UBND huyện X", "Phó Chủ tịch …".
_HEAD_TITLE = re.compile(r"(?:phó\s+)?chủ\s+tịch\s+(?=ubnd|ủy\s+ban|uỷ\s+ban)")


def _after_fronted_time(text: str, view: str, pos: int, b: int) -> int:
    """Past a time or occasion put between the order verb and its assignee, when an assignee
    follows it:

    "đề nghị trong năm tới, Sở Y tế tập trung …",
    "yêu cầu ngay sau hội nghị, cả hệ thống chính trị huyện quán triệt …".

    Otherwise ``pos`` itself: "yêu cầu trong tháng 6 hoàn thành …" keeps its words.
    """
    fronted = _FRONTED_TIME.match(view, pos, b)
    if fronted is None:
        return pos
    at = fronted.end()
    named = (
        parse_unit_list(text, view, at)[0]
        or _WHOLE_BODY.match(view, at, b)
        or find_head_alone(text, at, b)
        or _HEADED_UNIT.match(view, at, b)
    )
    return at if named else pos


_FRONTED_TIME = re.compile(
    r"(?:ngay\s+)?(?:trong|sau|từ|trước|đến|thời\s+gian\s+tới|sắp\s+tới|năm\s+tới)"
    r"(?:\s+[^\s,.;:]+){0,6}\s*,\s*"
    # a basis: "đề nghị, trên cơ sở các ý kiến góp ý tại cuộc họp, phòng VHTT tiếp thu …"
    r"|(?:,\s*)?(?:trên\s+cơ\s+sở|căn\s+cứ|theo|đối\s+với|về)(?:\s+[^\s,.;:]+){1,12}\s*,\s*"
)


# A whole body addressed as one assignee: "cả hệ thống chính trị tỉnh", "toàn ngành y tế".
_WHOLE_BODY = re.compile(
    r"(?:cả|toàn\s+bộ)\s+hệ\s+thống\s+chính\s+trị"
    r"(?:\s+(?:tỉnh|thành\s+phố|huyện|thị\s+xã|xã|phường))?"
    r"|toàn\s+ngành(?:\s+(?!(?:tiếp|tập|khẩn|phải|cần|triển|thực|quán)(?!\w))[^\s,.;:]+){0,2}"
    r"(?=\s+(?:tiếp\s+tục|tập\s+trung|khẩn\s+trương|phải|cần|triển\s+khai|thực\s+hiện|quán\s+triệt))"
)


def _another_named_person(state: _State, c: _Clause) -> int | None:
    """Rule 0, the next leader in a list of leaders given work by name: after "giao ông A,
    Phó Chủ tịch UBND tỉnh, chỉ đạo …", a sentence that opens with another named leader and
    his duty is his task, not an order he gives:

    "Giao ông Trần Văn Nam, Phó Chủ tịch UBND tỉnh, chỉ đạo các sở giải ngân vốn. Bà Lê Thị
    Hoa, Phó Chủ tịch UBND tỉnh, chỉ đạo các huyện giải phóng mặt bằng."

    None unless the task before was given to a named person.
    """
    sentence, text, view, b, lead = c.sentence, c.text, c.view, c.b, c.lead
    if not state.tasks or sentence.index - state.tasks[-1].sentences[-1].index > 1:
        return None
    if not _NAMED_PERSON.fullmatch(state.tasks[-1].assignees[0] + ","):
        return None
    person = _NAMED_PERSON.match(text, lead, b)
    if person is None:
        return None
    act_start = _lead_end(view, person.end())
    if not _TRIGGER_RE.match(view, act_start) and not _VERB_RE.match(view, act_start):
        return None
    name = _tidy(person.group("person"))
    return _add(state, c, [name], act_start)


def _subject_lead(text: str, view: str, lead: int, b: int) -> tuple[int, bool]:
    """Where a subject unit may start, and whether a reporting schedule opens the clause
    ("Định kỳ hằng tháng, Sở Y tế báo cáo …", an order though it has no deadline)."""
    scheduled = _SCHEDULE_LEAD.match(view, lead, b)
    if scheduled and find_unit_at(text, view, scheduled.end()) is not None:
        lead = scheduled.end()
    else:
        scheduled = None
    return _subject_start(text, view, lead, b), scheduled is not None


def _unit_as_subject(state: _State, c: _Clause) -> int | None:
    """Rule 2, a unit as the subject, with a duty word or (in the chair's directions) any
    predicate:

    "Sở Y tế có trách nhiệm hướng dẫn …", "UBND các huyện khẩn trương hoàn thành …",
    "sở tài chính thì bố trí vốn …", "Công ty khai thác thủy lợi phải vận hành …".

    Not a task: a fact ("… đã hoàn thành"), a unit that speaks ("Ngân hàng … đề nghị"),
    the chair's own body ("UBND tỉnh sẽ xem xét"). None when no unit is the subject.
    """
    sentence, text, view, a, b, lead = c.sentence, c.text, c.view, c.a, c.b, c.lead
    deadline, meeting_date, known = c.deadline, c.meeting_date, c.known
    zone = state.zone
    lead, scheduled = _subject_lead(text, view, lead, b)
    if state.chair_title and view.startswith(state.chair_title, lead):
        # "Chủ tịch UBND huyện đánh giá cao …" after "… Chủ tịch UBND huyện chủ trì": the chair
        # speaks; the chair is never the subject of its own order
        return state.why("chủ ngữ là người chủ trì đã nêu ở đầu bài (người nói, không nhận việc)")
    subject_units, end = parse_unit_list(text, view, lead)
    if subject_units and re.fullmatch(r"\s*:?\s*", view[end:b]):
        # "a) Sở Kế hoạch và Đầu tư:" — a heading; the lines under it are its tasks
        state.last_subject = _names(subject_units, meeting_date, known)
        state.last_subject_at = sentence.index
        state.heading = True
        return state.why('tiêu đề một đơn vị ("a) Sở …:"); các dòng dưới là nhiệm vụ của đơn vị đó')
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
        headed = _headed_unit(text, view, lead, b)
        if headed is not None:
            subject_units, end = [headed], headed.end
    if not subject_units and (zone is Zone.DIRECTIVE or sentence.spoken):
        bare = _bare_headed_unit(text, view, lead, b)
        if bare is not None:
            subject_units, end = [bare], bare.end
    if not subject_units and not sentence.spoken:
        # "Quảng Trị phải …", or after fronted phrases: "Theo Thủ tướng, muốn …, Quảng Trị phải …"
        starts = [lead] + [_lead_end(view, c + 1) for c in _first_commas(view, lead, b)]
        for at in starts:
            place = find_place(text, view, at, b, duty_only=True)
            if place is not None:
                subject_units, end = [place], place.end
                break
    if not subject_units and zone is Zone.DIRECTIVE:
        level = _BARE_LEVEL.match(view, lead, b)
        if level is not None:
            # spoken "huyện thì phải tập trung …": the district's People's Committee
            l_end = level.end("name") if level.group("name") else level.end("level")
            name = "UBND " + " ".join(view[lead:l_end].split())
            subject_units, end = [UnitMatch(lead, l_end, text[lead:l_end], name)], l_end
    if not subject_units and zone is Zone.DIRECTIVE and sentence.spoken:
        heading = _spoken_heading(view, lead, b)
        if heading:
            # "thứ nhất là huyện ninh hải với xã phương hải": the units the next lines address
            state.last_subject, state.last_subject_at = heading, sentence.index
            state.heading = True
            return state.why("tiêu đề nêu đơn vị; các câu sau là việc của đơn vị đó")
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
            return _addressed_units(state, c, end)
        names = _names(subject_units, meeting_date, known)
        rest = view[end:b]
        skip = _SKIP_RE.match(view, end)
        act_start = skip.end() if skip else end
        between = view[end:act_start]
        if _CHAIRS_MEETING.match(view, end, b) and _PERSON_TITLE_FIRST.match(view, lead):
            return state.why("chủ trì cuộc họp (người hoặc đơn vị chủ trì), không phải nhiệm vụ")
        reported = _REPORT_VERB.match(view, _plain_end(view, end))
        if reported and re.match(r"\s*là\s+(?:phải|cần)(?!\w)", view[end:b]):
            reported = None  # spoken "xã bình điền là phải đẩy nhanh …": a duty, not "là …"
        if reported and not re.match(r"\s*(?:,\s*)?(?:được\s+giao|có\s+trách\s+nhiệm)", rest):
            # a fact about the unit; a following sentence without subject is about it
            state.last_subject, state.last_subject_at = names, sentence.index
            return state.why("sự việc về đơn vị (đã/cho biết/báo cáo là …), không phải nhiệm vụ")
        speaks = _SPEAKS_SOON.match(view, end, b)
        if speaks and re.search(r"(?<!\w)được\s*$", speaks.group(1)):
            speaks = None  # "Sở Tài chính được đề nghị bố trí …": asked, not asking
        if speaks and not any(
            _VERB_RE.match(w.group(0)) for w in re.finditer(r"\S+", speaks.group(1))
        ):
            # "Ngân hàng … chi nhánh tỉnh đề nghị …": the unit speaks, nobody orders it
            return state.why("đơn vị phát biểu hoặc đề nghị, không ai giao việc cho đơn vị")
        if state.central_chair and _named_provinces(subject_units):
            names = _named_provinces(subject_units)
        elif all(_CHAIR_BODY.fullmatch(match_view(u.name)) for u in subject_units) and not (
            state.council_chair and all(u.name.startswith("UBND") for u in subject_units)
        ):
            return state.why(
                'cơ quan chủ trì tự nói việc của mình ("UBND tỉnh sẽ …")'
            )  # "UBND tỉnh sẽ xem xét …": the chair's own body, not an assignee
        will = _WILL.match(view, act_start)
        if will:
            if (
                zone not in (Zone.DIRECTIVE, Zone.NEUTRAL)
                or _SELF.search(view)
                or view[a:lead].strip().startswith("theo")
            ):
                return state.why('kế hoạch "sẽ …" ngoài phần chỉ đạo, hoặc lời tự cam kết')
            act_start = _SKIP_RE.match(view, will.end()).end()  # type: ignore[union-attr]
        if re.match(
            r"(?:\s+[^\s,.;:]+){0,3}?\s+(?:đã|vừa|đang)(?!\w)", view[end:b]
        ) and not _strong_words(between):
            state.last_subject, state.last_subject_at = names, sentence.index
            return state.why(
                'sự việc đã xảy ra ("đã/đang/vừa")'
            )  # "UBND các huyện cơ bản đã hoàn thành …": a fact
        # "X sẽ …" reported as the outcome of the meeting counts like a duty word
        strong = bool(_STRONG_DUTY.search(between)) or will is not None or scheduled
        if sentence.spoken and re.search(r"(?<!\w)thì(?!\w)", between):
            strong = True  # spoken "sở tài chính thì bố trí …": the topic marker of an order
        if _CHAIR_PERSON.match(view, lead) and (
            _HEAD_ASKS.match(view, act_start) or _HEAD_SPEAKS.match(view, act_start)
        ):
            # "Chủ tịch UBND thành phố yêu cầu …": the head who gives the order is not its
            # assignee ("Sở Y tế chỉ đạo các trung tâm …" stays the department's own task)
            return state.why("người đứng đầu ra lệnh, không phải người nhận việc")
        verb = _VERB_RE.match(view, act_start)
        # Inside the chair's directions any predicate counts ("đài … tăng thời lượng …"),
        # unless the unit is followed by a function word (it is not the subject then).
        if (
            verb is None
            and not strong
            and (zone is not Zone.DIRECTIVE or _FUNCTION_WORD.match(view, act_start))
        ):
            return state.why("sau đơn vị không có động từ hành động hay từ nghĩa vụ")
        if len(view[act_start:b].split()) < 2:
            return state.why("vị ngữ quá ngắn")
        if not strong and zone is not Zone.DIRECTIVE:
            return state.why(
                'ngoài phần chỉ đạo và không có từ nghĩa vụ ("phải", "có trách nhiệm" …)'
            )
        if (
            verb is not None
            and match_view(verb.group(0)) in ("báo cáo", "đề xuất", "trình", "giao")
            and not strong
            and not deadline.found
        ):
            return state.why('"báo cáo/đề xuất/trình" không kèm từ nghĩa vụ hay thời hạn')
        return _add(state, c, names, act_start)
    return None


def _named_provinces(units: Sequence[UnitMatch]) -> list[str]:
    """The names of provinces' People's Committees named with their place, when a central
    body gives the orders ("UBND tỉnh Quảng Ninh tổ chức đấu thầu …", "Ủy ban nhân dân tỉnh
    Lai Châu rà soát …"); empty when any unit is something else."""
    names = []
    for unit in units:
        place = _PROVINCE_BODY.fullmatch(" ".join(unit.surface.split()))
        if place is None:
            return []
        names.append("UBND tỉnh " + place.group("place"))
    return names


_PROVINCE_BODY = re.compile(
    r"(?:UBND|Ủy\s*ban\s+nhân\s+dân|Uỷ\s*ban\s+nhân\s+dân)\s+tỉnh\s+(?P<place>[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ]\w*(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ]\w*)*)",
    re.IGNORECASE,
)


_HEADING_SPLIT = re.compile(r"\s*(?:,|(?<!\w)(?:với|và|cùng)(?!\w))\s*")
_HEADING_LEVEL = re.compile(
    r"(?:(?:bên|phía|anh\s+em\s+bên)\s+)?(?P<level>huyện|xã|phường|thị\s+xã|thành\s+phố|quận|tỉnh)"
    r"(?P<name>(?:\s+[^\s,.;:]+){1,3})$"
)
_HEADING_BODY = re.compile(r"(?:(?:bên|phía|anh\s+em\s+bên)\s+)(?P<body>\S+(?:\s+\S+){0,4})$")


def _spoken_heading(view: str, lead: int, b: int) -> list[str]:
    """The units a spoken item names before its lines, with no verb: "huyện ninh hải với xã
    phương hải", "bên công ty muối", "bên hải quan với bên biên phòng". Empty if not one."""
    part_texts = [p for p in _HEADING_SPLIT.split(view[lead:b].strip(" .,")) if p]
    if not part_texts or len(view[lead:b].split()) > 12:
        return []
    names: list[str] = []
    for part in part_texts:
        if any(_VERB_RE.fullmatch(w) for w in part.split()):
            return []
        level = _HEADING_LEVEL.match(part)
        body = _HEADING_BODY.match(part)
        if level:
            names.append(f"UBND {' '.join(level.group('level').split())}{level.group('name')}")
        elif body and find_unit_at(body.group("body"), body.group("body"), 0) is not None:
            names.append(_tidy(body.group("body")))
        else:
            return []
    return names


def _carried_subject(state: _State, c: _Clause) -> int:
    """Rule 3, no subject: within the chair's directions, a following sentence that adds an
    action keeps the last subject ("Lập kế hoạch …", "rồi thành lập các tổ kiểm tra …",
    "đồng thời kiện toàn lại …"), at most two sentences after it was named."""
    sentence, text, view, b, lead = c.sentence, c.text, c.view, c.b, c.lead
    zone = state.zone
    lead, _ = _subject_lead(text, view, lead, b)
    if zone is not Zone.DIRECTIVE or not state.last_subject:
        return state.why(
            "không có đơn vị làm chủ ngữ (ngoài phần chỉ đạo hoặc chưa có đơn vị trước để kế thừa)"
        )
    if (
        sentence.index - state.last_subject_at > OPTIONS.carry_subject_sentences
        and not state.heading
    ):
        return state.why("không có đơn vị làm chủ ngữ; đơn vị gần nhất ở quá xa để kế thừa")
    start = lead
    # "Căn cứ …, …", "sau khi …, …", "nếu đủ yếu tố thì chuyển …": a condition, then the action
    cond = re.match(
        r"(?:(?:căn\s+cứ|trên\s+cơ\s+sở|sau\s+khi)[^,]{3,120},"
        r"|nếu(?:\s+mà)?\s[^,.;]{1,80}?\s+thì(?:\s*,?\s*(?:à|ờ)\s*,?)?)\s*",
        view[start:b],
    )
    if cond:
        start += cond.end()
    duty = _ADDRESSED_DUTY.match(view, start)
    carried_duty = (
        duty is not None
        and sentence.index - state.last_subject_at == 1
        # "Cuối tháng tư là phải có kế hoạch …" gives the last task its deadline
        and not c.deadline.found
        and bool(_VERB_RE.match(view, duty.end()) or _HAVE_PLAN.match(view, duty.end()))
    )
    if carried_duty and duty is not None:
        # "Các xã phải rà soát … . Phải có kế hoạch kiểm tra …": right after the unit's order,
        # a duty without a subject is the same unit's
        start = duty.end()
    verb = _VERB_RE.match(view, start)
    if not carried_duty and (
        verb is None or match_view(verb.group(0)) in ("cần", "phải", "sớm", "khẩn", "giao", "in")
    ):
        return state.why("không có đơn vị làm chủ ngữ và không mở đầu bằng động từ hành động")
    if verb is not None and _NOUN_USE.match(view, verb.end(), b):
        # "Chỉ đạo này được lãnh đạo tỉnh đưa ra …", "Kiểm tra đó cho thấy …": a noun
        return state.why('câu mô tả ("chỉ đạo này", "việc đó"), không phải việc phải làm')
    clause = view[start:b]
    admonition = _ADMONITION.search(clause)
    if (
        len(clause.split()) < 5
        or _NOMINAL_SUBJECT.search(clause)
        or (admonition is not None and len(clause[: admonition.start()].split()) < 5)
    ):
        return state.why("câu không chủ ngữ quá ngắn, là nhận định hoặc lời nhắc chung")
    if _merge_finishing(state, sentence, view, start, c.deadline):
        return 1
    return _add_carried(state, c, start)


_HAVE_PLAN = re.compile(r"có\s+(?:kế\s+hoạch|biện\s+pháp|giải\s+pháp|phương\s+án)(?!\w)")


# "… một số việc sau:", "… các nội dung như sau:", "… những nhiệm vụ trọng tâm sau:"
_LIST_ANNOUNCED = re.compile(
    r"(?:(?:một\s+số|các|những|mấy)\s+(?:việc|nội\s+dung|nhiệm\s+vụ|vấn\s+đề|giải\s+pháp)"
    r"(?:\s+[^\s,.;:]+){0,3}?\s+(?:như\s+)?sau|như\s+sau)\s*$"
)


def _with_descriptive_words(text: str, view: str, unit: UnitMatch, b: int) -> tuple[UnitMatch, int]:
    """A group named with a few describing words before its action keeps them: "(yêu cầu)
    các phòng ban chuyên môn của huyện hoàn thiện …", "các đơn vị trực thuộc Sở rà soát …"
    — not "Các phòng ban" doing "chuyên môn của huyện hoàn thiện …". Only up to six
    syllables, none of them a verb, a link to another unit or a marker of the action."""
    colon = _WORDS_TO_COLON.match(view, unit.end, b)
    if colon is not None and not _VERB_RE.search(colon.group("words")):
        # "(yêu cầu) các phòng, ban chuyên môn: tập trung …": the words up to the colon
        end = unit.end + len(colon.group("words").rstrip())
        surface = text[unit.start : end]
        return UnitMatch(unit.start, end, surface, _tidy(surface), True), end
    end = unit.end
    for _ in range(7):
        word = _NEXT_WORD.match(view, end, b)
        if word is None or _NOT_DESCRIPTIVE.fullmatch(word.group(1)):
            return unit, unit.end
        if _VERB_RE.match(view, word.start(1)):
            break
        end = word.end()
    else:
        return unit, unit.end
    if end == unit.end or not _VERB_RE.match(view, _NEXT_WORD.match(view, end, b).start(1)):  # type: ignore[union-attr]
        return unit, unit.end
    words = view[unit.end : end].split()
    if not _ATTRIBUTIVE.search(view, unit.end, end) and (
        len(words) > 2 or any(_ADVERB.fullmatch(w) for w in words)
    ):
        # "các cơ quan chủ chương trình", "các sở, ngành không được đùn đẩy": without a word
        # that ties them to the group, more than a compound's words ("các tổ chức tín dụng",
        # "các doanh nghiệp vận tải") may well be the action's
        return unit, unit.end
    surface = text[unit.start : end]
    return UnitMatch(unit.start, end, surface, _tidy(surface), True), end


_NEXT_WORD = re.compile(r"\s+([^\s,.;:()]+)")
_WORDS_TO_COLON = re.compile(r"(?P<words>(?:\s+[^\s,.;:()]+){1,3}\s*):")
# Words that open an action rather than finish a group's name.
# (first syllables: "tích cực", "kịp thời", "nghiêm túc", "thường xuyên", "khẩn trương" …)
_ADVERB = re.compile(
    r"không|chưa|cũng|đều|vẫn|luôn|tự|chủ|cùng|còn|nên|được|bị|mới|hãy"
    r"|tích|kịp|nghiêm|thường|nhanh|quyết|sớm|khẩn|tập|tiếp|tăng|đẩy|kiên|triệt|sâu"
)
_ATTRIBUTIVE = re.compile(r"(?<!\w)(?:của|thuộc|cấp)(?!\w)|\s-\s")
_NOT_DESCRIPTIVE = re.compile(
    r"và|với|cùng|thì|là|phải|cần|đã|sẽ|đang|để|trong|trước|theo|tại|khi|nếu|từ|đến|chậm|ngay"
    r"|\d.*"
)


def _addressee_before(text: str, view: str, lead: int, verb_at: int) -> UnitMatch | None:
    """The unit a letter is sent to, right before an order verb with no unit after it:
    "… đã có Văn bản số 754 gửi Ban Quản lý dự án X, đề nghị chỉ đạo, đôn đốc …"."""
    sent = max(_SENT_TO_UNIT.finditer(view, lead, verb_at), key=lambda m: m.start(), default=None)
    if sent is None:
        return None
    unit = find_unit_at(text, view, sent.end())
    if unit is None:
        return None
    # the whole phrase up to the comma names the addressee, though the recogniser may stop
    # early in a long name ("Ban Quản lý dự án đầu tư xây dựng công trình Dân dụng và …")
    gap = re.fullmatch(r"([^,.;:]*?)\s*,?\s*", view[unit.end : verb_at])
    end = unit.end + len(gap.group(1)) if gap is not None else verb_at
    if gap is None or end - unit.start > OPTIONS.unit_list_tail_chars:
        return None  # no unit name is longer
    surface = text[unit.start : end]
    return UnitMatch(unit.start, end, surface, _tidy(surface), unit.group)


_SENT_TO_UNIT = re.compile(r"(?<!\w)(?:gửi|gởi)(?:\s+(?:tới|đến|cho))?\s+")


_NOUN_USE = re.compile(r"\s+(?:này|đó|trên|nói\s+trên|ấy)(?!\w)")


def _elaboration(state: _State, c: _Clause) -> int | None:
    """Rule 3a, a subject-less sentence right after an order that only spells that order out
    stays in it (labelling rule 2): "… yêu cầu các ngành làm tốt nhiệm vụ trọng tâm. Trong
    đó, trước mắt tổ chức tốt Tuần văn hóa …"; spoken "trước mắt là tổ chức …", and the
    lines that go on listing under it ("rồi chuẩn bị …", "với lại tổ chức …")."""
    sentence, text, view, a, b, lead = c.sentence, c.text, c.view, c.a, c.b, c.lead
    if not state.tasks or state.zone is not Zone.DIRECTIVE:
        return None
    last = state.tasks[-1]
    if last.sentences[-1].index != sentence.index - 1 or last.assignees != state.last_subject:
        return None
    opening = view[a:b]
    listing = state.elaborating == sentence.index - 1 and _LIST_GOES_ON.match(opening)
    if not (_ELABORATION.match(opening) or listing) or find_unit_at(text, view, lead):
        return None  # "Trong đó, Sở Y tế …" names a unit: a task of its own
    last.sentences.append(sentence)
    if c.deadline.found and not last.deadline.found:
        last.deadline = c.deadline
    state.elaborating = sentence.index
    return 1


# "Trong đó, …", "Cụ thể, …", "Trước mắt, …", "trước mắt là …": the order before, spelled out
_ELABORATION = re.compile(
    r"\s*(?:[-–•]\s*)?(?:trong\s+đó|cụ\s+thể(?:\s+là)?|trước\s+mắt(?:\s+là)?)(?!\w)\s*,?"
)
# a spoken list going on under an elaboration: "rồi …", "với lại …", "và …"
_LIST_GOES_ON = re.compile(r"\s*(?:rồi|với\s+lại|và|cùng\s+với\s+đó)(?!\w)")


# The chair, then "đã/vừa", or the issuing body, then "vừa", right before the order verb: a
# news report of an order just given ("Chủ tịch UBND tỉnh đã chỉ đạo huyện …", "UBND tỉnh
# vừa yêu cầu Sở …"); not "UBND tỉnh đã chỉ đạo …", an earlier document recalled.
# "X chủ trì buổi làm việc …", "Chủ tịch UBND huyện Lê Văn A chủ trì hội nghị": who chairs the
# meeting (a headline, a lead), not a task; a person's name may stand between.
_CHAIRS_MEETING = re.compile(
    r"(?:\s+[^\s,.;:]+){0,4}?\s+(?:đã\s+)?(?:làm\s+)?chủ\s+trì\s+(?:buổi|cuộc"
    r"|hội\s+nghị|hội\s+thảo|phiên|kỳ\s+họp|lễ|tọa\s+đàm)(?!\w)"
)
# A subject that is a person by title ("Chủ tịch UBND huyện …", "Giám đốc Sở …"), not a body
_PERSON_TITLE_FIRST = re.compile(
    r"\s*(?:phó\s+)?(?:chủ\s+tịch|giám\s+đốc|bí\s+thư|trưởng\s+ban|thủ\s+trưởng|tổng\s+giám\s+đốc"
    r"|cục\s+trưởng|vụ\s+trưởng|chánh)(?!\w)"
)
_CHAIR_DID = re.compile(
    r"(?<!\w)(?:(?:chủ\s+tịch\s+(?:ubnd|ủy\s+ban\s+nhân\s+dân)\s+(?:tỉnh|thành\s+phố|huyện|quận"
    r"|thị\s+xã|xã|phường|thị\s+trấn)"
    r"(?:\s+[^\s,.;:]+){0,3}|thủ\s+tướng(?:\s+chính\s+phủ)?"
    # "Lãnh đạo tỉnh Cao Bằng đã yêu cầu …": the province's leadership as one
    r"|lãnh\s+đạo\s+(?:ubnd\s+)?(?:tỉnh|thành\s+phố)(?:\s+[^\s,.;:]+){0,3})"
    r"\s+(?:cũng\s+)?(?:đã|vừa)"
    r"|(?:ubnd|ủy\s+ban\s+nhân\s+dân)\s+tỉnh(?:\s+[^\s,.;:]+){0,3}\s+vừa"
    # "UBND tỉnh X vừa ban hành văn bản yêu cầu …": the order is what the document says
    r"|(?:ubnd|ủy\s+ban\s+nhân\s+dân|chủ\s+tịch\s+ubnd)\s+(?:tỉnh|thành\s+phố)(?:\s+[^\s,.;:]+){0,3}"
    r"\s+(?:(?:đã|vừa)\s+)?(?:ban\s+hành|có|gửi)\s+(?:văn\s+bản|công\s+văn|chỉ\s+thị)(?:\s+số\s+\S+)?"
    # "ông X, Phó Chủ tịch UBND tỉnh, cho biết ông đã yêu cầu …": the chair reports his order
    r"|cho\s+biết\s+(?:ông|bà|đồng\s+chí)\s+(?:đã|vừa))\s*$"
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
    source = _SOURCE_LEAD.match(view, lead, b)
    if source and find_unit_at(text, view, source.end()) is not None:
        return source.end()  # "Theo văn bản, UBND các huyện … được yêu cầu …"
    return lead


# Where an order is reported from, before its subject: "Theo văn bản, …", "Theo công văn
# số 12/UBND, …", "Tại Thông báo kết luận, …", "Trong văn bản, …".
_SOURCE_LEAD = re.compile(
    r"(?:theo|tại|trong)\s+(?:văn\s+bản|công\s+văn|thông\s+báo|chỉ\s+thị|quyết\s+định|công\s+điện)"
    r"[^,.;:]{0,60},\s*"
)


_ROLE_APPOSITIVE = re.compile(
    # "văn phòng ủy ban là đầu mối tham mưu …": spoken, without "cơ quan"
    r"\s*(?:,\s*)?là\s+(?:(?:cơ\s+quan|đơn\s+vị)\s+)?(?:thường\s+trực|đầu\s+mối|chủ\s+trì"
    r"|chuyên\s+môn|tham\s+mưu)(?:\s+[^\s,.;:]+){0,8}?\s*,\s*"
)


_LIST_FRAME = re.compile(
    r"(?:nhiệm\s+vụ|nội\s+dung|việc|công\s+việc|giải\s+pháp|biện\s+pháp|yêu\s+cầu)"
    r"(?:\s+[^\s,.;:]+){0,4}?\s+(?:sau(?:\s+đây)?|như\s+sau|dưới\s+đây)\s*:?\s*$"
    r"|,?\s*(?:bao\s+)?gồm\s*:\s*$"  # "… triển khai các giải pháp …, gồm:"
)


def _add(
    state: _State,
    c: _Clause,
    names: list[str],
    act_start: int,
    *,
    implicit: bool = False,
    keep_subject: bool = False,
) -> int:
    """Make the tasks of ``names`` from the action at ``c.text[act_start:c.b]`` (one a part
    with its own deadline); return 1, or 0 with the reason when the action is empty."""
    sentence, text, view, end = c.sentence, c.text, c.view, c.b
    deadline, meeting_date, known = c.deadline, c.meeting_date, c.known
    if not implicit and _is_empty_formula(view[act_start:end]):
        return state.why('lệnh không có nội dung riêng ("khẩn trương triển khai thực hiện")')
    if _LIST_FRAME.search(view, act_start, end):
        return state.why(
            'câu dẫn danh sách ("các nhiệm vụ sau:"); các mục bên dưới là nhiệm vụ'
        )  # "giao các đơn vị triển khai các nhiệm vụ sau:": the items are the tasks
    coop_from = max(0, act_start - 40)
    coop = _cooperating(text, view, coop_from, end, meeting_date, known)
    for part_start, part_end, part_deadline in _parts_by_deadline(
        text, view, act_start, end, deadline, meeting_date
    ):
        if part_start == act_start:
            part_start = _action_start(view, act_start)
        action = _action(text, view, part_start, part_end, part_deadline)
        state.tasks.append(_Draft(names, coop, action, part_deadline, [sentence], implicit))
    if not keep_subject or not state.last_subject:
        state.last_subject = names
    state.last_subject_at = sentence.index
    return 1


def _add_carried(state: _State, c: _Clause, act_start: int) -> int:
    """A task of the last subject carried over, which stays the last subject."""
    return _add(state, c, list(state.last_subject), act_start, implicit=True, keep_subject=True)


def _parts_by_deadline(
    text: str,
    view: str,
    start: int,
    end: int,
    deadline: DeadlineResult,
    meeting_date: date | None,
) -> list[tuple[int, int, DeadlineResult]]:
    """One part per deadline when an order gives two parts two deadlines: "Sở Xây dựng hoàn
    thành thiết kế trước ngày 10/7 và khởi công trước ngày 30/9", "báo cáo sơ bộ trong tuần
    này, báo cáo chính thức trước ngày 20/6". Otherwise the whole, with its deadline."""
    whole = [(start, end, deadline)]
    if not deadline.found:
        return whole
    reference = meeting_date or date(2000, 1, 1)
    found = [
        _shift(d, start)
        for d in find_deadlines(text[start:end], reference=reference)
        if d.start is not None and d.end is not None
    ]
    if len(found) != 2:
        return whole
    first, second = found
    if first.end is None or second.start is None:  # found deadlines always have a span
        return whole
    joint = _PART_JOINT.match(view, first.end, second.start)
    if joint is None or not _has_words(view, joint.end(), second.start, 2):
        return whole
    return [(start, first.end, first), (joint.end(), end, second)]


def _shift(result: DeadlineResult, offset: int) -> DeadlineResult:
    if result.start is None or result.end is None:  # nothing found: nothing to move
        return result
    return DeadlineResult(
        result.date, result.text, result.start + offset, result.end + offset, result.kind
    )


# Between the first part's deadline and the second part's verb.
_PART_JOINT = re.compile(r"\s*(?:[,;]\s*)?(?:(?:và|còn|rồi|đồng\s+thời|sau\s+đó)(?!\w)\s*)?")


_Rule = Callable[[_State, _Clause], "int | None"]
# The task rules, in the order they are tried on a clause.
RULES: tuple[tuple[str, _Rule], ...] = (
    ("another_named_person", _another_named_person),
    ("explicit_order", _explicit_order),
    ("unit_as_subject", _unit_as_subject),
    ("elaboration", _elaboration),
    ("carried_subject", _carried_subject),
)


def _first_commas(view: str, start: int, end: int, count: int = 3) -> list[int]:
    """The first few commas of ``view[start:end]``: where fronted phrases end."""
    found: list[int] = []
    at = view.find(",", start, end)
    while at >= 0 and len(found) < count:
        found.append(at)
        at = view.find(",", at + 1, end)
    return found


_ADDRESSED_DUTY = re.compile(r"\s*(?:,\s*)?(?:thì\s+)?(?:phải|cần\s+phải|cần)(?!\w)\s*")


def _addressed_units(state: _State, c: _Clause, end: int) -> int:
    """ "các đồng chí phải …" in the chair's directions: the units just named are told to act.

    "… huyện Ninh Hải và xã Phương Hải. các đồng chí phải tăng cường vận động …",
    "Sở Y tế báo cáo rồi. Các đồng chí cần kiểm tra lại số liệu …" — an order to the last
    subject; with none named yet it is only a general call.
    """
    view, b = c.view, c.b
    duty = _ADDRESSED_DUTY.match(view, end, b)
    if (
        duty is None
        or state.zone is not Zone.DIRECTIVE
        or not state.last_subject
        or not _VERB_RE.match(view, duty.end(), b)
    ):
        return state.why('chủ ngữ chung chung ("các đồng chí") và chưa có đơn vị được nhắc trước')
    return _add_carried(state, c, duty.end())
