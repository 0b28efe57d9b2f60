"""Shapes of sentences found in real meeting texts, written here in our own words."""

from __future__ import annotations

from datetime import date

from minutes import draft_minutes
from minutes.extract.speakers import _speaker_allows
from minutes.text import match_view


def _assignees(text: str) -> list[str]:
    return [t.assignee for t in draft_minutes(text, meeting_date=date(2024, 5, 6)).tasks]


def test_chair_of_a_city_gives_orders() -> None:
    """A city's own chair "giao"/"chỉ đạo" is the chair, though the title names a city body."""
    text = (
        "Để thực hiện chỉ đạo của Thủ tướng Chính phủ, Chủ tịch UBND thành phố giao Sở "
        "Xây dựng khẩn trương rà soát các dự án giao thông chậm tiến độ."
    )
    assert _assignees(text) == ["Sở Xây dựng"]


def test_city_chair_who_proposes_stays_a_participant() -> None:
    """Only "giao", "chỉ đạo", "yêu cầu" make a city's chair the chair; a proposal does not."""
    for verb, allowed in (("đề nghị", False), ("kiến nghị", False), ("giao", True)):
        text = f"Chủ tịch UBND thành phố {verb} Sở Tài chính bố trí thêm vốn cho dự án."
        view = match_view(text)
        assert _speaker_allows(text, view, view.index(verb))[0] is allowed


def test_council_chair_named_before_the_order() -> None:
    """ "Chủ tịch Hội đồng nhân dân thành phố X yêu cầu …": the council's chair speaks."""
    text = (
        "Bế mạc kỳ họp, bà Trần Thị Lan, Chủ tịch Hội đồng nhân dân thành phố Hải Hà yêu "
        "cầu Sở Tài chính khẩn trương hướng dẫn các quận giải ngân vốn."
    )
    assert _assignees(text) == ["Sở Tài chính"]


def test_fronted_topic_with_commas_before_the_order() -> None:
    """A topic whose noun phrase holds a comma does not become the speaker."""
    text = (
        "Bí thư Tỉnh ủy yêu cầu: đối với những phản ánh, kiến nghị của cử tri, đề nghị Sở "
        "Giao thông vận tải trả lời bằng văn bản trước ngày 30/6."
    )
    assert _assignees(text) == ["Sở Giao thông vận tải"]


def test_province_is_an_assignee_when_a_central_body_gives_orders() -> None:
    text = (
        "Phó Thủ tướng Lê Văn Bình đồng ý về nguyên tắc giao dự án cho địa phương. "
        "UBND tỉnh Hòa Sơn tổ chức đấu thầu lựa chọn nhà đầu tư theo đúng quy định. "
        "Ủy ban nhân dân tỉnh Hòa Sơn phải hoàn thành thủ tục trước ngày 30/9."
    )
    assert _assignees(text) == ["UBND tỉnh Hòa Sơn", "UBND tỉnh Hòa Sơn"]


def test_province_speaking_of_itself_in_its_own_meeting_is_no_task() -> None:
    text = (
        "Chủ tịch UBND tỉnh yêu cầu Sở Y tế kiểm tra các cơ sở khám bệnh. "
        "UBND tỉnh Hòa Sơn sẽ xem xét hỗ trợ kinh phí."
    )
    assert _assignees(text) == ["Sở Y tế"]


def test_document_issued_by_the_province_orders() -> None:
    """ "UBND tỉnh X vừa ban hành văn bản yêu cầu …": the order is what the document says."""
    text = (
        "UBND tỉnh Hòa Sơn vừa ban hành văn bản yêu cầu UBND các huyện khẩn trương bàn giao "
        "mặt bằng cho dự án đường ven biển. "
        "Chủ tịch UBND tỉnh vừa có công văn số 15/UBND yêu cầu Sở Y tế kiểm tra các nhà thuốc."
    )
    assert _assignees(text) == ["UBND các huyện", "Sở Y tế"]


def test_leader_reporting_his_own_order() -> None:
    """ "…, cho biết ông đã yêu cầu X …": the leader tells of an order he gave."""
    text = (
        "Chiều 5-3, ông Nguyễn Văn Tâm, Phó Chủ tịch UBND tỉnh Hòa Sơn, cho biết ông đã yêu "
        "cầu UBND huyện Đông Hải kiểm tra, xử lý các công trình xây dựng không phép."
    )
    assert _assignees(text) == ["UBND huyện Đông Hải"]


def test_participant_reporting_a_request_is_no_order() -> None:
    text = "Bà Lê Thị Hoa, đại diện hộ dân, cho biết đã đề nghị xã làm lại con đường."
    assert _assignees(text) == []


def test_time_between_the_order_verb_and_the_assignee() -> None:
    """ "đề nghị trong năm 2025, Sở Y tế …": the fronted time is the deadline, the unit after
    it the assignee."""
    text = (
        "Thứ trưởng ghi nhận kết quả năm 2024 của ngành; đồng thời đề nghị trong năm 2025, "
        "Tổng cục Dân số cần tập trung rà soát mạng lưới cộng tác viên."
    )
    tasks = draft_minutes(text, meeting_date=date(2024, 12, 20)).tasks
    assert [t.assignee for t in tasks] == ["Tổng cục Dân số"]
    assert tasks[0].deadline == date(2025, 12, 31)


