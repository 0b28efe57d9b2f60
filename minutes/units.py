"""Names of units (đơn vị): recognising them in text and making one name per unit.

"Sở KH&ĐT", "Sở KHĐT", "sở kế hoạch đầu tư" and "Sở Kế hoạch và Đầu tư" are one unit; a
spoken "anh em bên sở lao động" is "Sở Lao động - Thương binh và Xã hội". Groups that a
chair addresses as a whole ("các sở, ban, ngành", "UBND các huyện, thành phố", "các thành
viên Ban Chỉ đạo") are units too, named by their own words.

Everything here works on the match view (:func:`minutes.text.match_view`), whose offsets
are the offsets of the original text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from minutes.options import OPTIONS
from minutes.text import key, match_view, nfc
from minutes.vocabulary import (
    _CHAIR_BODY,
    _CHAIR_ISSUER,
    _CONDITION,
    _MARKER,
    _TAIL_WORD,
    _VERB_RE,
    VERBS,
    alternation,
    word_list,
)

__all__ = ["UnitMatch", "canonical_unit", "find_unit_at", "map_to_known", "parse_unit_list"]

_S = r"\s+"
_AND = r"(?:\s*(?:và|&|-|,)\s*|\s+)"

# canonical name -> alternatives (regex over the match view, after the head word when the
# head is "sở")
_SO: dict[str, str] = {
    "Sở Kế hoạch và Đầu tư": rf"kh\s*&\s*đt|kh\s*-\s*đt|khđt|kh{_S}và{_S}đt"
    rf"|kế{_S}hoạch{_AND}đầu{_S}tư|kế{_S}hoạch",
    "Sở Tài chính": r"tài\s+chính|tc",
    "Sở Xây dựng": r"xây\s+dựng|xd",
    "Sở Giao thông vận tải": rf"giao{_S}thông(?:{_AND}vận{_S}tải)?|gtvt|gt\s*-\s*vt",
    "Sở Công Thương": r"công\s+thương|ct",
    "Sở Y tế": r"y\s+tế|yt",
    "Sở Giáo dục và Đào tạo": rf"giáo{_S}dục(?:{_AND}đào{_S}tạo)?|gd\s*&\s*đt|gd\s*-\s*đt|gdđt",
    "Sở Nông nghiệp và Phát triển nông thôn": rf"nông{_S}nghiệp{_AND}phát{_S}triển{_S}nông{_S}thôn"
    r"|nn\s*&\s*ptnt|nn\s*-\s*ptnt|nnptnt",
    "Sở Nông nghiệp và Môi trường": rf"nông{_S}nghiệp{_AND}môi{_S}trường|nn\s*&\s*mt|nn\s*-\s*mt",
    "Sở Nông nghiệp": rf"nông{_S}nghiệp",
    "Sở Tài nguyên và Môi trường": rf"tài{_S}nguyên(?:{_AND}môi{_S}trường)?|tn\s*&\s*mt|tn\s*-\s*mt"
    r"|tnmt",
    "Sở Lao động - Thương binh và Xã hội": rf"lao{_S}động(?:{_AND}thương{_S}binh{_AND}xã{_S}hội"
    rf"|{_AND}thương{_S}binh|{_AND}xã{_S}hội)?|lđ\s*-?\s*tb\s*&\s*xh|lđtbxh|lđ\s*-\s*tbxh",
    "Sở Nội vụ": rf"nội{_S}vụ|nv",
    "Sở Tư pháp": rf"tư{_S}pháp|tp",
    "Sở Thông tin và Truyền thông": rf"thông{_S}tin(?:{_AND}truyền{_S}thông)?|tt\s*&\s*tt"
    r"|tt\s*-\s*tt|tttt",
    "Sở Văn hóa, Thể thao và Du lịch": rf"văn{_S}hóa(?:{_AND}thể{_S}thao(?:{_AND}du{_S}lịch)?"
    rf"|{_AND}thông{_S}tin)?|vh\s*,?\s*tt\s*&\s*dl|vhttdl|vh\s*-\s*tt\s*-\s*dl",
    "Sở Khoa học và Công nghệ": rf"khoa{_S}học(?:{_AND}công{_S}nghệ)?|kh\s*&\s*cn|kh\s*-\s*cn|khcn",
    "Sở Ngoại vụ": rf"ngoại{_S}vụ",
    "Sở Dân tộc và Tôn giáo": rf"dân{_S}tộc{_AND}tôn{_S}giáo",
    "Sở Du lịch": rf"du{_S}lịch",
}

_TINH = r"(?:\s+tỉnh)?"
_DASH = r"(?:\s*-\s*|\s+)"
_OTHER: dict[str, str] = {
    "Văn phòng UBND tỉnh": rf"văn{_S}phòng{_S}(?:ubnd|ủy{_S}ban{_S}nhân{_S}dân|ủy{_S}ban)"
    rf"(?:{_S}tỉnh)?|vp{_S}ubnd{_S}tỉnh|văn{_S}phòng{_S}ubt",
    "Văn phòng Tỉnh ủy": rf"văn{_S}phòng{_S}tỉnh{_S}ủy",
    "Văn phòng thường trực": rf"văn{_S}phòng{_S}thường{_S}trực"
    rf"(?:{_S}ban{_S}chỉ{_S}(?:đạo|huy)(?:{_S}\d+)?(?:{_S}tỉnh)?)?",
    "Cơ quan thường trực": rf"cơ{_S}quan{_S}thường{_S}trực(?:{_S}ban{_S}chỉ{_S}đạo(?:{_S}\d+)?"
    rf"(?:{_S}tỉnh)?)?",
    "Tổ giúp việc": rf"tổ{_S}giúp{_S}việc(?:{_S}ban{_S}chỉ{_S}đạo)?",
    "Công an tỉnh": rf"công{_S}an{_S}tỉnh|ca{_S}tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh": rf"bộ{_S}chỉ{_S}huy{_S}quân{_S}sự{_TINH}|bchqs{_TINH}",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh": rf"bộ{_S}chỉ{_S}huy{_S}(?:bộ{_S}đội{_S})?biên{_S}phòng"
    rf"{_TINH}|bđbp{_TINH}|bộ{_S}đội{_S}biên{_S}phòng{_TINH}|biên{_S}phòng{_S}tỉnh",
    "Chi cục Hải quan khu vực": rf"chi{_S}cục{_S}hải{_S}quan"
    rf"(?:{_S}khu{_S}vực(?:{_S}[ivx]+|{_S}\d+)?)?",
    "Cục Hải quan tỉnh": rf"cục{_S}hải{_S}quan{_TINH}|hải{_S}quan(?:{_S}tỉnh)?",
    "Chi cục Quản lý thị trường": rf"chi{_S}cục{_S}(?:quản{_S}lý{_S}thị{_S}trường|qltt){_TINH}",
    "Cục Quản lý thị trường tỉnh": rf"cục{_S}(?:quản{_S}lý{_S}thị{_S}trường|qltt){_TINH}"
    rf"|quản{_S}lý{_S}thị{_S}trường{_TINH}",
    "Cục Thuế tỉnh": rf"cục{_S}thuế{_TINH}|thuế{_S}tỉnh",
    "Kho bạc Nhà nước": rf"kho{_S}bạc(?:{_S}nhà{_S}nước)?(?:{_S}khu{_S}vực(?:{_S}[ivx]+|{_S}\d+)?"
    r"|\s+tỉnh)?|kbnn(?:\s+tỉnh)?",
    "Ngân hàng Nhà nước chi nhánh tỉnh": rf"ngân{_S}hàng{_S}nhà{_S}nước(?:{_S}(?:chi{_S}nhánh|"
    rf"khu{_S}vực(?:{_S}\d+)?))?{_TINH}|nhnn(?:{_S}chi{_S}nhánh)?{_TINH}",
    "Bảo hiểm xã hội tỉnh": rf"bảo{_S}hiểm{_S}xã{_S}hội{_TINH}|bhxh{_TINH}",
    "Thanh tra tỉnh": rf"thanh{_S}tra{_S}tỉnh",
    "Ủy ban MTTQ Việt Nam tỉnh": rf"(?:ủy{_S}ban{_S})?mặt{_S}trận(?:{_S}tổ{_S}quốc)?"
    rf"(?:{_S}việt{_S}nam)?{_TINH}|ub\s*mttq(?:{_S}vn|{_S}việt{_S}nam)?{_TINH}|mttq(?:{_S}vn)?{_TINH}",
    "Tỉnh đoàn": rf"tỉnh{_S}đoàn|đoàn{_S}thanh{_S}niên{_S}tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh": rf"hội{_S}liên{_S}hiệp{_S}phụ{_S}nữ{_TINH}|hội{_S}lhpn{_TINH}"
    rf"|hội{_S}phụ{_S}nữ{_TINH}",
    "Hội Nông dân tỉnh": rf"hội{_S}nông{_S}dân{_TINH}",
    "Liên đoàn Lao động tỉnh": rf"liên{_S}đoàn{_S}lao{_S}động{_TINH}|lđlđ{_TINH}",
    "Hội Cựu chiến binh tỉnh": rf"hội{_S}cựu{_S}chiến{_S}binh{_TINH}",
    "Ban Dân tộc tỉnh": rf"ban{_S}dân{_S}tộc{_TINH}",
    "Ban Quản lý Khu kinh tế tỉnh": rf"ban{_S}quản{_S}lý{_S}(?:các{_S})?khu{_S}kinh{_S}tế{_TINH}",
    "Ban Quản lý các khu công nghiệp tỉnh": rf"ban{_S}quản{_S}lý{_S}(?:các{_S})?khu{_S}công{_S}"
    rf"nghiệp{_TINH}",
    "Ban An toàn giao thông tỉnh": rf"ban{_S}an{_S}toàn{_S}giao{_S}thông{_TINH}",
    "Đài Phát thanh và Truyền hình tỉnh": rf"đài{_S}phát{_S}thanh(?:{_AND}truyền{_S}hình)?{_TINH}"
    rf"|đài{_S}pt\s*-?\s*th{_TINH}|đài{_S}tỉnh",
    "Báo tỉnh": rf"báo{_S}tỉnh",
    "Chi cục Kiểm lâm": rf"chi{_S}cục{_S}kiểm{_S}lâm{_TINH}|kiểm{_S}lâm{_S}tỉnh",
    "Chi cục Thủy lợi": rf"chi{_S}cục{_S}thủy{_S}lợi{_TINH}",
    "Chi cục Thủy sản": rf"chi{_S}cục{_S}thủy{_S}sản{_TINH}",
    "Chi cục Chăn nuôi và Thú y": rf"chi{_S}cục{_S}chăn{_S}nuôi(?:{_AND}thú{_S}y)?{_TINH}"
    rf"|chi{_S}cục{_S}thú{_S}y{_TINH}",
    "Chi cục Trồng trọt và Bảo vệ thực vật": rf"chi{_S}cục{_S}(?:trồng{_S}trọt{_AND})?bảo{_S}vệ{_S}"
    rf"thực{_S}vật{_TINH}",
    "Trung tâm Kiểm soát bệnh tật tỉnh": rf"trung{_S}tâm{_S}kiểm{_S}soát{_S}bệnh{_S}tật{_TINH}"
    rf"|cdc{_TINH}",
    "Công ty Điện lực": rf"(?:công{_S}ty{_S})?điện{_S}lực{_TINH}",
    "Viettel tỉnh": rf"(?:chi{_S}nhánh{_S})?viettel{_TINH}",
    "VNPT tỉnh": rf"vnpt{_TINH}|viễn{_S}thông{_S}tỉnh",
    "Cục Thống kê tỉnh": rf"cục{_S}thống{_S}kê{_TINH}",
    "Tòa án nhân dân tỉnh": rf"(?:tòa|toà){_S}án{_S}nhân{_S}dân{_TINH}|tand{_TINH}",
    "Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ": rf"cảnh{_S}sát{_S}(?:pccc|phòng{_S}cháy"
    rf"(?:\s*,\s*|{_S})chữa{_S}cháy)(?:{_S}(?:và{_S})?(?:cnch|cứu{_S}nạn\s*,?\s*cứu{_S}hộ))?"
    rf"(?:{_S}(?:công{_S}an{_S})?tỉnh)?",
    # "từng thành viên tiểu ban", "mỗi thành viên tổ công tác": each member, one by one
    "thành viên tiểu ban": rf"(?:các|từng|mỗi){_S}thành{_S}viên{_S}tiểu{_S}ban",
    "thành viên Ban Chỉ đạo": rf"(?:các{_S}|từng{_S}|mỗi{_S})?(?:đồng{_S}chí{_S})?(?:là{_S})?"
    rf"thành{_S}viên(?:{_S}ban{_S}chỉ{_S}đạo)?|các{_S}đồng{_S}chí{_S}(?:trong|thuộc|thành{_S}viên)"
    rf"{_S}ban{_S}chỉ{_S}đạo",
    "đơn vị tư vấn": rf"(?:các{_S})?(?:đơn{_S}vị|công{_S}ty){_S}tư{_S}vấn|nhà{_S}tư{_S}vấn"
    rf"|tư{_S}vấn{_S}lập",
    "nhà thầu": rf"(?:các{_S})?nhà{_S}thầu(?:{_S}thi{_S}công)?",
    "chủ đầu tư": rf"(?:các{_S})?chủ{_S}đầu{_S}tư",
    # "yêu cầu đơn vị thi công hoàn tất công việc": the contractor on site, named by its role
    "đơn vị thi công": rf"(?:các{_S})?đơn{_S}vị{_S}thi{_S}công",
    # the People's Council and its organs, addressed by its chair at a session: "đề nghị
    # Thường trực HĐND, các Ban, các Tổ đại biểu và đại biểu HĐND tỉnh tăng cường giám sát"
    "Thường trực HĐND tỉnh": rf"thường{_S}trực{_S}(?:hđnd|hội{_S}đồng{_S}nhân{_S}dân){_TINH}",
    "các Tổ đại biểu HĐND tỉnh": rf"các{_S}tổ{_S}đại{_S}biểu(?:{_S}(?:hđnd|hội{_S}đồng{_S}nhân"
    rf"{_S}dân){_TINH})?",
    "đại biểu HĐND tỉnh": rf"(?:các{_S})?đại{_S}biểu{_S}(?:hđnd|hội{_S}đồng{_S}nhân{_S}dân)"
    rf"{_TINH}",
    # teams set up for one job: "yêu cầu đoàn thanh tra …", "các tổ công tác có trách nhiệm …"
    # the civil servants of a commune or ward, by their legal titles (the unit in charge there)
    "công chức địa chính - xây dựng": rf"công{_S}chức{_S}địa{_S}chính{_DASH}xây{_S}dựng"
    rf"(?:(?:{_DASH}|{_S}và{_S}|\s*,\s*)(?:đô{_S}thị|môi{_S}trường|nông{_S}nghiệp))*",
    "công chức tư pháp - hộ tịch": rf"công{_S}chức{_S}tư{_S}pháp(?:{_DASH}hộ{_S}tịch)?",
    "công chức văn hóa - xã hội": rf"công{_S}chức{_S}văn{_S}hóa(?:{_DASH}xã{_S}hội)?",
    "công chức tài chính - kế toán": rf"công{_S}chức{_S}tài{_S}chính(?:{_DASH}kế{_S}toán)?",
    "công chức văn phòng - thống kê": rf"công{_S}chức{_S}văn{_S}phòng(?:{_DASH}thống{_S}kê)?",
    "đoàn thanh tra": rf"(?:các{_S})?đoàn{_S}thanh{_S}tra",
    "đoàn kiểm tra": rf"(?:các{_S})?đoàn{_S}kiểm{_S}tra",
    "tổ công tác": rf"(?:các{_S})?tổ{_S}công{_S}tác(?:{_S}(?:chuyên{_S}trách|liên{_S}ngành))?",
    "tổ kiểm tra": rf"(?:các{_S})?tổ{_S}kiểm{_S}tra(?:{_S}liên{_S}ngành)?",
    # spoken "ủy ban tỉnh" too, when no place's name follows ("ủy ban tỉnh quảng ninh" is read
    # by the spoken-name path, which keeps the name)
    "UBND tỉnh": rf"(?:ubnd|ủy{_S}ban{_S}nhân{_S}dân){_S}tỉnh|ủy{_S}ban{_S}tỉnh(?=\s*(?:[,.;:]|$"
    rf"|(?:với|và|cùng|thì|là|phải|cần|có|sẽ|đã|nhanh|khẩn|chủ|tập|tiếp|chỉ)(?!\w)))",
}

# Group nouns a chair addresses as a whole.
_GROUP_NOUN = (
    alternation(word_list("collective_assignees"))
    .replace(
        # "các phòng chuyên môn", but not "phòng cháy", "phòng chống dịch", "phòng, chống"
        "|phòng|",
        rf"|phòng(?!{_S}(?:cháy|chống|ngừa|tránh|họp|học|dịch|bệnh))(?!\s*,\s*chống)|",
    )
    .replace(
        # "các trường học", but not "các trường hợp"
        "|trường|",
        rf"|trường(?!{_S}hợp)|",
    )
)
_GROUP_QUAL = (
    rf"(?:cấp{_S}tỉnh|cấp{_S}huyện|cấp{_S}xã|các{_S}cấp|tỉnh|liên{_S}quan|có{_S}liên{_S}quan"
    rf"|chức{_S}năng|trên{_S}địa{_S}bàn(?:{_S}tỉnh)?|chuyên{_S}ngành(?:{_S}tỉnh)?"
    # "các đơn vị thuộc Bộ", "các phòng thuộc sở": where the group belongs
    rf"|(?:trực{_S})?thuộc{_S}(?:bộ|sở|tỉnh|huyện|ubnd{_S}(?:tỉnh|huyện)|ủy{_S}ban{_S}nhân{_S}dân"
    rf"{_S}(?:tỉnh|huyện))"
    rf"|trực{_S}thuộc|được{_S}giao|thành{_S}viên)"
)
_LEADER = rf"(?:thủ{_S}trưởng|lãnh{_S}đạo|giám{_S}đốc|chủ{_S}tịch|người{_S}đứng{_S}đầu)"
_GROUP_RE = re.compile(
    # "từng ngành, từng địa phương": each one, as a group
    rf"(?:{_LEADER}{_S})?(?P<cac>các|mọi|những|từng){_S}{_GROUP_NOUN}"
    rf"(?:(?:\s*,\s*|{_S}và{_S}|{_S}(?!tổ{_S}chức(?!{_S}(?:chính|đoàn|xã|hội|tín)\w*)))"
    rf"(?:(?:các|từng){_S})?{_GROUP_NOUN}(?!\w))*"
    rf"(?:{_S}{_GROUP_QUAL}(?!\w))*"
)
_BARE_GROUP_RE = re.compile(
    rf"{_GROUP_NOUN}(?:(?:\s*,\s*|{_S}và{_S}|{_S})(?:các{_S})?{_GROUP_NOUN}(?!\w))*"
    rf"(?:{_S}{_GROUP_QUAL}(?!\w))*"
)
_UBND_LOCAL_RE = re.compile(
    rf"(?:{_LEADER}{_S})?(?:ubnd|ủy{_S}ban{_S}nhân{_S}dân|ủy{_S}ban|chính{_S}quyền){_S}"
    rf"(?:(?:các|cấp){_S})?(?:quận|huyện|thị{_S}xã|thành{_S}phố|thị{_S}trấn|thành|thị|xã|phường"
    rf"|đặc{_S}khu)(?:(?:\s*,\s*|{_S}và{_S}|{_S})(?:cấp{_S})?(?:quận|huyện|thị{_S}xã|thành{_S}phố"
    rf"|thị{_S}trấn|thành|thị|xã|phường|đặc{_S}khu)(?!\w))*"
)
_GOV_LEVELS_RE = re.compile(
    rf"(?:chính{_S}quyền|cấp{_S}ủy)(?:{_S}(?:các{_S}cấp|cấp{_S}(?:tỉnh|huyện|xã)))"
    rf"(?:\s*,\s*(?:cấp{_S})?(?:tỉnh|huyện|xã)(?!\w))*|cấp{_S}ủy(?:\s*,\s*chính{_S}quyền)?"
    rf"(?:{_S}các{_S}cấp)?"
)
# Officers and men of the police or the army, named by their own words: "CBCS các đơn vị tham
# gia phương án", "cán bộ, chiến sĩ Công an huyện".
_FORCES_RE = re.compile(
    rf"(?:các{_S})?(?:cbcs|cán{_S}bộ(?:\s*,\s*|{_S}|\s*-\s*)chiến{_S}sĩ)"
    rf"(?:{_S}(?:các{_S}đơn{_S}vị|công{_S}an(?:{_S}(?:tỉnh|huyện|xã|phường))?|đơn{_S}vị)"
    rf"(?:{_S}tham{_S}gia(?:{_S}phương{_S}án|{_S}kế{_S}hoạch)?|{_S}liên{_S}quan)?)?"
)
_BQLDA_RE = re.compile(
    rf"(?:các{_S})?(?:ban{_S}quản{_S}lý{_S}dự{_S}án|ban{_S}qlda|bqlda|bql{_S}da|ban{_S}qlđa)"
    rf"(?:{_S}(?:đầu{_S}tư{_S}xây{_S}dựng|chuyên{_S}ngành|(?:các{_S})?công{_S}trình|giao{_S}thông"
    rf"|dân{_S}dụng(?:{_S}và{_S}công{_S}nghiệp)?|nông{_S}nghiệp|tỉnh|huyện|khu{_S}vực|số{_S}\d+))*"
)
_SO_RE = re.compile(
    rf"(?:{_LEADER}{_S})?sở{_S}(?:"
    + "|".join(f"(?P<so{i}>{alt})" for i, alt in enumerate(_SO.values()))
    + r")(?!\w)"
)
# "bên tài chính", "phía kế hoạch", "anh em bên dân tộc và tôn giáo": a department by its field
_SO_FIELD_RE = re.compile(
    "(?:" + "|".join(f"(?P<fd{i}>{alt})" for i, alt in enumerate(_SO.values())) + r")(?!\w)"
)
_OTHER_RE = re.compile(
    "(?:" + "|".join(f"(?P<ot{i}>{alt})" for i, alt in enumerate(_OTHER.values())) + r")(?!\w)"
)
_SO_NAMES = list(_SO)
# A ministry said by its field: "anh em bên bộ giao thông thì …", "bộ tài chính cho ý kiến"
# (not "cán bộ tài chính", "toàn bộ kế hoạch").
_BO_RE = re.compile(rf"(?<!cán )(?<!toàn )(?<!\w)bộ{_S}(?:" + _SO_FIELD_RE.pattern[3:])
_OTHER_NAMES = list(_OTHER)

# Capitalised names in written text: a head noun followed by a proper name.
_HEADS = alternation(word_list("unit_heads"), space=" ")[3:-1]
# Heads many sites write in lower case before a capitalised name: "phòng Tài chính - Kế hoạch",
# "phòng VHTT", "trung tâm Văn hóa - Thể thao" (the name after them must be capitalised).
_NAMED_HEADS = _HEADS + r"|phòng|trung\s+tâm|chi\s+cục|văn\s+phòng|bệnh\s+viện|đội|hạt"
_CAP_STOP = (
    r"và|của|để|về|với|theo|tại|trong|là|thì|cần|phải|có|được|sẽ|đã|cùng|chủ|phối|khẩn|sớm|tiếp"
    r"|tập|chịu|làm|báo|tham|thực|triển|xây|rà|tổ|hoàn|chỉ|nghiên|kiểm|bảo|đảm|trình|gửi|ban|tăng"
    r"|đẩy|dựa|căn|quán|lập|thẩm|đôn|quan|hỗ|xem|giải|đề|cử|bố|nâng|tạo|huy|vận|kêu|phát|chuẩn"
    r"|nghiêm|cung|mua|các|những|này|đó|nhé|ạ"
)
# An order verb after a name, never part of it: "Tổng cục Quản lý thị trường yêu cầu …".
_ORDER_STOP = r"yêu|giao(?!\s+(?:thông|dịch|lưu|ban))"
# A proper name's word is capitalised on its first syllable only: "Văn phòng Điều phối Chương
# trình …", "Ban Chỉ đạo Phòng chống …"; a second syllable that would stop the name ("phối",
# "chỉ") is kept when another capitalised word follows it.
_CAP_RE = re.compile(
    # a capitalised word whose second syllable would stop the name: "Đào tạo", "Phát triển";
    # a dash joins two fields: "Phòng Tài chính - Kế hoạch", "Lao động - Thương binh"
    rf"(?:{_NAMED_HEADS})(?:(?:\s+|\s*[-–]\s*)(?:Đào\s+tạo|Phát\s+triển|[A-ZĐÀ-Ỹ][\w&\-]*(?:\s+[uủ][ỷy](?!\w))?"
    rf"|[A-ZĐ][A-ZĐ&\-]+)"
    rf"(?:\s+(?:{_CAP_STOP})(?=\s+[A-ZĐÀ-Ỹ]))?)+"
    r"(?:\s+(?:và\s+(?:Phát\s+triển|Đào\s+tạo|[A-ZĐÀ-Ỹ][\w\-]*)|phát\s+triển|đào\s+tạo"
    r"|phòng\s*,\s*chống"  # "Ban Chỉ đạo phòng, chống thiên tai"
    r"|(?:Tỉnh|Huyện|Thành|Thị|Đảng)\s+[uủ][ỷy](?!\w)"  # "Ban Tuyên giáo Tỉnh ủy"
    r"|số\s+\d+(?!\w)"  # "Đội Quản lý thị trường số 3"
    rf"|(?!(?:{_CAP_STOP}|{_ORDER_STOP}|{VERBS})(?!\w))[a-zđà-ỹ]+)){{0,6}}"
    # the second field after a dash: "Phòng Tài chính - Kế hoạch"
    rf"(?:\s*[-–]\s*[A-ZĐÀ-Ỹ][\w\-]*(?:\s+(?:và\s+[A-ZĐÀ-Ỹ][\w\-]*"
    rf"|(?!(?:{_CAP_STOP}|{VERBS})(?!\w))[a-zđà-ỹ]+)){{0,4}})*"
)

_PERSONAL = re.compile(
    rf"(?:anh{_S}em|các{_S}anh(?:{_S}chị)?|các{_S}chị|mấy{_S}anh|các{_S}đồng{_S}chí|đồng{_S}chí"
    rf"|lãnh{_S}đạo)?\s*(?:bên|phía|ở|thuộc)?\s*"
)
_SEP_RE = re.compile(
    rf"(?:\s*[;,](?:{_S}và)?|{_S}(?:và|cùng(?:{_S}với)?|với|cũng{_S}như))?\s*(?:(?:à|ờ),?\s+)?"
)


_PLURAL = re.compile(r"(?:các|những)\s+")
# The head of a body named by the body: "Chánh Văn phòng Bộ có trách nhiệm …", "Cục trưởng
# Cục Thuế chỉ đạo …", "Thủ trưởng Ban Quản lý …". The body is the unit.
_HEAD_TITLE = re.compile(
    r"(?:phó\s+)?(?:chánh|cục\s+trưởng|chi\s+cục\s+trưởng|vụ\s+trưởng|viện\s+trưởng|hiệu\s+trưởng"
    r"|trưởng|thủ\s+trưởng|giám\s+đốc|tổng\s+giám\s+đốc|chỉ\s+huy\s+trưởng|người\s+đứng\s+đầu)"
    r"\s+(?=\w)"
)


_NAMED_PERSON = re.compile(
    r"(?:anh|chị|ông|bà|đồng\s+chí)\s+(?!(?:em|các)(?!\w))\w+"
    r"(?P<one>\s+(?:(?:bên|phía|ở|thuộc)\s+)?)"
    r"(?:\w+(?P<two>\s+(?:(?:bên|phía|ở|thuộc)\s+)?))?"
)


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """A unit named in a text: where, the words used, and its canonical name."""

    start: int
    end: int
    surface: str
    name: str
    group: bool = False


def _tidy_surface(surface: str) -> str:
    surface = " ".join(surface.split()).strip(" ,;:.")
    return surface[:1].upper() + surface[1:] if surface[:1].islower() else surface


def _ministry_at(text: str, view: str, start: int) -> list[UnitMatch]:
    """A ministry named by "bộ" and its field, in any case: "bộ giao thông" → "Bộ Giao thông
    vận tải", "bộ kế hoạch đầu tư" → "Bộ Kế hoạch và Đầu tư"."""
    m = _BO_RE.match(view, start)
    if m is None:
        return []
    idx = next(int(k[2:]) for k, v in m.groupdict().items() if v is not None)
    name = "Bộ " + _SO_NAMES[idx].removeprefix("Sở ")
    return [UnitMatch(start, m.end(), text[start : m.end()], name)]


