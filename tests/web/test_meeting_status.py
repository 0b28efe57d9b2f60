"""The web office shows where each meeting stands: planned, under way, finished."""

from __future__ import annotations

from tests.web.conftest import Client, Office, sign_in


async def test_a_meeting_held_weeks_ago_shows_as_finished(client: Client, office: Office) -> None:
    await sign_in(client, office, "secretary")
    listing = await (await client.get("/")).text()
    _, _, past = listing.partition("Đã diễn ra")
    assert '<span class="tag finished">đã kết thúc</span>' in past
    held = await (await client.get(f"/meetings/{office.past_meeting}")).text()
    assert '<strong>Trạng thái:</strong> <span class="tag finished">đã kết thúc</span>' in held
    coming = await (await client.get(f"/meetings/{office.meeting}")).text()
    assert '<span class="tag planned">dự kiến</span>' in coming
