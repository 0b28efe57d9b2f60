"""The reports: attendance per point over sessions, tasks per unit by category, a unit's
record over time; each as a page with an accessible SVG chart, as XLSX read back with
openpyxl, and as JSON; each limited to what the viewer may see."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import Invitation
from storage.services.invitations import mark_presence
from tests.web.conftest import Client, Office, sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def call_roll(office: Office, meeting_id: int, present: dict[int, bool]) -> list[Invitation]:
    """Mark these invitations (by index in id order) present or absent; returns all of them."""
    engine = make_async_engine(office.url)
    try:
        async with make_async_sessionmaker(engine).begin() as session:
            invitations = list(
                await session.scalars(
                    select(Invitation)
                    .where(Invitation.meeting_id == meeting_id)
                    .order_by(Invitation.id)
                )
            )
            for index, here in present.items():
                await mark_presence(
                    session, invitations[index].id, present=here, by_id=1, now=office.now
                )
            return invitations
    finally:
        await engine.dispose()


async def xlsx_rows(client: Client, url: str) -> dict[str, list[tuple[Any, ...]]]:
    """A downloaded workbook's sheets, as rows of values (header row 4 onwards)."""
    response = await client.get(url)
    assert response.status == 200, await response.text()
    assert response.content_type == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(await response.read()))
    return {sheet.title: list(sheet.iter_rows(min_row=4, values_only=True)) for sheet in book}


def svg_of(html: str, chart_id: str) -> str:
    found = re.search(
        rf'<svg[^>]*aria-labelledby="{chart_id}-title {chart_id}-desc".*?</svg>', html, re.S
    )
    assert found is not None, f"no accessible chart {chart_id}"
    return found[0]


async def test_attendance_rate_per_point(client: Client, office: Office) -> None:
    invitations = await call_roll(office, office.past_meeting, {})
    at_point: dict[int, list[int]] = {}
    for index, invitation in enumerate(invitations):
        at_point.setdefault(invitation.point_id, []).append(index)
    p0, p1 = office.points["p0"], office.points["p1"]
    # Point 0: all but one present; point 1: one present; point 2: no roll call.
    marks = {i: True for i in at_point[p0]} | {at_point[p0][0]: False, at_point[p1][0]: True}
    await call_roll(office, office.past_meeting, marks)

    await sign_in(client, office, "secretary")
    api = await (await client.get("/api/reports/attendance")).json()
    assert [s["meeting_id"] for s in api["sessions"]] == [office.past_meeting]  # begun only
    rows = {p["point_id"]: p["sessions"][0] for p in api["points"]}
    n0, n1 = len(at_point[p0]), len(at_point[p1])
    assert rows[p0]["invited"] == n0 and rows[p0]["present"] == n0 - 1
    assert rows[p0]["rate"] == round((n0 - 1) / n0, 4)
    assert rows[p1]["rate"] == round(1 / n1, 4) and rows[p1]["called"] == 1
    assert rows[office.points["p2"]]["rate"] is None  # no roll call is not 0%

    html = await (await client.get("/reports/attendance")).text()
    svg = svg_of(html, "attendance")
    assert 'role="img"' in svg and "Tỷ lệ có mặt theo điểm cầu" in svg
    assert f"Điểm cầu 0, 03/11/2026: {round(100 * (n0 - 1) / n0)}%" in svg  # a mark's own title
    assert "chưa điểm danh" in svg  # the description says point 2 had no roll call
    assert svg.count("<polyline") == 0 and svg.count("<circle") == 2  # one session: dots only

    sheets = await xlsx_rows(client, f"/reports/attendance.xlsx?committee={api['committee_id']}")
    header, *points = sheets["Tỷ lệ có mặt"]
    assert header == ("Điểm cầu", "03/11/2026")
    by_name = dict(points)
    assert by_name["Điểm cầu 0"] == (n0 - 1) / n0 and by_name["Điểm cầu 2"] is None
    detail = {row[2]: row for row in sheets["Chi tiết"][1:]}
    assert detail["Điểm cầu 1"][3:6] == (n1, 0, 1)  # invited, confirmed, present