def find_unit_at(text: str, view: str, pos: int) -> UnitMatch | None:
    """The longest unit name starting exactly at ``pos`` (after optional "anh em bên")."""
    personal = _PERSONAL.match(view, pos)
    starts = [pos]
    if personal and personal.end() > pos:
        starts.insert(0, personal.end())
    named = _NAMED_PERSON.match(view, pos)
    if named and not text[named.start() : named.end()].split()[1][:1].isupper():
        # "anh tuấn bên sở khoa học", "chị hương văn phòng ủy ban": a person, then the unit
        starts[:0] = [named.end(g) for g in ("one", "two") if named.group(g) is not None]
    titled = _HEAD_TITLE.match(view, pos)
    if titled and (
        text[titled.end() : titled.end() + 1].isupper()
        # "Trưởng phòng Quản lý đô thị": the room's head word in lower case
        or _CAP_RE.match(text, titled.end()) is not None
    ):
        starts.append(titled.end())
    best: UnitMatch | None = None
    for start in starts:
        candidates = _units_at(text, view, start)
        if not candidates:
            candidates = _ministry_at(text, view, start)
        if not candidates and start != pos:
            field = _SO_FIELD_RE.match(view, start)
            if field:
                idx = next(int(k[2:]) for k, v in field.groupdict().items() if v is not None)
                name = _SO_NAMES[idx]
                candidates = [UnitMatch(start, field.end(), text[start : field.end()], name)]
            elif re.match(r"công\s+an(?!\w)", view[start:]):
                end = start + len(re.match(r"công\s+an(?:\s+tỉnh)?", view[start:]).group(0))  # type: ignore[union-attr]
                candidates = [UnitMatch(start, end, text[start:end], "Công an tỉnh")]
        if not candidates and start != pos:
            # "các đồng chí ở xã phường", "anh em ở huyện": a bare group after a person
            m = _BARE_GROUP_RE.match(view, start)
            if m:
                surface = text[start : m.end()]
                candidates = [UnitMatch(start, m.end(), surface, _tidy_surface(surface), True)]
        if not candidates and start != pos:
            # "đề nghị bên quỹ thì đẩy nhanh …", "phía công ty thì …": a body by its head noun
            head = _ORG_HEAD_ALONE.match(view, start)
            if head:
                surface = text[start : head.end()]
                candidates = [UnitMatch(start, head.end(), surface, _tidy_surface(surface))]
        for candidate in candidates:
            if best is None or candidate.end > best.end:
                best = candidate
        if best is not None:
            break
    if best is None and starts[0] != pos:
        # "bên phòng cháy chữa cháy công an tỉnh": a division, then the unit it belongs to
        parent = _parent_unit(text, view, starts[0])
        best = parent[0] if parent else None
    each = _IN_EACH.match(view, best.end) if best is not None and not best.group else None
    if best is not None and each is not None and _EACH_HEAD.match(match_view(best.name)):
        surface = text[best.start : each.end()]
        return UnitMatch(best.start, each.end(), surface, _tidy_surface(surface), True)
    if best is not None and not best.group and best.name.endswith(" tỉnh"):
        lower = _LOWER_LEVEL.match(view, best.end)
        if lower is not None:
            # "Thường trực HĐND huyện", "Ban An toàn giao thông huyện": the same body one level
            # down, not the province's with its level word cut off into the action
            end = lower.end(1)
            for _ in range(4):  # "… thành phố Hải Hà": the place's name too
                word = re.match(r"\s+([^\s,.;:()]+)", text[end:])
                if word is None or not word.group(1)[:1].isupper():
                    break
                end += word.end()
            level = " ".join(text[lower.start(1) : end].split())
            name = best.name.removesuffix(" tỉnh") + " " + level[:1].lower() + level[1:]
            best = UnitMatch(best.start, end, text[best.start : end], name)
    return best


