"""The office in a real browser: Playwright driving Debian's Chromium (never a downloaded
build). Sign in through a bot link, open a meeting, answer for a delegate, move a task, edit
and approve a draft, download its DOCX; screenshots kept as artefacts."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import make_async_engine, make_async_sessionmaker
from storage.models import AnswerStatus
from storage.services.invitations import answer_invitation
from tests.conftest import VN
from tests.web.conftest import Office, render_notice
from web.app import init_app

CHROMIUM = "/usr/bin/chromium"  # apt-get install chromium (.ci/run)


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: DIEMCAU_TEST_ARTEFACTS if set (CI keeps it), else the test's
    temporary directory."""
    folder = Path(os.environ.get("DIEMCAU_TEST_ARTEFACTS", tmp_path)) / "web"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def site(office: Office) -> AsyncIterator[str]:
    async def notice(content: dict[str, Any], meeting_id: int | None) -> bytes:
        return await render_notice(office.url, content, meeting_id)

    async def approved(session: AsyncSession, task_ids: list[int]) -> None:
        office.delivered.extend(task_ids)

    app = init_app(
        office.url, VN, clock=lambda: office.now, render_notice=notice, on_draft_approved=approved
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/")).rstrip("/")
    finally:
        await server.close()


async def test_sign_in_and_answer_for_a_delegate(
    browser: Browser, site: str, office: Office, screenshots: Path
) -> None:
    page = await browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    await page.goto(f"{site}/meetings/{office.meeting}")
    assert "Cần đăng nhập" in await page.inner_text("main")  # nothing before signing in

    await page.goto(f"{site}/login/{await office.link('secretary')}")
    await page.click("button:has-text('Đăng nhập')")
    await page.wait_for_url(f"{site}/")
    await page.screenshot(path=str(screenshots / "meetings.png"), full_page=True)
    await page.click("text=Phiên họp lần thứ 3 >> nth=0")
    await page.wait_for_url(f"{site}/meetings/{office.meeting}")
    matrix = await page.inner_text("#matrix")
    assert "Điểm cầu 0" in matrix and "Chưa nhận giấy mời" in matrix
    await page.screenshot(path=str(screenshots / "meeting.png"), full_page=True)

    row = page.locator(f"#inv-{office.invitations['u1_0']}")
    await row.locator("summary").click()
    await row.locator("select[name=status]").select_option("DELEGATED")
    await row.locator("input[name=delegate_name]").fill("Hoàng Văn Đức")
    await row.locator("input[name=delegate_title]").fill("Phó Giám đốc")
    await row.locator("button[type=submit]").click()
    await page.wait_for_load_state()
    answered = await page.locator(f"#inv-{office.invitations['u1_0']}").inner_text()
    assert "Hoàng Văn Đức (Phó Giám đốc)" in answered and "Cử người dự thay" in answered

    phone = await browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    await phone.context.add_cookies(await page.context.cookies())
    await phone.goto(f"{site}/meetings/{office.meeting}")
    assert "Tình hình xác nhận tham dự" in await phone.inner_text("main")
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # wide tables scroll inside their box, the page does not
    await phone.screenshot(path=str(screenshots / "meeting-phone.png"), full_page=True)
    assert (screenshots / "meeting.png").stat().st_size > 10_000


async def _signed_in(browser: Browser, site: str, office: Office, who: str) -> Page:
    page = await browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    await page.goto(f"{site}/login/{await office.link(who)}")
    await page.click("button:has-text('Đăng nhập')")
    await page.wait_for_url(f"{site}/")
    return page


async def test_move_a_task_edit_approve_a_draft_and_download_it(
    browser: Browser, site: str, office: Office, screenshots: Path
) -> None:
    page = await _signed_in(browser, site, office, "u1_0")
    await page.click("header >> text=Nhiệm vụ")
    row = page.locator(f"#task-{office.tasks['overdue']}")
    await row.locator("button:has-text('Bắt đầu thực hiện')").click()
    await page.wait_for_load_state()
    assert "đang thực hiện" in await page.locator(f"#task-{office.tasks['overdue']}").inner_text()
    await page.screenshot(path=str(screenshots / "tasks.png"), full_page=True)

    page = await _signed_in(browser, site, office, "secretary")
    await page.click("header >> text=Dự thảo")
    await page.click(f"text=Dự thảo số {office.drafts['a']}")
    await page.fill("input[name=deadline-1]", "trong tháng 12")
    await page.fill("textarea[name=action-new]", "Rà soát danh mục dự án ưu tiên")
    await page.fill("input[name=assignee-new]", "ĐV2")
    await page.click("button:has-text('Lưu dự thảo')")
    await page.wait_for_load_state()
    assert "phiên bản 2" in await page.inner_text("main")
    assert await page.input_value("input[name=deadline-1]") == "31/12/2026"
    await page.screenshot(path=str(screenshots / "draft.png"), full_page=True)

    async with page.expect_download() as download_info:
        await page.click("text=Tải thông báo kết luận (DOCX)")
    download = await download_info.value
    assert download.suggested_filename == f"thong-bao-ket-luan-{office.drafts['a']}.docx"
    saved = screenshots / download.suggested_filename
    await download.save_as(saved)
    assert "Rà soát danh mục dự án ưu tiên" in "\n".join(
        cell.text
        for table in docx.Document(str(saved)).tables
        for r in table.rows
        for cell in r.cells
    ) + "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)

    await page.click("button:has-text('Duyệt phiên bản 2')")
    await page.wait_for_load_state()
    assert "đã duyệt" in await page.inner_text("main")
    assert len(office.delivered) == 3  # two drafted tasks and the added one, sent by the bot


async def test_the_matrix_refreshes_as_answers_arrive(
    browser: Browser, site: str, office: Office
) -> None:
    page = await _signed_in(browser, site, office, "secretary")
    await page.clock.install()
    await page.goto(f"{site}/meetings/{office.meeting}")
    row = f"#inv-{office.invitations['u1_0']}"
    assert "Chưa trả lời" in await page.locator(row).inner_text()
    await page.wait_for_load_state("networkidle")  # the first poll has been answered

    # Someone answers in the bot meanwhile.
    engine = make_async_engine(office.url)
    async with make_async_sessionmaker(engine).begin() as session:
        await answer_invitation(
            session, office.invitations["u1_0"], status=AnswerStatus.ACCEPTED, now=office.now
        )
    await engine.dispose()
    async with page.expect_navigation():
        await page.clock.fast_forward(31_000)
    assert "Tham dự" in await page.locator(row).inner_text()


async def test_reports_show_their_charts_and_download_xlsx(
    browser: Browser, site: str, office: Office, screenshots: Path
) -> None:
    page = await _signed_in(browser, site, office, "secretary")
    await page.click("header >> text=Báo cáo")
    chart = page.get_by_role("img", name="Nhiệm vụ theo đơn vị chủ trì và tình trạng thực hiện")
    box = await chart.bounding_box()
    assert box is not None and box["width"] > 600  # drawn at the page's width, not collapsed
    assert await chart.locator("g.bar rect[fill='#b3261e']").count() == 1  # ĐV1's one overdue task
    await page.screenshot(path=str(screenshots / "report-tasks.png"), full_page=True)

    async with page.expect_download() as download_info:
        await page.click("text=Tải về tệp Excel (.xlsx)")
    download = await download_info.value
    saved = screenshots / download.suggested_filename
    await download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    assert sheet["A1"].value == "Tình hình thực hiện nhiệm vụ theo đơn vị chủ trì"

    await page.click("table >> text=ĐV1")
    await page.wait_for_url(f"{site}/reports/units/{office.units['u1_0']}")
    assert await page.get_by_role("img", name=re.compile("Kết quả thực hiện nhiệm vụ")).count()
    await page.screenshot(path=str(screenshots / "report-unit.png"), full_page=True)

    await page.click("text=Tỷ lệ có mặt theo điểm cầu")
    await page.wait_for_url(f"{site}/reports/attendance")
    assert await page.get_by_role("img", name=re.compile("Tỷ lệ có mặt theo điểm cầu")).count()
    await page.screenshot(path=str(screenshots / "report-attendance.png"), full_page=True)
