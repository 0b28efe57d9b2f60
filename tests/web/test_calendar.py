"""Calendar feeds: valid RFC 5545 read back by icalendar, times in Hà Nội, only the person's
own meetings and unit's deadlines, and revocable."""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar

from tests.conftest import VN
from tests.web.conftest import Client, Office, sign_in


async def _new_address(client: Client, csrf: str) -> str:
    page = await (await client.post("/calendar/new", data={"csrf": csrf})).text()
    address = page.split('id="feed-address"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert "/feeds/" in address and address.endswith(".ics")
    return address.split("/feeds/", 1)[1].removesuffix(".ics")


async def test_feed_shows_own_meetings_and_unit_deadlines(client: Client, office: Office) -> None:
    csrf = await sign_in(client, office, "u1_0")
    token = await _new_address(client, csrf)
    client.session.cookie_jar.clear()  # a calendar program has no session
    response = await client.get(f"/feeds/{token}.ics")
    assert response.status == 200 and response.content_type == "text/calendar"
    calendar = Calendar.from_ical(await response.read())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    meeting = events[f"meeting-{office.meeting}@diemcau"]
    start = meeting.decoded("dtstart")
    assert isinstance(start, datetime) and start.utcoffset() is not None
    assert start.astimezone(VN) == datetime(2026, 12, 3, 9, 0, tzinfo=VN)
    assert (
        str(meeting["location"]) == "Điểm cầu 1"
        and str(meeting["summary"]) == "Phiên họp lần thứ 3"
    )
    assert any(str(tz["tzid"]) == "Asia/Ho_Chi_Minh" for tz in calendar.walk("VTIMEZONE"))
    deadline = events[f"task-{office.tasks['overdue']}@diemcau"]
    assert deadline.decoded("dtstart") == date(2026, 11, 23)
    assert "Hạn nhiệm vụ" in str(deadline["summary"])
    assert f"task-{office.tasks['late']}@diemcau" not in events  # another unit's task
    assert f"meeting-{office.other_meeting}@diemcau" not in events  # another committee


async def test_a_new_address_revokes_the_old_and_revoke_ends_it(
    client: Client, office: Office
) -> None:
    csrf = await sign_in(client, office, "secretary")
    first = await _new_address(client, csrf)
    second = await _new_address(client, csrf)
    assert (await client.get(f"/feeds/{first}.ics")).status == 404
    assert (await client.get(f"/feeds/{second}.ics")).status == 200
    await client.post("/calendar/revoke", data={"csrf": csrf})
    assert (await client.get(f"/feeds/{second}.ics")).status == 404
    assert (await client.get("/feeds/made-up.ics")).status == 404
    page = await (await client.get("/calendar")).text()
    assert "chưa có đường dẫn lịch" in page