def test_whole_political_system_as_assignee() -> None:
    text = (
        "Bế mạc kỳ họp, ông Trần Văn Hải, Bí thư Huyện ủy, yêu cầu ngay sau kỳ họp, cả hệ "
        "thống chính trị huyện tiếp tục quán triệt và triển khai các nghị quyết vừa thông qua."
    )
    assert _assignees(text) == ["Cả hệ thống chính trị huyện"]


def test_time_after_the_verb_without_an_assignee_stays_in_the_action() -> None:
    text = (
        "Chủ tịch UBND tỉnh giao Sở Tài chính rà soát nguồn vốn. "
        "Yêu cầu trong tháng 6, lập danh mục công trình gửi UBND tỉnh."
    )
    tasks = draft_minutes(text, meeting_date=date(2024, 5, 6)).tasks
    assert [t.assignee for t in tasks] == ["Sở Tài chính", "Sở Tài chính"]
    assert tasks[1].action == "Lập danh mục công trình gửi UBND tỉnh"
    assert tasks[1].deadline == date(2024, 6, 30)


def test_leaders_given_work_by_name() -> None:
    """ "giao ông A, Phó Chủ tịch UBND tỉnh, chỉ đạo …", then "Bà B, Phó Chủ tịch …, chỉ đạo
    …": each named leader is the assignee, not the bodies he directs."""
    text = (
        "Cụ thể, UBND tỉnh giao ông Trần Văn Nam, Phó Chủ tịch UBND tỉnh, chỉ đạo các sở "
        "đẩy nhanh giải ngân vốn đầu tư công. "
        "Bà Lê Thị Hoa, Phó Chủ tịch UBND tỉnh, chỉ đạo các huyện hoàn thành giải phóng mặt "
        "bằng dự án đường ven biển."
    )
    assert _assignees(text) == [
        "Ông Trần Văn Nam, Phó Chủ tịch UBND tỉnh",
        "Bà Lê Thị Hoa, Phó Chủ tịch UBND tỉnh",
    ]


def test_named_leader_who_directs_without_a_list_before_gives_an_order() -> None:
    text = (
        "Bà Lê Thị Hoa, Phó Chủ tịch UBND tỉnh, chỉ đạo Sở Xây dựng rà soát các công trình "
        "chậm tiến độ."
    )
    assert _assignees(text) == ["Sở Xây dựng"]


def test_head_of_a_body_given_the_order_by_title() -> None:
    text = (
        "Chủ tịch UBND tỉnh yêu cầu Sở Y tế kiểm tra các nhà thuốc. Đồng thời, đề nghị Chủ "
        "tịch UBND huyện Đông Hải có văn bản phân công đầu mối cung cấp hồ sơ cho đoàn kiểm tra."
    )
    assert _assignees(text) == ["Sở Y tế", "Chủ tịch UBND huyện Đông Hải"]


def test_bare_reference_to_the_document_reported() -> None:
    """ "Theo văn bản, X …" after the document was reported: its content, an order; "Theo
    Quyết định số …" (an earlier plan) stays background."""
    text = (
        "UBND tỉnh Hòa Sơn vừa ban hành văn bản yêu cầu UBND các huyện rà soát hộ nghèo. "
        "Theo văn bản, các trạm y tế xã có trách nhiệm lập danh sách người cao tuổi. "
        "Việc lập danh sách phải xong trước ngày 15/6/2024."
    )
    tasks = draft_minutes(text, meeting_date=date(2024, 5, 6)).tasks
    assert [t.assignee for t in tasks] == ["UBND các huyện", "Các trạm y tế xã"]
    assert tasks[1].deadline == date(2024, 6, 15)


def test_numbered_decision_is_still_background() -> None:
    text = (
        "Theo Quyết định số 12/QĐ-UBND năm 2022, các trạm y tế xã có trách nhiệm lập danh "
        "sách người cao tuổi."
    )
    assert _assignees(text) == []


def test_teams_set_up_for_one_job_are_assignees() -> None:
    """ "đoàn thanh tra", "tổ công tác": teams named by their job, and the Inspector-General's
    deputy gives them orders."""
    text = (
        "Phát biểu tại buổi công bố, Phó Tổng Thanh tra Chính phủ Lê Văn Khang yêu cầu đoàn "
        "thanh tra trong quá trình làm việc phải bám sát kế hoạch đã duyệt. "
        "Chủ tịch UBND tỉnh giao các tổ công tác chuyên trách rà soát từng dự án chậm tiến độ."
    )
    assert _assignees(text) == ["đoàn thanh tra", "tổ công tác"]


def _conclusions(text: str) -> list[str]:
    return [c.text for c in draft_minutes(text, meeting_date=date(2024, 5, 6)).conclusions]


def test_title_is_the_gist_when_the_body_states_none() -> None:
    text = (
        "Hòa Sơn: Tập trung giải phóng mặt bằng đường ven biển qua ba huyện\n\n"
        "UBND tỉnh Hòa Sơn vừa có văn bản yêu cầu UBND các huyện Đông Hải, Tây Sơn bàn giao "
        "mặt bằng cho nhà thầu trước ngày 30/6/2024."
    )
    assert _conclusions(text) == ["Tập trung giải phóng mặt bằng đường ven biển qua ba huyện"]


