"""A stored transcript as a file people can read beside a draft: one line per segment, each
starting with its moment in the recording, ``[hh:mm:ss]``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.common import TranscriptFile
from diemcau.pipeline import stored_segments
from storage.models import Recording


def clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def timed_text(segments: Iterable[tuple[float, str]]) -> str:
    return "".join(f"[{clock(start)}] {' '.join(text.split())}\n" for start, text in segments)


async def transcript_file(
    sessions: async_sessionmaker[AsyncSession], recording_id: int
) -> TranscriptFile | None:
    """The recording's stored transcript as UTF-8 text, with the figures that say whether the
    recording held much speech; None when the recording is gone."""
    async with sessions() as session:
        recording = await session.get(Recording, recording_id)
        if recording is None:
            return None
        segments = await stored_segments(session, recording_id)
    text = timed_text((s.start, s.text) for s in segments)
    duration = recording.duration_s or (segments[-1].end if segments else 0.0)
    return TranscriptFile(
        name=f"ban-ghi-loi-noi-{recording_id}.txt",
        data=text.encode("utf-8"),
        words=sum(len(s.text.split()) for s in segments),
        duration_s=duration,
    )
