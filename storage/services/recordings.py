"""Recordings: stored and queued for the pipeline.

(The pipeline's stages and leases come with its own change; this module holds the one
function that makes a queued row, which every way in calls through
:mod:`storage.services.intake`.)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Recording, RecordingStatus


async def enqueue_recording(
    session: AsyncSession,
    *,
    meeting_id: int | None,
    path: str,
    original_name: str | None,
    sha256: str,
    size_bytes: int,
    uploaded_by_id: int | None,
    now: datetime,
) -> Recording:
    """Store an uploaded recording, queued for the pipeline (the caller commits)."""
    recording = Recording(
        meeting_id=meeting_id,
        path=path,
        original_name=original_name,
        sha256=sha256,
        size_bytes=size_bytes,
        status=RecordingStatus.QUEUED,
        progress=0.0,
        uploaded_by_id=uploaded_by_id,
        created_at=now,
        updated_at=now,
    )
    session.add(recording)
    await session.flush()
    return recording
