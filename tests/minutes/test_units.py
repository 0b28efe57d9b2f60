"""Unit names: one canonical name per unit, spoken forms, known units of the meeting."""

from __future__ import annotations

from datetime import date

import pytest

from minutes.text import match_view, nfc
from minutes.units import (
    _bare_headed_unit,
    canonical_unit,
    find_unit_at,
    map_to_known,
    parse_unit_list,
)


@pytest.mark.parametrize(
    ("forms", "canonical"),
    [
        (
            ["Sở KH&ĐT", "Sở KHĐT", "Sở Kế hoạch và Đầu tư", "sở kế hoạch đầu tư", "Sở KH và ĐT"],
            "Sở Kế hoạch và Đầu tư",
        ),
        (["Sở GTVT", "Sở Giao thông vận tải", "sở giao thông"], "Sở Giao thông vận tải"),
        (
            ["Sở LĐ-TB&XH", "sở lao động", "Sở Lao động - Thương binh và Xã hội"],
            "Sở Lao động - Thương binh và Xã hội",
        ),
        (["Sở TT&TT", "Sở Thông tin và Truyền thông"], "Sở Thông tin và Truyền thông"),
        (
            ["UBMTTQ tỉnh", "ủy ban mặt trận tổ quốc tỉnh", "Ủy ban MTTQ Việt Nam tỉnh"],
            "Ủy ban MTTQ Việt Nam tỉnh",
        ),
        (
            ["văn phòng ủy ban tỉnh", "Văn phòng UBND tỉnh", "Văn phòng Uỷ ban nhân dân tỉnh"],
            "Văn phòng UBND tỉnh",
        ),
    ],
)
def test_forms_of_one_unit_share_a_name(forms: list[str], canonical: str) -> None:
    assert {canonical_unit(f) for f in forms} == {canonical}


def test_old_and_new_tone_placement_are_one_unit() -> None:
    assert canonical_unit("Uỷ ban nhân dân các huyện, thành phố") == canonical_unit(
        "Ủy ban nhân dân các huyện, thành phố"
    )
    assert len(match_view("Uỷ ban hoà giải")) == len("Uỷ ban hoà giải")


def test_names_changed_by_the_2025_reorganisation() -> None:
    assert canonical_unit("sở nông nghiệp", meeting_date=date(2024, 9, 5)) == (
        "Sở Nông nghiệp và Phát triển nông thôn"
    )
    assert canonical_unit("sở nông nghiệp", meeting_date=date(2025, 6, 1)) == (
        "Sở Nông nghiệp và Môi trường"
    )


def test_unknown_names_are_kept_tidy() -> None:
    assert canonical_unit("  đơn vị   tư vấn ") == "đơn vị tư vấn"
    assert canonical_unit("Trung tâm Phục vụ hành chính công tỉnh") == (
        "Trung tâm Phục vụ hành chính công tỉnh"
    )


def test_known_units_win() -> None:
    known = ["Sở KH&ĐT", "Sở Tài chính", "UBND huyện Tam Đường"]
    assert map_to_known("Sở Kế hoạch và Đầu tư", known) == "Sở KH&ĐT"
    assert map_to_known("sở tài chính", known) == "Sở Tài chính"
    assert map_to_known("Sở Y tế", known) == "Sở Y tế"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("anh em bên sở lao động chủ trì", ["Sở Lao động - Thương binh và Xã hội"]),
        (
            "công an tỉnh bộ chỉ huy bộ đội biên phòng tỉnh và chi cục hải quan khu vực xây dựng",
            ["Công an tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Chi cục Hải quan khu vực"],
        ),
        (
            "Sở Kế hoạch và Đầu tư cùng Sở Xây dựng phối hợp",
            ["Sở Kế hoạch và Đầu tư", "Sở Xây dựng"],
        ),
        ("ủy ban nhân dân các xã phường chỉ đạo", ["UBND các xã, phường"]),
        ("UBND huyện Phong Thổ tập trung", ["UBND huyện Phong Thổ"]),
        ("các đồng chí trong Ban Chỉ đạo phát huy", ["thành viên Ban Chỉ đạo"]),
    ],
)
def test_lists_of_units(text: str, names: list[str]) -> None:
    text = nfc(text)
    units, end = parse_unit_list(text, match_view(text), 0)
    assert [u.name for u in units] == names
    assert end <= len(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("anh tuấn bên sở khoa học và công nghệ thì cho rà soát", "Sở Khoa học và Công nghệ"),
        ("chị hương văn phòng ủy ban thì đôn đốc", "Văn phòng UBND tỉnh"),
        ("anh em ở đài tỉnh thì tăng cường", "Đài Phát thanh và Truyền hình tỉnh"),
        ("bên dân tộc và tôn giáo phối hợp", "Sở Dân tộc và Tôn giáo"),
    ],
)
def test_people_and_colloquial_names_before_a_unit(text: str, name: str) -> None:
    units, _ = parse_unit_list(text, match_view(text), 0)
    assert [u.name for u in units] == [name]