# The same body in each province or district: "Cục Quản lý thị trường các tỉnh, thành phố
# trực thuộc Trung ương", "Công an các huyện".
_IN_EACH = re.compile(
    r"\s+các\s+(?:tỉnh|huyện|quận|xã)(?:\s*,\s*(?:thành\s+phố|thị\s+xã|thị\s+trấn|phường|quận|huyện))*"
    r"(?:\s+trực\s+thuộc\s+trung\s+ương)?(?!\w)"
)


# Bodies a province or district each has its own of (not "Phòng Y tế", which "UBND, Phòng Y
# tế các huyện" shares with the list before it).
_EACH_HEAD = re.compile(
    r"(?:tổng\s+cục|cục|chi\s+cục|công\s+an|kho\s+bạc|bảo\s+hiểm|ban\s+chỉ\s+huy)(?!\w)"
)


# A level below the province right after a province-level body's name.
_LOWER_LEVEL = re.compile(r"\s+(huyện|quận|thị\s+xã|thành\s+phố|xã|phường|thị\s+trấn)(?!\w)")


_ORG_HEAD_ALONE = re.compile(
    rf"(?:các\s+)?{alternation(word_list('organisation_heads'))}"
    r"(?=\s*(?:,\s*)?(?:thì|phải|cần|cũng)(?!\w))"
)


