"""What the bot sends beside a draft: its documents from :mod:`diemcau.documents` (the notice,
the record, the transcript with [hh:mm:ss] times) and how much speech its recording held."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.common import DraftFiles
from diemcau.documents import draft_documents
from diemcau.pipeline import stored_segments
from storage.models import Recording
from storage.services.drafts import get_draft


async def draft_files(
    sessions: async_sessionmaker[AsyncSession], tz: ZoneInfo, draft_id: int
) -> DraftFiles:
    async with sessions() as session:
        draft = await get_draft(session, draft_id)
        documents = await draft_documents(session, draft, tz)
        recording = await session.get(Recording, draft.recording_id) if draft.recording_id else None
        segments = await stored_segments(session, recording.id) if recording else []
    named = {
        "notice": documents.notice,
        "record": documents.record,
        "transcript": documents.transcript,
    }
    files = tuple((kind, *pair) for kind, pair in named.items() if pair is not None)
    if recording is None:
        return DraftFiles(files)
    return DraftFiles(
        files,
        spoken_words=sum(len(s.text.split()) for s in segments),
        recording_s=recording.duration_s or (segments[-1].end if segments else 0.0),
    )
