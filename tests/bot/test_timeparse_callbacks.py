from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import pack, unpack
from bot.common import split_text
from bot.timeparse import parse_meeting_time
from tests.conftest import VN

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=VN)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8h00 ngày 4/6", datetime(2027, 6, 4, 8, 0, tzinfo=VN)),  # no year: the next 4 June
        ("8h ngày 4/12", datetime(2026, 12, 4, 8, 0, tzinfo=VN)),
        ("14 giờ thứ năm tuần sau", datetime(2026, 12, 3, 14, 0, tzinfo=VN)),
        ("14h30 thứ sáu", datetime(2026, 11, 27, 14, 30, tzinfo=VN)),
        ("8 giờ thứ năm", datetime(2026, 12, 3, 8, 0, tzinfo=VN)),  # this morning has passed
        ("3 giờ chiều mai", datetime(2026, 11, 27, 15, 0, tzinfo=VN)),
        ("7:30 sáng 01/12/2026", datetime(2026, 12, 1, 7, 30, tzinfo=VN)),
        ("Chủ nhật tuần sau 9h", datetime(2026, 12, 6, 9, 0, tzinfo=VN)),
    ],
)
def test_vietnamese_meeting_times(text: str, expected: datetime) -> None:
    assert parse_meeting_time(text, now=NOW, tz=VN) == expected


@pytest.mark.parametrize("text", ["họp sớm nhé", "ngày 31/2 lúc 8h", "25h ngày 4/12", "thứ năm"])
def test_nonsense_times_are_none(text: str) -> None:
    assert parse_meeting_time(text, now=NOW, tz=VN) is None


@given(st.text(max_size=60))
def test_the_time_parser_never_raises(text: str) -> None:
    result = parse_meeting_time(text, now=NOW, tz=VN)
    assert result is None or result.tzinfo is not None


def test_signed_callbacks_round_trip_and_refuse_forgeries() -> None:
    secret = b"k" * 32
    data = pack(secret, "inv", 123456, "acc")
    assert len(data.encode()) <= 64
    assert unpack(secret, data) == ("inv", ["123456", "acc"])
    forged = data.replace("123456", "123457")
    assert unpack(secret, forged) is None
    assert unpack(b"other-secret", data) is None
    assert unpack(secret, "inv:1:acc") is None
    with pytest.raises(ValueError):
        pack(secret, "x", "a" * 60)


@given(st.lists(st.text(alphabet="aăâbcdđ ê\n", max_size=120), max_size=80))
def test_long_texts_split_on_lines_within_telegrams_limit(lines: list[str]) -> None:
    text = "\n".join(lines)
    pieces = split_text(text, limit=100)
    assert all(0 < len(piece) <= 100 for piece in pieces) or text.strip("\n") == ""
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