_LEVEL_WORD = re.compile(r"(huyện|xã|phường|thị\s+xã|thành\s+phố|quận|tỉnh)\s+")


def _named_level(text: str, view: str, pos: int) -> UnitMatch | None:
    """A level and a proper name in running text: "huyện Ninh Hải", "xã Phương Hải", "tỉnh
    Quảng Ninh" — the People's Committee of that place."""
    level = _LEVEL_WORD.match(view, pos)
    if level is None:
        return None
    end = level.end()
    words = 0
    while words < 4:
        word = re.match(r"[^\s,.;:()]+", text[end:])
        if word is None or not word.group(0)[:1].isupper():
            break
        end += word.end()
        words += 1
        gap = re.match(r"\s+(?=[^\s,.;:()])", text[end:])
        if gap is None or not text[end + gap.end() : end + gap.end() + 1].isupper():
            break
        end += gap.end()
    if words == 0:
        return None
    surface = text[pos:end]
    place = " ".join(surface.split()[len(level.group(1).split()) :])
    return UnitMatch(pos, end, surface, f"UBND {' '.join(level.group(1).split())} {place}")


def _parent_unit(text: str, view: str, start: int) -> list[UnitMatch]:
    """A named (not group) unit one to four words after ``start``, spanning from ``start``."""
    for m in itertools.islice(re.finditer(r"\s+(?=\S)", view[start : start + 60]), 4):
        at = start + m.end()
        if re.search(r"(?<!\w)(?:trong|thuộc|của|và|với|ở|là|thì|đã|sẽ)(?!\w)", view[start:at]):
            return []
        found = [u for u in _units_at(text, view, at) if not u.group]
        if found:
            best = max(found, key=lambda u: u.end)
            return [UnitMatch(start, best.end, text[start : best.end], best.name)]
    return []


