"""``diemcau draft FILE``: draft the conclusions and follow-up tasks of a meeting.

FILE is plain text (a news report, the secretary's notes, a conclusion notice) or a
transcript JSON written by ``diemcau transcribe``. The JSON output shape is fixed in
DESIGN.md; scripts outside the project rely on it.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from diemcau.commands.document_options import document_options, meeting_from_options

FORMATS = ("json", "md", "docx")


def _fail(message: str) -> click.ClickException:
    return click.ClickException(message)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(
            f"Ngày họp không hợp lệ: {value!r} (cần dạng YYYY-MM-DD, ví dụ 2021-06-04)."
        ) from None


_HEADER_DATE = re.compile(r"#\s*meeting_date:\s*(\d{4}-\d{2}-\d{2})\s*$")


def _header_date(source: object) -> date | None:
    """A "# meeting_date: YYYY-MM-DD" line at the top of a text file (the labelled examples
    carry one); used only when --meeting-date is not given."""
    if not isinstance(source, str):
        return None
    for line in source.splitlines()[:5]:
        m = _HEADER_DATE.match(line.strip())
        if m:
            try:
                return date.fromisoformat(m.group(1))
            except ValueError:
                return None
    return None


def _unusable(file: Path, error: Exception) -> click.ClickException:
    """One Vietnamese line for a file the drafter cannot use, by the kind of fault."""
    from minutes import MAX_INPUT_CHARS

    kind = getattr(error, "kind", "")
    if kind == "empty":
        return _fail(f"Tệp {file} rỗng: không có nội dung để dự thảo.")
    if kind == "binary":
        return _fail(
            f"Tệp {file} không phải văn bản (tệp nhị phân): với ghi âm hãy chạy "
            "`diemcau transcribe` trước; văn bản cần lưu dạng .txt UTF-8."
        )
    if kind == "encoding":
        return _fail(
            f"Tệp {file} không phải văn bản UTF-8 (có thể là bảng mã cp1258 hay latin-1): "
            f"hãy lưu lại dạng UTF-8, ví dụ `iconv -f cp1258 -t utf-8 {file}`."
        )
    if kind == "too_large":
        limit = f"{MAX_INPUT_CHARS:,}".replace(",", ".")
        return _fail(f"Tệp {file} quá lớn: giới hạn {limit} ký tự; hãy chia thành nhiều tệp.")
    return _fail(f"Tệp {file} không phải văn bản hay bản ghi JSON hợp lệ của `diemcau transcribe`.")


def _explanation(source: Any, day: date | None, known: tuple[str, ...], fmt: str) -> str:
    from minutes import explain_minutes
    from minutes.extract.explain import explanation_dicts, format_explanation

    steps = explain_minutes(source, meeting_date=day, known_units=known)
    if fmt == "json":
        return json.dumps(explanation_dicts(steps), ensure_ascii=False, indent=2) + "\n"
    return format_explanation(steps)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise _fail(f"Không ghi được {output}: {error.strerror or error}") from None


def _warn_undated(result: Any) -> None:
    """A deadline counted from the meeting ("trong 10 ngày làm việc", "tuần sau") needs the
    meeting's date: without one, say so on stderr rather than leave it silently blank."""
    if result.meeting_date is not None:
        return
    undated = [t.deadline_text for t in result.tasks if t.deadline_text and t.deadline is None]
    if undated:
        click.echo(
            f"Cảnh báo: chưa có ngày họp nên {len(undated)} thời hạn chưa tính được ngày "
            f"(ví dụ “{undated[0]}”); thêm --meeting-date YYYY-MM-DD.",
            err=True,
        )


def _read_units(path: Path | None) -> tuple[str, ...]:
    if path is None:
        return ()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(f"Không đọc được danh sách đơn vị {path}: {error}") from None
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--meeting-date", "meeting_date", metavar="YYYY-MM-DD", help="Ngày họp.")
@click.option(
    "--format",
    "fmt",
    default="json",
    show_default=True,
    metavar="json|md|docx",
    help="Định dạng đầu ra.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Tệp ghi kết quả (bắt buộc với docx)."
)
@click.option(
    "--units",
    "units_file",
    type=click.Path(path_type=Path),
    help="Tệp danh sách đơn vị của phiên họp, mỗi dòng một đơn vị.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Thay cho dự thảo: từng câu, quy tắc nào tìm ra nhiệm vụ hoặc vì sao không.",
)
@document_options
def draft(
    file: Path,
    meeting_date: str | None,
    fmt: str,
    output: Path | None,
    units_file: Path | None,
    explain: bool,
    **document: str | None,
) -> None:
    """Dự thảo kết luận và nhiệm vụ sau họp từ văn bản hoặc bản ghi JSON (FILE)."""
    from minutes import draft_minutes, load_source
    from minutes.render import to_docx, to_markdown

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise _fail(f"Định dạng không hỗ trợ: {fmt!r} (chọn json, md hoặc docx).")
    day = _parse_date(meeting_date)
    if explain and fmt == "docx":
        raise _fail("--explain chỉ xuất json hoặc md (văn bản).")
    info = meeting_from_options(**document)
    if fmt == "docx" and output is None:
        raise _fail("Định dạng docx cần tệp đầu ra: thêm -o TỆP.docx.")
    if not file.exists():
        raise _fail(f"Không tìm thấy tệp: {file}")
    if file.is_dir():
        raise _fail(f"{file} là thư mục, không phải tệp.")
    known = _read_units(units_file)
    try:
        source = load_source(file)
    except OSError as error:
        raise _fail(f"Không đọc được tệp {file}: {error.strerror or error}") from None
    except ValueError as error:
        raise _unusable(file, error) from None

    if day is None:
        day = _header_date(source)
    try:
        if explain:
            # plain text unless --format json was asked for: the report is read by a person
            source_of_fmt = click.get_current_context().get_parameter_source("fmt")
            asked = fmt if source_of_fmt is not click.core.ParameterSource.DEFAULT else "md"
            _write(_explanation(source, day, known, asked), output)
            return
        result = draft_minutes(source, meeting_date=day, known_units=known)
    except ValueError as error:  # minutes.SourceError: above the input limit
        raise _unusable(file, error) from None
    _warn_undated(result)

    try:
        if fmt == "docx" and output is not None:  # the option check refuses docx to stdout
            to_docx(result, output, info)
            click.echo(f"Đã ghi {output}", err=True)
            return
        text = (
            json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) + "\n"
            if fmt == "json"
            else to_markdown(result, info)
        )
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise _fail(f"Không ghi được {output}: {error.strerror or error}") from None
