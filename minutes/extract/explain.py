"""``diemcau draft --explain``: for every sentence, which rule fired, or why none did.

For a secretariat member checking why a task was found or missed, and for a developer
tuning a rule. The rules are named as in :mod:`minutes.extract.orders`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from minutes.extract.state import Step

__all__ = ["RULE_NAMES", "explanation_dicts", "format_explanation"]

RULE_NAMES = {
    "another_named_person": "lãnh đạo tiếp theo được giao việc theo tên (ông/bà …, chức vụ, …)",
    "explicit_order": "lệnh giao việc (giao/yêu cầu/đề nghị … + đơn vị)",
    "unit_as_subject": "đơn vị làm chủ ngữ + việc phải làm",
    "carried_subject": "câu không chủ ngữ, kế thừa đơn vị câu trước",
    "another_part": "phần việc khác với thời hạn riêng, cùng đơn vị câu trước",
    "elaboration": "câu cụ thể hóa nhiệm vụ ngay trước (Trong đó, trước mắt …), gộp vào đó",
}
ZONE_NAMES = {
    "neutral": "chưa rõ",
    "directive": "phần chỉ đạo",
    "background": "bối cảnh",
    "participant": "lời đại biểu",
}
OUTCOME_NAMES = {
    "task": "nhiệm vụ",
    "deadline": "thời hạn của nhiệm vụ ngay trước",
    "conclusion": "kết luận",
    "none": "không có nhiệm vụ",
}
_NO_RULE = "không có động từ giao việc, đơn vị làm chủ ngữ hay từ nghĩa vụ"


def _rule(fired: str) -> str:
    name, _, detail = fired.partition(": ")
    return f"{RULE_NAMES.get(name, name)} [{name}] → {detail}"


def format_explanation(steps: Sequence[Step]) -> str:
    """One block per sentence: its number, zone and words, then what came of it."""
    blocks: list[str] = []
    for step in steps:
        head = f"[{step.index + 1}] ({ZONE_NAMES.get(step.zone, step.zone)}) {step.text}"
        lines = [head]
        if step.outcome == "task":
            lines += [f"    → nhiệm vụ: {_rule(fired)}" for fired in step.rules]
        elif step.outcome == "none":
            reasons = "; ".join(step.reasons) if step.reasons else _NO_RULE
            lines.append(f"    → không có nhiệm vụ: {reasons}")
        else:
            lines.append(f"    → {OUTCOME_NAMES[step.outcome]}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + "\n"


def explanation_dicts(steps: Sequence[Step]) -> list[dict[str, Any]]:
    """The same, as JSON-ready objects (``--explain --format json``)."""
    return [
        {
            "index": step.index + 1,
            "sentence": step.text,
            "zone": step.zone,
            "outcome": step.outcome,
            "rules": list(step.rules),
            "reasons": list(step.reasons) or ([_NO_RULE] if step.outcome == "none" else []),
        }
        for step in steps
    ]
