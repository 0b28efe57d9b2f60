"""``diemcau draft``'s issuer and signer options, read back from the DOCX."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from docx import Document

from diemcau.cli import cli

ARTICLE = Path(__file__).resolve().parents[2] / "examples" / "laichau-2021-06-04-ket-luan.txt"


def test_issuer_place_number_and_signer_reach_the_notice(tmp_path: Path) -> None:
    out = tmp_path / "tb.docx"
    result = CliRunner().invoke(
        cli,
        [
            "draft",
            str(ARTICLE),
            "--meeting-date",
            "2021-06-04",
            "--format",
            "docx",
            "-o",
            str(out),
            "--issuer",
            "UBND tỉnh Lai Châu",
            "--place",
            "Lai Châu",
            "--number",
            "125",
            "--signer-name",
            "Nguyễn  Văn A",
            "--signer-title",
            "Chánh Văn phòng",
            "--signer-authority",
            "tl. chủ tịch",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    left, right = (c.text for c in doc.tables[0].rows[0].cells)
    assert "UBND TỈNH LAI CHÂU" in left and "Số: 125/TB-UBND" in left
    assert "Lai Châu, ngày … tháng … năm …" in right  # the clerk dates it when signed
    signature = doc.tables[-1].rows[0].cells[1].text.splitlines()
    assert signature[:2] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    assert signature[-1] == "Nguyễn Văn A"
    assert doc.sections[0].first_page_header.paragraphs[0].text == "DỰ THẢO"


def test_a_whole_number_is_printed_as_given_and_markdown_takes_the_place(
    tmp_path: Path,
) -> None:
    out = tmp_path / "tb.docx"
    args = ["draft", str(ARTICLE), "--number", "07/TB-BCĐ", "--place", "Lai Châu"]
    result = CliRunner().invoke(cli, [*args, "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Số: 07/TB-BCĐ" in Document(str(out)).tables[0].rows[0].cells[0].text
    markdown = CliRunner().invoke(cli, [*args, "--format", "md"])
    assert markdown.exit_code == 0 and "*Lai Châu, ngày … tháng … năm …*" in markdown.stdout


def test_an_unknown_signing_authority_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "tb.docx"
    args = ["draft", str(ARTICLE), "--format", "docx", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--signer-authority", "Chủ tịch"])
    assert result.exit_code != 0 and not out.exists()
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Thẩm quyền ký không hợp lệ" in lines[0]
    assert "TM., KT., TL. hoặc TUQ." in lines[0]
