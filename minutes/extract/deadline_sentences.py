"""A sentence that only gives the deadline of the task before it ("Thời hạn: trước ngày
23/5/2019.", "cái này tuần sau là phải có") joins that task instead of being dropped; one
that names another part with its own deadline ("còn nghị quyết cá biệt thì chậm nhất là
ngày mười tháng mười") is a task of its own for the same unit.
"""

from __future__ import annotations

import re

from minutes.deadlines import DeadlineResult
from minutes.extract.orders import _NEXT_STEP
from minutes.extract.scan import _lead_end
from minutes.extract.state import _Draft, _State
from minutes.segment import Sentence
from minutes.units import find_unit_at
from minutes.vocabulary import _ENUMERATOR

_MERGE_START = re.compile(
    # the work just ordered, pointed back to: "cái này", "cái tổng kết này", "việc rà soát đó"
    r"^(?:(?:thời\s+)?hạn|(?:cái|việc|nội\s+dung|phần)\s+(?:[^\s,.;:]+\s+){0,5}?(?:này|đó|ấy)"
    r"|yêu\s+cầu\s+(?:hoàn\s+chỉnh|hoàn\s+thiện|xong)"
    # "Việc giải quyết các tồn tại phải xong trước ngày 30/11.": the work just ordered, named
    r"|việc\s+[^,.;:]{3,80}?\s+phải\s+(?:xong|hoàn\s+thành|hoàn\s+tất|kết\s+thúc))(?!\w)"
)


_COMPLETION_ONLY = re.compile(
    r"^\s*(?:(?:yêu\s+cầu|phải|là|thì|xong|hoàn\s+chỉnh|hoàn\s+thiện|hoàn\s+thành|gửi|nộp"
    r"|báo\s+cáo|trình|có|nhé|các\s+đồng\s+chí|[,.:;])(?!\w)\s*)+"
)


_COMPLETION_FIRST = re.compile(
    r"^(?:[,.:;]\s*)?(?:(?:là|thì|phải|yêu\s+cầu|cần)\s+)*(?:có|xong|hoàn\s+thành|hoàn\s+chỉnh"
    r"|hoàn\s+thiện|gửi|nộp|báo\s+cáo|trình)(?!\w)"
)


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


_OTHER_PART = re.compile(r"\s*(?:còn|riêng|với)\s+(?P<part>[^,.;:]{3,80}?)\s+thì\s+")
_ONLY_WHEN = re.compile(
    r"^[\s,.;:]*(?:(?:chậm\s+nhất|là|phải|có|xong|nhé|nha|ạ|à|ờ)(?!\w)[\s,.;:]*)*$"
)


def _another_part_with_its_deadline(
    state: _State, sentence: Sentence, text: str, view: str, deadline: DeadlineResult
) -> bool:
    """ "… trước ngày hai mươi tháng chín. còn nghị quyết cá biệt thì chậm nhất là ngày mười
    tháng mười nhé", "Riêng báo cáo quý thì trước ngày 5/7.": the unit of the task before has
    another part to finish by another date. Adds that task."""
    if not deadline.found or not state.tasks or deadline.start is None or deadline.end is None:
        return False
    last = state.tasks[-1]
    if sentence.index - last.sentences[-1].index > 2 or not last.deadline.found:
        return False
    part = _OTHER_PART.match(view)
    if part is None or part.end() > deadline.start or find_unit_at(text, view, part.start("part")):
        return False
    rest = view[part.end() : deadline.start] + " " + view[deadline.end :]
    if not _ONLY_WHEN.match(rest):
        return False
    action = " ".join(text[part.start("part") : part.end("part")].split())
    state.tasks.append(
        _Draft(
            list(last.assignees),
            list(last.cooperating),
            action[:1].upper() + action[1:],
            deadline,
            [sentence],
            implicit=True,
        )
    )
    state.fired.append(f"another_part: {'; '.join(last.assignees)}")
    return True
