"""/web: a one-time link that signs the caller in to the web office."""

from __future__ import annotations

from datetime import timedelta

from telegram import LinkPreviewOptions, Update

from bot.common import Context, authorize, deps
from storage.services.web_sessions import LOGIN_TTL, create_login_link

# Set by the wiring (``diemcau run``) to the office's public address, e.g. https://hop.tinh.gov.vn
WEB_URL_KEY = "web_public_url"

NOT_CONFIGURED = "Văn phòng điện tử chưa được cấu hình (DIEMCAU_WEB_PUBLIC_URL)."


def link_text(url: str, ttl: timedelta) -> str:
    minutes = int(ttl.total_seconds() // 60)
    return (
        "Đường dẫn đăng nhập văn phòng điện tử Điểm Cầu (chỉ dùng một lần, "
        f"hết hạn sau {minutes} phút; không chuyển cho người khác):\n{url}"
    )


async def web_link(update: Update, context: Context) -> None:
    """/web: a known person gets a fresh sign-in link, in their private chat only."""
    d = deps(context)
    chat = update.effective_chat
    if chat is None:
        return
    base = str(context.bot_data.get(WEB_URL_KEY, "")).rstrip("/")
    async with d.sessions.begin() as session:
        found = await authorize(session, update)
        if found is None:
            return
        if chat.type != chat.PRIVATE:
            await chat.send_message("Xin gửi lệnh /web trong tin nhắn riêng với bot.")
            return
        if not base:
            await chat.send_message(NOT_CONFIGURED)
            return
        token = await create_login_link(session, found[0].id, now=d.now())
    # No preview: a preview fetch must not be the first to see the link.
    await chat.send_message(
        link_text(f"{base}/login/{token}", LOGIN_TTL),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