def test_title_that_only_names_an_order_is_no_conclusion() -> None:
    text = (
        "Yêu cầu các huyện bàn giao mặt bằng đường ven biển cho nhà thầu\n\n"
        "UBND tỉnh Hòa Sơn vừa có văn bản yêu cầu UBND các huyện Đông Hải, Tây Sơn bàn giao "
        "mặt bằng cho nhà thầu trước ngày 30/6/2024."
    )
    assert _conclusions(text) == []


def test_title_gives_way_to_the_chairs_own_conclusion() -> None:
    text = (
        "Hòa Sơn họp bàn tiến độ đường ven biển qua ba huyện phía nam\n\n"
        "Kết luận cuộc họp, Chủ tịch UBND tỉnh đánh giá cao sự vào cuộc của các huyện trong "
        "giải phóng mặt bằng. Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng đôn đốc nhà thầu."
    )
    conclusions = _conclusions(text)
    assert len(conclusions) == 1 and "đánh giá cao" in conclusions[0].lower()


def test_council_chair_addresses_the_council() -> None:
    text = (
        "Bế mạc kỳ họp, Chủ tịch HĐND tỉnh đề nghị Thường trực HĐND, các Tổ đại biểu và đại "
        "biểu HĐND tỉnh giám sát chặt việc thực hiện các nghị quyết vừa thông qua."
    )
    assert _assignees(text) == [
        "Thường trực HĐND tỉnh; các Tổ đại biểu HĐND tỉnh; đại biểu HĐND tỉnh"
    ]


def test_order_after_a_long_basis_naming_the_matter() -> None:
    """ "về việc giao …" names the matter; the order is "có ý kiến để X …", and the agreement
    joined to it is a conclusion of its own."""
    text = (
        "Trên cơ sở đề nghị của Bộ Xây dựng và ý kiến của Bộ Tài chính về việc giao cơ quan "
        "chủ quản đối với dự án, Phó Thủ tướng Hoàng Văn An có ý kiến để UBND tỉnh Hòa Sơn chủ "
        "động bố trí vốn đầu tư cho dự án, đồng thời đồng ý về nguyên tắc để UBND tỉnh Hòa Sơn "
        "làm cơ quan chủ quản dự án."
    )
    draft = draft_minutes(text, meeting_date=date(2024, 5, 6))
    assert [t.assignee for t in draft.tasks] == ["UBND tỉnh Hòa Sơn"]
    assert [c.text for c in draft.conclusions] == [
        "Đồng ý về nguyên tắc để UBND tỉnh Hòa Sơn làm cơ quan chủ quản dự án"
    ]


def test_the_matter_of_assigning_is_no_order() -> None:
    text = "Việc giao Sở Xây dựng làm chủ đầu tư đã được thống nhất từ năm trước."
    assert _assignees(text) == []


def test_an_earlier_resolution_that_ordered_is_background() -> None:
    """ "Nghị quyết giao …, đồng thời yêu cầu …": what an earlier resolution ordered; the
    text's own order follows."""
    text = (
        "Năm 2022, Chính phủ đã ban hành Nghị quyết số 08/NQ-CP về phục hồi du lịch. "
        "Nghị quyết giao nhiệm vụ cho từng bộ, đồng thời yêu cầu các bộ báo cáo trước ngày "
        "30/6/2022. "
        "Phó Thủ tướng Hoàng Văn An yêu cầu Bộ Tài chính khẩn trương gửi "
        "báo cáo còn thiếu."
    )
    assert _assignees(text) == ["Bộ Tài chính"]


def test_second_duty_after_a_semicolon_is_its_own_task() -> None:
    text = (
        "UBND tỉnh giao Sở Y tế phối hợp với Công an tỉnh kiểm tra các nhà thuốc trên địa bàn; "
        "phối hợp với Sở Tài chính đề xuất kinh phí mua thuốc dự phòng."
    )
    tasks = draft_minutes(text, meeting_date=date(2024, 5, 6)).tasks
    assert [t.assignee for t in tasks] == ["Sở Y tế", "Sở Y tế"]
    assert "đề xuất kinh phí" in tasks[1].action
    assert tasks[1].cooperating == ("Sở Tài chính",)


def test_a_list_of_steps_after_a_semicolon_stays_one_task() -> None:
    text = (
        "UBND tỉnh giao Sở Y tế kiểm tra các nhà thuốc trên địa bàn; báo cáo kết quả về UBND "
        "tỉnh trước ngày 30/6/2024."
    )
    assert _assignees(text) == ["Sở Y tế"]


def test_person_between_a_topic_and_the_verb_speaks() -> None:
    """ "Về kinh phí, bà X, Giám đốc Sở Tài chính, đề nghị …": a participant's proposal, even
    inside the chair's directions."""
    text = (
        "Chủ tịch UBND tỉnh yêu cầu Sở Y tế kiểm tra các nhà thuốc. "
        "Về kinh phí, bà Lê Thị Hoa, Giám đốc Sở Tài chính, đề nghị UBND các huyện bố trí "
        "thêm vốn đối ứng."
    )
    assert _assignees(text) == ["Sở Y tế"]


