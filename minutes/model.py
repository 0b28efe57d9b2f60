"""Plain data of the minutes: what the drafter reads and what it produces.

Everything is a frozen dataclass so a draft can be passed around, compared and stored
without surprises; the storage and bot layers fill :class:`MeetingInfo` from the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

__all__ = [
    "Conclusion",
    "MeetingInfo",
    "MinutesDraft",
    "PointAttendance",
    "Segment",
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
class PointAttendance:
    """Who was at one connection point (điểm cầu), and who was expected but absent."""

    name: str
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    """What the notice says about the meeting itself; filled from the database later.

    ``start`` must be timezone-aware; it is shown in Asia/Ho_Chi_Minh.
    """

    issuing_body: str = "ỦY BAN NHÂN DÂN TỈNH"
    parent_body: str | None = None
    number: str | None = None
    abbreviation: str = "UBND"
    place_name: str | None = None
    title: str | None = None
    start: datetime | None = None
    main_place: str | None = None
    chair_name: str | None = None
    chair_title: str | None = None
    points: Sequence[PointAttendance] = field(default_factory=tuple)
    recipients: Sequence[str] = field(default_factory=tuple)
    signer_name: str | None = None
    signer_title: str | None = None
    agenda: Sequence[str] = field(default_factory=tuple)
