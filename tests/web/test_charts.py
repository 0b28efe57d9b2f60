"""The server-drawn charts: well-formed SVG whatever the labels hold, named and described
for screen readers, a gap where a rate is unknown, whole-number ticks for counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from web.charts import Part, line_chart, stacked_bars, stacked_columns

SVG = "{http://www.w3.org/2000/svg}"
AWKWARD = 'Sở <Tài chính> & "Kế hoạch"'
PARTS = [Part("Đúng hạn", "#1b7f3b"), Part("Quá hạn", "#b3261e")]


def parsed(markup: str) -> ET.Element:
    root = ET.fromstring(markup)
    assert root.get("role") == "img"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    assert root.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").get("id") == desc_id  # type: ignore[union-attr]
    return root


def test_a_line_breaks_where_the_rate_is_unknown() -> None:
    root = parsed(
        line_chart(
            "t",
            title="Tỷ lệ có mặt",
            desc=AWKWARD,
            x_labels=["01/11/2026", "08/11/2026", "15/11/2026", "22/11/2026"],
            series=[(AWKWARD, [0.5, None, 0.75, 1.0]), ("Điểm cầu 2", [1.0, 1.0, 1.0, 1.0])],
            y_label="Tỷ lệ có mặt",
            empty="Không có số liệu",
        )
    )
    lines = root.findall(f".//{SVG}polyline")
    # The first series: one dot alone, then a line through the last two; the second: one line.
    assert [len(line.get("points", "").split()) for line in lines] == [2, 4]
    dots = [dot.findtext(f"{SVG}title") for dot in root.iter(f"{SVG}circle")]
    assert f"{AWKWARD}, 15/11/2026: 75%" in dots and len(dots) == 7
    assert root.findtext(f"{SVG}desc") == AWKWARD


def test_counts_get_whole_ticks_and_every_part_its_title() -> None:
    root = parsed(
        stacked_bars(
            "b",
            title="Nhiệm vụ",
            desc="…",
            parts_of=PARTS,
            rows=[(AWKWARD, [1, 2]), ("ĐV2", [0, 1])],
            axis_label="Số nhiệm vụ",
            empty="Không có số liệu",
        )
    )
    ticks = [t.text for t in root.findall(f"{SVG}g[@class='axis']/{SVG}text")][:-1]
    assert ticks == ["0", "1", "2", "3"]
    titles = [
        r.findtext(f"{SVG}title")
        for r in root.iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None
    ]
    assert titles == [f"{AWKWARD} — Đúng hạn: 1", f"{AWKWARD} — Quá hạn: 2", "ĐV2 — Quá hạn: 1"]


def test_an_empty_chart_says_so() -> None:
    for markup in (
        stacked_columns(
            "c", title="T", desc="…", parts_of=PARTS, columns=[], axis_label="", empty="Chưa có"
        ),
        stacked_bars(
            "c",
            title="T",
            desc="…",
            parts_of=PARTS,
            rows=[("ĐV", [0, 0])],
            axis_label="",
            empty="Chưa có",
        ),
        line_chart("c", title="T", desc="…", x_labels=[], series=[], y_label="", empty="Chưa có"),
    ):
        root = parsed(markup)
        assert root.findtext(f"{SVG}text") == "Chưa có"
