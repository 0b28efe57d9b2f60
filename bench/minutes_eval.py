"""Measure the minutes drafter: task precision, recall, F1 and deadline accuracy on labelled
examples, and the time to draft a two-hour (~20,000-word) transcript.

    .venv/bin/python bench/minutes_eval.py [--dev ../shared/eval/dev] [--own tests/data/minutes]
        [--real tests/data/minutes/real] [--halves dev,test]

The real-text corpus (``--real DIR``) is scored per half (DIR/dev, DIR/test: split by source
site, the test half frozen) and, within each half, per genre. ``--halves dev`` reads nothing of
the test half: that is the way to run it while working on the rules. Texts numbered from
``--real-batch-from`` (default r400: collected later, from sites no earlier text came from) are
also totalled apart within their half.

A predicted task matches a labelled one when their evidence shares a sentence (one contains
the other, or they overlap by half of the shorter) and the unit in charge is the same unit
(same canonical name, or the words of one name contain the other's). Each label is matched
at most once. "Deadline accuracy" is the share of matched tasks whose resolved date equals
the label (both empty counts as right). A predicted conclusion matches a labelled one when
their words overlap (as bags of lowercased words) by at least half of the shorter one; each
label is matched at most once, giving sentence-level P/R/F1. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

t0 = time.perf_counter()
from minutes import (  # noqa: E402
    MAX_INPUT_CHARS,
    Conclusion,
    Segment,
    Task,
    Transcript,
    canonical_unit,
    draft_minutes,
)
from minutes.text import key  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - t0

_STOP = {"các", "tỉnh", "và", "của", "trong", "không", "nêu", "tên", "thành", "viên", "ở", "bên"}


@dataclass
class Score:
    predicted: int = 0
    gold: int = 0
    matched: int = 0
    deadline_right: int = 0
    gold_soft: int = 0
    matched_soft: int = 0

    def add(self, other: Score) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self, label: str) -> str:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.deadline_right / self.matched if self.matched else 0.0
        return (
            f"{label:<28} P={p:.3f} R={r:.3f} F1={f1:.3f} deadline={acc:.3f} "
            f"(pred {self.predicted}, gold {self.gold}, matched {self.matched}, "
            f"deadline right {self.deadline_right})"
        )


@dataclass
class ConclusionScore:
    predicted: int = 0
    gold: int = 0
    matched: int = 0

    def add(self, other: ConclusionScore) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def text(self) -> str:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return (
            f"conclusions P={p:.3f} R={r:.3f} F1={f1:.3f} "
            f"(pred {self.predicted}, gold {self.gold}, matched {self.matched})"
        )


def read_example(path: Path) -> tuple[str, date | None]:
    """The body of NN.txt (after its '# key: value' header lines) and its meeting date."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    meeting: date | None = None
    body_start = 0
    for i, line in enumerate(lines):
        m = re.match(r"#\s*(\w+):\s*(.*)", line)
        if not m:
            body_start = i
            break
        if m.group(1) == "meeting_date" and m.group(2).strip() != "unknown":
            meeting = date.fromisoformat(m.group(2).strip())
    return "".join(lines[body_start:]), meeting


def _tokens(name: str) -> set[str]:
    name = re.sub(r"\([^)]*\)", " ", name)
    return {w for w in key(name).split() if w not in _STOP}


def same_unit(predicted: str, gold: str) -> bool:
    pred_parts = [p for p in predicted.split(";") if p.strip()]
    gold_parts = [g for g in re.split(r";", gold) if g.strip()]
    for p in pred_parts:
        for g in gold_parts:
            # "Ủy ban tỉnh (UBND tỉnh Bạc Liêu)": the words as said, then the unit they mean;
            # either one names the assignee
            names = [re.sub(r"\([^)]*\)", " ", g), *re.findall(r"\(([^)]*)\)", g)]
            if any(_same_name(p, name) for name in names if name.strip()):
                return True
    return False


def _same_name(predicted: str, gold: str) -> bool:
    if key(canonical_unit(predicted)) == key(canonical_unit(gold)):
        return True
    a, b = _tokens(canonical_unit(predicted)), _tokens(canonical_unit(gold))
    return bool(a and b and (a <= b or b <= a or len(a & b) / len(a | b) >= 0.5))


