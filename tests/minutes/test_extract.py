"""Drafting conclusions and tasks from written and spoken Vietnamese."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutes import (
    Segment,
    Transcript,
    canonical_unit,
    draft_minutes,
    load_source,
)
from minutes.text import key

from .conftest import Example, own_examples


def _same_unit(predicted: str, gold: str) -> bool:
    """One of the named units is the same: canonical names, or one's words inside the other's."""
    stop = {"các", "tỉnh", "và", "ubnd", "ủy", "ban", "nhân", "dân"}
    for p in predicted.split(";"):
        for g in gold.split(";"):
            a = set(key(canonical_unit(p)).split()) - stop
            b = set(key(canonical_unit(g)).split()) - stop
            if a and b and (a <= b or b <= a):
                return True
    return False


def test_seed_article_conclusion_paragraph(seed_article: str) -> None:
    draft = draft_minutes(seed_article, meeting_date=date(2021, 6, 4))
    consultants = [t for t in draft.tasks if key(t.assignee) == "đơn vị tư vấn"]
    districts = [t for t in draft.tasks if t.assignee.startswith("Các huyện, thành phố")]
    # DESIGN.md: the consultants finish the plan by 20/6; the districts, the city and the
    # departments send their written opinions, with no deadline.
    finish = [t for t in consultants if t.evidence.startswith("Từ nay đến ngày 20/6")]
    assert len(finish) == 1
    assert finish[0].deadline == date(2021, 6, 20)
    assert finish[0].deadline_text == "Từ nay đến ngày 20/6"
    assert len(districts) == 1
    assert "các ngành" in districts[0].assignee
    assert districts[0].deadline is None and districts[0].deadline_text is None
    assert "gửi Sở Kế hoạch và Đầu tư" in districts[0].evidence
    reshape = [t for t in consultants if "định hình lại" in t.evidence]
    assert len(reshape) == 1
    assert len(draft.tasks) == 3
    # the background of the article (targets of the draft plan) is not a task
    assert not any("GRDP" in t.evidence for t in draft.tasks)
    assert any("Quy hoạch là một vấn đề lớn" in c.text for c in draft.conclusions)
    for item in (*draft.tasks, *draft.conclusions):
        assert item.evidence in unicodedata.normalize("NFC", seed_article)


@pytest.mark.parametrize("example", own_examples(), ids=lambda e: e.name)
def test_own_labelled_examples(example: Example) -> None:
    draft = draft_minutes(example.body, meeting_date=example.meeting_date)
    gold = example.labels["tasks"]
    matched = 0
    for g in gold:
        hits = [
            t
            for t in draft.tasks
            if (t.evidence in g["evidence"] or g["evidence"] in t.evidence)
            and _same_unit(t.assignee, g["assignee"])
        ]
        if hits:
            matched += 1
            assert (
                hits[0].deadline == (date.fromisoformat(g["deadline"]) if g["deadline"] else None)
                or g["deadline_text"] is None
            ), (g["evidence"], hits[0].deadline)
    assert matched >= len(gold) - 1, (matched, len(gold))
    assert len(draft.tasks) <= len(gold) + 1
    flat_body = " ".join(example.body.split())  # evidence joins segments with a space
    for t in draft.tasks:
        assert " ".join(t.evidence.split()) in flat_body
        if t.deadline_text is not None:
            assert t.deadline_text in t.evidence


@pytest.mark.parametrize(
    "sentence",
    [
        "Phó Giám đốc Sở Y tế đề nghị các địa phương đẩy mạnh tuyên truyền an toàn thực phẩm.",
        "Theo Phó Giám đốc Sở GTVT, Sở sẽ chủ trì rà soát các điểm đen tai nạn giao thông.",
        "Tại buổi họp, Sở Xây dựng báo cáo tình hình triển khai dự án.",
        "bên sở công thương cũng báo cáo là kế hoạch bình ổn đã trình ủy ban rồi",
        "ban dân tộc có ý kiến là đề nghị ưu tiên cho đồng bào vùng sâu",
        "Theo Kế hoạch, các sở, ngành phải thực hiện đầy đủ trách nhiệm quản lý nhà nước.",
        "Đề nghị các đồng chí khẩn trương triển khai thực hiện.",
        "Chủ tịch UBND tỉnh đề nghị các đơn vị khẩn trương triển khai thực hiện.",
        "UBND các huyện cơ bản đã hoàn thành chỉ tiêu được giao.",
        "Sở Xây dựng thời gian qua làm tốt công tác thẩm định.",
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh đề nghị UBND tỉnh bổ sung vốn ủy thác.",
        "UBND tỉnh sẽ xem xét khi có nguồn.",
        "Ngày 21/5, UBND tỉnh ban hành Công văn số 846/UBND-TH yêu cầu báo cáo tình hình "
        "giải ngân.",
    ],
)
def test_not_tasks(sentence: str) -> None:
    chair = "Phát biểu kết luận, Chủ tịch UBND tỉnh chỉ đạo như sau:\n"
    assert draft_minutes(chair + sentence, meeting_date=date(2024, 6, 12)).tasks == ()


@pytest.mark.parametrize(
    ("sentence", "assignee", "cooperating"),
    [
        (
            "Giao Sở Tài chính chủ trì, phối hợp với Sở KH&ĐT và các đơn vị liên quan tham mưu bố "
            "trí vốn.",
            "Sở Tài chính",
            ("Sở Kế hoạch và Đầu tư", "Các đơn vị liên quan"),
        ),
        (
            "Yêu cầu Công an tỉnh tăng cường tuần tra kiểm soát trên các tuyến quốc lộ.",
            "Công an tỉnh",
            (),
        ),
        (
            "Đề nghị Kho bạc Nhà nước tỉnh thanh toán ngay khi nhận đủ hồ sơ.",
            "Kho bạc Nhà nước",
            (),
        ),
        ("Sở Y tế khẩn trương kiểm tra an toàn thực phẩm tại các bếp ăn tập thể.", "Sở Y tế", ()),
        (
            "Sở Nội vụ có trách nhiệm hướng dẫn các địa phương sắp xếp đơn vị hành chính.",
            "Sở Nội vụ",
            (),
        ),
        ("Sở Xây dựng được giao chủ trì thẩm định thiết kế các công trình.", "Sở Xây dựng", ()),
    ],
)
def test_directive_forms(sentence: str, assignee: str, cooperating: tuple[str, ...]) -> None:
    draft = draft_minutes(sentence, meeting_date=date(2024, 6, 12))
    assert [(t.assignee, t.cooperating) for t in draft.tasks] == [(assignee, cooperating)]
    assert draft.tasks[0].evidence == sentence


def test_subject_carried_over_and_deadline_sentence_joins() -> None:
    text = (
        "Kết luận cuộc họp, Chủ tịch UBND tỉnh chỉ đạo như sau. Sở Tài nguyên và Môi trường "
        "rà soát toàn bộ hồ sơ đất đai của dự án. Đồng thời, lập phương án bồi thường bổ sung "
        "cho các hộ dân còn lại. Thời hạn: trước ngày 15/7/2024."
    )
    draft = draft_minutes(text, meeting_date=date(2024, 6, 12))
    assert [t.assignee for t in draft.tasks] == ["Sở Tài nguyên và Môi trường"] * 2
    second = draft.tasks[1]
    assert second.needs_review  # the unit was inferred
    assert second.deadline == date(2024, 7, 15)
    assert second.evidence.endswith("Thời hạn: trước ngày 15/7/2024.")
    assert draft.tasks[0].deadline is None


def test_enumerated_clauses_with_their_own_units() -> None:
    text = (
        "Phó Chủ tịch UBND tỉnh giao Sở Y tế bố trí cán bộ trực tại các điểm thi; Công an "
        "tỉnh bảo đảm an ninh khi vận chuyển đề thi; Công ty Điện lực bảo đảm cấp điện."
    )
    draft = draft_minutes(text, meeting_date=date(2025, 5, 28))
    assert [t.assignee for t in draft.tasks] == ["Sở Y tế", "Công an tỉnh", "Công ty Điện lực"]
    assert {t.evidence for t in draft.tasks} == {text}


def _transcript(lines: list[str]) -> Transcript:
    segments = []
    t = 0.0
    for line in lines:
        segments.append(Segment(t, t + 4.5, line))
        t += 5.0
    return Transcript(segments=tuple(segments), duration=t, model="test")


def test_unpunctuated_transcript_keeps_segment_times() -> None:
    transcript = _transcript(
        [
            "ờ tôi xin kết luận mấy vấn đề như sau",
            "thứ nhất là giao sở y tế chủ trì phối hợp với sở tài chính mua sắm thuốc dự phòng "
            "xong trong vòng mười ngày làm việc thứ hai là các huyện thì phải rà soát lại danh "
            "sách hộ nghèo trước ngày ba mươi tháng chín",
            "rồi báo cáo kết quả về văn phòng ủy ban tỉnh",
            "bên hải quan có đề xuất là lập thêm tổ kiểm tra thì để nghiên cứu sau",
        ]
    )
    draft = draft_minutes(transcript, meeting_date=date(2024, 9, 5))
    assert [t.assignee for t in draft.tasks] == ["Sở Y tế", "Các huyện", "Các huyện"]
    first, second, third = draft.tasks
    assert first.cooperating == ("Sở Tài chính",)
    assert first.deadline == date(
        2024, 9, 19
    )  # ten working days after Thursday 5/9 (2/9, 3/9 past)
    assert second.deadline == date(2024, 9, 30)
    assert (first.start, first.end) == (5.0, 9.5)
    assert (third.start, third.end) == (10.0, 14.5)
    assert third.needs_review


def test_punctuated_transcript_sentences_can_span_segments() -> None:
    transcript = _transcript(
        [
            "Rồi, tôi kết luận như sau. Sở xây dựng thì, à, nghiên",
            "cứu ban hành mẫu nhà ở điển hình cho từng vùng. Cái này tuần sau là phải có nhé.",
        ]
    )
    draft = draft_minutes(transcript, meeting_date=date(2024, 6, 12))
    assert len(draft.tasks) == 1
    task = draft.tasks[0]
    assert task.assignee == "Sở Xây dựng"
    assert task.deadline == date(2024, 6, 21)
    assert (task.start, task.end) == (0.0, 9.5)


def test_nfd_input_is_normalised_and_evidence_is_the_source_sentence() -> None:
    text = "Giao Sở Xây dựng hoàn thành thẩm định trước ngày 30/7/2024."
    draft = draft_minutes(unicodedata.normalize("NFD", text), meeting_date=date(2024, 7, 1))
    assert draft.tasks[0].evidence == text
    assert draft.tasks[0].deadline == date(2024, 7, 30)


def test_without_meeting_date_relative_deadlines_are_left_for_review() -> None:
    text = (
        "Giao Sở Xây dựng hoàn thành thẩm định trong tuần sau. "
        "Giao Sở Y tế báo cáo trước ngày 30/7/2024."
    )
    draft = draft_minutes(text)
    assert draft.meeting_date is None
    first, second = draft.tasks
    assert first.deadline is None and first.deadline_text == "trong tuần sau" and first.needs_review
    assert second.deadline == date(2024, 7, 30) and not second.needs_review


def test_json_shape_is_exactly_the_design() -> None:
    draft = draft_minutes(
        "Kết luận, Chủ tịch UBND tỉnh nhấn mạnh đây là nhiệm vụ quan trọng, phải làm ngay. "
        "Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính mua thuốc trước ngày 20/6.",
        meeting_date=date(2021, 6, 4),
    )
    data = json.loads(json.dumps(draft.to_json_dict(), ensure_ascii=False))
    assert set(data) == {"meeting_date", "conclusions", "tasks"}
    assert data["meeting_date"] == "2021-06-04"
    assert all(set(c) == {"text", "evidence"} for c in data["conclusions"])
    assert data["tasks"] == [
        {
            "assignee": "Sở Y tế",
            "cooperating": ["Sở Tài chính"],
            "action": data["tasks"][0]["action"],
            "deadline": "2021-06-20",
            "deadline_text": "trước ngày 20/6",
            "evidence": (
                "Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính mua thuốc trước ngày 20/6."
            ),
        }
    ]
    assert "mua thuốc" in data["tasks"][0]["action"]


def test_known_units_name_the_assignees() -> None:
    draft = draft_minutes(
        "Giao sở kế hoạch đầu tư tổng hợp báo cáo trước ngày 20/6.",
        meeting_date=date(2021, 6, 4),
        known_units=["Sở KH&ĐT", "Sở Tài chính"],
    )
    assert draft.tasks[0].assignee == "Sở KH&ĐT"


def test_drafting_is_deterministic_and_frozen(seed_article: str) -> None:
    a = draft_minutes(seed_article, meeting_date=date(2021, 6, 4))
    b = draft_minutes(seed_article, meeting_date=date(2021, 6, 4))
    assert a == b
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.tasks[0].assignee = "x"  # type: ignore[misc]


def test_load_source_reads_text_and_transcripts(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("Giao Sở Y tế kiểm tra.", encoding="utf-8")
    assert load_source(text_file) == "Giao Sở Y tế kiểm tra."
    json_file = tmp_path / "t.json"
    json_file.write_text(
        json.dumps(
            {
                "language": "vi",
                "duration": 3.0,
                "model": "base",
                "segments": [{"start": 0.0, "end": 3.0, "text": "giao sở y tế kiểm tra"}],
            }
        ),
        encoding="utf-8",
    )
    source = load_source(json_file)
    assert isinstance(source, Transcript)
    assert source.segments == (Segment(0.0, 3.0, "giao sở y tế kiểm tra"),)
    bad = tmp_path / "bad.json"
    bad.write_text('{"segments": 3}', encoding="utf-8")
    with pytest.raises(ValueError, match="segments"):
        load_source(bad)
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ValueError):
        load_source(binary)


@pytest.mark.parametrize("text", ["", "   \n\n", "[...]", "a" * 5000, "1. 2. 3.", "“”"])
def test_odd_input_gives_an_empty_draft(text: str) -> None:
    draft = draft_minutes(text)
    assert draft.tasks == ()


def test_a_long_unpunctuated_monologue_stays_linear() -> None:
    line = (
        "giao sở y tế chủ trì phối hợp với sở tài chính kiểm tra báo cáo ủy ban tỉnh trước ngày "
        "hai mươi tháng sáu rồi đề nghị công an tỉnh tuần tra"
    )
    draft = draft_minutes(" ".join([line] * 300), meeting_date=date(2024, 6, 12))
    assert draft.tasks and len(draft.tasks[0].action.split()) <= 31


_words = st.sampled_from(
    [
        "giao",
        "Sở",
        "Y",
        "tế",
        "chủ",
        "trì",
        "phối",
        "hợp",
        "với",
        "các",
        "huyện",
        "đề",
        "nghị",
        "yêu",
        "cầu",
        "trước",
        "ngày",
        "20/6",
        "thì",
        "à",
        "thứ",
        "nhất",
        "là",
        ",",
        ".",
        ";",
        "UBND",
        "tỉnh",
        "khẩn",
        "trương",
        "báo",
        "cáo",
        "đã",
        "sẽ",
        "Theo",
        "Kế",
        "hoạch",
        "\n",
        "kết",
        "luận",
        "tuần",
        "sau",
        "[...]",
        "“",
        "”",
        "…",
        "mười",
        "lăm",
        "làm",
        "việc",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_words, max_size=60).map(" ".join), st.none() | st.dates())
def test_any_text_drafts_without_error(text: str, meeting: date | None) -> None:
    draft = draft_minutes(text, meeting_date=meeting)
    source = unicodedata.normalize("NFC", text)
    for task in draft.tasks:
        assert task.assignee
        for piece in task.evidence.split(" "):
            assert piece in source
        if task.deadline_text is not None:
            assert task.deadline_text in task.evidence


def test_comma_hands_over_to_a_new_unit_but_not_inside_a_list() -> None:
    split = draft_minutes(
        "Phó Chủ tịch UBND tỉnh yêu cầu Sở Y tế tăng cường kiểm tra an toàn thực phẩm, Công an "
        "tỉnh xử lý nghiêm các vi phạm.",
        meeting_date=date(2024, 1, 1),
    )
    assert [t.assignee for t in split.tasks] == ["Sở Y tế", "Công an tỉnh"]
    listed = draft_minutes(
        "Chủ tịch UBND tỉnh kết luận như sau. Các huyện, thành phố, các ngành tổng hợp ý kiến "
        "gửi Sở Kế hoạch và Đầu tư, đơn vị tư vấn chỉnh sửa, bổ sung cho phù hợp.",
        meeting_date=date(2024, 1, 1),
    )
    assert [t.assignee for t in listed.tasks] == ["Các huyện, thành phố, các ngành"]


def test_a_segment_cut_on_a_dangling_word_joins_the_next() -> None:
    transcript = _transcript(
        [
            "tôi xin kết luận như sau",
            "thứ nhất là giao sở y tế chủ trì phối hợp với",
            "sở tài chính mua thuốc dự phòng xong trước ngày",
            "hai mươi tháng chín",
            "thứ hai là công an tỉnh tăng cường tuần tra",
        ]
    )
    draft = draft_minutes(transcript, meeting_date=date(2024, 9, 5))
    first, second = draft.tasks
    assert (first.assignee, first.cooperating) == ("Sở Y tế", ("Sở Tài chính",))
    assert first.deadline == date(2024, 9, 20)
    assert (first.start, first.end) == (5.0, 19.5)
    assert second.assignee == "Công an tỉnh" and second.start == 20.0


def test_long_action_is_cut_at_a_clause_boundary() -> None:
    from minutes.extract.actions import _shorten

    phrase = (
        "tổng hợp ý kiến góp ý của các huyện, thành phố và các sở, ngành về dự thảo báo cáo "
        "quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050 để hoàn thiện hồ sơ trình "
        "Hội đồng thẩm định quốc gia xem xét theo đúng quy định hiện hành của pháp luật"
    )
    short = _shorten(phrase)
    assert "…" not in short
    assert len(short.split()) <= 30
    assert short == (
        "tổng hợp ý kiến góp ý của các huyện, thành phố và các sở, ngành về dự thảo báo cáo "
        "quy hoạch tỉnh thời kỳ 2021 - 2030"
    )


def test_long_action_never_ends_inside_a_name() -> None:
    from minutes.extract.actions import _shorten

    phrase = (
        "rà soát danh mục các công trình hạ tầng đô thị đã được phê duyệt chủ trương đầu tư "
        "nhưng chưa triển khai rồi gửi Sở Kế hoạch và Đầu tư tổng hợp báo cáo"
    )
    assert phrase.split()[29] == "Đầu"  # the 30th word
    short = _shorten(phrase)
    assert short.endswith("gửi Sở Kế hoạch và Đầu tư") and "…" not in short
    assert _shorten("giao nhiệm vụ cụ thể") == "giao nhiệm vụ cụ thể"
    draft = draft_minutes(
        "Giao Sở Xây dựng rà soát danh mục các công trình hạ tầng đô thị đã được phê duyệt "
        "chủ trương đầu tư nhưng chưa triển khai rồi gửi Sở Kế hoạch và Đầu tư tổng hợp báo "
        "cáo UBND tỉnh.",
        meeting_date=date(2024, 6, 12),
    )
    (task,) = draft.tasks
    assert "Đầu tư" in task.action and not task.action.endswith("Đầu")


@pytest.mark.parametrize(
    ("text", "assignee"),
    [
        (
            "tôi kết luận mấy việc như sau\n"
            "thứ nhất công ty khai thác thủy lợi phải vận hành các cống ngăn mặn theo đúng lịch",
            "Công ty khai thác thủy lợi",
        ),
        (
            "tôi kết luận mấy việc như sau\n"
            "ngân hàng chính sách xã hội chi nhánh tỉnh xem xét giãn nợ cho các hộ bị thiệt hại",
            "Ngân hàng chính sách xã hội chi nhánh tỉnh",
        ),
        (
            "thời gian tới tôi yêu cầu thế này\n"
            "phòng tài nguyên môi trường huyện phối hợp với văn phòng đăng ký đất đai hoàn thiện "
            "hồ sơ thu hồi đất",
            "Phòng tài nguyên môi trường huyện",
        ),
        (
            "Phát biểu kết luận, Phó Chủ tịch UBND tỉnh nhấn mạnh không được chủ quan. "
            "Trong thời gian tới, các huyện, thành phố rà soát các khu dân cư có nguy cơ sạt lở.",
            "Các huyện, thành phố",
        ),
    ],
)
def test_units_known_by_their_head_and_the_time_ahead(text: str, assignee: str) -> None:
    draft = draft_minutes(text, meeting_date=date(2024, 6, 12))
    assert [t.assignee for t in draft.tasks] == [assignee]


def test_chair_body_is_not_a_lowercase_unit() -> None:
    text = (
        "tôi kết luận mấy việc như sau\n"
        "ban chỉ đạo ghi nhận và biểu dương các đơn vị đã làm tốt trong thời gian qua"
    )
    assert draft_minutes(text, meeting_date=date(2024, 6, 12)).tasks == ()


def test_directing_its_own_subordinate_keeps_the_unit() -> None:
    text = (
        "Chủ tịch UBND tỉnh yêu cầu:\n"
        "1. Sở Nông nghiệp và Phát triển nông thôn là cơ quan thường trực, chủ trì hướng dẫn các "
        "địa phương triển khai các biện pháp phòng, chống dịch. Chỉ đạo Chi cục Chăn nuôi và Thú "
        "y cung ứng đủ hóa chất khử trùng cho các vùng có dịch trước ngày 10/10/2024.\n"
    )
    draft = draft_minutes(text, meeting_date=date(2024, 10, 2))
    assert [t.assignee for t in draft.tasks] == ["Sở Nông nghiệp và Phát triển nông thôn"] * 2
    assert draft.tasks[1].deadline == date(2024, 10, 10)


def test_a_reporting_schedule_before_the_unit_is_an_order() -> None:
    text = (
        "Chủ tịch UBND tỉnh chỉ đạo như sau:\n"
        "- Định kỳ thứ Sáu hằng tuần, các chủ đầu tư báo cáo tiến độ giải ngân về Sở Kế hoạch "
        "và Đầu tư để tổng hợp.\n"
    )
    (task,) = draft_minutes(text, meeting_date=date(2023, 11, 6)).tasks
    assert task.assignee.lower().startswith("các chủ đầu tư") or "chủ đầu tư" in task.assignee
    assert task.deadline is None


def test_the_frame_of_a_list_is_not_a_task() -> None:
    text = (
        "Để tổ chức Lễ hội an toàn, hiệu quả, giao các đơn vị triển khai các nhiệm vụ sau:\n"
        "1. Công an tỉnh xây dựng phương án bảo đảm an ninh, trật tự trong các ngày Lễ hội.\n"
    )
    draft = draft_minutes(text, meeting_date=date(2024, 8, 12))
    assert [t.assignee for t in draft.tasks] == ["Công an tỉnh"]


def test_items_under_a_unit_heading_that_direct_a_subordinate() -> None:
    text = (
        "Chủ tịch UBND tỉnh chỉ thị:\n"
        "1. Sở Nông nghiệp và Môi trường:\n"
        "a) Chỉ đạo Chi cục Kiểm lâm bố trí lực lượng trực 24/24 giờ tại các vùng trọng điểm.\n"
        "b) Kiểm tra, đôn đốc các chủ rừng xây dựng phương án phòng cháy, chữa cháy rừng.\n"
    )
    draft = draft_minutes(text, meeting_date=date(2025, 3, 3))
    assert [t.assignee for t in draft.tasks] == ["Sở Nông nghiệp và Môi trường"] * 2


@pytest.mark.parametrize(
    ("text", "assignee"),
    [
        (
            "bây giờ tôi giao việc cụ thể\n"
            "huyện thì phải tập trung vận động ba mươi hai hộ này cuối tháng này phải xong",
            "UBND huyện",
        ),
        (
            "Kết luận buổi làm việc, Chủ tịch UBND tỉnh lưu ý ngành y tế phải nâng cao tinh thần, "
            "thái độ phục vụ người bệnh.",
            "Ngành y tế",
        ),
    ],
)
def test_spoken_levels_and_a_reminder_to_a_sector(text: str, assignee: str) -> None:
    draft = draft_minutes(text, meeting_date=date(2024, 8, 21))
    assert [t.assignee for t in draft.tasks] == [assignee]


def test_a_later_chi_dao_keeps_the_sentence_own_subject() -> None:
    text = (
        "Để chủ động ứng phó với bão, Chủ tịch UBND tỉnh yêu cầu:\n"
        "2. Bộ đội Biên phòng tỉnh phối hợp với Cảng vụ Hàng hải tỉnh kiểm đếm các phương tiện "
        "đang hoạt động trên biển.\n"
        "3. Sở Nông nghiệp và Phát triển nông thôn hướng dẫn nông dân thu hoạch sớm lúa, hoa màu; "
        "chỉ đạo vận hành các hồ chứa bảo đảm an toàn hạ du.\n"
    )
    draft = draft_minutes(text, meeting_date=date(2024, 9, 5))
    assert [t.assignee for t in draft.tasks] == [
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "Sở Nông nghiệp và Phát triển nông thôn",
    ]


def test_provincial_telecoms_are_units() -> None:
    text = (
        "Về chuyển đổi số thì tôi có mấy ý kết luận như thế này.\n"
        "Viettel tỉnh với VNPT tỉnh thì hỗ trợ phủ sóng cho mấy thôn vùng lõm còn lại.\n"
    )
    (task,) = draft_minutes(text, meeting_date=date(2025, 9, 10)).tasks
    assert task.assignee == "Viettel tỉnh; VNPT tỉnh"


def test_spoken_orders_after_a_refusal_and_to_the_office() -> None:
    text = (
        "Rồi, tôi có mấy ý như thế này. Về tiến độ thì tôi không đồng ý lùi sang tháng sáu, ban "
        "quản lý dự án phải làm việc lại với nhà thầu, tăng ca, cuối tháng tư phải xong phần "
        "đường ống. Sở tài chính cho ý kiến về phương án giá nước trong năm ngày làm việc, gửi "
        "sở xây dựng tổng hợp. Còn đề xuất của bên thú y thì văn phòng tổng hợp trình tôi xem "
        "xét sau."
    )
    draft = draft_minutes(text, meeting_date=date(2025, 2, 19))
    assert [t.assignee.split()[0] for t in draft.tasks] == ["Ban", "Sở", "Văn"]
    assert draft.tasks[0].deadline == date(2025, 4, 30)
    assert draft.tasks[1].deadline == date(2025, 2, 26)


def test_a_division_named_before_its_unit_and_the_next_step_after_rồi() -> None:
    text = (
        "ờ thôi thời gian cũng muộn rồi tôi nói nhanh mấy việc\n"
        "thứ hai bên phòng cháy chữa cháy công an tỉnh kiểm tra lại toàn bộ hệ thống báo cháy ở "
        "chợ chỗ nào không đạt thì xử lý luôn\n"
        "thứ ba là ban quản lý chợ phải sắp xếp lại các hộ kinh doanh không để lấn chiếm lối đi\n"
        "rồi báo cáo tôi kết quả trong tháng này\n"
    )
    draft = draft_minutes(text, meeting_date=date(2024, 11, 13))
    assert [t.assignee for t in draft.tasks] == [
        "Công an tỉnh",
        "Ban quản lý chợ",
        "Ban quản lý chợ",
    ]
    assert draft.tasks[2].deadline == date(2024, 11, 30)


def test_a_condition_before_the_comma_does_not_open_an_order() -> None:
    text = (
        "Chủ tịch UBND tỉnh yêu cầu các địa phương quyết liệt thực hiện. Nơi nào không triển khai "
        "đầy đủ Chỉ thị, để tai nạn giao thông tăng, Chủ tịch UBND cấp huyện phải chịu trách "
        "nhiệm trước Chủ tịch UBND tỉnh."
    )
    draft = draft_minutes(text, meeting_date=date(2023, 5, 26))
    assert all("cấp huyện" not in t.assignee for t in draft.tasks)


def test_the_first_strong_order_opens_the_directions() -> None:
    text = (
        "Rồi, các đồng chí. Tôi thấy báo cáo nói nhiều về khó khăn quá, mà giải pháp thì chưa rõ. "
        "Anh em ở các huyện thì phải rà soát lại từng công trình, trước ngày mười lăm tháng mười "
        "một gửi sở kế hoạch. Sở kế hoạch và đầu tư tổng hợp, tham mưu cho ủy ban phương án điều "
        "chuyển vốn. Thứ nữa là đài phát thanh truyền hình tỉnh đưa tin về kết quả giải ngân."
    )
    draft = draft_minutes(text, meeting_date=date(2024, 10, 30))
    assert [t.assignee for t in draft.tasks] == [
        "Các huyện",
        "Sở Kế hoạch và Đầu tư",
        "Đài Phát thanh và Truyền hình tỉnh",
    ]


def test_whisper_text_with_capitalised_sentence_starts_reads_as_spoken() -> None:
    from minutes.segment import split_sentences

    spoken = (
        "Rồi, cảm ơn các đồng chí. Bên sở nông nghiệp đề xuất là tỉnh công bố tình huống khẩn "
        "cấp. Thứ hai, các huyện ven biển rà soát diện tích lúa có nguy cơ thiệt hại."
    )
    written = (
        "Ngày 15/8, Ban Chỉ huy phòng, chống thiên tai tỉnh họp. Sở Tài chính tham mưu bố trí "
        "kinh phí khắc phục hậu quả thiên tai cho các địa phương."
    )
    assert all(s.spoken for s in split_sentences(spoken))
    assert not any(s.spoken for s in split_sentences(written))


def test_a_heading_after_yeu_cau_and_a_spoken_pause_before_the_verb() -> None:
    text = (
        "Chủ tịch UBND tỉnh kết luận:\n"
        "Yêu cầu Công ty Cổ phần Môi trường đô thị:\n"
        "a) Khẩn trương sửa chữa, đưa lò đốt số 2 vào hoạt động trở lại trước ngày 30/6/2025.\n"
        "b) Tăng cường phun chế phẩm khử mùi, che phủ bãi chôn lấp hằng ngày.\n"
    )
    draft = draft_minutes(text, meeting_date=date(2025, 5, 22))
    assert [t.assignee for t in draft.tasks] == ["Công ty Cổ phần Môi trường đô thị"] * 2
    spoken = (
        "Rồi, tôi chỉ đạo như sau. Hội chữ thập đỏ tỉnh, à, hỗ trợ nhu yếu phẩm cho các hộ "
        "phải di dời nhé."
    )
    (task,) = draft_minutes(spoken, meeting_date=date(2025, 10, 20)).tasks
    assert task.assignee == "Hội chữ thập đỏ tỉnh"


def test_to_chuc_after_a_list_of_communes_is_the_verb() -> None:
    text = (
        "Phó Chủ tịch UBND tỉnh kết luận như sau:\n"
        "5. Các xã, phường tổ chức Đại hội thể dục thể thao cấp cơ sở, hoàn thành trước ngày "
        "30/4/2026.\n"
    )
    (task,) = draft_minutes(text, meeting_date=date(2026, 3, 6)).tasks
    assert task.assignee == "UBND các xã, phường" or task.assignee == "Các xã, phường"
    assert task.deadline == date(2026, 4, 30)


def test_a_topic_about_proposals_before_giao_is_not_a_speaker() -> None:
    text = (
        "Phát biểu kết luận, Chủ tịch UBND tỉnh khẳng định tỉnh luôn đồng hành cùng doanh "
        "nghiệp.\nCác kiến nghị chưa được trả lời tại hội nghị, giao Văn phòng UBND tỉnh tổng "
        "hợp, chuyển các cơ quan chuyên môn trả lời bằng văn bản trong 15 ngày.\n"
    )
    (task,) = draft_minutes(text, meeting_date=date(2024, 7, 17)).tasks
    assert task.assignee == "Văn phòng UBND tỉnh"
    assert task.deadline == date(2024, 8, 1)


def test_police_named_by_their_force() -> None:
    text = (
        "rồi tôi kết luận luôn\n"
        "hai là cảnh sát phòng cháy chữa cháy tỉnh chủ trì kiểm tra đột xuất các cơ sở này trong "
        "tháng mười hai\n"
    )
    (task,) = draft_minutes(text, meeting_date=date(2025, 11, 26)).tasks
    assert task.assignee.lower().startswith("cảnh sát phòng cháy")
    assert task.deadline == date(2025, 12, 31)


def test_a_text_without_marks_is_cut_into_bounded_sentences() -> None:
    """No sentence of a transcript without any marks grows past the bound (so drafting stays
    linear), every piece is an exact slice of the text, and orders in it are still found."""
    from minutes.segment import MAX_SENTENCE_CHARS, split_sentences

    line = "chủ tịch ủy ban nhân dân tỉnh yêu cầu mấy việc ờ các huyện tình hình còn chậm lắm "
    text = line * 200 + "giao sở xây dựng rà soát hồ sơ trong tuần này " + line * 200
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(s.text in text for s in sentences)
    assert " ".join(s.text for s in sentences).split() == text.split()
    tasks = draft_minutes(text, meeting_date=date(2024, 6, 12)).tasks
    assert any(t.assignee == "Sở Xây dựng" for t in tasks)


def test_input_limit() -> None:
    from minutes import MAX_INPUT_CHARS, SourceError

    with pytest.raises(SourceError) as raised:
        draft_minutes("a" * (MAX_INPUT_CHARS + 1))
    assert raised.value.kind == "too_large"
    big = Transcript(segments=(Segment(0.0, 1.0, "a" * (MAX_INPUT_CHARS + 1)),))
    with pytest.raises(SourceError):
        draft_minutes(big)


@pytest.mark.parametrize(
    ("sentence", "assignee"),
    [
        # the chair named by honorific, name and title: the chair speaks, the unit after acts
        (
            "Về việc này, bà Lê Thị Hoa - Phó Chủ tịch UBND tỉnh đề nghị Sở Y tế khẩn trương "
            "kiểm tra các cơ sở khám bệnh.",
            "Sở Y tế",
        ),
        (
            "Tại cuộc họp, ông Trần Văn Nam, Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng rà soát "
            "lại quy hoạch chung.",
            "Sở Xây dựng",
        ),
        # the chair's act opens the sentence: whoever follows chairs
        (
            "Chủ trì buổi làm việc, bà Nguyễn Thị Lan thống nhất với báo cáo của Sở Tài chính "
            "và yêu cầu Sở Nội vụ hoàn thiện đề án.",
            "Sở Nội vụ",
        ),
        (
            "Phát biểu chỉ đạo, đồng chí Bí thư Tỉnh ủy đề nghị các địa phương đẩy nhanh tiến "
            "độ giải ngân.",
            "Các địa phương",
        ),
        # an order after a fronted basis that names a unit
        (
            "Căn cứ đề xuất của Sở Tài chính, giao Sở Kế hoạch và Đầu tư cân đối nguồn vốn "
            "đối ứng.",
            "Sở Kế hoạch và Đầu tư",
        ),
        (
            "Trên cơ sở kết quả kiểm tra của Thanh tra tỉnh, yêu cầu Sở Giao thông vận tải "
            "xử lý trách nhiệm nhà thầu.",
            "Sở Giao thông vận tải",
        ),
        # a province or city by its proper name
        ("Thủ tướng yêu cầu Hà Giang tập trung hoàn thành các tuyến đường kết nối.", "Hà Giang"),
        (
            "Theo Phó Thủ tướng, để phát triển nhanh, Bình Định phải khai thác tốt lợi thế "
            "kinh tế biển.",
            "Bình Định",
        ),
        # a capitalised name stops before the verb of its order
        ("Phó Thủ tướng yêu cầu Bộ Tài chính hướng dẫn các địa phương quyết toán.", "Bộ Tài chính"),
    ],
)
def test_speaker_structure_and_named_assignees(sentence: str, assignee: str) -> None:
    tasks = draft_minutes(sentence).tasks
    assert [t.assignee for t in tasks] == [assignee]


@pytest.mark.parametrize(
    "sentence",
    [
        # a participant named by honorific and a title that is not the chair's
        "Tại hội nghị, ông Phạm Văn Đức, Giám đốc Sở Y tế đề nghị tỉnh bổ sung kinh phí.",
        "Bà Hoàng Thị Mai, đại biểu HĐND tỉnh, đề nghị Sở Giáo dục sửa chữa trường học.",
    ],
)
def test_a_participant_named_by_honorific_still_only_proposes(sentence: str) -> None:
    assert draft_minutes(sentence).tasks == ()


def test_a_headline_is_not_a_second_task() -> None:
    text = (
        "Quảng Bình khẩn trương sửa chữa cầu treo sau bão\n"
        "UBND tỉnh yêu cầu UBND các huyện khẩn trương sửa chữa các cầu treo bị hư hỏng "
        "sau bão số 10.\n"
    )
    assert [t.assignee for t in draft_minutes(text).tasks] == ["UBND các huyện"]
    # a first line that is a sentence is not a headline
    text = "Sở Y tế phải kiểm tra các cơ sở khám bệnh tư nhân trong tháng này.\nHết.\n"
    assert [t.assignee for t in draft_minutes(text).tasks] == ["Sở Y tế"]


@pytest.mark.parametrize(
    ("text", "assignees"),
    [
        # passive orders: "X được yêu cầu / được đề nghị …"
        (
            "Theo văn bản, UBND các huyện ven biển được yêu cầu khẩn trương sơ tán dân khỏi "
            "vùng nguy hiểm.",
            ["UBND các huyện ven biển"],
        ),
        (
            "Sở Tài chính được đề nghị bố trí kinh phí cho các xã bị thiệt hại.",
            ["Sở Tài chính"],
        ),
        # ministries as a group
        (
            "Thủ tướng yêu cầu các bộ, cơ quan ngang bộ rà soát các văn bản hướng dẫn.",
            ["Các bộ, cơ quan ngang bộ"],
        ),
        # "Báo cáo" opens a sentence about a report, not a newspaper
        ("Báo cáo cần nêu rõ kết quả giải ngân của từng dự án.", []),
        # spoken: the units just named are told "các đồng chí phải …"
        (
            "thứ nhất là ủy ban nhân dân huyện thì phải rà soát lại hồ sơ đất đai\n"
            "các đồng chí phải tăng cường vận động giải thích cho bà con chấp hành\n",
            ["UBND huyện", "UBND huyện"],
        ),
        (
            "thứ hai là bộ kế hoạch đầu tư chủ trì dự thảo chỉ thị về cải cách\n",
            ["Bộ Kế hoạch và Đầu tư"],
        ),
    ],
)
def test_passive_orders_groups_and_addressed_units(text: str, assignees: list[str]) -> None:
    assert [t.assignee for t in draft_minutes(text).tasks] == assignees


@pytest.mark.parametrize(
    "sentence",
    [
        "Phát biểu tại hội nghị, Thứ trưởng ghi nhận, biểu dương kết quả công tác năm qua "
        "của ngành.",
        "Tại cuộc họp, các thành viên UBND tỉnh đã góp ý và thống nhất thông qua tờ trình về "
        "chủ trương đầu tư dự án.",
        "Chủ tịch UBND tỉnh đánh giá cao sự vào cuộc của các huyện trong phòng chống dịch.",
    ],
)
def test_the_chairs_assessments_and_agreements_are_conclusions(sentence: str) -> None:
    draft = draft_minutes(sentence)
    assert draft.tasks == () and [c.evidence for c in draft.conclusions] == [sentence]


@pytest.mark.parametrize(
    "text",
    [
        # a statistic is no conclusion
        "Kết luận cuộc họp, Chủ tịch nhấn mạnh: thu ngân sách đạt 3.120 tỷ đồng, bằng 52%, "
        "tăng 12% so với năm 2023, chi 4.100 tỷ.",
        # nor a deadline left over from a task
        "tôi xin kết luận như sau\nsở y tế phải mua đủ thuốc dự phòng\n"
        "phải hoàn thành trước ngày mười lăm tháng tám không để kéo dài\n",
    ],
)
def test_no_statistic_or_leftover_deadline_among_conclusions(text: str) -> None:
    assert draft_minutes(text, meeting_date=date(2024, 6, 12)).conclusions == ()


@pytest.mark.parametrize(
    ("text", "action"),
    [
        (
            "Giao Sở Tài chính chủ trì xử lý dứt điểm các khoản nợ đọng, hoàn thành trước "
            "ngày 31/10/2024.",
            "Chủ trì xử lý dứt điểm các khoản nợ đọng",
        ),
        (
            "tôi xin kết luận như sau\nsở nội vụ rà soát lại biên chế các đơn vị cái này phải "
            "xong trong quý hai\n",
            "Rà soát lại biên chế các đơn vị",
        ),
        (
            "Yêu cầu UBND các huyện niêm yết danh sách cử tri xong trước ngày 20/3/2024.",
            "Niêm yết danh sách cử tri",
        ),
    ],
)
def test_an_action_is_a_clean_verb_phrase(text: str, action: str) -> None:
    (task,) = draft_minutes(text, meeting_date=date(2024, 6, 12)).tasks
    assert task.action == action and task.deadline is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Giao Sở Xây dựng hoàn thành thiết kế cơ sở trước ngày 10/7/2024 và khởi công "
            "công trình trước ngày 30/9/2024.",
            [
                ("Hoàn thành thiết kế cơ sở", "2024-07-10"),
                ("Khởi công công trình", "2024-09-30"),
            ],
        ),
        (
            "Yêu cầu Sở Y tế gửi báo cáo sơ bộ trong tuần này, báo cáo chính thức trước ngày "
            "28/6/2024.",
            [("Gửi báo cáo sơ bộ", "2024-06-14"), ("Báo cáo chính thức", "2024-06-28")],
        ),
    ],
)
def test_two_deadlines_for_two_parts_are_two_tasks(
    text: str, expected: list[tuple[str, str]]
) -> None:
    tasks = draft_minutes(text, meeting_date=date(2024, 6, 12)).tasks
    assert [(t.action, t.deadline.isoformat() if t.deadline else None) for t in tasks] == expected
    assert len({t.assignee for t in tasks}) == 1


def test_an_order_stated_twice_on_a_page_is_one_task() -> None:
    text = (
        "UBND tỉnh yêu cầu Sở Tài nguyên và Môi trường kiểm tra, xử lý dứt điểm việc khai "
        "thác cát trái phép trên sông.\n"
        "Theo đó, Sở Tài nguyên và Môi trường kiểm tra, xử lý dứt điểm việc khai thác cát "
        "trái phép trên sông.\n"
        "UBND tỉnh yêu cầu Sở Tài nguyên và Môi trường lập hồ sơ đấu giá mỏ cát.\n"
    )
    tasks = draft_minutes(text).tasks
    assert [t.action[:22] for t in tasks] == ["Kiểm tra, xử lý dứt đi", "Lập hồ sơ đấu giá mỏ c"]


@pytest.mark.parametrize(
    "text",
    [
        # a matter, not a body, before "thì" / "phải"
        "Kết luận cuộc họp, Chủ tịch chỉ đạo: các trường hợp vi phạm hành lang giao thông "
        "thì phải xử lý dứt điểm.",
        "tôi xin kết luận như sau\ncòn các nội dung cụ thể thì văn phòng sẽ có công văn sau\n",
        # the order referred to, not given
        "Giao Sở Y tế kiểm tra các cơ sở khám bệnh.\n"
        "Chỉ đạo này được đưa ra sau khi lãnh đạo tỉnh kiểm tra thực tế tại hai bệnh viện.\n",
        # an earlier order recalled
        "Trước đó, ngày 13/9, UBND tỉnh có văn bản giao Sở Xây dựng kiểm tra công trình.\n",
        # a list frame: the items below are the tasks
        "Thủ tướng yêu cầu triển khai các giải pháp cải thiện môi trường kinh doanh, gồm:\n",
    ],
)
def test_descriptions_are_not_orders(text: str) -> None:
    tasks = draft_minutes(text).tasks
    assert all(t.assignee == "Sở Y tế" for t in tasks) and len(tasks) <= 1
    assert all(not t.assignee.startswith(("Các trường", "Các nội dung")) for t in tasks)


@pytest.mark.parametrize(
    ("text", "assignee"),
    [
        # a purpose that mentions directing, then the order
        (
            "Nhằm tập trung chỉ đạo, triển khai hiệu quả Nghị quyết, Thủ tướng yêu cầu các bộ, "
            "cơ quan ngang bộ báo cáo kết quả thực hiện.",
            "Các bộ, cơ quan ngang bộ",
        ),
        # the chair's order reported in the past tense; the body's 'vừa' too
        (
            "Sau khi báo đăng bài, Chủ tịch UBND tỉnh đã chỉ đạo Sở Công Thương kiểm tra "
            "các cửa hàng xăng dầu.",
            "Sở Công Thương",
        ),
        (
            "UBND tỉnh vừa yêu cầu Sở Nông nghiệp và Phát triển nông thôn kiểm tra đê điều.",
            "Sở Nông nghiệp và Phát triển nông thôn",
        ),
        # the chair assesses, then orders in the same sentence
        (
            "Tại buổi kiểm tra, Chủ tịch UBND tỉnh nhận định công trình cơ bản đã hoàn thành, "
            "đồng thời yêu cầu Sở Xây dựng đẩy nhanh nghiệm thu.",
            "Sở Xây dựng",
        ),
        # a group and its members by name
        (
            "Theo công văn, UBND các huyện Bố Trạch, Minh Hóa và Tuyên Hóa được yêu cầu "
            "khẩn trương sửa chữa cầu treo.",
            "UBND các huyện",
        ),
    ],
)
def test_reported_orders(text: str, assignee: str) -> None:
    tasks = draft_minutes(text).tasks
    assert [t.assignee for t in tasks] == [assignee]


def test_an_earlier_document_of_the_body_is_not_an_order() -> None:
    text = "Tại Công văn số 510/UBND-KT, UBND tỉnh đã chỉ đạo các sở, ngành rà soát hồ sơ đất đai."
    assert draft_minutes(text).tasks == ()


@pytest.mark.parametrize(
    ("text", "assignee"),
    [
        # spoken: a body by its head noun after "bên" / "phía"
        ("tôi xin kết luận như sau\nđề nghị bên quỹ thì đẩy nhanh giải ngân vốn vay\n", "Quỹ"),
        ("tôi xin kết luận như sau\nphía công ty thì phải dọn dẹp mặt bằng ngay\n", "Công ty"),
        # spoken: "ủy ban tỉnh …" written as UBND
        (
            "tôi xin kết luận như sau\nthứ hai ủy ban tỉnh hà giang tổ chức đấu thầu cho "
            "đúng quy định\n",
            "UBND tỉnh hà giang",
        ),
    ],
)
def test_spoken_bodies(text: str, assignee: str) -> None:
    assert [t.assignee for t in draft_minutes(text).tasks] == [assignee]


def test_a_condition_then_the_action_keeps_the_subject() -> None:
    text = (
        "Giao Sở Tài nguyên và Môi trường kiểm tra mỏ cát trái phép trên sông.\n"
        "Nếu đủ yếu tố thì chuyển hồ sơ sang công an để xử lý hình sự theo quy định.\n"
    )
    tasks = draft_minutes(text).tasks
    assert [t.assignee for t in tasks] == ["Sở Tài nguyên và Môi trường"] * 2
    assert tasks[1].action.startswith("Chuyển hồ sơ sang công an")


def test_a_spoken_heading_names_the_units_of_the_next_lines() -> None:
    text = (
        "tôi kết luận mấy ý như sau\n"
        "thứ nhất là huyện bắc hà với xã bản phố\n"
        "các đồng chí phải rà soát lại toàn bộ các hộ đang ở vùng sạt lở\n"
        "thứ hai là bên công ty điện lực\n"
        "khẩn trương khôi phục đường dây trung thế cho các xã\n"
    )
    tasks = draft_minutes(text).tasks
    assert [t.assignee for t in tasks] == ["UBND huyện bắc hà; UBND xã bản phố", "Công ty Điện lực"]


@pytest.mark.parametrize(
    ("sentence", "assignee"),
    [
        (
            "Chủ tịch UBND tỉnh đã chỉ đạo huyện Mường Tè cùng xã Ka Lăng tăng cường vận động "
            "người dân.",
            "UBND huyện Mường Tè; UBND xã Ka Lăng",
        ),
        (
            "Thủ tướng đề nghị tỉnh Cao Bằng khẩn trương hoàn thiện hồ sơ cửa khẩu.",
            "UBND tỉnh Cao Bằng",
        ),
    ],
)
def test_a_place_by_level_and_name_is_its_peoples_committee(sentence: str, assignee: str) -> None:
    assert [t.assignee for t in draft_minutes(sentence).tasks] == [assignee]


@pytest.mark.parametrize(
    ("sentence", "assignee"),
    [
        # two units sharing the levels at the end
        (
            "Yêu cầu UBND, Phòng Y tế các huyện, thị xã rà soát các cơ sở khám bệnh tư nhân.",
            "UBND các huyện, thị xã; Phòng Y tế các huyện, thị xã",
        ),
        # districts of a city ("quận"); the city's chair speaks
        (
            "Chủ tịch UBND TP giao Chủ tịch UBND các quận, huyện rà soát công trình không phép.",
            "Chủ tịch UBND các quận, huyện",
        ),
        # "giao thông" is no order verb
        (
            "Ban An toàn giao thông tỉnh phải tăng cường kiểm tra xe khách dịp lễ.",
            "Ban An toàn giao thông tỉnh",
        ),
    ],
)
def test_units_are_not_cut(sentence: str, assignee: str) -> None:
    assert [t.assignee for t in draft_minutes(sentence).tasks] == [assignee]


def test_the_name_of_an_event_is_no_deadline() -> None:
    (task,) = draft_minutes(
        "Giao Sở Tư pháp thẩm định dự thảo nghị quyết để trình HĐND tỉnh tại kỳ họp cuối năm.",
        meeting_date=date(2024, 6, 12),
    ).tasks
    assert task.deadline is None and task.deadline_text is None


def test_another_part_with_its_own_deadline_is_its_own_task() -> None:
    text = (
        "tôi xin kết luận như sau\n"
        "giao sở tư pháp thẩm định các dự thảo nghị quyết quy phạm trước ngày hai mươi tháng chín\n"
        "còn nghị quyết cá biệt thì chậm nhất là ngày mười tháng mười nhé\n"
    )
    tasks = draft_minutes(text, meeting_date=date(2024, 6, 12)).tasks
    assert [(t.assignee, t.deadline) for t in tasks] == [
        ("Sở Tư pháp", date(2024, 9, 20)),
        ("Sở Tư pháp", date(2024, 10, 10)),
    ]
    assert tasks[1].action == "Nghị quyết cá biệt"


@pytest.mark.parametrize(
    ("sentence", "assignee"),
    [
        ("Chủ tịch UBND tỉnh yêu cầu Quỹ đẩy nhanh tiến độ thi công khu dịch vụ.", "Quỹ"),
        (
            "Thứ trưởng đề nghị Tổng cục tiếp tục hoàn thiện hồ sơ quy hoạch không gian biển.",
            "Tổng cục",
        ),
        # a lower-case word after a head is no name, even when it starts with "đ" or "ư"
        ("Yêu cầu Sở đẩy mạnh tuyên truyền về an toàn thực phẩm.", "Sở"),
    ],
)
def test_a_body_by_its_head_alone(sentence: str, assignee: str) -> None:
    assert [t.assignee for t in draft_minutes(sentence).tasks] == [assignee]


def test_a_conclusion_said_twice_is_listed_once() -> None:
    text = (
        "tôi xin kết luận như sau\n"
        "ban chỉ đạo ghi nhận và biểu dương các đơn vị đã làm tốt trong thời gian qua\n"
        "sở xây dựng phải hướng dẫn các chủ đầu tư hoàn thiện hồ sơ thiết kế\n"
        "ban chỉ đạo ghi nhận và biểu dương các đơn vị đã làm tốt trong thời gian qua\n"
    )
    draft = draft_minutes(text)
    assert len(draft.conclusions) == 1 and len(draft.tasks) == 1


_DECISION = """QUYẾT ĐỊNH BAN HÀNH QUY CHẾ LÀM VIỆC
Căn cứ Nghị định số 12/2020/NĐ-CP của Chính phủ;
Xét đề nghị của Chánh Văn phòng Sở,
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Sở.
Điều 2. Các phòng thuộc Sở căn cứ Quy chế này xây dựng lịch công tác của phòng mình.
Điều 3. Chánh Văn phòng Sở có trách nhiệm đôn đốc, kiểm tra việc thực hiện Quy chế.
Trưởng các phòng, cán bộ, công chức thuộc Sở chịu trách nhiệm thi hành Quyết định này./.
"""


def test_the_articles_of_a_decision_are_its_orders() -> None:
    """Below "QUYẾT ĐỊNH:" a body with a verb is ordered; the head of a body names the body;
    the closing formula ("… chịu trách nhiệm thi hành Quyết định này") is neither a task nor
    a conclusion, and the reasons given before "QUYẾT ĐỊNH:" are not orders."""
    draft = draft_minutes(_DECISION, meeting_date=date(2024, 3, 1))
    assert [t.assignee for t in draft.tasks] == ["Các phòng thuộc Sở", "Văn phòng Sở"]
    assert draft.tasks[1].action.startswith("Đôn đốc, kiểm tra")
    assert not any("thi hành" in c.text for c in draft.conclusions)


def test_the_chair_gives_two_orders_in_one_sentence() -> None:
    """ "…, giao cho X …, đồng thời đề nghị Y …" after the chair as subject: two tasks, even
    when the sentence opens with "Tại hội nghị" (otherwise a participant's turn)."""
    text = (
        "Tại hội nghị, ông Lê Văn Hùng – Phó Chủ tịch UBND phường công bố kế hoạch kiểm kê đất "
        "đai, giao cho công chức địa chính - xây dựng chuẩn bị hồ sơ, mẫu biểu, đồng thời đề "
        "nghị các tổ dân phố tích cực tuyên truyền tới nhân dân về kế hoạch."
    )
    tasks = draft_minutes(text).tasks
    assert [t.assignee for t in tasks] == ["công chức địa chính - xây dựng", "Các tổ dân phố"]
    assert tasks[1].action == "Tuyên truyền tới nhân dân về kế hoạch"


def test_a_person_given_a_task_who_then_directs_is_one_task() -> None:
    """ "giao ông X, Phó Chủ tịch, chỉ đạo chủ đầu tư …": no second order after the comma."""
    text = (
        "UBND tỉnh giao ông Nguyễn Văn Bình, Phó Chủ tịch UBND tỉnh, chỉ đạo chủ đầu tư "
        "hoàn thiện hồ sơ dự án."
    )
    assert len(draft_minutes(text).tasks) == 1


def test_a_question_and_answer_page_retells_the_law() -> None:
    text = (
        "Hỏi: Trách nhiệm của Chủ tịch UBND cấp xã trong quản lý đất đai là gì?\n"
        "Đáp: Chủ tịch UBND các cấp có trách nhiệm phát hiện, ngăn chặn vi phạm.\n"
        "Chủ tịch UBND xã, phường, thị trấn có trách nhiệm ngăn chặn kịp thời việc chuyển mục "
        "đích sử dụng đất trái phép."
    )
    assert draft_minutes(text).tasks == ()


def test_who_chairs_the_meeting_is_not_given_a_task() -> None:
    """A headline or lead "Chủ tịch UBND huyện X chủ trì buổi làm việc …" names the chair;
    a body told to lead an inspection ("Sở Y tế chủ trì các đoàn kiểm tra …") is a task."""
    headline = "Chủ tịch UBND huyện Châu Thành Lê Văn Tâm chủ trì buổi làm việc về đầu tư công"
    assert draft_minutes(headline).tasks == ()
    order = "Yêu cầu Sở Y tế chủ trì các đoàn kiểm tra liên ngành về an toàn thực phẩm."
    assert [t.assignee for t in draft_minutes(order).tasks] == ["Sở Y tế"]


@pytest.mark.parametrize("level", ["thị xã", "huyện", "xã"])
def test_the_chair_of_any_level_reports_his_own_order(level: str) -> None:
    """ "Qua kiểm tra, … Chủ tịch UBND thị xã đã chỉ đạo các phòng ban …": the order given at
    the visit the text reports, at any level of government, not an earlier fact."""
    text = (
        f"Qua kiểm tra các dự án, đồng chí Trần Văn Nam, Chủ tịch UBND {level} đã chỉ đạo các "
        "phòng ban liên quan chủ động xây dựng phương án, báo cáo lãnh đạo để triển khai kịp thời."
    )
    assert [t.assignee for t in draft_minutes(text).tasks] == ["Các phòng ban liên quan"]


def test_an_unnamed_order_in_the_lead_restated_with_its_unit_is_one_task() -> None:
    text = (
        "Lãnh đạo UBND tỉnh yêu cầu xử lý nghiêm việc xây dựng trái phép trên đất nông nghiệp. "
        "Cụ thể, Phó Chủ tịch UBND tỉnh yêu cầu UBND huyện Tuy An xử lý nghiêm việc xây dựng "
        "trái phép trên đất nông nghiệp tại xã An Ninh Đông."
    )
    assert [t.assignee for t in draft_minutes(text).tasks] == ["UBND huyện Tuy An"]
