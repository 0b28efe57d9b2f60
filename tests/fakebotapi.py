"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and the fan-out benchmark.

The real python-telegram-bot ``Application`` talks HTTP to it through its ``base_url``: the
server answers the Bot API methods the bot uses, hands out updates from simulated users
through ``getUpdates`` (or posts them to a webhook), serves uploaded files through ``getFile``
and the file endpoint, and records, per chat, what the bot sent and how it edited it. With
``enforce_limits`` it answers 429 with ``retry_after`` when the bot breaks Telegram's flood
limits, as Telegram does.

With ``local_dir`` it imitates a local Bot API server (``telegram-bot-api --local``): files
users send are kept on disk under that directory, ``getFile`` answers with their absolute
path (the bot reads them from the disk it shares with the server) and serves files of any
size, where the cloud API refuses those over 20 MB.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web

BOT_ID = 7000000001
BOT_USERNAME = "diemcau_test_bot"

# Parameters the Bot API takes as plain strings: PTB sends them unencoded, everything else
# is JSON-encoded in the form body.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "file_id",
        "parse_mode",
        "url",
        "secret_token",
        "inline_message_id",
        "description",
        "short_description",
        "language_code",
        "action",
        "allowed_updates_raw",
    }
)


@dataclass
class SentMessage:
    """A message as the chat shows it now (edits applied), with its history."""

    chat_id: int
    message_id: int
    text: str | None
    reply_markup: dict[str, Any] | None = None
    document_name: str | None = None
    document_bytes: bytes | None = None
    edits: list[str] = field(default_factory=list)
    sent_at: float = field(default_factory=time.monotonic)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label: str) -> dict[str, Any]:
        for button in self.buttons:
            if button["text"] == label:
                return button
        labels = [b["text"] for b in self.buttons]
        raise LookupError(f"no button {label!r} on message {self.message_id}: {labels}")


CLOUD_DOWNLOAD_LIMIT = 20 * 1024 * 1024


@dataclass
class StoredFile:
    """A file a user sent: its bytes in memory (cloud mode) or on disk (local mode)."""

    file_id: str
    path: str
    data: bytes
    size: int
    local_path: Path | None = None


class FloodLimits:
    """Telegram's documented limits: 30 messages/s overall, about 1/s per private chat,
    20/min per group. Sliding windows over the moments of accepted messages."""

    def __init__(self, overall: int = 30, per_chat: float = 1.0, per_group_minute: int = 20):
        self.overall, self.per_chat, self.per_group_minute = overall, per_chat, per_group_minute
        self.recent: deque[float] = deque()
        self.last_per_chat: dict[int, float] = {}
        self.group_recent: dict[int, deque[float]] = defaultdict(deque)
        self.violations = 0

    def check(self, chat_id: int, now: float) -> float | None:
        """None when the message may go; otherwise the seconds to wait."""
        while self.recent and now - self.recent[0] >= 1.0:
            self.recent.popleft()
        if len(self.recent) >= self.overall:
            return 1.0 - (now - self.recent[0])
        if chat_id < 0:
            window = self.group_recent[chat_id]
            while window and now - window[0] >= 60.0:
                window.popleft()
            if len(window) >= self.per_group_minute:
                return 60.0 - (now - window[0])
        else:
            last = self.last_per_chat.get(chat_id)
            if last is not None and now - last < 1.0 / self.per_chat:
                return 1.0 / self.per_chat - (now - last)
        return None

    def accept(self, chat_id: int, now: float) -> None:
        self.recent.append(now)
        if chat_id < 0:
            self.group_recent[chat_id].append(now)
        else:
            self.last_per_chat[chat_id] = now