def _units_at(text: str, view: str, pos: int) -> list[UnitMatch]:
    found: list[UnitMatch] = []
    m = _SO_RE.match(view, pos)
    if m:
        idx = next(int(k[2:]) for k, v in m.groupdict().items() if v is not None)
        found.append(UnitMatch(pos, m.end(), text[pos : m.end()], _SO_NAMES[idx]))
    m = _OTHER_RE.match(view, pos)
    if m and m.lastgroup:
        name = _OTHER_NAMES[int(m.lastgroup[2:])]
        found.append(UnitMatch(pos, m.end(), text[pos : m.end()], name))
    m = _UBND_LOCAL_RE.match(view, pos)
    if m:
        end = m.end()
        name = _local_name(m.group(0))
        proper_end = _proper_name_end(text, end)
        if proper_end > end and " các " not in f" {m.group(0)} " and "," not in m.group(0):
            # "UBND huyện Phong Thổ": one named district, not a group
            proper, end = text[end:proper_end], proper_end
            name = f"{name} {' '.join(proper.split())}"
            found.append(UnitMatch(pos, end, text[pos:end], name))
        else:
            # "UBND các huyện Bố Trạch, Quảng Ninh, Minh Hóa": the group's members by name
            end = _member_names_end(text, end)
            found.append(UnitMatch(pos, end, text[pos:end], name, group=True))
    for regex in (_GOV_LEVELS_RE, _BQLDA_RE, _FORCES_RE):
        m = regex.match(view, pos)
        if m:
            surface = text[pos : m.end()]
            found.append(UnitMatch(pos, m.end(), surface, _tidy_surface(surface), group=True))
    m = _GROUP_RE.match(view, pos)
    if m:
        surface = text[pos : m.end()].rstrip(" ,")
        end = pos + len(surface)
        found.append(UnitMatch(pos, end, surface, _tidy_surface(surface), group=True))
    if not found:
        named = _named_level(text, view, pos)
        if named is not None:
            found.append(named)
    m = _CAP_RE.match(text, pos)
    if m and not _named_after_head(m.group(0)):
        m = None  # "Quỹ đẩy nhanh …": [À-Ỹ] also holds lower-case letters ("đ", "ư", "ạ")
    if m and (not found or re.match(r"\s*[-–]\s*\w", text[max(u.end for u in found) : m.end()])):
        # "Phòng Tài chính - Kế hoạch": a second field after a dash, not only "Phòng Tài chính"
        surface = text[pos : m.end()]
        found.append(UnitMatch(pos, m.end(), surface, _tidy_surface(surface)))
    plural = _PLURAL.match(view, pos)
    several = _CAP_RE.match(text, plural.end()) if plural else None
    if (
        several
        and _named_after_head(several.group(0))
        and all(u.end < several.end() for u in found)
    ):
        # "Các Ban Quản lý đường sắt đô thị, …": several bodies of one named kind, not the
        # bare group "các ban"
        surface = text[pos : several.end()]
        found = [UnitMatch(pos, several.end(), surface, _tidy_surface(surface), group=True)]
    if found:
        # A proper name may follow a capitalised head: "Công ty Điện lực Lai Châu".
        best = max(found, key=lambda u: u.end)
        tail = re.match(r"(?:\s+[A-ZĐÀ-Ỹ][\w\-]*){1,3}", text[best.end :])
        if tail and not best.group and text[best.start : best.start + 1].isupper():
            words = tail.group(0).split()
            if all(w[0].isupper() and not _looks_like_unit_start(w) for w in words):
                return [
                    UnitMatch(
                        best.start,
                        best.end + tail.end(),
                        text[best.start : best.end + tail.end()],
                        best.name,
                    )
                ]
    return found


