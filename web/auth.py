"""Sessions for the web office: the sign-in page behind a bot's link, the middleware that
requires a live session (and the echoed form token on every change) for every route except
the health check, the webhook and the sign-in itself, and sign-out. Under ``/api/`` a
script's ``Authorization: Bearer`` token stands in for the session, for reading only.

The session cookie is HttpOnly, SameSite=Lax and Secure (unless the operator serves plain
http on purpose); its value is a random token whose digest names the server-side row.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from storage.errors import DomainError
from storage.services.api_tokens import viewer_for_token
from storage.services.web_sessions import (
    SESSION_TTL,
    end_session,
    redeem_login_link,
    viewer_for,
)
from web.keys import COOKIE_SECURE, SESSIONS, VIEWER, now, render, viewer

log = logging.getLogger(__name__)

SESSION_COOKIE = "diemcau_session"
LOGIN_COOKIE = "diemcau_login"  # ties the sign-in form to the browser that opened it
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


PUBLIC_PREFIXES = ("/login/", "/feeds/")  # a sign-in link; a calendar feed (its token is the key)


def is_public(request: web.Request, public_paths: frozenset[str]) -> bool:
    return request.path in public_paths or request.path.startswith(PUBLIC_PREFIXES)


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/")


def refusal(request: web.Request, status: int, message_vi: str) -> web.Response:
    """The same answer for every route of one kind: JSON under /api, a page elsewhere."""
    if wants_json(request):
        return web.json_response({"error": status, "message": message_vi}, status=status)
    return render(request, "refused.html", {"status": status, "message": message_vi}, status=status)


NOT_SIGNED_IN_VI = (
    "Bạn chưa đăng nhập hoặc phiên đăng nhập đã hết hạn. "
    "Gửi lệnh /web cho bot Điểm Cầu trên Telegram để nhận đường dẫn đăng nhập."
)
BAD_FORM_VI = "Biểu mẫu đã cũ hoặc không hợp lệ. Xin tải lại trang rồi thử lại."
TOKEN_READS_ONLY_VI = "Mã truy cập của tích hợp chỉ dùng để đọc."


def bearer_token(request: web.Request) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if any."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def session_middleware(
    public_paths: frozenset[str],
) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def require_session(request: web.Request, handler: Handler) -> web.StreamResponse:
        """No session, no data: every route outside ``public_paths`` answers 401 the same way
        whether or not it exists; a change also needs the session's form token."""
        if is_public(request, public_paths):
            return await handler(request)
        token = request.cookies.get(SESSION_COOKIE)
        found = None
        if token:
            async with request.app[SESSIONS]() as session:
                found = await viewer_for(session, token, now=now(request))
        bearer = bearer_token(request)
        if found is None and bearer is not None and wants_json(request):
            if request.method not in SAFE_METHODS:
                return refusal(request, 403, TOKEN_READS_ONLY_VI)
            async with request.app[SESSIONS]() as session:
                found = await viewer_for_token(session, bearer)
            if found is not None:  # a script's token: it reads, so no form token to check
                request[VIEWER] = found
                return await handler(request)
        if found is None:
            refused = refusal(request, 401, NOT_SIGNED_IN_VI)
            if wants_json(request):
                refused.headers["WWW-Authenticate"] = 'Bearer realm="diemcau"'
            return refused
        if request.method not in SAFE_METHODS:
            given = request.headers.get(CSRF_HEADER)
            if given is None and request.content_type in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            ):
                value = (await request.post()).get(CSRF_FIELD)
                given = value if isinstance(value, str) else None
            if not given or not hmac.compare_digest(given.encode(), found.csrf_token.encode()):
                log.warning("refused %s %s: bad CSRF token", request.method, request.path)
                return refusal(request, 403, BAD_FORM_VI)
        request[VIEWER] = found
        return await handler(request)

    return require_session


async def login_page(request: web.Request) -> web.StreamResponse:
    """GET /login/{token}: a page with one button. Following the link changes nothing, so a
    chat's link preview cannot spend it; the button's POST does."""
    nonce = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"token": request.match_info["token"], "nonce": nonce})
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=900,
        path="/login/",
        httponly=True,
        secure=request.app[COOKIE_SECURE],
        samesite="Strict",
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def login(request: web.Request) -> web.StreamResponse:
    """POST /login/{token}: spend the link, open a new session, audit it, go to the office."""
    form = await request.post()
    nonce = form.get("nonce")
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not isinstance(nonce, str) or not cookie or not hmac.compare_digest(nonce, cookie):
        return refusal(request, 403, BAD_FORM_VI)
    try:
        async with request.app[SESSIONS].begin() as session:
            opened = await redeem_login_link(
                session,
                request.match_info["token"],
                now=now(request),
                replaces=request.cookies.get(SESSION_COOKIE),
                remote=request.remote,
            )
    except DomainError as error:
        log.info("refused sign-in from %s: %s", request.remote, error)
        return refusal(request, 400, error.message_vi)
    response = web.Response(status=303, headers={"Location": "/"})
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        max_age=int(SESSION_TTL.total_seconds()),
        path="/",
        httponly=True,
        secure=request.app[COOKIE_SECURE],
        samesite="Lax",
    )
    response.del_cookie(LOGIN_COOKIE, path="/login/")
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    """POST /logout: the session ends on the server at once, and the cookie goes."""
    token = request.cookies.get(SESSION_COOKIE, "")
    async with request.app[SESSIONS].begin() as session:
        await end_session(session, token, now=now(request))
    log.info("person %s signed out", viewer(request).person_id)
    del request[VIEWER]  # the page that says so shows nobody signed in
    response = render(request, "signed_out.html", {})
    response.del_cookie(SESSION_COOKIE, path="/")
    return response
