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
    from transcribe.audio import probe
    from transcribe.engine import Transcriber
    from transcribe.formats import render
    from transcribe.options import TranscribeOptions

    settings = get_settings()
    options = TranscribeOptions(language=None if language == "auto" else language)
    try:
        probe(audio)  # a bad file fails before the model loads
        transcriber = Transcriber.load(
            model_name or settings.whisper_model, data_dir=settings.data_dir
        )
        if sys.stderr.isatty():
            with click.progressbar(
                length=1000, label="Đang chép lời", file=sys.stderr, show_percent=True
            ) as bar:
                done = [0]

                def advance(fraction: float) -> None:
                    step = int(fraction * 1000) - done[0]
                    if step > 0:
                        bar.update(step)
                        done[0] += step

                result = transcriber.transcribe(audio, options, on_progress=advance)
        else:
            result = transcriber.transcribe(audio, options)
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
