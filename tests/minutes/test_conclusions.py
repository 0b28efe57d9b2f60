"""What makes a sentence a conclusion (kết luận) in Vietnamese administrative writing: the
chair's assessment, an agreement, a general requirement; never the name of the text, a
fragment of a frame, or two points run together. Examples in our own words."""

from __future__ import annotations

from datetime import date

import pytest

from minutes import draft_minutes

_BODY = (
    "\n\nUBND tỉnh Hòa Sơn vừa có văn bản yêu cầu UBND các huyện Đông Hải, Tây Sơn bàn giao "
    "mặt bằng cho nhà thầu trước ngày 30/6/2024."
)


def _conclusions(text: str) -> list[str]:
    return [c.text for c in draft_minutes(text, meeting_date=date(2024, 5, 6)).conclusions]


@pytest.mark.parametrize(
    "title",
    [
        "ỦY BAN NHÂN DÂN TỈNH HÒA SƠN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Thông báo của Giám đốc Sở Xây dựng tỉnh Hòa Sơn",
        "Về việc góp ý dự thảo kế hoạch giải phóng mặt bằng đường ven biển",
        "Sở Giao thông vận tải tỉnh Hòa Sơn",
        "UBND tỉnh Hòa Sơn họp thường kỳ bàn tiến độ đường ven biển",
        "Khẩn trương bàn giao mặt bằng đường ven biển cho nhà thầu thi công",
    ],
)
def test_title_that_names_the_text_is_no_gist(title: str) -> None:
    """A letterhead, a document's label, the issuing body alone, the meeting as an event or
    an urgent order restated: what the text is, not what it concludes."""
    assert _conclusions(title + _BODY) == []


def test_title_with_a_requirement_stays_the_gist_though_it_names_a_meeting() -> None:
    title = "Bí thư Hòa Sơn: Đừng để kỳ họp nào cử tri cũng phản ánh lại chuyện cũ"
    assert _conclusions(title + _BODY) == ["Đừng để kỳ họp nào cử tri cũng phản ánh lại chuyện cũ"]


def test_assessing_verb_that_ends_a_frame_gives_no_fragment() -> None:
    """ "Chủ tịch … nhấn mạnh." says who spoke, not what was concluded: no "Nhấn mạnh."."""
    assert _conclusions("Kết luận cuộc họp, Chủ tịch UBND tỉnh Hòa Sơn nhấn mạnh.") == []


def test_assessing_verb_that_points_back_takes_the_point() -> None:
    """ "…, cái đó tôi ghi nhận." and "Về kiến nghị …, Chủ tịch … đồng ý về chủ trương.":
    what is acknowledged or agreed stands before the verb; not "Ghi nhận." alone."""
    text = (
        "rồi, tôi kết luận thế này.\n"
        "phần vận động thì mặt trận đã có kế hoạch rồi, cái đó tôi ghi nhận.\n"
        "Về kiến nghị của Ban Quản lý dự án đề nghị tỉnh hỗ trợ mỏ đất đắp, Chủ tịch UBND "
        "tỉnh đồng ý về chủ trương."
    )
    assert _conclusions(text) == [
        "Ghi nhận: phần vận động thì mặt trận đã có kế hoạch rồi",
        "Đồng ý về chủ trương: Về kiến nghị của Ban Quản lý dự án đề nghị tỉnh hỗ trợ mỏ đất đắp",
    ]


def test_what_the_chair_assesses_may_stand_before_the_verb() -> None:
    """ "số liệu trong dự thảo tôi thấy chưa chắc": the object fronted, the whole clause is
    the conclusion, not "Thấy chưa chắc"."""
    text = "rồi, tôi kết luận thế này. nhưng mà số liệu trong dự thảo tôi thấy chưa chắc."
    (only,) = _conclusions(text)
    assert only.lower().startswith("số liệu trong dự thảo")


def test_two_points_in_one_sentence_are_two_conclusions() -> None:
    """ "đánh giá cao …, đồng thời chỉ rõ … và yêu cầu Phòng …": the praise and the
    shortcomings are two points, the order a task; "Ghi nhận, biểu dương …" stays one."""
    text = (
        "Kết luận hội nghị, Chủ tịch UBND huyện Tây Sơn đánh giá cao tinh thần trách nhiệm của "
        "các phòng chuyên môn trong chuẩn bị báo cáo, đồng thời chỉ rõ những hạn chế cần khắc "
        "phục sớm và yêu cầu Phòng Nội vụ hoàn chỉnh báo cáo.\n"
        "Chủ tịch UBND huyện ghi nhận, biểu dương kết quả thu ngân sách của các xã năm qua."
    )
    assert _conclusions(text) == [
        "Đánh giá cao tinh thần trách nhiệm của các phòng chuyên môn trong chuẩn bị báo cáo",
        "Chỉ rõ những hạn chế cần khắc phục sớm",
        "Ghi nhận, biểu dương kết quả thu ngân sách của các xã năm qua.",
    ]