def same_evidence(predicted: str, gold: str) -> bool:
    p, g = " ".join(predicted.split()), " ".join(gold.split())
    if p in g or g in p:
        return True
    shorter = min(len(p), len(g))
    common = _longest_common(p, g)
    return shorter > 0 and common >= shorter / 2


def _longest_common(a: str, b: str) -> int:
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size


def score_file(tasks: tuple[Task, ...], gold: list[dict[str, Any]]) -> tuple[Score, list[str]]:
    score = Score(predicted=len(tasks), gold=len(gold))
    score.gold_soft = sum(1 for g in gold if g.get("soft"))
    used: set[int] = set()
    notes: list[str] = []
    for _gi, g in enumerate(gold):
        for pi, t in enumerate(tasks):
            if pi in used:
                continue
            if same_evidence(t.evidence, g["evidence"]) and same_unit(t.assignee, g["assignee"]):
                used.add(pi)
                score.matched += 1
                score.matched_soft += 1 if g.get("soft") else 0
                want = g.get("deadline")
                got = t.deadline.isoformat() if t.deadline else None
                if want == got:
                    score.deadline_right += 1
                else:
                    notes.append(f"    deadline: want {want} got {got} ({t.deadline_text!r})")
                break
        else:
            notes.append(f"    missed: {g['assignee']} | {g['evidence'][:90]}")
    for pi, t in enumerate(tasks):
        if pi not in used:
            notes.append(f"    extra:  {t.assignee} | {t.evidence[:90]}")
    return score, notes


_WORD = re.compile(r"\w+")


def _words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(key(text)))


def same_conclusion(predicted: str, gold: str) -> bool:
    """Half of the shorter one's words (counted with repeats) are found in the other."""
    a, b = _words(predicted), _words(gold)
    shorter = min(sum(a.values()), sum(b.values()))
    return shorter > 0 and sum((a & b).values()) >= shorter / 2


def score_conclusions(
    predicted: tuple[Conclusion, ...], gold: list[str]
) -> tuple[ConclusionScore, list[str]]:
    score = ConclusionScore(predicted=len(predicted), gold=len(gold))
    used: set[int] = set()
    notes: list[str] = []
    for g in gold:
        for pi, c in enumerate(predicted):
            if pi not in used and same_conclusion(c.text, g):
                used.add(pi)
                score.matched += 1
                break
        else:
            notes.append(f"    missed conclusion: {g[:100]}")
    for pi, c in enumerate(predicted):
        if pi not in used:
            notes.append(f"    extra conclusion:  {c.text[:100]}")
    return score, notes


@dataclass
class FileResult:
    """The scores of one labelled example, kept so that rows can total any subset."""

    path: Path
    genre: str
    tasks: Score
    conclusions: ConclusionScore


def score_folder(
    folder: Path, verbose: bool, *, first: str = "", last: str = "", conclusions: bool = False
) -> list[FileResult]:
    """Draft and score the examples of `folder` whose name lies between `first` and `last`."""
    results: list[FileResult] = []
    paths = [
        p
        for p in sorted(folder.glob("*.json"))
        if (not first or p.stem >= first) and (not last or p.stem <= last)
    ]
    for label_path in paths:
        text_path = label_path.with_suffix(".txt")
        if not text_path.exists():
            continue
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        body, meeting = read_example(text_path)
        draft = draft_minutes(body, meeting_date=meeting)
        score, notes = score_file(draft.tasks, labels["tasks"])
        c_score, c_notes = score_conclusions(draft.conclusions, labels.get("conclusions") or [])
        genre = str(labels.get("genre") or "unknown")
        results.append(FileResult(label_path, genre, score, c_score))
        if verbose:
            line = score.line(f"  {folder.name}/{text_path.stem}")
            print(f"{line} {c_score.text()}" if conclusions else line)
            for note in notes + (c_notes if conclusions else []):
                print(note)
    return results


def print_total(results: list[FileResult], label: str, *, conclusions: bool = False) -> None:
    tasks, concl = Score(), ConclusionScore()
    for r in results:
        tasks.add(r.tasks)
        concl.add(r.conclusions)
    line = tasks.line(f"{label} ({len(results)} files)")
    print(f"{line} {concl.text()}" if conclusions else line)