_NAME_TOKEN = re.compile(r"\s*(?:,|:|\bvà\b)?\s*([^\s,.;:()]+)")


def _member_names_end(text: str, end: int) -> int:
    """Where a list of capitalised names right after ``end`` stops ("UBND các huyện Bố
    Trạch, Minh Hóa và Tuyên Hóa được …" → after "Tuyên Hóa"); ``end`` when there is none."""
    last = end
    pos = end
    while True:
        m = _NAME_TOKEN.match(text, pos)
        if m is None or not m.group(1)[:1].isupper():
            return last
        pos = last = m.end()


_HEAD_RE = re.compile(rf"(?:{_NAMED_HEADS})")


def _named_after_head(surface: str) -> bool:
    """Whether the word after a capitalised head really starts with a capital letter."""
    head = _HEAD_RE.match(surface)
    rest = surface[head.end() :].split() if head else []
    return bool(rest) and rest[0][:1].isupper()


_PROPER_NAME = re.compile(r"(?:\s+[A-ZĐÀ-Ỹ][\w\-]*){1,3}")


def _proper_name_end(text: str, end: int) -> int:
    """Where the capitalised words of a place's name right after ``end`` stop (at most three);
    ``end`` when there are none. "UBND huyện Phong Thổ" → after "Thổ"; "UBND huyện đã …" →
    ``end`` ([À-Ỹ] also holds lower-case letters such as "đ", so each word is checked)."""
    m = _PROPER_NAME.match(text, end)
    if m is None:
        return end
    last = end
    for word in re.finditer(r"\S+", text[end : m.end()]):
        if not word.group(0)[:1].isupper():
            break
        last = end + word.end()
    return last


_LEVEL_RE = re.compile(r"thị\s+xã|thành\s+phố|thị\s+trấn|đặc\s+khu|quận|huyện|thành|thị|xã|phường")


def _local_name(view_surface: str) -> str:
    """ "ủy ban nhân dân các xã phường" → "UBND các xã, phường"."""
    head = view_surface.split()[0]
    levels = [" ".join(x.split()) for x in _LEVEL_RE.findall(view_surface)]
    if head == "chính":
        return _tidy_surface(view_surface)
    leader = re.match(rf"{_LEADER}{_S}", view_surface)
    if leader:
        # "chủ tịch ubnd các quận, huyện" → "Chủ tịch UBND các quận, huyện"
        return f"{_tidy_surface(leader.group(0))} {_local_name(view_surface[leader.end() :])}"
    prefix = "UBND các " if " các " in f" {view_surface} " or len(levels) > 1 else "UBND "
    if " cấp " in f" {view_surface} ":
        prefix = "UBND cấp "
    return prefix + ", ".join(levels)


def _looks_like_unit_start(word: str) -> bool:
    return word in ("Sở", "Ban", "UBND", "Ủy", "Uỷ", "Công", "Cục", "Chi", "Văn", "Các")


_SHARED_HEAD = re.compile(r"(?:ubnd|ủy\s+ban\s+nhân\s+dân)\s*(?:,|và)\s*")
_LEVELS_TAIL = re.compile(
    r"\s+các\s+(?:quận|huyện|thị\s+xã|thành\s+phố|xã|phường)"
    r"(?:\s*(?:,|và)\s*(?:quận|huyện|thị\s+xã|thành\s+phố|xã|phường)(?!\w))*"
)


def _shared_head(text: str, view: str, pos: int) -> tuple[list[UnitMatch], int]:
    """ "UBND, Ban An toàn giao thông các huyện, thị xã, thành phố": two units sharing the
    levels at the end — "UBND các huyện, thị xã, thành phố" and "Ban An toàn giao thông các
    huyện, thị xã, thành phố". Nothing when the text does not start so."""
    head = _SHARED_HEAD.match(view, pos)
    if head is None or find_unit_at(text, view, pos) is not None:
        return [], pos
    second = find_unit_at(text, view, head.end())
    levels = _LEVELS_TAIL.match(view, second.end) if second is not None else None
    if second is None or levels is None:
        return [], pos
    tail = " ".join(text[second.end : levels.end()].split())
    first = UnitMatch(pos, head.end(), text[pos : head.end()], "UBND " + tail, group=True)
    both = UnitMatch(
        second.start,
        levels.end(),
        text[second.start : levels.end()],
        f"{_tidy_surface(text[second.start : second.end])} {tail}",
        group=True,
    )
    return [first, both], levels.end()