def test_closing_frame_makes_a_department_head_the_chair() -> None:
    """A department or a district holds its own meeting: after "Kết thúc cuộc họp," or
    "Kết luận cuộc họp," the person named chairs, whatever the title."""
    for frame, title in (
        ("Kết thúc cuộc họp", "Giám đốc Sở"),
        ("Kết luận cuộc họp", "Phó Chủ tịch UBND huyện"),
    ):
        text = (
            "Tại cuộc họp, các phòng báo cáo kết quả công tác tháng. "
            f"{frame}, đồng chí Lê Văn Hòa, {title} đề nghị các phòng chuyên môn và đơn vị "
            "trực thuộc rà soát toàn bộ nhiệm vụ, báo cáo trước ngày 20/5."
        )
        tasks = draft_minutes(text, meeting_date=date(2024, 5, 6)).tasks
        assert len(tasks) == 1, frame
        assert tasks[0].deadline == date(2024, 5, 20)


def test_department_head_without_a_frame_still_proposes() -> None:
    """Without the chair's act before the name, a department head's "đề nghị" is a proposal."""
    text = (
        "Tại cuộc họp, ông Lê Văn Hòa, Giám đốc Sở Y tế đề nghị các huyện hỗ trợ kinh phí "
        "mua trang thiết bị."
    )
    assert _assignees(text) == []


def test_the_announced_chair_is_never_the_assignee() -> None:
    """ "… do đồng chí X, Chủ tịch UBND huyện chủ trì" names the chair; when that title opens
    a later sentence it speaks, and is not the unit that is given the work."""
    text = (
        "Ngày 18/11, UBND huyện họp phiên thường kỳ do đồng chí Lê Văn Hòa, Chủ tịch UBND "
        "huyện chủ trì. Các đại biểu thảo luận, góp ý các dự thảo. Chủ tịch UBND huyện đánh "
        "giá cao tinh thần của các phòng và yêu cầu Văn phòng HĐND và UBND huyện hoàn thiện "
        "các dự thảo báo cáo trước ngày 25/11."
    )
    tasks = draft_minutes(text, meeting_date=date(2020, 11, 18)).tasks
    assert [t.deadline for t in tasks] == [date(2020, 11, 25)]
    assert "Chủ tịch" not in tasks[0].assignee


def test_a_sentence_that_spells_out_the_order_stays_in_it() -> None:
    """ "Trong đó, trước mắt …" (written) and "trước mắt là …" with the lines listed under it
    (spoken) spell out the order before: one task, not one per line; a line that names a
    unit of its own is still its own task."""
    written = (
        "Kết luận phiên họp, Chủ tịch UBND huyện yêu cầu các ngành thực hiện tốt các nhiệm vụ "
        "trọng tâm tháng 7. Trong đó, trước mắt tổ chức tốt tuần văn hóa du lịch của huyện."
    )
    spoken = (
        "tôi yêu cầu các ngành bám sát nhiệm vụ được giao làm tốt nhiệm vụ trọng tâm tháng bảy\n"
        "trước mắt là tổ chức cho tốt cái tuần văn hóa du lịch của huyện\n"
        "rồi chuẩn bị tham dự kỳ họp thứ bảy hội đồng nhân dân huyện\n"
        "với lại tổ chức hội nghị biểu dương người có công tiêu biểu"
    )
    for text in (written, spoken):
        tasks = draft_minutes(text, meeting_date=date(2022, 7, 14)).tasks
        assert len(tasks) == 1, text[:30]
    own_unit = written + " Trong đó, Sở Y tế kiểm tra an toàn thực phẩm tại các điểm du lịch."
    assert len(draft_minutes(own_unit, meeting_date=date(2022, 7, 14)).tasks) == 2


def test_a_line_pointing_back_gives_the_deadline() -> None:
    """ "cái tổng kết này là trong tháng một phải làm xong nhé": the work just ordered,
    pointed back to by a noun and "này", gets the deadline; no task of its own."""
    text = (
        "tôi đề nghị các phòng chuyên môn rà soát lại toàn bộ nhiệm vụ để còn tổng kết ngành\n"
        "cái tổng kết này là trong tháng một phải làm xong nhé"
    )
    tasks = draft_minutes(text, meeting_date=date(2021, 1, 4)).tasks
    assert [t.deadline for t in tasks] == [date(2021, 1, 31)]


def test_from_now_until_a_month_is_a_deadline_but_a_period_is_not() -> None:
    order = "Chủ tịch UBND thành phố yêu cầu các đơn vị {} phải xử lý dứt điểm các tồn tại."
    cases = (
        ("quyết tâm từ nay đến tháng 9/2023", date(2023, 9, 30)),
        ("từ tháng 6 đến tháng 9", None),
    )
    for words, want in cases:
        tasks = draft_minutes(order.format(words), meeting_date=date(2023, 5, 6)).tasks
        assert [t.deadline for t in tasks] == [want], words


