"""Who signs an administrative document (Nghị định 30/2020/NĐ-CP, Điều 13)."""

from __future__ import annotations

# Signing for the body (thay mặt), for its head (ký thay), by order (thừa lệnh), by
# delegation (thừa ủy quyền): the line above the signer's title begins with one of these.
SIGNING_AUTHORITIES = ("TM.", "KT.", "TL.", "TUQ.")
