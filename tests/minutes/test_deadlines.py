"""The deadline grammar: resolution rules, working days across Tết, and never raising."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutes.deadlines import (
    DeadlineKind,
    add_working_days,
    find_deadlines,
    is_working_day,
    parse_deadline,
)

JUNE_4_2021 = date(2021, 6, 4)  # a Friday


@pytest.mark.parametrize(
    ("sentence", "reference", "expected_date", "expected_text"),
    [
        (
            "Từ nay đến ngày 20/6 đơn vị tư vấn sớm hoàn thiện",
            JUNE_4_2021,
            date(2021, 6, 20),
            "Từ nay đến ngày 20/6",
        ),
        ("báo cáo trước ngày 15/7/2021.", JUNE_4_2021, date(2021, 7, 15), "trước ngày 15/7/2021"),
        ("gửi chậm nhất ngày 20/6", JUNE_4_2021, date(2021, 6, 20), "chậm nhất ngày 20/6"),
        ("gửi Văn phòng trước 30/6", JUNE_4_2021, date(2021, 6, 30), "trước 30/6"),
        ("hoàn thành trong tháng 8", JUNE_4_2021, date(2021, 8, 31), "trong tháng 8"),
        ("xong trong quý III/2021", JUNE_4_2021, date(2021, 9, 30), "trong quý III/2021"),
        ("hoàn thành cuối năm", JUNE_4_2021, date(2021, 12, 31), "cuối năm"),
        ("nộp tuần sau", JUNE_4_2021, date(2021, 6, 11), "tuần sau"),
        ("họp lại thứ sáu tuần sau", JUNE_4_2021, date(2021, 6, 11), "thứ sáu tuần sau"),
        ("gửi trong tuần này", date(2026, 2, 5), date(2026, 2, 6), "trong tuần này"),
        (
            "xong trước ngày hai mươi tháng sáu",
            date(2024, 6, 12),
            date(2024, 6, 20),
            "trước ngày hai mươi tháng sáu",
        ),
        ("phấn đấu trong quý ba hoàn thành", date(2024, 6, 12), date(2024, 9, 30), "trong quý ba"),
        (
            "trong quý một năm hai không hai lăm",
            date(2024, 11, 1),
            date(2025, 3, 31),
            "trong quý một năm hai không hai lăm",
        ),
        (
            "trước ngày 10/1 năm sau",
            date(2024, 12, 20),
            date(2025, 1, 10),
            "trước ngày 10/1 năm sau",
        ),
        ("cuối tháng này phải bàn giao", date(2024, 6, 12), date(2024, 6, 30), "cuối tháng này"),
        ("xong trong năm ngày", date(2024, 6, 12), date(2024, 6, 17), "trong năm ngày"),
    ],
)
def test_resolves_expressions(
    sentence: str, reference: date, expected_date: date, expected_text: str
) -> None:
    result = parse_deadline(sentence, reference=reference)
    assert result.date == expected_date
    assert result.text == expected_text
    assert result.text is not None and result.text in sentence
    assert not result.needs_review


def test_a_date_without_year_is_the_next_such_date() -> None:
    result = parse_deadline("trước ngày 10/1", reference=date(2024, 12, 20))
    assert result.date == date(2025, 1, 10)


def test_working_days_skip_weekends_and_tet() -> None:
    # Thursday 5 Feb 2026; Tết Bính Ngọ closes offices 16–20 Feb.
    reference = date(2026, 2, 5)
    result = parse_deadline(
        "báo cáo trong vòng mười ngày làm việc kể từ hôm nay nhé", reference=reference
    )
    assert result.kind is DeadlineKind.WORKING_DAYS
    assert result.text == "trong vòng mười ngày làm việc kể từ hôm nay"
    assert result.date == date(2026, 2, 26)
    assert parse_deadline(
        "trong thời hạn mười lăm ngày làm việc", reference=reference
    ).date == date(2026, 3, 5)
    assert not is_working_day(date(2026, 2, 17))
    assert add_working_days(date(2021, 6, 4), 30) == date(2021, 7, 16)


def test_calendar_days_without_lam_viec() -> None:
    assert parse_deadline("trong 10 ngày", reference=JUNE_4_2021).date == date(2021, 6, 14)


@pytest.mark.parametrize(
    "sentence",
    [
        "ngay sau Hội nghị này, các sở khẩn trương xây dựng kế hoạch",
        "báo cáo trước khi họp phiên tiếp theo",
        "rà soát xong trước tết",
        "báo cáo trong buổi báo cáo sắp tới",
    ],
)
def test_event_bound_words_are_kept_for_review(sentence: str) -> None:
    result = parse_deadline(sentence, reference=JUNE_4_2021)
    assert result.date is None
    assert result.text is not None and result.text in sentence
    assert result.needs_review


@pytest.mark.parametrize(
    "sentence",
    [
        "ra quân từ ngày mười một tháng hai",
        "triển khai từ tháng 11",
        "định kỳ hằng tháng tổng hợp tiến độ",
        "thường xuyên liên tục kiểm tra",
        "khẩn trương hoàn thiện",
        "tuần trước đã tiếp nhận",
        "không để đến cuối năm mới báo",
        "các chủ trương phát sinh từ tháng 10/2022 đến nay",
        "thứ hai là công an tỉnh",
        "trong thời gian tới",
    ],
)
def test_not_deadlines(sentence: str) -> None:
    assert not parse_deadline(sentence, reference=JUNE_4_2021).found


def test_impossible_date_is_kept_without_a_date() -> None:
    result = parse_deadline("trước ngày 31/2", reference=JUNE_4_2021)
    assert result.text == "trước ngày 31/2"
    assert result.date is None


def test_finds_several_without_overlap() -> None:
    found = find_deadlines(
        "ban hành trước ngày 10/7, báo cáo kết quả trong quý III", reference=JUNE_4_2021
    )
    assert [r.date for r in found] == [date(2021, 7, 10), date(2021, 9, 30)]


_vocab = st.sampled_from(
    [
        "trước",
        "ngày",
        "tháng",
        "năm",
        "quý",
        "tuần",
        "sau",
        "này",
        "cuối",
        "trong",
        "hết",
        "đến",
        "từ",
        "nay",
        "chậm",
        "nhất",
        "làm",
        "việc",
        "hai",
        "mươi",
        "mười",
        "lăm",
        "ba",
        "mốt",
        "không",
        "iii",
        "iv",
        "/",
        "-",
        "31",
        "29",
        "2",
        "0",
        "99",
        "9999",
        "kể",
        "hôm",
        "tết",
        "phiên",
        "tiếp",
        "theo",
        "thứ",
        "sáu",
        "vòng",
        "thời",
        "hạn",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(), st.lists(_vocab, max_size=14).map(" ".join)),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
)
def test_never_raises(text: str, reference: date) -> None:
    result = parse_deadline(text, reference=reference)
    if result.text is not None:
        assert result.start is not None and result.end is not None
        assert result.text == text[result.start : result.end] or result.text in text
    assert parse_deadline(text, reference=reference) == result


@pytest.mark.parametrize(
    "sentence",
    [
        "triển khai nhiệm vụ 6 tháng cuối năm",
        "những tháng cuối năm",
        "kế hoạch các tháng trong quý",
    ],
)
def test_periods_of_the_year_are_not_deadlines(sentence: str) -> None:
    assert not parse_deadline(sentence, reference=JUNE_4_2021).found


def test_an_hour_before_the_date_is_dropped() -> None:
    result = parse_deadline("nộp trước 17 giờ ngày 20/6/2024", reference=JUNE_4_2021)
    assert result.date == date(2024, 6, 20)
    assert result.text == "trước 17 giờ ngày 20/6/2024"
    assert not parse_deadline("trước 17 giờ", reference=JUNE_4_2021).found


def test_n_days_from_now_spoken_as_nua() -> None:
    from minutes.deadlines import parse_deadline as parse

    result = parse(
        "khảo sát, đề xuất phương án kè tạm, mười ngày nữa báo cáo tôi",
        reference=date(2025, 10, 20),
    )
    assert result.date == date(2025, 10, 30)
    assert result.text == "mười ngày nữa"
    assert parse("dự án đã thi công 30 ngày", reference=date(2025, 10, 20)).date is None


def test_working_days_from_an_undated_event_are_kept_for_review() -> None:
    from minutes.deadlines import parse_deadline as parse

    result = parse(
        "thẩm định kinh phí trong 10 ngày làm việc kể từ ngày nhận đủ hồ sơ.",
        reference=date(2026, 3, 6),
    )
    assert result.date is None
    assert result.text == "trong 10 ngày làm việc kể từ ngày nhận đủ hồ sơ"
    dated = parse("trong 10 ngày làm việc kể từ ngày ký", reference=date(2026, 3, 6))
    assert dated.date is not None


def test_a_day_of_next_month() -> None:
    from minutes.deadlines import parse_deadline as parse

    assert parse("báo cáo tôi trước ngày năm tháng sau", reference=date(2025, 9, 24)).date == date(
        2025, 10, 5
    )
    assert parse("xong trước ngày 20 tháng này", reference=date(2025, 12, 3)).date == date(
        2025, 12, 20
    )
    assert parse("trước ngày 10 tháng sau", reference=date(2025, 12, 3)).date == date(2026, 1, 10)


def test_before_new_years_day() -> None:
    from minutes.deadlines import parse_deadline as parse

    assert parse("xong trước tết dương lịch", reference=date(2025, 11, 26)).date == date(2026, 1, 1)
    assert parse("hoàn thành trước tết", reference=date(2025, 11, 26)).date is None


MAY_3_2024 = date(2024, 5, 3)  # a Friday


@pytest.mark.parametrize(
    ("sentence", "expected_date", "expected_kind"),
    [
        # a count of months from the meeting, never "ngày 3 tháng tới" (2024-06-03)
        ("hoàn thành trong 3 tháng tới", date(2024, 8, 3), DeadlineKind.DURATION),
        ("hoàn thành trong ba tháng tới", date(2024, 8, 3), DeadlineKind.DURATION),
        ("hoàn thành trong vòng 3 tháng sắp tới", date(2024, 8, 3), DeadlineKind.DURATION),
        ("triển khai trong 02 tháng", date(2024, 7, 3), DeadlineKind.DURATION),
        ("rà soát trong 2 tuần tới", date(2024, 5, 17), DeadlineKind.DURATION),
        # a named month or quarter: its last day, the next one on or after the meeting
        ("hoàn thành trong tháng 3", date(2025, 3, 31), DeadlineKind.MONTH),
        ("hoàn thành trong tháng 6", date(2024, 6, 30), DeadlineKind.MONTH),
        ("hoàn thành trong quý III", date(2024, 9, 30), DeadlineKind.QUARTER),
        # a day of a relative month keeps its "ngày" / "mồng"
        ("báo cáo trước ngày 3 tháng tới", date(2024, 6, 3), DeadlineKind.DATE),
        ("báo cáo chậm nhất mồng năm tháng sau", date(2024, 6, 5), DeadlineKind.DATE),
    ],
)
def test_relative_months_resolve_from_the_meeting(
    sentence: str, expected_date: date, expected_kind: DeadlineKind
) -> None:
    result = parse_deadline(sentence, reference=MAY_3_2024)
    assert (result.date, result.kind) == (expected_date, expected_kind)


def test_a_bare_count_of_months_ahead_is_not_a_deadline() -> None:
    assert not find_deadlines("kế hoạch 6 tháng tới của ngành", reference=MAY_3_2024)


@pytest.mark.parametrize(
    ("sentence", "expected_text"),
    [
        (
            "các sở phải giải ngân hết trong hai tháng còn lại của năm",
            "trong hai tháng còn lại của năm",
        ),
        ("phấn đấu hoàn thành trong 2 tháng còn lại", "trong 2 tháng còn lại"),
        ("trong ba tháng còn lại của năm nay phải xong", "trong ba tháng còn lại của năm nay"),
    ],
)
def test_the_months_left_of_the_year_end_on_31_december(sentence: str, expected_text: str) -> None:
    """ "trong hai tháng còn lại" at a meeting of 28 October: the rest of the year, to 31
    December, not two months on (28 December); "trong hai tháng" alone stays a duration."""
    meeting = date(2024, 10, 28)
    result = parse_deadline(sentence, reference=meeting)
    assert (result.date, result.text, result.kind) == (
        date(2024, 12, 31),
        expected_text,
        DeadlineKind.YEAR,
    )
    assert parse_deadline("trong hai tháng", reference=meeting).date == date(2024, 12, 28)