def test_an_order_that_announces_a_list_gives_its_unit_to_the_items() -> None:
    """ "Yêu cầu UBND tỉnh chỉ đạo các ngành … làm tốt một số việc sau:" then dashed items:
    each item is a task of the unit named in the lead."""
    text = (
        "Tại giao ban tuần, đồng chí Bí thư Tỉnh ủy có ý kiến chỉ đạo như sau:\n"
        "Yêu cầu Ủy ban nhân dân tỉnh chỉ đạo các ngành, địa phương tập trung làm tốt một số "
        "việc sau:\n"
        "- Đẩy mạnh rà soát, đôn đốc thực hiện các chương trình, kế hoạch năm 2018.\n"
        "- Chủ động triển khai các phương án phòng, chống lụt, bão trong những tháng cuối năm."
    )
    tasks = draft_minutes(text, meeting_date=date(2018, 11, 9)).tasks
    assert len(tasks) == 2
    assert len({t.assignee for t in tasks}) == 1
    assert all(t.deadline is None for t in tasks)


def test_the_addressee_of_a_letter_is_the_assignee_of_its_request() -> None:
    """ "… có văn bản gửi <unit>, đề nghị <action>": the unit the letter is sent to is asked
    to act; it does not speak."""
    text = (
        "Ngày 29/10, UBND xã Hòa Bình đã có Văn bản số 754/UBND-KT gửi Ban Quản lý dự án đầu "
        "tư xây dựng công trình giao thông tỉnh, đề nghị chỉ đạo các nhà thầu đẩy nhanh tiến "
        "độ thi công các hạng mục đã có mặt bằng."
    )
    tasks = draft_minutes(text, meeting_date=date(2025, 10, 29)).tasks
    assert len(tasks) == 1
    assert tasks[0].assignee.startswith("Ban Quản lý dự án")


def test_a_department_directing_those_below_it_gives_orders() -> None:
    """A unit's "đề nghị" to the many units one level below it ("UBND các huyện", "các
    phòng") is an order; the same verb to the chair's body is a proposal."""
    below = (
        "Để hoàn chỉnh dự thảo đề cương trước khi trình UBND tỉnh, Sở Nông nghiệp và PTNT đề "
        "nghị UBND các huyện, thị xã, thành phố tham gia góp ý dự thảo."
    )
    up = "Sở Nông nghiệp và PTNT đề nghị UBND tỉnh bố trí thêm vốn cho dự án thủy lợi."
    assert len(draft_minutes(below, meeting_date=date(2019, 5, 6)).tasks) == 1
    assert draft_minutes(up, meeting_date=date(2019, 5, 6)).tasks == ()


def test_a_province_level_body_named_one_level_down_keeps_its_level() -> None:
    """ "Thường trực HĐND huyện", "Ban An toàn giao thông thành phố Hải Hà": the level word and
    the place stay in the unit instead of falling into the action, and the name is not the
    province's body."""
    text = (
        "Phát biểu chỉ đạo, Bí thư Huyện ủy yêu cầu Thường trực HĐND huyện rà soát thành phần "
        "dự họp; Ban An toàn giao thông thành phố Hải Hà kiểm tra các điểm đen tai nạn."
    )
    tasks = draft_minutes(text, meeting_date=date(2021, 6, 7)).tasks
    assert [t.assignee for t in tasks] == [
        "Thường trực HĐND huyện",
        "Ban An toàn giao thông thành phố Hải Hà",
    ]
    assert all(not t.action.lower().startswith(("huyện", "thành phố")) for t in tasks)


def test_a_group_keeps_the_words_that_tie_it_down() -> None:
    """ "các phòng ban chuyên môn của huyện hoàn thiện …": the describing words belong to the
    group, and the action is a clean verb phrase; words without such a tie stay the action's."""
    text = (
        "Chủ trì hội nghị, bà Trần Thị Bình yêu cầu các phòng ban chuyên môn của huyện hoàn "
        "thiện hồ sơ trước ngày 20/7."
    )
    (task,) = draft_minutes(text, meeting_date=date(2024, 7, 1)).tasks
    assert task.assignee.endswith("của huyện")
    assert task.action.startswith("Hoàn thiện")
    negated = "Chủ tịch UBND tỉnh yêu cầu các sở, ngành không được né tránh trách nhiệm."
    (task,) = draft_minutes(negated, meeting_date=date(2024, 7, 1)).tasks
    assert "không" in task.action.lower()


def test_the_chairs_assessment_is_a_conclusion_without_its_frame() -> None:
    """ "Kết luận buổi làm việc, Phó Chủ tịch UBND tỉnh đánh giá cao …, ghi nhận …": what was
    said is the conclusion, not who said it; "trong 6 tháng đầu năm" is the period assessed,
    no deadline that would make the sentence a leftover of a task."""
    text = (
        "Sáng 5/7, UBND tỉnh làm việc với huyện Hòa Sơn. Kết luận buổi làm việc, Phó Chủ tịch "
        "UBND tỉnh đánh giá cao sự chủ động của huyện, ghi nhận những kết quả đạt được trong 6 "
        "tháng đầu năm."
    )
    (conclusion,) = draft_minutes(text, meeting_date=date(2024, 7, 5)).conclusions
    assert conclusion.text.startswith("Đánh giá cao")


