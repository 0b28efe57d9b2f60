"""A sentence that only gives the deadline of the task before it ("Thời hạn: trước ngày
23/5/2019.", "cái này tuần sau là phải có") joins that task instead of being dropped.
"""

from __future__ import annotations

import re

from minutes.deadlines import DeadlineResult
from minutes.extract.orders import _NEXT_STEP
from minutes.extract.scan import _lead_end
from minutes.extract.state import _State
from minutes.segment import Sentence
from minutes.vocabulary import _ENUMERATOR

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
