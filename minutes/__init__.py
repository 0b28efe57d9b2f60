"""Vietnamese meeting minutes: conclusions and follow-up tasks, with units and deadlines.

A pure library: no database, no bot. ``draft_minutes(text_or_transcript, meeting_date=...)``
returns a :class:`MinutesDraft`; :mod:`minutes.render` turns it into Markdown or DOCX.
"""

from minutes.deadlines import DeadlineResult, parse_deadline
from minutes.draft import draft_minutes, load_source
from minutes.model import (
    Absence,
    Conclusion,
    MeetingInfo,
    MinutesDraft,
    PointAttendance,
    Segment,
    Substitute,
    Task,
    Transcript,
)
from minutes.units import canonical_unit

__all__ = [
    "Absence",
    "Conclusion",
    "DeadlineResult",
    "MeetingInfo",
    "MinutesDraft",
    "PointAttendance",
    "Segment",
    "Substitute",
    "Task",
    "Transcript",
    "canonical_unit",
    "draft_minutes",
    "load_source",
    "parse_deadline",
]