def test_assignees_that_are_people_or_firms_outside_the_unit_list() -> None:
    """ "từng thành viên tiểu ban", "chủ đầu tư và công ty tư vấn": named groups, not units of
    the administration, are still given the work."""
    for text, want in (
        (
            "Chủ tịch UBND tỉnh yêu cầu từng thành viên tiểu ban rà soát lại các nội dung được "
            "phân công trước ngày 30/7.",
            ["thành viên tiểu ban"],
        ),
        (
            "Chủ tịch UBND tỉnh đề nghị chủ đầu tư và công ty tư vấn hoàn thiện hồ sơ thiết kế "
            "trong tháng 7.",
            ["chủ đầu tư; đơn vị tư vấn"],
        ),
    ):
        assert _assignees(text) == want


def test_an_assessment_that_opens_an_order_is_also_a_conclusion() -> None:
    """ "Chủ tịch UBND tỉnh đánh giá cao …, đồng thời yêu cầu Sở …": the order is a task and
    the assessment before it a conclusion."""
    text = (
        "Kết luận hội nghị, Chủ tịch UBND tỉnh đánh giá cao sự vào cuộc quyết liệt của các huyện "
        "trong giải phóng mặt bằng, đồng thời yêu cầu Sở Xây dựng đôn đốc nhà thầu hoàn thành "
        "hạng mục cầu trước ngày 30/9."
    )
    drafted = draft_minutes(text, meeting_date=date(2024, 7, 1))
    assert [t.assignee for t in drafted.tasks] == ["Sở Xây dựng"]
    assert [c.text for c in drafted.conclusions] == [
        "Đánh giá cao sự vào cuộc quyết liệt của các huyện trong giải phóng mặt bằng"
    ]


def test_a_department_opening_the_text_with_a_demand_gives_the_order() -> None:
    """A news lead whose subject is the body that demands ("Sở … yêu cầu …") reports that
    body's own order; inside a chair's directions the same shape stays the unit's own task."""
    lead = (
        "Sở Xây dựng Hòa Sơn yêu cầu các chủ đầu tư, đơn vị thi công trên các tuyến phố phải "
        "hoàn trả vỉa hè trước ngày 20/1/2025."
    )
    (task,) = draft_minutes(lead, meeting_date=None).tasks
    assert "chủ đầu tư" in task.assignee.lower() and "đơn vị thi công" in task.assignee.lower()
    assert task.deadline == date(2025, 1, 20)
    directed = (
        "Kết luận cuộc họp, Chủ tịch UBND tỉnh yêu cầu Sở Tài chính bố trí kinh phí. "
        "Ban Quản lý dự án giao thông tỉnh yêu cầu nhà thầu bổ sung nhân lực, thiết bị."
    )
    tasks = draft_minutes(directed, meeting_date=date(2025, 1, 6)).tasks
    assert [t.assignee for t in tasks][-1].startswith("Ban Quản lý dự án")


def test_the_provinces_leadership_reporting_its_order_is_an_order() -> None:
    """ "Lãnh đạo tỉnh X đã yêu cầu …" reports the chair's order, and "bàn giao" (hand over)
    later in the sentence is not a second order verb."""
    text = (
        "Để bảo đảm tiến độ tuyến tránh, lãnh đạo tỉnh Hòa Sơn đã yêu cầu các sở, ban, ngành "
        "liên quan vận động người dân sớm bàn giao mặt bằng cho nhà đầu tư."
    )
    (task,) = draft_minutes(text, meeting_date=date(2024, 5, 2)).tasks
    assert task.assignee.startswith("Các sở, ban, ngành")
    assert task.action.lower().startswith("vận động")


def test_a_contractor_named_by_its_role_is_an_assignee() -> None:
    text = "Chủ tịch UBND thành phố yêu cầu đơn vị thi công hoàn tất công việc trước ngày 15/1."
    (task,) = draft_minutes(text, meeting_date=date(2025, 1, 6)).tasks
    assert task.assignee == "đơn vị thi công"
    assert task.deadline == date(2025, 1, 15)


def test_what_a_notice_stresses_is_an_order_of_each_unit() -> None:
    """ "Thông báo cũng nêu rõ, từng ngành, từng địa phương …": the document's frame is not
    the subject, and "từng …" names the units one by one as a group."""
    text = (
        "Chủ tịch UBND tỉnh chỉ đạo các sở tăng cường tuyên truyền. Thông báo cũng nêu rõ, "
        "từng ngành, từng địa phương chủ động rà soát nhiệm vụ của mình."
    )
    tasks = draft_minutes(text, meeting_date=date(2021, 7, 20)).tasks
    assert tasks[-1].assignee.lower().startswith("từng ngành, từng địa phương")
    assert tasks[-1].action.lower().startswith("chủ động rà soát")


