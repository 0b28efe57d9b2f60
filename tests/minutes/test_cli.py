"""``diemcau draft``: the fixed interface, and one clear line for bad input."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from diemcau.cli import cli

NOTES = (
    "Kết luận cuộc họp, Chủ tịch UBND tỉnh chỉ đạo như sau: "
    "Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính mua thuốc dự phòng trước ngày 20/6. "
    "Công an tỉnh tăng cường tuần tra trong tuần sau."
)


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["draft", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_output(notes: Path) -> None:
    code, out, _ = _run(str(notes), "--meeting-date", "2021-06-04")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"meeting_date", "conclusions", "tasks"}
    assert data["meeting_date"] == "2021-06-04"
    assert [(t["assignee"], t["deadline"]) for t in data["tasks"]] == [
        ("Sở Y tế", "2021-06-20"),
        ("Công an tỉnh", "2021-06-11"),
    ]


def test_transcript_json_input(tmp_path: Path) -> None:
    transcript = {
        "language": "vi",
        "duration": 12.0,
        "model": "base",
        "segments": [
            {"start": 0.0, "end": 5.0, "text": "tôi xin kết luận như sau"},
            {"start": 5.0, "end": 12.0, "text": "giao sở xây dựng rà soát hồ sơ trong tuần này"},
        ],
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(transcript, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run(str(path), "--meeting-date", "2024-06-12")
    assert code == 0
    task = json.loads(out)["tasks"][0]
    assert task["assignee"] == "Sở Xây dựng" and task["deadline"] == "2024-06-14"
    assert task["evidence"] == "giao sở xây dựng rà soát hồ sơ trong tuần này"


def test_markdown_and_docx(notes: Path, tmp_path: Path) -> None:
    code, out, _ = _run(str(notes), "--format", "md", "--meeting-date", "2021-06-04")
    assert code == 0 and out.startswith("# THÔNG BÁO") and "Sở Y tế" in out
    target = tmp_path / "out.docx"
    code, _, err = _run(str(notes), "--format", "docx", "-o", str(target))
    assert code == 0 and target.exists() and str(target) in err
    assert "Sở Y tế" in Document(str(target)).tables[1].rows[1].cells[1].text
    md_file = tmp_path / "out.md"
    code, out, _ = _run(str(notes), "--format", "md", "-o", str(md_file))
    assert code == 0 and out == "" and "Sở Y tế" in md_file.read_text(encoding="utf-8")


def test_known_units_file(notes: Path, tmp_path: Path) -> None:
    units = tmp_path / "units.txt"
    units.write_text(
        "# đơn vị của phiên họp\nSở Y tế tỉnh Lai Châu\nCông an tỉnh\n", encoding="utf-8"
    )
    code, out, _ = _run(str(notes), "--units", str(units))
    assert code == 0
    assert json.loads(out)["tasks"][0]["assignee"] == "Sở Y tế tỉnh Lai Châu"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.txt"], "Không tìm thấy tệp"),
        (["{notes}", "--meeting-date", "04/06/2021"], "Ngày họp không hợp lệ"),
        (["{notes}", "--meeting-date", "2021-02-30"], "Ngày họp không hợp lệ"),
        (["{notes}", "--format", "docx"], "-o"),
        (["{notes}", "--format", "pdf"], "Định dạng không hỗ trợ"),
        (["{binary}"], "không phải văn bản"),
        (["{badjson}"], "không phải văn bản"),
        (["{dir}"], "thư mục"),
    ],
)
def test_bad_input_is_one_clear_line(
    args: list[str], words: str, notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    binary = tmp_path / "audio.wav"
    binary.write_bytes(b"RIFF\x00\x00\xff\xfeWAVE")
    badjson = tmp_path / "broken.json"
    badjson.write_text('{"segments": [', encoding="utf-8")
    filled = [a.format(notes=notes, binary=binary, badjson=badjson, dir=tmp_path) for a in args]
    code, out, err = _run(*filled)
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert words in lines[0]
    assert "Traceback" not in err and out == ""


def test_meeting_date_header_is_a_fallback(tmp_path: Path) -> None:
    path = tmp_path / "ex.txt"
    path.write_text(
        "# source: example\n# meeting_date: 2024-06-12\nGiao Sở Xây dựng rà soát hồ sơ tuần sau.\n",
        encoding="utf-8",
    )
    code, out, _ = _run(str(path))
    assert code == 0
    data = json.loads(out)
    assert data["meeting_date"] == "2024-06-12"
    assert data["tasks"][0]["deadline"] == "2024-06-21"
    code, out, _ = _run(str(path), "--meeting-date", "2024-06-19")
    assert json.loads(out)["tasks"][0]["deadline"] == "2024-06-28"


def _unusable(path: Path) -> str:
    """The one line `diemcau draft` writes for a file it cannot use (and a non-zero exit)."""
    code, out, err = _run(str(path))
    lines = [line for line in err.splitlines() if line.strip()]
    assert code != 0 and out == "" and len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t \n", "\ufeff\n".encode()])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "rỗng" in _unusable(path)


def test_empty_transcript(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"segments": [{"start": 0, "end": 1, "text": "  "}]}', encoding="utf-8")
    assert "rỗng" in _unusable(path)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # an image
        b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" * 3,  # a DOCX
        "Giao Sở Y tế\x02\x03\x04 kiểm tra".encode(),  # decodes as UTF-8, still not text
    ],
)
def test_binary_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    assert "không phải văn bản (tệp nhị phân)" in _unusable(path)


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_non_utf8_file(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(NOTES.encode(encoding, errors="replace"))
    line = _unusable(path)
    assert "không phải văn bản UTF-8" in line and "iconv" in line


def test_input_above_the_limit(tmp_path: Path) -> None:
    from minutes import MAX_INPUT_CHARS

    path = tmp_path / "huge.txt"
    sentence = "giao sở xây dựng rà soát hồ sơ trong tuần này "
    path.write_text(sentence * (MAX_INPUT_CHARS // len(sentence) + 1), encoding="utf-8")
    line = _unusable(path)
    assert "quá lớn" in line and f"{MAX_INPUT_CHARS:,}".replace(",", ".") in line


def test_nfd_text_gives_the_same_tasks_as_nfc(tmp_path: Path) -> None:
    nfc_path, nfd_path = tmp_path / "nfc.txt", tmp_path / "nfd.txt"
    nfc_path.write_text(NOTES, encoding="utf-8")
    nfd_path.write_text(unicodedata.normalize("NFD", NOTES), encoding="utf-8")
    assert nfd_path.read_bytes() != nfc_path.read_bytes()
    results = [_run(str(p), "--meeting-date", "2021-06-04") for p in (nfc_path, nfd_path)]
    assert all(code == 0 for code, _, _ in results)
    nfc_out, nfd_out = (json.loads(out) for _, out, _ in results)
    assert nfd_out == nfc_out
    assert [t["assignee"] for t in nfd_out["tasks"]] == ["Sở Y tế", "Công an tỉnh"]


def test_nfd_transcript_gives_the_same_tasks_as_nfc(tmp_path: Path) -> None:
    text = "giao sở xây dựng rà soát hồ sơ trong tuần này"
    outs = []
    for form in ("NFC", "NFD"):
        path = tmp_path / f"{form}.json"
        segment = {"start": 0.0, "end": 5.0, "text": unicodedata.normalize(form, text)}
        path.write_text(json.dumps({"segments": [segment]}, ensure_ascii=False), encoding="utf-8")
        code, out, _ = _run(str(path), "--meeting-date", "2024-06-12")
        assert code == 0
        outs.append(json.loads(out))
    assert outs[0] == outs[1] and outs[0]["tasks"][0]["assignee"] == "Sở Xây dựng"


EXPLAINED = (
    "Tại hội nghị, Giám đốc Sở Y tế đề nghị bổ sung kinh phí mua thuốc.\n"
    "Kết luận hội nghị, Chủ tịch UBND tỉnh chỉ đạo như sau:\n"
    "Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính mua thuốc dự phòng.\n"
    "Thời hạn hoàn thành: trước ngày 20/6/2021.\n"
)


def test_explain_names_the_rule_or_the_reason_for_every_sentence(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(EXPLAINED, encoding="utf-8")
    code, out, _ = _run(str(path), "--explain")
    assert code == 0
    blocks = out.strip().split("\n[")
    assert len(blocks) == 4  # one block per sentence
    assert "Giám đốc Sở Y tế đề nghị" in blocks[0] and "không có nhiệm vụ:" in blocks[0]
    assert "lời đại biểu" in blocks[0]
    assert "[explicit_order] → Sở Y tế" in blocks[2]
    assert "thời hạn của nhiệm vụ ngay trước" in blocks[3]

    code, out, _ = _run(str(path), "--explain", "--format", "json")
    steps = json.loads(out)
    assert [s["outcome"] for s in steps] == ["none", "none", "task", "deadline"]
    assert steps[0]["reasons"] and steps[2]["rules"] == ["explicit_order: Sở Y tế"]
    assert all(s["reasons"] for s in steps if s["outcome"] == "none")


def test_explain_leaves_the_draft_as_it_is(tmp_path: Path) -> None:
    from minutes import draft_minutes, explain_minutes

    steps = explain_minutes(EXPLAINED)
    draft = draft_minutes(EXPLAINED)
    assert sum(1 for s in steps if s.outcome == "task") == len(draft.tasks) == 1
    assert draft.tasks[0].deadline_text == "trước ngày 20/6/2021"
    code, _, err = _run(str(tmp_path / "x.txt"), "--explain", "--format", "docx")
    assert code != 0 and "--explain" in err


def test_a_working_day_deadline_without_a_meeting_date_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(
        "Giao Sở Nội vụ rà soát biên chế, báo cáo UBND tỉnh trong 10 ngày làm việc.\n",
        encoding="utf-8",
    )
    code, out, err = _run(str(path))
    assert code == 0
    (task,) = json.loads(out)["tasks"]
    assert task["deadline"] is None and task["deadline_text"] == "trong 10 ngày làm việc"
    assert "chưa có ngày họp" in err and "trong 10 ngày làm việc" in err
    code, out, err = _run(str(path), "--meeting-date", "2024-06-12")
    assert json.loads(out)["tasks"][0]["deadline"] == "2024-06-26" and err == ""