async def test_a_coordinator_sees_only_their_points(client: Client, office: Office) -> None:
    await sign_in(client, office, "coord1")
    api = await (await client.get("/api/reports/attendance")).json()
    assert [p["name"] for p in api["points"]] == ["Điểm cầu 1"]
    sheets = await xlsx_rows(client, "/reports/attendance.xlsx")
    assert [row[0] for row in sheets["Tỷ lệ có mặt"][1:]] == ["Điểm cầu 1"]


async def test_attendance_of_another_committee_looks_like_none(
    client: Client, office: Office
) -> None:
    await sign_in(client, office, "u1_0")  # a participant: no attendance report at all
    assert (await client.get("/reports/attendance")).status == 403
    await sign_in(client, office, "secretary")
    own = await (await client.get("/api/reports/attendance")).json()
    await sign_in(client, office, "outsider")
    theirs = await client.get(f"/api/reports/attendance?committee={own['committee_id']}")
    missing = await client.get("/api/reports/attendance?committee=999999")
    huge = await client.get(f"/api/reports/attendance?committee={10**30}")
    assert theirs.status == missing.status == huge.status == 404
    assert await theirs.json() == await missing.json()
    page = await client.get(f"/reports/attendance.xlsx?committee={own['committee_id']}")
    assert page.status == 404 and page.content_type == "text/html"
    bad = await client.get("/api/reports/attendance?committee=abc")
    assert bad.status == 422
    assert (await client.get("/api/reports/attendance?committee=")).status == 422


CATEGORIES = ("done_on_time", "done_late", "open_in_time", "overdue")


async def test_tasks_per_unit_by_category(client: Client, office: Office) -> None:
    await sign_in(client, office, "secretary")
    api = await (await client.get("/api/reports/tasks")).json()
    units = {u["name"]: u for u in api["units"]}
    assert set(units) == {"ĐV0", "ĐV1"}  # committee B's task is not counted
    assert units["ĐV0"]["counts"] == {
        "done_on_time": 1,
        "done_late": 1,
        "open_in_time": 1,  # waiting for an extension, still in time
        "overdue": 0,
    }
    assert units["ĐV1"]["counts"] == {
        "done_on_time": 0,
        "done_late": 0,
        "open_in_time": 1,
        "overdue": 1,
    }
    assert units["ĐV1"]["unit_id"] == office.units["u1_0"]
    assert api["totals"] == {"done_on_time": 1, "done_late": 1, "open_in_time": 2, "overdue": 1}

    html = await (await client.get("/reports/tasks")).text()
    svg = svg_of(html, "tasks")
    assert "ĐV1 — Chưa hoàn thành, quá hạn: 1" in svg
    assert "Số nhiệm vụ" in svg and "Hoàn thành đúng hạn" in svg
    assert f'href="/reports/units/{office.units["u1_0"]}"' in html

    sheets = await xlsx_rows(client, "/reports/tasks.xlsx")
    header, *rows = sheets["Nhiệm vụ theo đơn vị"]
    assert header == (
        "Đơn vị chủ trì",
        "Hoàn thành đúng hạn",
        "Hoàn thành quá hạn",
        "Đang thực hiện, còn trong hạn",
        "Chưa hoàn thành, quá hạn",
        "Tổng số",
    )
    assert rows == [("ĐV0", 1, 1, 1, 0, 3), ("ĐV1", 0, 0, 1, 1, 2), ("Tổng cộng", 1, 1, 2, 1, 5)]


