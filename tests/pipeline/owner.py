"""A pipeline owner (what ``diemcau run`` holds) in its own process, for the fault tests:

    python -m tests.pipeline.owner URL RECORDING_ID DATA_DIR REVIEWS_FILE

It runs :meth:`RecordingPipeline.process` on one recording with the real bundled model in
a real worker pool, 36-second windows and a 2-second lease; its "review" appends the draft's
id and this owner's name to REVIEWS_FILE (one line per review message). While another owner
holds the recording it waits for the lease, then resumes at whatever stage it finds. It
prints the outcome, or ``failed: <reason>``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from diemcau.pipeline import RecordingBusy, RecordingFailed, RecordingPipeline
from storage.db import make_async_engine, make_async_sessionmaker
from transcribe.options import TranscribeOptions

CHECKPOINT = "tests.pipeline.killpoints:checkpoint"
LEASE_SECONDS = 2.0


async def main(url: str, recording_id: int, data_dir: Path, reviews: Path) -> int:
    engine = make_async_engine(url)
    pipeline = RecordingPipeline(
        database_url=url, sessions=make_async_sessionmaker(engine), model="base",
        data_dir=data_dir, tz=ZoneInfo("Asia/Ho_Chi_Minh"), poll_seconds=0.1,
        lease_seconds=LEASE_SECONDS, retry_pause_s=0.1,
        options=TranscribeOptions(window_s=36.0), worker_checkpoint=CHECKPOINT,
    )  # fmt: skip

    async def review(draft_id: int) -> None:
        with reviews.open("a", encoding="utf-8") as out:
            out.write(f"{draft_id} {pipeline.owner}\n")

    try:
        while True:
            try:
                outcome = await pipeline.process(recording_id, review=review)
                break
            except RecordingBusy:
                await asyncio.sleep(LEASE_SECONDS / 4)
        print(f"done: draft {outcome.draft_id}, {outcome.segments} segments", flush=True)
        return 0
    except RecordingFailed as error:
        print(f"failed: {error.message_vi}", flush=True)
        return 1
    finally:
        pipeline.close()
        await engine.dispose()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))))