def parse_unit_list(text: str, view: str, pos: int) -> tuple[list[UnitMatch], int]:
    """Units listed from ``pos`` ("Sở A, Sở B và các đơn vị liên quan"); and where they end."""
    units: list[UnitMatch] = []
    cursor = pos
    shared, after = _shared_head(text, view, pos)
    if shared:
        return shared, after
    while True:
        unit = find_unit_at(text, view, cursor)
        if unit is None:
            break
        units.append(unit)
        cursor = unit.end
        # "(Công ty TNHH ...)": a gloss of the unit's name
        gloss = re.match(r"\s*\([^()]{1,80}\)", text[cursor:])
        if gloss:
            cursor += gloss.end()
            units[-1] = UnitMatch(
                unit.start, cursor, text[unit.start : cursor], unit.name, unit.group
            )
        sep = _SEP_RE.match(view, cursor)
        if sep is None:
            break
        nxt = find_unit_at(text, view, sep.end())
        if nxt is None:
            break
        cursor = sep.end()
    end = units[-1].end if units else pos
    return units, end


def canonical_unit(name: str, *, meeting_date: date | None = None) -> str:
    """One name per unit: "Sở KH&ĐT", "sở kế hoạch đầu tư" → "Sở Kế hoạch và Đầu tư"."""
    text = nfc(" ".join(name.split()))
    view = match_view(text)
    unit = find_unit_at(text, view, 0)
    if unit is None or unit.end < len(text.rstrip(" .,;")):
        return _tidy_surface(text)
    return _era(unit.name, meeting_date)


def _era(name: str, meeting_date: date | None) -> str:
    """Names that changed with the 2025 reorganisation of provincial departments."""
    if name == "Sở Nông nghiệp":
        if meeting_date is not None and meeting_date >= date(2025, 3, 1):
            return "Sở Nông nghiệp và Môi trường"
        return "Sở Nông nghiệp và Phát triển nông thôn"
    return name


def unit_name(unit: UnitMatch, *, meeting_date: date | None = None) -> str:
    return _era(unit.name, meeting_date)


def _core_name(name: str) -> str:
    """The canonical name of the unit a name starts with ("Sở Y tế tỉnh Lai Châu" → "Sở Y tế")."""
    text = nfc(" ".join(name.split()))
    unit = find_unit_at(text, match_view(text), 0)
    return unit.name if unit is not None else _tidy_surface(text)


def map_to_known(name: str, known_units: Sequence[str]) -> str:
    """The known unit that ``name`` denotes, as the caller spelled it; else ``name``."""
    if not known_units:
        return name
    target = key(canonical_unit(name))
    for known in known_units:
        if key(canonical_unit(known)) == target:
            return known
    core = key(_core_name(name))
    cores = [k for k in known_units if key(_core_name(k)) == core]
    if len(cores) == 1:
        return cores[0]
    stop = {"các", "tỉnh", "sở", "ban"}
    words = set(target.split()) - stop
    best, best_score = name, 0.0
    for known in known_units:
        kwords = set(key(canonical_unit(known)).split()) - stop
        if not words or not kwords:
            continue
        score = len(words & kwords) / len(words | kwords)
        if score > best_score:
            best, best_score = known, score
    return best if best_score >= 0.6 else name


# Units named by a head noun and the words up to their verb, in any case; and the words
# that still describe a group before its order.

_TAIL_BEFORE_MARKER = re.compile(
    rf"(?P<words>(?:{_TAIL_WORD}){{1,4}}?)\s*,?\s*{_MARKER}"
    rf"|(?P<long>(?:{_TAIL_WORD}){{5,8}}?)\s*,?\s*thì(?!\w)"
)


_RELATIVE_TAIL = re.compile(
    r"(?P<words>\s+(?:có|nào|mà|thuộc|ở|tại|trên|đang|được|chưa|không)(?:\s+[^\s,.;:]+){1,11}?)"
    r"\s*,?\s*thì(?!\w)"
)


_SHORT_RELATIVE_TAIL = re.compile(
    r"(?P<words>\s+(?:có(?!\s+(?:trách|ý\s+kiến|báo\s+cáo|văn\s+bản))|nào|thuộc|ở|tại|trên)"
    r"(?:\s+[^\s,.;:]+){1,4}?)\s*,?\s*(?:phải|cần|khẩn\s+trương)(?!\w)"
)


# Nouns that name matters, not bodies: "các nội dung cụ thể thì …", "các trường hợp …".
_TOPIC_NOUNS = (
    r"nội\s+dung|trường\s+hợp|vấn\s+đề|việc|công\s+việc|nhiệm\s+vụ|kiến\s+nghị|dự\s+án|hồ\s+sơ"
    r"|công\s+trình|chỉ\s+số|giải\s+pháp|văn\s+bản|số\s+liệu|hạng\s+mục|khoản|điểm|tuyến"
    r"|chương\s+trình|đề\s+án|chính\s+sách|quy\s+định|thủ\s+tục|mục\s+tiêu|chỉ\s+tiêu"
)
_HEADED_UNIT = re.compile(
    r"(?P<unit>(?:văn\s+phòng|ban|trung\s+tâm|hội|chi\s+cục|cục|phòng|công\s+ty|tổng\s+công\s+ty"
    r"|tổ|đội|đoàn|quỹ|viện|trường|bệnh\s+viện|đài|báo(?!\s+(?:cáo|giá|động))|ngân\s+hàng"
    r"|bưu\s+điện|cảng\s+vụ"
    r"|liên\s+minh|hợp\s+tác\s+xã|tập\s+đoàn|các\s+(?!(?:" + _TOPIC_NOUNS + r")(?!\w))\S+)"
    rf"(?P<words>(?:{_TAIL_WORD}){{1,7}}?))(?:\s+{_CONDITION})?\s*,?\s*{_MARKER}"
)


# Head nouns of organisations, as a recogniser writes them (lowercase, no known name needed):
# "công ty khai thác thủy lợi", "phòng tài nguyên môi trường huyện", "ngân hàng chính sách …"
_ORG_HEAD = re.compile(
    rf"(?:các\s+)?{alternation(word_list('organisation_heads'))}(?!\w)"
    r"(?!\s+(?:hợp|nghị|thảo|trường|học|họp|chống|ngũ|viên|cáo|hành|bộ|ngày|đêm|lãnh|nào|này"
    r"|đó|đã|sẽ|cũng|thì|là|của|và|ở|bên)(?!\w))"
)


# Verbs that are part of a unit's name ("khai thác thủy lợi", "quản lý dự án").
_NAME_VERB = re.compile(
    r"(?:khai\s+thác|quản\s+lý|xây\s+dựng|bảo\s+vệ|phát\s+triển|đầu\s+tư|kiểm\s+soát|hỗ\s+trợ"
    r"|đăng\s+ký|giám\s+sát|thanh\s+tra|chăn\s+nuôi|khuyến\s+nông|đào\s+tạo|phục\s+vụ"
    r"|thu\s+gom|cứu\s+hộ|cứu\s+nạn|phát\s+thanh|truyền\s+hình|tư\s+vấn|giải\s+phóng|quy\s+hoạch"
    r"|bồi\s+thường|tái\s+định\s+cư|cấp\s+nước|thoát\s+nước|vận\s+tải|kiểm\s+định|trồng\s+trọt)(?!\w)"
)


_NAME_BREAK = re.compile(
    r"(?:thì|là|đã|đang|sẽ|cũng|có|không|chưa|được|của|cho|với|về|tại|trong|để|nhưng|rồi|mà|nào"
    r"|này|đó|nhé|ạ|à|ờ|thôi|vừa|vẫn|còn|đều|phải|cần|hãy|nên)(?!\w)"
)