async def test_a_participant_counts_only_their_units_tasks(client: Client, office: Office) -> None:
    await sign_in(client, office, "u1_0")
    api = await (await client.get("/api/reports/tasks")).json()
    assert [u["name"] for u in api["units"]] == ["ĐV1"]
    await sign_in(client, office, "outsider")  # committee B: its one task, of ĐV1's
    api = await (await client.get("/api/reports/tasks")).json()
    assert [(u["name"], u["counts"]["open_in_time"]) for u in api["units"]] == [("ĐV1", 1)]


async def test_a_units_record_by_month(client: Client, office: Office) -> None:
    unit = office.units["u1_0"]
    await sign_in(client, office, "secretary")
    api = await (await client.get(f"/api/reports/units/{unit}")).json()
    # overdue: due 23/11/2026; open: due 06/12/2026
    assert [
        (m["month"], m["counts"]["overdue"], m["counts"]["open_in_time"]) for m in api["months"]
    ] == [
        ("2026-11", 1, 0),
        ("2026-12", 0, 1),
    ]
    assert api["months"][0]["on_time_rate"] == 0.0 and api["months"][1]["on_time_rate"] is None

    html = await (await client.get(f"/reports/units/{unit}")).text()
    svg = svg_of(html, "unit")
    assert "11/2026 — Chưa hoàn thành, quá hạn: 1" in svg
    assert "theo tháng đến hạn" in svg

    sheets = await xlsx_rows(client, f"/reports/units/{unit}.xlsx")
    header, *rows = sheets["Theo tháng"]
    assert header[0] == "Tháng đến hạn" and header[-1] == "Tỷ lệ đúng hạn"
    assert rows == [
        ("11/2026", 0, 0, 0, 1, 1, 0),
        ("12/2026", 0, 0, 1, 0, 1, None),
        ("Tổng cộng", 0, 0, 1, 1, 2, None),
    ]


async def test_another_units_record_looks_like_no_unit(client: Client, office: Office) -> None:
    await sign_in(client, office, "u1_0")
    assert (await client.get(f"/api/reports/units/{office.units['u1_0']}")).status == 200
    theirs = await client.get(f"/api/reports/units/{office.units['u0_0']}")
    missing = await client.get("/api/reports/units/999999")
    huge = await client.get(f"/api/reports/units/{10**20}")
    assert theirs.status == missing.status == huge.status == 404
    assert await theirs.json() == await missing.json()
    page_theirs = await client.get(f"/reports/units/{office.units['u0_0']}")
    page_missing = await client.get("/reports/units/999999")
    assert await page_theirs.text() == await page_missing.text()

    await sign_in(client, office, "outsider")  # ĐV1 in committee B: only B's task
    api = await (await client.get(f"/api/reports/units/{office.units['u1_0']}")).json()
    assert sum(api["totals"].values()) == 1
    assert (await client.get(f"/reports/units/{office.units['u0_0']}.xlsx")).status == 404


async def test_the_task_list_for_scripts(client: Client, office: Office) -> None:
    await sign_in(client, office, "u1_0")
    mine = await (await client.get("/api/tasks")).json()
    assert {t["task_id"] for t in mine["tasks"]} == {office.tasks["overdue"], office.tasks["open"]}
    assert [t["due"] for t in mine["tasks"]] == ["2026-11-23", "2026-12-06"]  # deadline order
    overdue = await (await client.get("/api/tasks?category=overdue")).json()
    assert [t["task_id"] for t in overdue["tasks"]] == [office.tasks["overdue"]]
    assert overdue["tasks"][0]["category"] == "overdue" and overdue["count"] == 1
    assert (await client.get("/api/tasks?status=finished")).status == 422
    # Present but empty is not "absent": the description types these as id and enum.
    for empty in ("unit=", "page=", "status=", "category="):
        assert (await client.get(f"/api/tasks?{empty}")).status == 422, empty
    await sign_in(client, office, "secretary")
    everything = await (await client.get("/api/tasks")).json()
    assert everything["count"] == 5 and office.other_task not in {
        t["task_id"] for t in everything["tasks"]
    }