def test_a_city_that_opens_the_text_assigns_its_departments() -> None:
    """A centrally-run city's People's Committee ("UBND TP Cần Thơ giao …") is the issuer of
    the text, as the province's is, and the chair issuing a document gives its order."""
    text = (
        "UBND TP Hòa Sơn giao Sở Xây dựng, Sở Tài chính rà soát hồ sơ dự án nói trên. "
        "Ngày 28/7/2021, Chủ tịch UBND tỉnh ban hành văn bản yêu cầu Thủ trưởng các sở, ban, "
        "ngành tỉnh tăng cường kiểm tra."
    )
    tasks = draft_minutes(text, meeting_date=date(2021, 7, 28)).tasks
    assert tasks[0].assignee == "Sở Xây dựng; Sở Tài chính"
    assert len(tasks) == 2 and "sở, ban, ngành" in tasks[1].assignee.lower()


def test_a_head_concluding_is_not_an_assignee() -> None:
    """ "Chủ tịch UBND huyện kết luận …" says what the chair did at the meeting."""
    text = "Chủ tịch UBND huyện kết luận nhiều nội dung quan trọng tại hội nghị thường kỳ tháng 3."
    assert draft_minutes(text, meeting_date=date(2020, 3, 30)).tasks == ()


def test_a_regular_meeting_is_not_an_order() -> None:
    """ "họp giao ban định kỳ" is the weekly or monthly meeting, not "giao Ban …"."""
    text = (
        "Sáng 10/9, UBND thị xã tổ chức họp giao ban định kỳ tháng 9 dưới sự chủ trì của Chủ tịch."
    )
    assert draft_minutes(text, meeting_date=date(2019, 9, 10)).tasks == ()
    order = "Giao Ban Quản lý dự án thị xã hoàn thiện hồ sơ trước ngày 20/9."
    (task,) = draft_minutes(order, meeting_date=date(2019, 9, 10)).tasks
    assert task.assignee.startswith("Ban Quản lý dự án")


def test_a_basis_between_the_order_verb_and_its_unit() -> None:
    text = (
        "Đồng thời đề nghị, trên cơ sở các ý kiến góp ý tại cuộc họp, phòng VHTT tiếp thu và "
        "bổ sung dự thảo kế hoạch."
    )
    (task,) = draft_minutes(text, meeting_date=date(2023, 10, 4)).tasks
    assert task.assignee == "Phòng VHTT"
    assert task.action.lower().startswith("tiếp thu")


def test_a_units_heading_before_a_topic_and_an_order() -> None:
    """ "UBND xã X: Với …, yêu cầu UBND xã lập tờ trình …": the heading names the topic."""
    text = (
        "UBND xã Hương Hòa: Với các hạng mục hạ tầng chợ cần sửa chữa, yêu cầu UBND xã lập tờ "
        "trình, báo cáo thị xã trước ngày 25/7/2019."
    )
    (task,) = draft_minutes(text, meeting_date=date(2019, 7, 15)).tasks
    assert task.deadline == date(2019, 7, 25)


def test_what_a_plan_will_assign_is_not_an_order() -> None:
    text = (
        "Theo đó, kế hoạch của UBND thành phố sẽ cụ thể hóa từng nội dung, đồng thời giao nhiệm "
        "vụ cụ thể cho từng cơ quan, đơn vị để chủ động phối hợp thực hiện."
    )
    assert draft_minutes(text, meeting_date=date(2023, 10, 4)).tasks == ()


def test_at_a_council_session_the_peoples_committee_is_an_assignee() -> None:
    """The People's Council's chair asks the People's Committee to act; at the Committee's own
    meeting "UBND tỉnh sẽ xem xét" stays the chair's body speaking of itself."""
    session = (
        "Thưa các vị đại biểu, kỳ họp lần này đã thông qua nhiều nghị quyết quan trọng. "
        "Riêng lễ hội năm nay thì UBND tỉnh phải chỉ đạo chặt chẽ hơn, sâu sát hơn."
    )
    (task,) = draft_minutes(session, meeting_date=date(2024, 7, 10)).tasks
    assert task.assignee == "UBND tỉnh"
    committee = "Thường trực UBND tỉnh kết luận như sau: UBND tỉnh sẽ xem xét, bố trí vốn sau."
    assert draft_minutes(committee, meeting_date=date(2024, 3, 27)).tasks == ()


def test_a_peoples_committee_directs_its_own_room() -> None:
    """ "UBND thành phố cũng đề nghị Phòng …" is the city's order to one of its rooms; in the
    chair's directions "UBND các huyện chỉ đạo các xã …" stays the districts' own task."""
    text = (
        "UBND thành phố yêu cầu UBND các xã tăng cường quản lý trật tự đô thị. UBND thành phố "
        "cũng đề nghị Phòng Quản lý đô thị tiếp tục kiểm tra, xử lý vi phạm."
    )
    tasks = draft_minutes(text, meeting_date=date(2023, 5, 25)).tasks
    assert [t.assignee for t in tasks] == ["UBND các xã", "Phòng Quản lý đô thị"]
    directed = (
        "Kết luận hội nghị, Chủ tịch UBND tỉnh yêu cầu Sở Giáo dục và Đào tạo chuẩn bị kỳ thi. "
        "UBND các huyện, thành phố chỉ đạo các xã hỗ trợ chỗ ở cho thí sinh."
    )
    tasks = draft_minutes(directed, meeting_date=date(2023, 5, 25)).tasks
    assert tasks[-1].assignee == "UBND các huyện, thành phố"