def test_long_lowercase_unit_name_before_its_verb() -> None:
    """A spoken unit of nine words after its head, with where it works ("ở địa phương")."""
    text = "các chi nhánh trung tâm phát triển quỹ đất ở địa phương thì phối hợp với các xã"
    unit = _bare_headed_unit(text, match_view(text), 0, len(text))
    assert unit is not None
    assert unit.surface == "các chi nhánh trung tâm phát triển quỹ đất ở địa phương"


def test_peoples_council_and_its_organs_are_units() -> None:
    text = "Thường trực HĐND, các Ban, các Tổ đại biểu và đại biểu HĐND tỉnh tăng cường giám sát"
    units, end = parse_unit_list(text, match_view(text), 0)
    assert [u.name for u in units] == [
        "Thường trực HĐND tỉnh",
        "Các Ban",
        "các Tổ đại biểu HĐND tỉnh",
        "đại biểu HĐND tỉnh",
    ]
    assert text[end:].strip().startswith("tăng cường")


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("anh em bên bộ giao thông thì phải hỗ trợ tỉnh", "Bộ Giao thông vận tải"),
        ("bộ kế hoạch đầu tư chủ trì thẩm định", "Bộ Kế hoạch và Đầu tư"),
    ],
)
def test_ministry_said_by_its_field(said: str, name: str) -> None:
    units, _ = parse_unit_list(said, match_view(said), 0)
    assert [u.name for u in units] == [name]


@pytest.mark.parametrize("said", ["cán bộ tài chính xã đề nghị", "toàn bộ kế hoạch vốn năm nay"])
def test_words_holding_bo_are_no_ministry(said: str) -> None:
    view = match_view(said)
    starts = [0] + [i + 1 for i, ch in enumerate(said) if ch == " "]
    found = [find_unit_at(said, view, i) for i in starts]
    assert not any(u is not None and u.name.startswith("Bộ ") for u in found)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # the head of a body, named by the body: the body is the unit
        ("Chánh Văn phòng Bộ có trách nhiệm chủ trì", ["Văn phòng Bộ"]),
        ("Cục trưởng Cục Hải quan tỉnh chỉ đạo", ["Cục Hải quan tỉnh"]),
        ("Phó Giám đốc Trung tâm Y tế huyện kiểm tra", ["Trung tâm Y tế huyện"]),
        # several bodies of one named kind: not the bare group "các ban"
        (
            "Các Ban Quản lý đường sắt đô thị, Ban Quản lý Khu kinh tế được yêu cầu",
            ["Các Ban Quản lý đường sắt đô thị", "Ban Quản lý Khu kinh tế tỉnh"],
        ),
        ("các Trung tâm Y tế tuyến huyện khẩn trương", ["Các Trung tâm Y tế tuyến huyện"]),
        # a second syllable that would end a name ("phối", "chỉ") when a capital follows
        (
            "Văn phòng Điều phối Nông thôn mới tỉnh chủ trì",
            ["Văn phòng Điều phối Nông thôn mới tỉnh"],
        ),
        ("Sở Y tế chủ trì, phối hợp", ["Sở Y tế"]),
        ("Cục Thuế tham mưu", ["Cục Thuế tỉnh"]),
    ],
)
def test_unit_heads_with_titles_plurals_and_long_names(text: str, names: list[str]) -> None:
    units, _ = parse_unit_list(text, match_view(text), 0)
    assert [u.name for u in units] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("công chức địa chính - xây dựng chuẩn bị hồ sơ", ["công chức địa chính - xây dựng"]),
        ("công chức tư pháp - hộ tịch rà soát", ["công chức tư pháp - hộ tịch"]),
        ("CBCS các đơn vị tham gia phương án nêu cao", ["CBCS các đơn vị tham gia phương án"]),
        ("cán bộ, chiến sĩ Công an huyện tuần tra", ["Cán bộ, chiến sĩ Công an huyện"]),
        ("các thôn và các tổ dân phố tuyên truyền", ["Các thôn và các tổ dân phố"]),
    ],
)
def test_commune_civil_servants_forces_and_neighbourhoods(text: str, names: list[str]) -> None:
    units, _ = parse_unit_list(text, match_view(text), 0)
    assert [u.name for u in units] == names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("UBND huyện đã chỉ đạo", "UBND huyện"),  # "đ" lies in [À-Ỹ]: not a place "Đã"
        ("UBND xã đề nghị", "UBND xã"),
        ("UBND xã Đạo Trù đề nghị", "UBND xã Đạo Trù"),
        ("UBND huyện Phong Thổ tập trung", "UBND huyện Phong Thổ"),
    ],
)
def test_a_place_name_after_a_level_is_capitalised(text: str, name: str) -> None:
    units, _ = parse_unit_list(text, match_view(text), 0)
    assert [u.name for u in units] == [name]