def evaluate(
    folder: Path, verbose: bool, *, first: str = "", last: str = "", label: str = ""
) -> list[FileResult] | None:
    """Score the examples of `folder` whose name lies between `first` and `last` (inclusive)."""
    if not folder.is_dir():
        print(f"{folder}: not found, skipped")
        return None
    results = score_folder(folder, verbose, first=first, last=last)
    paths = [
        p
        for p in sorted(folder.glob("*.json"))
        if (not first or p.stem >= first) and (not last or p.stem <= last)
    ]
    tasks = Score()
    for r in results:
        tasks.add(r.tasks)
    print(tasks.line(f"{folder}{label} ({len(paths)} files)"))
    return results


def print_conclusions(results: list[FileResult] | None, label: str) -> None:
    if results is None:
        return
    concl = ConclusionScore()
    for r in results:
        concl.add(r.conclusions)
    print(f"{label:<28} {concl.text()}")


def evaluate_real(
    root: Path,
    halves: list[str],
    verbose: bool,
    *,
    batch_from: str = "",
    batches: tuple[str, ...] = (),
) -> None:
    """One row per half of the real-text corpus, then one row per genre within that half.

    Only the halves asked for are read at all: the frozen test half stays unopened when
    ``--halves dev`` is given. Texts numbered from ``batch_from`` on (a later collection from
    sites the earlier rules never saw) are also totalled apart, so a rule batch shows whether
    it carries over to new sites or only to the texts it was written from. ``batches`` are
    the first numbers of successive collections ("r470", "r480"): each is totalled from its
    first number up to the next one, so a batch scored before any rule saw it can be scored
    the same way again later.
    """
    for half in halves:
        folder = root / half
        if not folder.is_dir():
            print(f"{folder}: not found, skipped")
            continue
        results = score_folder(folder, verbose, conclusions=True)
        print_total(results, f"real {half}", conclusions=True)
        for genre in sorted({r.genre for r in results}):
            subset = [r for r in results if r.genre == genre]
            print_total(subset, f"real {half} {genre}", conclusions=True)
        later = [r for r in results if batch_from and r.path.stem >= batch_from]
        if later:
            print_total(later, f"real {half} from {batch_from}", conclusions=True)
            earlier = [r for r in results if r.path.stem < batch_from]
            print_total(earlier, f"real {half} before {batch_from}", conclusions=True)
        for first, after in zip(batches, (*batches[1:], ""), strict=True):
            batch = [
                r for r in results if r.path.stem >= first and (not after or r.path.stem < after)
            ]
            if batch:
                last = max(r.path.stem for r in batch)
                print_total(batch, f"real {half} batch {first}–{last}", conclusions=True)


def long_transcript(words: int = 20_000, *, punctuated: bool = False) -> Transcript:
    """A two-hour meeting: reports, discussion and the chair's directions, ~20k words."""
    lines = [
        "kính thưa các đồng chí hôm nay ban chỉ đạo họp để nghe báo cáo tiến độ các dự án",
        "em xin báo cáo là đến nay sở đã hoàn thành việc rà soát hồ sơ của ba mươi hai dự án",
        "bên sở tài chính cũng đã trình ủy ban phương án bố trí vốn đối ứng rồi",
        "ờ thì tình hình giải phóng mặt bằng ở các huyện còn chậm lắm nhất là dự án đường tỉnh",
        "tôi đề nghị mấy việc như sau thứ nhất là giao sở kế hoạch và đầu tư chủ trì phối hợp "
        "với sở tài chính rà soát lại danh mục trình ủy ban trước ngày hai mươi tháng sáu",
        "thứ hai là ủy ban nhân dân các huyện thì khẩn trương hoàn thành giải phóng mặt bằng "
        "trong quý ba",
        "rồi báo cáo kết quả về ban chỉ đạo trong vòng mười ngày làm việc",
        "sở xây dựng có trách nhiệm hướng dẫn các chủ đầu tư hoàn thiện hồ sơ thiết kế",
        "cuối cùng là văn phòng ủy ban tỉnh tổng hợp ra thông báo kết luận trong tuần này",
        "ban chỉ đạo ghi nhận và biểu dương các đơn vị đã làm tốt trong thời gian qua",
    ]
    segments: list[Segment] = []
    count = 0
    t = 0.0
    while count < words:
        for line in lines:
            n = len(line.split())
            if punctuated:
                line = line[:1].upper() + line[1:] + "."
            segments.append(Segment(t, t + n * 0.36, line))
            t += n * 0.36 + 0.4
            count += n
    return Transcript(segments=tuple(segments), duration=t, model="bench")