def test_a_group_named_up_to_a_colon_keeps_its_words() -> None:
    text = (
        "Chủ tịch UBND huyện yêu cầu các phòng, ban chuyên môn: tập trung thu ngân sách; đẩy "
        "mạnh giải ngân vốn đầu tư công trước ngày 30/10."
    )
    (task,) = draft_minutes(text, meeting_date=date(2024, 10, 3)).tasks
    assert task.assignee == "Các phòng, ban chuyên môn"
    assert task.action.startswith("Tập trung thu ngân sách")


def test_a_person_who_assigns_gives_an_order() -> None:
    """Only a superior "giao" work: "Ông Long giao chủ tịch UBND các huyện …" is an order,
    while "Ông X đề nghị …" stays a participant's proposal."""
    text = (
        "UBND tỉnh đã phát đi công văn hỏa tốc truyền đạt ý kiến của ông Bùi Văn Long, Phó Chủ "
        "tịch UBND tỉnh. Ông Long giao chủ tịch UBND các huyện, thị xã kích hoạt lại các cơ sở "
        "cách ly tập trung."
    )
    (task,) = draft_minutes(text, meeting_date=date(2021, 10, 5)).tasks
    assert "các huyện, thị xã" in task.assignee
    proposal = "Ông Trần Văn Nam đề nghị Sở Tài chính sớm bố trí kinh phí cho dự án."
    assert draft_minutes(proposal, meeting_date=date(2021, 10, 5)).tasks == ()


def test_a_duty_right_after_a_units_order_is_the_same_units() -> None:
    text = (
        "Chủ tịch UBND tỉnh yêu cầu từng ngành, từng địa phương chủ động rà soát nhiệm vụ. "
        "Phải có kế hoạch kiểm tra, đôn đốc cán bộ xử lý công việc kịp thời."
    )
    tasks = draft_minutes(text, meeting_date=date(2021, 7, 20)).tasks
    assert len(tasks) == 2
    assert tasks[1].assignee == tasks[0].assignee
    assert tasks[1].action.startswith("Có kế hoạch kiểm tra")


def test_a_photo_caption_and_a_participants_explanation_are_not_orders() -> None:
    text = (
        "Tiếp tục tăng cường phòng, chống dịch ở các cảng hàng không, sân bay (Ảnh minh họa)\n"
        "Đồng chí Phạm Văn Quang, Giám đốc Sở Tài nguyên và Môi trường giải trình về công tác "
        "quản lý đất công ích."
    )
    assert draft_minutes(text, meeting_date=date(2021, 7, 5)).tasks == ()


def test_heads_of_rooms_given_an_order() -> None:
    text = (
        "Thứ 2: Giao Trưởng phòng Quản lý đô thị, Trưởng phòng Tài nguyên và Môi trường theo "
        "chức năng nhiệm vụ chủ trì, phối hợp các cơ quan liên quan tổ chức thực hiện."
    )
    (task,) = draft_minutes(text, meeting_date=date(2021, 4, 26)).tasks
    assert "Quản lý đô thị" in task.assignee and "Tài nguyên và Môi trường" in task.assignee


def test_a_spoken_place_named_in_lower_case_is_the_peoples_committee() -> None:
    text = (
        "ờ thì tôi kết luận mấy việc thế này\n"
        "xã bình điền là phải đẩy nhanh hoàn thành cái quy hoạch nông thôn mới của xã\n"
        "xã nào thì cũng phải rà soát lại hộ nghèo\n"
    )
    tasks = draft_minutes(text, meeting_date=date(2019, 7, 15)).tasks
    assert tasks[0].assignee.lower() == "ubnd xã bình điền"
    assert tasks[0].action.lower().startswith("đẩy nhanh")
    assert all("nào" not in t.assignee for t in tasks)


def test_directing_as_the_subjects_own_action() -> None:
    """ "các quận huyện thì tập trung chỉ đạo ban quản lý dự án …": the districts must direct
    their board; the board is not the one given the order."""
    text = (
        "Kết luận cuộc họp, Chủ tịch UBND thành phố yêu cầu Sở Xây dựng rà soát các dự án. "
        "Còn UBND các quận, huyện thì tập trung chỉ đạo ban quản lý dự án khu vực tiếp tục "
        "quản lý, đôn đốc chủ đầu tư."
    )
    tasks = draft_minutes(text, meeting_date=date(2008, 7, 20)).tasks
    assert tasks[-1].assignee.startswith("UBND các quận, huyện")


def test_an_order_verb_never_ends_a_bodys_name() -> None:
    """ "Tổng cục Quản lý thị trường yêu cầu …": the name stops before "yêu cầu", and one
    body demanding of the many below it gives the order."""
    text = (
        "Theo đó, Tổng cục Quản lý thị trường yêu cầu Cục Quản lý thị trường các tỉnh, thành "
        "phố tăng cường kiểm tra tiền chất công nghiệp lưu thông trên thị trường."
    )
    (task,) = draft_minutes(text, meeting_date=date(2020, 5, 4)).tasks
    assert task.assignee.startswith("Cục Quản lý thị trường")
    assert task.action.lower().startswith("tăng cường kiểm tra")