def test_a_point_to_note_after_an_agreement_is_its_own_conclusion() -> None:
    text = (
        "Theo đó, về cơ bản thống nhất với nội dung dự thảo báo cáo quy hoạch vùng ven biển "
        "do Viện Nghiên cứu soạn thảo; trong đó cần lưu ý: cập nhật số liệu dân số đến năm "
        "2023, tính lại diện tích đất nông nghiệp thu hồi."
    )
    conclusions = _conclusions("Kết luận cuộc họp:\n" + text)
    assert len(conclusions) == 2 and conclusions[1].startswith("Cần lưu ý: cập nhật số liệu")


def test_what_the_members_agreed_is_a_conclusion() -> None:
    """The delegates agreeing is what the meeting agreed ("cơ bản" kept with it); one
    delegate's proposal is not."""
    text = (
        "Sáng 13/9, Tiểu ban Văn kiện họp bàn dự thảo báo cáo chính trị.\n"
        "Các đại biểu cơ bản nhất trí với dự thảo báo cáo chính trị và chương trình hành động, "
        "đồng thời góp thêm ý kiến về bố cục.\n"
        "Đại biểu Hội Nông dân đề nghị bổ sung nội dung về kinh tế hợp tác."
    )
    assert _conclusions(text) == [
        "Cơ bản nhất trí với dự thảo báo cáo chính trị và chương trình hành động, đồng thời "
        "góp thêm ý kiến về bố cục."
    ]


def test_points_the_chair_states_clearly_are_conclusions() -> None:
    """ "Chủ tịch … nêu rõ: …" and "Chủ tịch … nêu 5 vấn đề cần tập trung, gồm: …" give the
    chair's points (the frame dropped); the next sentence is in the directions too, and a
    general target keeps its time ("quyết tâm … trong năm 2024")."""
    text = (
        "Sáng 3/10, UBND tỉnh Hòa Sơn họp thường kỳ.\n"
        "Chủ tịch UBND tỉnh nêu 5 vấn đề cần tập trung, gồm: đầu tư công, xây dựng nông thôn "
        "mới, chuyển đổi số, thu ngân sách và cải cách hành chính.\n"
        "Về định hướng, Chủ tịch UBND tỉnh Hòa Sơn nêu rõ: phát triển phía Đông gắn với cảng "
        "biển, phía Tây gắn với nông nghiệp công nghệ cao.\n"
        "Về nông thôn mới, quyết tâm có thêm 8 xã đạt chuẩn nông thôn mới trong năm 2024."
    )
    assert _conclusions(text) == [
        "Nêu 5 vấn đề cần tập trung, gồm: đầu tư công, xây dựng nông thôn mới, chuyển đổi số, "
        "thu ngân sách và cải cách hành chính.",
        "Phát triển phía Đông gắn với cảng biển, phía Tây gắn với nông nghiệp công nghệ cao.",
        "Về nông thôn mới, quyết tâm có thêm 8 xã đạt chuẩn nông thôn mới trong năm 2024.",
    ]


def test_spoken_chair_suggesting_points_opens_the_directions() -> None:
    """ "hôm nay tôi gợi ý mấy vấn đề …": the chair's directions begin, so the target that
    follows is a conclusion."""
    text = (
        "rồi các đồng chí\n"
        "hôm nay tôi gợi ý mấy vấn đề để tập trung\n"
        "về nông thôn mới thì là quyết tâm cuối năm nay ra mắt cho được mười hai xã nông thôn mới"
    )
    (only,) = _conclusions(text)
    assert "quyết tâm" in only.lower()


@pytest.mark.parametrize(
    "text",
    [
        # the meeting held, with its purpose: an event, not an assessment
        "Ngày 9/1, Thường trực Huyện ủy họp giao ban để cho ý kiến về các nội dung quan trọng.",
        # frames that announce the conclusions or the list
        "Sau khi các thành viên góp ý, Phó Chủ tịch UBND tỉnh đã có kết luận, được thông báo "
        "như sau.",
        "Thủ tướng yêu cầu Ủy ban nhân dân tỉnh chỉ đạo các ngành tập trung làm tốt một số "
        "việc sau:",
        "rồi tôi xin kết luận nhanh để anh em còn về triển khai",
        "thôi các đồng chí về triển khai cho tốt nhé",
        # a page cut before the point was made
        "Sau khi nghe báo cáo, Chủ tịch UBND tỉnh Hòa Sơn đánh giá cao tinh thần [...]",
    ],
)
def test_frames_events_and_cut_points_are_no_conclusions(text: str) -> None:
    assert _conclusions("Kết luận cuộc họp:\n" + text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Chiều 24/10, UBND huyện Tây Sơn tổ chức hội nghị đánh giá kết quả tháng 10, triển "
        "khai nhiệm vụ tháng 11 và đánh giá kết quả giải quyết các kiến nghị của cử tri.",
        "Hòa Sơn tổ chức hội nghị đánh giá tình hình kinh tế - xã hội tháng hai và nhiệm vụ "
        "trọng tâm tháng ba",
    ],
)
def test_a_meeting_held_to_assess_is_no_assessment(text: str) -> None:
    """ "tổ chức hội nghị đánh giá …": the meeting is what is held, not who assesses (nor,
    as a title, the gist)."""
    assert _conclusions(text) == []


