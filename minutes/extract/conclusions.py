"""The chair's conclusions: assessments, agreements and general requirements, the
sentences of the directions that are not tasks.
"""

from __future__ import annotations

import re

from minutes.extract.state import Zone, _State
from minutes.model import Conclusion
from minutes.options import OPTIONS
from minutes.segment import Sentence
from minutes.vocabulary import _CLOSING, _CONCLUSION_MARK, _FILLERS

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
            len(words) >= OPTIONS.conclusion_min_words
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