_BARE_LEVEL = re.compile(
    r"(?P<level>huyện|xã|phường|thị\s+xã|thành\s+phố)"
    # a spoken place's name, in lower case: "xã bình điền là phải đẩy nhanh …"
    r"(?:\s+(?:mình|nhà|này)|(?P<name>(?:\s+(?!(?:nào|đó|mình|nhà|này|ta|kia|thì|là|phải|cần)(?!\w))"
    r"[^\W\d_]+){1,3}?))?"
    r"(?=\s*,?\s*(?:thì|là\s+(?:phải|cần)|phải|cần|có\s+trách\s+nhiệm|khẩn\s+trương)(?!\w))"
)


_FILLER_PAUSE = re.compile(r"\s*,\s*(?:(?:à|ờ|ừ|thì)\s*,?\s*)+")


def _spoken_name(surface: str) -> str:
    """The written form of a spoken name's head: "ủy ban tỉnh quảng ninh" → "UBND tỉnh quảng
    ninh", "ủy ban nhân dân huyện x" → "UBND huyện x"."""
    name = _tidy(surface)
    head = re.match(r"(?:ủy|uỷ)\s+ban(?:\s+nhân\s+dân)?\s+", name, flags=re.IGNORECASE)
    return "UBND " + name[head.end() :] if head else name


def _bare_headed_unit(text: str, view: str, pos: int, b: int) -> UnitMatch | None:
    """A unit named by a head noun and a few words up to its verb, in any case: "công ty khai
    thác thủy lợi phải vận hành …", "ngân hàng chính sách xã hội chi nhánh tỉnh xem xét …"."""
    head = _ORG_HEAD.match(view, pos, b)
    if head is None or _CHAIR_ISSUER.match(view, pos, b) or _CHAIR_BODY.match(view, pos, b):
        return None
    end = head.end()
    words = 0
    while words <= OPTIONS.unit_name_max_words:
        pause = _FILLER_PAUSE.match(view, end, b)
        if pause and words >= 1 and _VERB_RE.match(view, pause.end(), b):
            # "hội chữ thập đỏ tỉnh, à, hỗ trợ …": a spoken pause before the verb
            surface = text[pos:end]
            return UnitMatch(
                pos, end, surface, _spoken_name(surface), surface.lower().startswith("các")
            )
        gap = re.match(r"\s+", view[end:b])
        if gap is None:
            return None
        at = end + gap.end()
        name_verb = _NAME_VERB.match(view, at, b)
        verb = None if name_verb else _VERB_RE.match(view, at, b)
        alone = head.group(0) in ("văn phòng", "công an")  # "văn phòng tổng hợp …"
        if words == 0 and verb is not None and not alone:
            return None  # "ban chỉ đạo …", "phòng chống …": not a unit's own name
        if (words >= 1 or alone) and (verb is not None or re.match(r"thì(?!\w)", view[at:b])):
            if len(view[at:b].split()) < 3:
                return None
            surface = text[pos:end]
            return UnitMatch(
                pos, end, surface, _spoken_name(surface), surface.lower().startswith("các")
            )
        if _NAME_BREAK.match(view, at, b) or re.match(r"[,.;:]", view[at:b]):
            return None
        word = re.match(r"[^\s,.;:]+", view[at:b])
        if word is None:
            return None
        end = at + word.end()
        words += 1
    return None


def _descriptive_tail(view: str, end: int, b: int) -> str | None:
    """Words that still describe a group before its order: "(các huyện) ven biển thì phải",
    "(các chủ đầu tư) có dự án giải ngân dưới 50% thì", "(các huyện) có rừng phải"."""
    short = _TAIL_BEFORE_MARKER.match(view, end, b)
    if short is not None:
        words = short.group("words") or short.group("long")
        return None if _VERB_RE.match(words.lstrip()) else words
    relative = _RELATIVE_TAIL.match(view, end, b) or _SHORT_RELATIVE_TAIL.match(view, end, b)
    return relative.group("words") if relative is not None else None


def _tidy(surface: str) -> str:
    surface = " ".join(surface.split()).strip(" ,;:.")
    return surface[:1].upper() + surface[1:]


# A place named as the one who acts: a province, a city, a district, by its proper name.
_PLACE_WORD = re.compile(r"[^\W\d_][\w\-.]*")


def find_place(
    text: str, view: str, pos: int, b: int, *, duty_only: bool = False
) -> UnitMatch | None:
    """A proper name of two to four capitalised words, then the verb of its order: "(Thủ
    tướng yêu cầu) Điện Biên tập trung …", "Quảng Trị phải nỗ lực hơn nữa …", "(đề nghị) Hà
    Nội khẩn trương …". With ``duty_only`` the name must be followed by a duty word (a
    subject with no order verb before it: "…, Quảng Trị phải tận dụng …")."""
    end = pos
    words: list[str] = []
    while len(words) < 4:
        gap = re.match(r"\s+", text[end:b]) if words else None
        at = end + (gap.end() if gap else 0)
        if words and gap is None:
            break
        word = _PLACE_WORD.match(text, at, b)
        if word is None or not word.group(0)[:1].isupper():
            break
        words.append(word.group(0))
        end = word.end()
    if not 2 <= len(words) <= 4 or any(_looks_like_unit_start(w) for w in words):
        return None
    if words[0] in _NOT_PLACE_START:
        return None
    skip = _SKIP_AFTER_PLACE.match(view, end, b)
    after = skip.end() if skip else end
    duty = bool(
        skip
        and re.search(r"(?<!\w)(?:phải|cần|có\s+trách\s+nhiệm|khẩn\s+trương)(?!\w)", skip.group(0))
    )
    if duty_only and not duty:
        return None
    if not duty and not _VERB_RE.match(view, after, b):
        return None
    surface = text[pos:end]
    return UnitMatch(pos, end, surface, " ".join(surface.split()))


_PLACE_DUTY = re.compile(r"(?<!\w)(?:phải|cần|có\s+trách\s+nhiệm|khẩn\s+trương)(?!\w)")
_SKIP_AFTER_PLACE = re.compile(
    r"(?:\s*(?:phải|cần|có\s+trách\s+nhiệm|khẩn\s+trương|cũng|tiếp\s+tục|cần\s+phải)(?!\w))*\s*"
)
# Capitalised words that open a sentence or a title, not a place: "Đồng thời", "Thủ tướng".
_NOT_PLACE_START = frozenset(
    {"Phó", "Thủ", "Chủ", "Bí", "Bộ", "Ông", "Bà", "Đồng", "Đại", "Giám", "Trưởng", "Theo", "Tại"}
)


# A body named by its capitalised head alone, once its full name is known to the reader:
# "(yêu cầu) Quỹ đẩy nhanh tiến độ …", "(đề nghị) Tổng cục tiếp tục …", "(giao) Sở chủ trì …".
_HEAD_ALONE = re.compile(rf"(?:{_HEADS})(?=\s+(?:{VERBS}|phải|cần|có\s+trách\s+nhiệm)(?!\w))")


def find_head_alone(text: str, pos: int, b: int) -> UnitMatch | None:
    """A capitalised head noun standing for the body named before, then its verb."""
    m = _HEAD_ALONE.match(text, pos, b)
    if m is None:
        return None
    return UnitMatch(pos, m.end(), m.group(0), m.group(0))