# Bodies a provincial or district meeting addresses, taken from how provinces and districts
# are organised (departments, their district rooms, the courts and forces, the Party's boards,
# groups) rather than from any corpus text: each must be read whole as the assignee, so that
# its last words do not start the action.
_ADMINISTRATIVE_BODIES = (
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Khoa học và Công nghệ",
    "Ban Quản lý dự án đầu tư xây dựng công trình giao thông",
    "Trung tâm Y tế huyện Mường Tè",
    "Bệnh viện Đa khoa tỉnh",
    "Kho bạc Nhà nước khu vực VIII",
    "Bảo hiểm xã hội tỉnh",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Cảnh sát Phòng cháy chữa cháy và cứu nạn, cứu hộ",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tài chính - Kế hoạch",
    "phòng Văn hóa - Thông tin",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Trung tâm Phát triển quỹ đất huyện",
    "Tòa án nhân dân tỉnh",
    "Viện Kiểm sát nhân dân tỉnh",
    "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
    "Ban Chỉ đạo phòng, chống thiên tai huyện",
    "UBND các xã, phường, thị trấn",
    "các trường học",
    "các doanh nghiệp vận tải",
    "các tổ chức tín dụng",
    "từng ngành, từng địa phương",
)


@pytest.mark.parametrize("body", _ADMINISTRATIVE_BODIES)
@pytest.mark.parametrize(
    "template",
    (
        "Chủ tịch UBND tỉnh yêu cầu {body} khẩn trương rà soát hồ sơ trước ngày 15/6.",
        "Giao {body} chủ trì, phối hợp với các đơn vị liên quan rà soát hồ sơ.",
    ),
)
def test_an_administrative_body_is_read_whole(body: str, template: str) -> None:
    from minutes import draft_minutes

    (task,) = draft_minutes(template.format(body=body), meeting_date=date(2024, 6, 3)).tasks
    assert task.action.lower().startswith(("khẩn trương rà soát", "rà soát", "chủ trì"))
    # the canonical name may drop a place ("Trung tâm Y tế huyện"), never the body's head
    assert task.assignee.lower().startswith(body.split()[0].lower())


@pytest.mark.parametrize(
    "body",
    (
        "Hạt Kiểm lâm huyện",
        "Đội Quản lý thị trường số 3",
        "Ban Tuyên giáo Tỉnh ủy",
        "Các ban quản lý chợ",
        "Cục Quản lý thị trường các tỉnh, thành phố",
    ),
)
def test_a_body_with_a_duty_is_the_subject(body: str) -> None:
    from minutes import draft_minutes

    text = f"{body} có trách nhiệm rà soát hồ sơ, báo cáo trước ngày 15/6."
    (task,) = draft_minutes(text, meeting_date=date(2024, 6, 3)).tasks
    assert task.assignee.lower().startswith(body.lower()[:12])
    assert task.action.lower().startswith("rà soát")
