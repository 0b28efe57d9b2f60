"""``diemcau transcribe AUDIO``: a recording to a Vietnamese transcript (json, srt, vtt, txt)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from diemcau.settings import get_settings
from transcribe.errors import TranscribeError
from transcribe.formats import FORMATS

log = logging.getLogger(__name__)


@click.command()
@click.argument("audio", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--language",
    default="vi",
    show_default=True,
    help='Language spoken; "auto" detects it (which inserts English on Vietnamese meetings).',
)
@click.option(
    "--model",
    "model_name",
    default=None,
    help="faster-whisper name (large-v3), CTranslate2 directory, or base (bundled). "
    "Default: DIEMCAU_WHISPER_MODEL.",
)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="json", show_default=True
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here.")
def transcribe(
    audio: Path, language: str, model_name: str | None, fmt: str, output: Path | None
) -> None:
    """Chép lời một bản ghi âm/ghi hình cuộc họp (AUDIO) thành văn bản có mốc thời gian."""
    from diemcau.progress import ProgressLine
    from transcribe.audio import probe
    from transcribe.engine import Transcriber
    from transcribe.formats import render
    from transcribe.options import TranscribeOptions

    settings = get_settings()
    try:
        probe(audio)  # a bad file fails before the model loads
        transcriber = Transcriber.load(
            model_name or settings.whisper_model, data_dir=settings.data_dir
        )
        # The same settling of options as the server's job, so both give the same segments.
        options = transcriber.options_for(
            TranscribeOptions(language=None if language == "auto" else language)
        )
        # A bar on a terminal only: piped output (and its stderr) stays clean.
        bar = ProgressLine("Đang chép lời") if sys.stderr.isatty() else None
        try:
            result = transcriber.transcribe(
                audio, options, on_progress=bar.update if bar is not None else None
            )
        finally:
            if bar is not None:
                bar.close()
    except TranscribeError as error:
        log.info("transcribe %s failed: %s", audio, error.log_message)
        raise click.ClickException(str(error)) from error
    text = render(result, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"không ghi được {output}: {error.strerror}") from error