class FakeBotAPI:
    """Start with ``await server.start()``; give PTB ``server.base_url`` and
    ``server.base_file_url``."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        enforce_limits: bool = False,
        local_dir: Path | None = None,
    ):
        self.token = token
        self.local_dir = local_dir
        self.limits = FloodLimits() if enforce_limits else None
        self.flood_errors = 0
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.chats: dict[int, dict[int, SentMessage]] = defaultdict(dict)
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.file_downloads: list[str] = []  # paths fetched from the file endpoint
        self.blocked: set[int] = set()
        self.missing_chats: set[int] = set()  # "Bad Request: chat not found" (deleted account)
        # Sends to these chats are delivered (recorded) but their reply never comes, as when
        # the network drops Telegram's answer: the bot cannot know the message arrived.
        self.withhold_replies: set[int] = set()
        self.withheld = 0
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._file_ids = itertools.count(1)
        self._new_update = asyncio.Condition()
        self._changed = asyncio.Condition()
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, port: int = 0) -> None:
        app = web.Application(client_max_size=200 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._method)
        app.router.add_get("/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self._stopping.set()
        async with self._new_update:
            self._new_update.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- simulated users -------------------------------------------------------------------

    def user(self, user_id: int, first_name: str, username: str | None = None) -> FakeUser:
        return FakeUser(self, user_id, first_name, username)

    async def push_update(self, update: dict[str, Any]) -> None:
        update["update_id"] = next(self._update_ids)
        if self.webhook_url:
            headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret or ""}
            async with ClientSession() as client:
                response = await client.post(self.webhook_url, json=update, headers=headers)
                response.raise_for_status()
            return
        async with self._new_update:
            self._updates.append(update)
            self._new_update.notify_all()

    def add_file(self, data: bytes | Path, name: str) -> StoredFile:
        """Keep a file a user sends: given as bytes, or as a file on disk (copied in chunks,
        so a local-mode test of gigabytes never holds them in memory)."""
        number = next(self._file_ids)
        relative = f"documents/file_{number}{Path(name).suffix}"
        if self.local_dir is None:
            content = data.read_bytes() if isinstance(data, Path) else data
            stored = StoredFile(f"FILE{number:06d}", relative, content, len(content))
        else:
            target = self.local_dir / self.token / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                shutil.copyfile(data, target)
            else:
                target.write_bytes(data)
            stored = StoredFile(
                f"FILE{number:06d}", relative, b"", target.stat().st_size, target.resolve()
            )
        self.files[stored.file_id] = stored
        return stored

    def messages(self, chat_id: int) -> list[SentMessage]:
        return sorted(self.chats[chat_id].values(), key=lambda m: m.message_id)

    async def wait_for(
        self, predicate: Callable[[], Any], *, timeout: float = 10.0, what: str = "condition"
    ) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked whenever the bot sends or edits)."""
        deadline = asyncio.get_running_loop().time() + timeout
        async with self._changed:
            while not (result := predicate()):
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise TimeoutError(f"timed out waiting for {what}")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    continue
            return result

    # -- HTTP ------------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = {}
        uploads: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params = await request.json()
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    uploads[key] = value.file.read()
                    params[key] = value.filename
                elif key in STRING_PARAMS:
                    params[key] = value
                else:
                    try:
                        params[key] = json.loads(value)
                    except ValueError:
                        params[key] = value
        params.update({k: v for k, v in request.query.items() if k not in params})
        return params, uploads

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        name = request.match_info["method"]
        params, uploads = await self._params(request)
        self.calls.append((name, params))
        handler = getattr(self, "_api_" + name.lower(), None)
        if handler is None:
            return _error(404, f"Not Found: method {name} is not served by the fake")
        try:
            result = await handler(params, uploads)
        except ApiError as error:
            return error.response()
        async with self._changed:
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        self.file_downloads.append(path)
        for stored in self.files.values():
            if stored.path == path:
                return web.Response(body=stored.data)
        raise web.HTTPNotFound()

    def _limit(self, chat_id: int) -> None:
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.missing_chats:
            raise ApiError(400, "Bad Request: chat not found")
        if self.limits is None:
            return
        now = time.monotonic()
        wait = self.limits.check(chat_id, now)
        if wait is not None:
            self.flood_errors += 1
            retry_after = max(1, int(wait + 0.999))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        self.limits.accept(chat_id, now)

    # -- Bot API methods ---------------------------------------------------------------------

    async def _api_getme(self, params: dict[str, Any], _: dict[str, bytes]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Điểm Cầu",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getupdates(self, params: dict[str, Any], _: dict[str, bytes]) -> list[Any]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._new_update:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), min(timeout, 1.0))
            return list(self._updates)

    async def _api_deletewebhook(self, params: dict[str, Any], _: dict[str, bytes]) -> bool:
        self.webhook_url = None
        return True

    async def _api_setwebhook(self, params: dict[str, Any], _: dict[str, bytes]) -> bool:
        self.webhook_url = params.get("url")
        self.webhook_secret = params.get("secret_token")
        return True

    async def _api_setmycommands(self, params: dict[str, Any], _: dict[str, bytes]) -> bool:
        scope = params.get("scope") or {"type": "default"}
        key = scope["type"] + (f":{scope['chat_id']}" if "chat_id" in scope else "")
        self.commands[key] = params["commands"]
        return True

    async def _api_sendchataction(self, params: dict[str, Any], _: dict[str, bytes]) -> bool:
        return True

    def _message_json(self, message: SentMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private" if message.chat_id > 0 else "group"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Điểm Cầu"},
        }
        if message.text is not None:
            body["text" if message.document_name is None else "caption"] = message.text
        if message.reply_markup:
            body["reply_markup"] = message.reply_markup
        if message.document_name is not None:
            body["document"] = {
                "file_id": f"DOC{message.message_id}",
                "file_unique_id": f"U{message.message_id}",
                "file_name": message.document_name,
            }
        return body

    async def _api_sendmessage(self, params: dict[str, Any], _: dict[str, bytes]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self._limit(chat_id)
        if not params.get("text"):
            raise ApiError(400, "Bad Request: message text is empty")
        if len(params["text"]) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        _check_callback_data(params.get("reply_markup"))
        message = SentMessage(
            chat_id, next(self._message_ids), params["text"], params.get("reply_markup")
        )
        self.chats[chat_id][message.message_id] = message
        await self._maybe_withhold(chat_id)
        return self._message_json(message)

    async def _maybe_withhold(self, chat_id: int) -> None:
        if chat_id not in self.withhold_replies:
            return
        self.withheld += 1
        async with self._changed:
            self._changed.notify_all()
        await self._stopping.wait()  # until the client gives up or the server stops

    async def _api_senddocument(
        self, params: dict[str, Any], uploads: dict[str, bytes]
    ) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self._limit(chat_id)
        message = SentMessage(
            chat_id,
            next(self._message_ids),
            params.get("caption"),
            params.get("reply_markup"),
            document_name=params.get("document"),
            document_bytes=uploads.get("document"),
        )
        self.chats[chat_id][message.message_id] = message
        return self._message_json(message)

    def _existing(self, params: dict[str, Any]) -> SentMessage:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        message = self.chats[chat_id].get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    async def _api_editmessagetext(
        self, params: dict[str, Any], _: dict[str, bytes]
    ) -> dict[str, Any]:
        message = self._existing(params)
        markup = params.get("reply_markup")
        if params["text"] == message.text and markup == message.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        _check_callback_data(markup)
        message.edits.append(message.text or "")
        message.text = params["text"]
        message.reply_markup = markup
        return self._message_json(message)

    async def _api_editmessagereplymarkup(
        self, params: dict[str, Any], _: dict[str, bytes]
    ) -> dict[str, Any]:
        message = self._existing(params)
        message.reply_markup = params.get("reply_markup")
        return self._message_json(message)

    async def _api_deletemessage(self, params: dict[str, Any], _: dict[str, bytes]) -> bool:
        self._existing(params)
        del self.chats[int(params["chat_id"])][int(params["message_id"])]
        return True

    async def _api_answercallbackquery(self, params: dict[str, Any], _: dict[str, bytes]) -> bool:
        self.callback_answers[params["callback_query_id"]] = params
        return True

    async def _api_getfile(self, params: dict[str, Any], _: dict[str, bytes]) -> dict[str, Any]:
        stored = self.files.get(params["file_id"])
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.local_path is None and stored.size > CLOUD_DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": "U" + stored.file_id,
            "file_size": stored.size,
            # the local server answers with where the file lies on its disk
            "file_path": str(stored.local_path) if stored.local_path else stored.path,
        }


