"""What the web office reads about recordings: a meeting's recordings with their progress, one
recording with its transcript, and the stretch of the recording each drafted item came from.

Access is by committee, as for meetings: a recording of another committee's meeting and a
recording that does not exist are refused with the same error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import NotFound
from storage.models import Meeting, Recording, TranscriptSegment

# When the drafted item names no end and no segment holds its start: play this much.
DEFAULT_CLIP_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class VisibleRecording:
    recording: Recording
    committee_id: int
    meeting_title: str


async def visible_recording(
    session: AsyncSession, recording_id: int, *, committee_ids: Sequence[int]
) -> VisibleRecording:
    """The recording if its meeting belongs to one of the committees; otherwise ``NotFound``,
    the same as for an id that does not exist (a recording with no meeting is nobody's)."""
    found = (
        await session.execute(
            select(Recording, Meeting.committee_id, Meeting.title)
            .join(Meeting, Recording.meeting_id == Meeting.id)
            .where(Recording.id == recording_id)
        )
    ).first()
    if found is None or found[1] not in committee_ids:
        raise NotFound(f"recording {recording_id} not found or not visible", "Recording")
    return VisibleRecording(*found)


async def meeting_recordings(session: AsyncSession, meeting_id: int) -> list[Recording]:
    """A meeting's recordings, oldest first (the caller has checked the meeting is visible)."""
    return list(
        await session.scalars(
            select(Recording).where(Recording.meeting_id == meeting_id).order_by(Recording.id)
        )
    )


async def transcript(session: AsyncSession, recording_id: int) -> list[TranscriptSegment]:
    """The recording's stored segments in order."""
    return list(
        await session.scalars(
            select(TranscriptSegment)
            .where(TranscriptSegment.recording_id == recording_id)
            .order_by(TranscriptSegment.seq)
        )
    )


def clip(item: dict[str, Any], segments: Sequence[TranscriptSegment]) -> tuple[float, float] | None:
    """The seconds of the recording a drafted conclusion or task came from: from its
    ``start`` to its ``end`` if it has one, else to the end of the segment that holds the
    start (the sentence was said there). ``None`` when the item has no start (typed by
    hand)."""
    start = item.get("start")
    if not isinstance(start, int | float):
        return None
    end = item.get("end")
    if isinstance(end, int | float) and end > start:
        return float(start), float(end)
    for segment in segments:
        if segment.start <= start < segment.end:
            return float(start), float(segment.end)
    return float(start), float(start) + DEFAULT_CLIP_SECONDS
