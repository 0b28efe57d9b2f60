"""``diemcau draft``'s options for who issues the document and who signs it.

Under Nghị định 30/2020 the header names the issuing body (cơ quan ban hành), the number
and the place; the signature block names the authority (TM., KT., TL., TUQ.), the signer's
title and name. What is not given stays a visible blank for the clerk: nothing is guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from minutes.model import MeetingInfo

F = TypeVar("F", bound=Callable[..., Any])

OPTIONS = (
    click.option("--issuer", help="Cơ quan ban hành, ví dụ “UBND TỈNH LAI CHÂU”."),
    click.option("--place", help="Địa danh ghi trước ngày tháng, ví dụ “Lai Châu”."),
    click.option("--number", help="Số văn bản: “125” hoặc cả ký hiệu “125/TB-UBND”."),
    click.option("--signer-name", help="Họ tên người ký."),
    click.option("--signer-title", help="Chức vụ người ký, ví dụ “Chánh Văn phòng”."),
    click.option(
        "--signer-authority",
        help="Thẩm quyền ký: “TM. ỦY BAN NHÂN DÂN”, “KT. CHỦ TỊCH”, “TL. CHỦ TỊCH”…",
    ),
)


def document_options(command: F) -> F:
    """Add the issuer and signer options to a click command."""
    for option in reversed(OPTIONS):
        command = option(command)
    return command


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(unicodedata.normalize("NFC", value).split())
    return value or None


def meeting_from_options(
    *,
    issuer: str | None,
    place: str | None,
    number: str | None,
    signer_name: str | None,
    signer_title: str | None,
    signer_authority: str | None,
) -> MeetingInfo:
    """The options as the renderer's :class:`MeetingInfo`; a bad authority is one line."""
    from minutes.model import SIGNING_AUTHORITIES, MeetingInfo

    authority = _clean(signer_authority)
    if authority is not None and not authority.upper().startswith(SIGNING_AUTHORITIES):
        raise click.ClickException(
            f"Thẩm quyền ký không hợp lệ: {authority!r} "
            "(bắt đầu bằng TM., KT., TL. hoặc TUQ., ví dụ “TL. CHỦ TỊCH”)."
        )
    issuer = _clean(issuer)
    return MeetingInfo(
        issuing_body=issuer,
        abbreviation="UBND" if issuer and _is_peoples_committee(issuer) else None,
        place_name=_clean(place),
        number=_clean(number),
        signer_name=_clean(signer_name),
        signer_title=_clean(signer_title),
        signer_authority=authority.upper() if authority else None,
    )


def _is_peoples_committee(issuer: str) -> bool:
    """UBND is the one symbol the decree fixes for a people's committee (Phụ lục III)."""
    upper = issuer.upper()
    return upper.startswith(("UBND", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"))