class FakeUser:
    """A person in a private chat with the bot."""

    def __init__(self, server: FakeBotAPI, user_id: int, first_name: str, username: str | None):
        self.server, self.id, self.first_name, self.username = server, user_id, first_name, username
        self._message_ids = itertools.count(1)

    @property
    def _from(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": "vi",
        }
        if self.username:
            body["username"] = self.username
        return body

    def _message(self, **extra: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": self.id, "type": "private", "first_name": self.first_name},
            "from": self._from,
            **extra,
        }

    async def send(self, text: str) -> None:
        extra: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        await self.server.push_update({"message": self._message(**extra)})

    async def send_file(
        self,
        data: bytes | Path,
        name: str,
        *,
        kind: str = "document",
        mime_type: str = "application/octet-stream",
        duration: int = 0,
    ) -> StoredFile:
        stored = self.server.add_file(data, name)
        media: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": "U" + stored.file_id,
            "file_size": stored.size,
            "mime_type": mime_type,
        }
        if kind in ("document", "audio", "video"):
            media["file_name"] = name
        if kind in ("audio", "voice", "video"):
            media["duration"] = duration
        if kind == "video":
            media.update(width=640, height=360)
        await self.server.push_update({"message": self._message(**{kind: media})})
        return stored

    async def press(self, label: str, message: SentMessage | None = None) -> str:
        """Press the button labelled ``label`` on ``message`` (default: the newest message
        that has it). Returns the callback query id, to check that the bot answered it."""
        if message is None:
            found: SentMessage = await self.server.wait_for(
                lambda: next(
                    (m for m in reversed(self.inbox) if any(b["text"] == label for b in m.buttons)),
                    None,
                ),
                what=f"a button {label!r} for {self.first_name}",
            )
            message = found
        return await self.press_data(message.button(label)["callback_data"], message)

    async def press_data(self, data: str, message: SentMessage) -> str:
        query_id = f"Q{self.id}-{next(self._message_ids)}"
        await self.server.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._from,
                    "chat_instance": str(self.id),
                    "data": data,
                    "message": self.server._message_json(message),
                }
            }
        )
        return query_id

    @property
    def inbox(self) -> list[SentMessage]:
        return self.server.messages(self.id)

    def texts(self) -> list[str]:
        return [m.text or "" for m in self.inbox]

    async def receive(self, needle: str, *, timeout: float = 10.0) -> SentMessage:
        """Wait for a message (new or edited) whose text contains ``needle``."""
        found: SentMessage = await self.server.wait_for(
            lambda: next((m for m in reversed(self.inbox) if needle in (m.text or "")), None),
            timeout=timeout,
            what=f"{self.first_name} to receive {needle!r}",
        )
        return found

    async def answered(self, query_id: str, *, timeout: float = 10.0) -> dict[str, Any]:
        answer: dict[str, Any] = await self.server.wait_for(
            lambda: self.server.callback_answers.get(query_id),
            timeout=timeout,
            what=f"callback {query_id} to be answered",
        )
        return answer


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def response(self) -> web.Response:
        return _error(self.code, self.description, self.parameters)


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


def _check_callback_data(markup: dict[str, Any] | None) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