def megabyte_texts(size: int = 1_000_000) -> list[tuple[str, str | Transcript]]:
    """About ``size`` bytes of unpunctuated speech, in the shapes that once made drafting
    quadratic: one long line with no sentence marks, and many orders before any unit."""
    meeting = long_transcript(words=size // 6)
    one_line = " ".join(s.text for s in meeting.segments)
    chair = "chủ tịch ủy ban nhân dân tỉnh yêu cầu mấy việc ờ các huyện tình hình còn chậm lắm"
    return [
        ("transcript segments", meeting),
        ("one line, no marks", one_line),
        ("one line, orders without units", " ".join([chair] * (size // len(chair.encode())))),
    ]


def bench_megabyte() -> None:
    for label, source in megabyte_texts():
        size = len(
            (
                " ".join(s.text for s in source.segments)
                if isinstance(source, Transcript)
                else source
            ).encode()
        )
        start = time.perf_counter()
        draft = draft_minutes(source, meeting_date=date(2024, 6, 12))
        print(
            f"draft of {size / 1e6:.2f} MB unpunctuated ({label}): "
            f"{time.perf_counter() - start:.2f} s ({len(draft.tasks)} tasks; "
            f"input limit {MAX_INPUT_CHARS:,} characters)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    parser.add_argument("--own", type=Path, default=ROOT / "tests" / "data" / "minutes")
    parser.add_argument(
        "--new-from",
        default="26",
        help="own examples from this number on are also totalled apart (written later, "
        "measured before the rules were changed for them)",
    )
    parser.add_argument(
        "--real",
        type=Path,
        default=ROOT / "tests" / "data" / "minutes" / "real",
        help="the real-text corpus, with its halves as DIR/dev and DIR/test",
    )
    parser.add_argument(
        "--halves",
        default="dev,test",
        help="which halves of the real corpus to score, comma-separated (dev, test); "
        "pass 'dev' while working on the rules so the frozen test half is never read",
    )
    parser.add_argument(
        "--real-batch-from",
        default="r400",
        help="real texts numbered from this one on (collected later, from new sites) are also "
        "totalled apart within their half",
    )
    parser.add_argument(
        "--real-batches",
        default="r460,r470,r480,r490,r500,r510,r520,r530,r540,r560,r580",
        help="first numbers of successive collections of real texts, comma-separated; each is "
        "totalled apart up to the next (the collections of stop 20, each labelled and scored "
        "before any rule was written from it)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="totals only")
    parser.add_argument(
        "--no-megabyte", action="store_true", help="skip the 1 MB drafting runs (a few seconds)"
    )
    args = parser.parse_args()
    halves = [h.strip() for h in args.halves.split(",") if h.strip()]
    unknown = [h for h in halves if h not in ("dev", "test")]
    if unknown:
        parser.error(f"--halves takes dev and/or test, not {', '.join(unknown)}")

    print(f"import minutes: {IMPORT_SECONDS:.2f} s")
    dev_results = evaluate(args.dev, not args.quiet)
    own_results = evaluate(args.own, not args.quiet)
    if args.new_from:
        last_old = f"{int(args.new_from) - 1:02d}" if args.new_from.isdigit() else ""
        evaluate(args.own, False, last=last_old, label=f" up to {last_old}")
        evaluate(args.own, False, first=args.new_from, label=f" from {args.new_from}")
    print_conclusions(dev_results, f"{args.dev}")
    print_conclusions(own_results, f"{args.own}")
    batches = tuple(b.strip() for b in args.real_batches.split(",") if b.strip())
    evaluate_real(
        args.real, halves, not args.quiet, batch_from=args.real_batch_from, batches=batches
    )

    for punctuated in (False, True):
        transcript = long_transcript(punctuated=punctuated)
        n_words = sum(len(s.text.split()) for s in transcript.segments)
        draft_minutes(transcript.segments[0].text + ". Câu thứ hai.")  # warm the splitter
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            draft = draft_minutes(transcript, meeting_date=date(2024, 6, 12))
            best = min(best, time.perf_counter() - start)
        style = "punctuated (Whisper-like)" if punctuated else "unpunctuated (PhoWhisper-like)"
        print(
            f"draft of a {n_words}-word {style} transcript ({len(transcript.segments)} segments): "
            f"{best:.2f} s (best of 3; {len(draft.tasks)} tasks, "
            f"{len(draft.conclusions)} conclusions)"
        )
    if not args.no_megabyte:
        bench_megabyte()


if __name__ == "__main__":
    main()