def test_the_overall_assessment_is_a_conclusion() -> None:
    """ "Theo đánh giá chung, …" and spoken "nhìn chung là …" voice the meeting's assessment,
    before any direction is given."""
    text = (
        "Sáng 3/10, UBND tỉnh Hòa Sơn họp thường kỳ tháng 10.\n"
        "Theo đánh giá chung, công tác điều hành của UBND tỉnh đã góp phần đưa tăng trưởng "
        "chín tháng đạt mức khá.\n"
        "Các sở lần lượt báo cáo tình hình thực hiện nhiệm vụ."
    )
    assert _conclusions(text) == [
        "Theo đánh giá chung, công tác điều hành của UBND tỉnh đã góp phần đưa tăng trưởng "
        "chín tháng đạt mức khá."
    ]
    spoken = (
        "rồi hôm nay đoàn đi kiểm tra tiến độ dự án\n"
        "thì nhìn chung là công tác thi công về cơ bản đã hoàn thành\n"
    )
    (only,) = _conclusions(spoken)
    assert "về cơ bản đã hoàn thành" in only


@pytest.mark.parametrize(
    "title",
    [
        "UBND tỉnh Hòa Sơn giao nhiệm vụ bàn giao mặt bằng đường ven biển cho các huyện",
        "Thường trực Huyện ủy Tây Sơn cho ý kiến vào kế hoạch giải phóng mặt bằng",
    ],
)
def test_title_with_the_issuer_ordering_or_the_meeting_discussing_is_no_gist(title: str) -> None:
    assert _conclusions(title + _BODY) == []


def test_the_subject_of_a_document_is_no_assessment() -> None:
    """ "nhận Văn bản số … về việc đánh giá …": the document's name holds the word, the
    sentence reports its receipt; nor is "đã quán triệt những nội dung mà … cần …" a point."""
    text = (
        "Kết luận cuộc họp:\n"
        "Ngày 20/7, UBND tỉnh nhận Văn bản số 5658/BCT-CTĐP của Bộ Công Thương về việc đánh "
        "giá kết quả một năm thực hiện Nghị định về cụm công nghiệp.\n"
        "Kết luận phiên họp, ông Chủ tịch UBND tỉnh Hòa Sơn đã quán triệt những nội dung mà "
        "các sở, ngành cần tập trung thực hiện trong những tháng cuối năm."
    )
    assert _conclusions(text) == []


def test_agreements_and_targets_around_an_order_are_conclusions() -> None:
    """The order is a task; the agreement fronted to it, the agreement after its ";" and the
    target joined to it are conclusions. "…; thống nhất với Bộ …" is part of the order."""
    text = (
        "Kết luận buổi họp:\n"
        "Sau khi thống nhất với dự thảo kế hoạch triển khai dự án, Phó Chủ tịch UBND tỉnh "
        "Hòa Sơn yêu cầu Sở Xây dựng khẩn trương hoàn tất thủ tục pháp lý, phấn đấu để dự án "
        "được khởi công vào cuối năm 2024.\n"
        "Sở Tài chính làm đầu mối theo dõi tiến độ chung; thống nhất hằng tháng họp Ban Chỉ "
        "đạo một lần để nghe báo cáo.\n"
        "Giao Sở Giao thông vận tải rà soát quy mô cầu; thống nhất với Bộ Quốc phòng về vị trí "
        "xây dựng cầu."
    )
    assert _conclusions(text) == [
        "Thống nhất với dự thảo kế hoạch triển khai dự án",
        "Phấn đấu để dự án được khởi công vào cuối năm 2024",
        "Thống nhất hằng tháng họp Ban Chỉ đạo một lần để nghe báo cáo",
    ]


def test_what_a_meeting_is_held_for_is_no_assessment() -> None:
    """The body that holds or chairs the meeting, then the meeting's purpose: no conclusion;
    a meeting that agrees states its outcome."""
    held = (
        "Chiều 14/9, Ban Chỉ đạo chuyển đổi số tỉnh Hòa Sơn tổ chức phiên họp quý III để đánh "
        "giá kết quả thực hiện nhiệm vụ chín tháng.\n"
        "Chiều 18/4, đồng chí Chủ tịch UBND tỉnh chủ trì hội nghị trực tuyến đánh giá công tác "
        "cải cách hành chính quý I, kết nối tới chín điểm cầu cấp huyện."
    )
    assert _conclusions(held) == []
    agreed = (
        "Sáng 7/6, Thường trực HĐND huyện Tây Sơn tổ chức hội nghị liên tịch thống nhất nội "
        "dung, chương trình kỳ họp thứ nhất của HĐND huyện."
    )
    assert len(_conclusions(agreed)) == 1
