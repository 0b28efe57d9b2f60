"""Plain data of the minutes: what the drafter reads and what it produces.

Everything is a frozen dataclass so a draft can be passed around, compared and stored
without surprises; the storage and bot layers fill :class:`MeetingInfo` from the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from vnadmin.signing import SIGNING_AUTHORITIES

__all__ = [
    "SIGNING_AUTHORITIES",
    "Absence",
    "Conclusion",
    "MeetingInfo",
    "MinutesDraft",
    "PointAttendance",
    "Segment",
    "Substitute",
    "Task",
    "Transcript",
]


@dataclass(frozen=True, slots=True)
class Segment:
    """One stretch of recognised speech, times in seconds from the start of the recording."""

    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """A transcript as written by ``diemcau transcribe --format json``."""

    segments: tuple[Segment, ...]
    language: str = "vi"
    duration: float | None = None
    model: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        raw = data.get("segments")
        if not isinstance(raw, list):
            raise ValueError("transcript JSON has no list of segments")
        segments = []
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError("each transcript segment needs a text")
            segments.append(
                Segment(
                    float(item.get("start") or 0.0), float(item.get("end") or 0.0), item["text"]
                )
            )
        duration = data.get("duration")
        return cls(
            segments=tuple(segments),
            language=str(data.get("language") or "vi"),
            duration=float(duration) if isinstance(duration, int | float) else None,
            model=str(data["model"]) if data.get("model") is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Conclusion:
    """A conclusion of the chair (kết luận): what was agreed, assessed or stressed."""

    text: str
    evidence: str
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """A follow-up task (nhiệm vụ): the unit in charge (chủ trì), the units that cooperate
    (phối hợp), the action, the deadline, and the sentence it came from."""

    assignee: str
    cooperating: tuple[str, ...]
    action: str
    deadline: date | None
    deadline_text: str | None
    evidence: str
    start: float | None = None
    end: float | None = None
    needs_review: bool = False


@dataclass(frozen=True, slots=True)
class MinutesDraft:
    """The drafted conclusion notice: conclusions and tasks, awaiting a person's approval."""

    meeting_date: date | None
    conclusions: tuple[Conclusion, ...]
    tasks: tuple[Task, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """Exactly the shape fixed in DESIGN.md for ``diemcau draft --format json``."""
        return {
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "conclusions": [{"text": c.text, "evidence": c.evidence} for c in self.conclusions],
            "tasks": [
                {
                    "assignee": t.assignee,
                    "cooperating": list(t.cooperating),
                    "action": t.action,
                    "deadline": t.deadline.isoformat() if t.deadline else None,
                    "deadline_text": t.deadline_text,
                    "evidence": t.evidence,
                }
                for t in self.tasks
            ],
        }


@dataclass(frozen=True, slots=True)
class Absence:
    """Someone expected at a point who did not attend, and why (``None``: not known)."""

    name: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Substitute:
    """Someone who attended in place of the person invited (dự thay)."""

    name: str
    replaces: str


@dataclass(frozen=True, slots=True)
class PointAttendance:
    """Who was at one connection point (điểm cầu): present, absent (with the reason when
    known), attending in someone's place, and invited but not yet marked either way."""

    name: str
    present: tuple[str, ...] = ()
    absent: tuple[Absence, ...] = ()
    substitutes: tuple[Substitute, ...] = ()
    unmarked: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    """What the documents say about the meeting and who issues them; filled from the
        database, the seed file or ``diemcau draft``'s options.

        Nothing has a made-up default: a field left ``None`` is printed as a visible blank ("…")
    for the clerk to fill. ``start`` and ``end`` must be timezone-aware; they are shown in
    Asia/Ho_Chi_Minh. ``issued_on`` is the date of issue on the place-and-date line (a
    draft's is left blank: the clerk writes it when the document is signed).
    ``signer_authority`` is the line above the signer's title under Nghị định 30/2020
    ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. CHỦ TỊCH").
    """

    issuing_body: str | None = None
    parent_body: str | None = None
    number: str | None = None  # "125", or whole with its symbol: "125/TB-UBND"
    issued_on: date | None = None  # the date of issue, once signed
    abbreviation: str | None = None
    place_name: str | None = None
    title: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    main_place: str | None = None
    chair_name: str | None = None
    chair_title: str | None = None
    secretary: str | None = None  # as the record names them: "Lê Thị Hoa (Chuyên viên …)"
    secretary_name: str | None = None  # under the signature; ``None`` when known by title only
    points: Sequence[PointAttendance] = field(default_factory=tuple)
    recipients: Sequence[str] = field(default_factory=tuple)
    signer_name: str | None = None
    signer_title: str | None = None
    signer_authority: str | None = None
    agenda: Sequence[str] = field(default_factory=tuple)
