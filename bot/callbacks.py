"""Signed callback data for inline buttons.

Telegram returns a button's ``callback_data`` verbatim, and anyone can craft an update with
any data, so each payload carries a short HMAC: a forged or mangled button is recognised and
refused. Payloads are ``action:arg:...:signature`` and always fit Telegram's 64 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

MAX_BYTES = 64
SIGNATURE_CHARS = 10  # 60 bits of HMAC-SHA256: forging one by chance is out of reach


def _signature(secret: bytes, body: str) -> str:
    digest = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_CHARS]


def pack(secret: bytes, action: str, *args: str | int) -> str:
    body = ":".join([action, *map(str, args)])
    if any(":" in str(a) for a in args):
        raise ValueError("callback arguments may not contain ':'")
    data = f"{body}:{_signature(secret, body)}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def unpack(secret: bytes, data: str | None) -> tuple[str, list[str]] | None:
    """(action, args) when the signature is right; None for anything forged or malformed."""
    if not data or len(data.encode()) > MAX_BYTES or ":" not in data:
        return None
    body, _, signature = data.rpartition(":")
    if not hmac.compare_digest(signature, _signature(secret, body)):
        return None
    action, *args = body.split(":")
    return action, args
