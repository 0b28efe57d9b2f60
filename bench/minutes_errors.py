"""Why the minutes drafter misses tasks and finds false ones: counts per error class.

    PYTHONPATH=$PWD .venv/bin/python bench/minutes_errors.py [-v] [--from r440]

Reads the **dev half** of the real-text corpus only (``tests/data/minutes/real/dev``); the
frozen test half is never opened. Every labelled task the drafter does not find, and every
task it finds that no label matches, is put in one class, decided from what ``--explain``
says of the sentences concerned (:func:`minutes.draft.explain_minutes`):

Missed tasks (the label has no matching prediction):

* ``split``: the label's evidence is not inside one sentence of the drafter (cut in two,
  or glued to its neighbour so that the other part decided);
* ``wrong_assignee``: a prediction has the label's sentence but names another unit;
* ``folded``: the sentence went into another task (a prediction that already matched
  another label holds it: merged, or taken as an elaboration or a deadline line);
* ``deadline_line``: the sentence was read as only the deadline of the task before it;
* ``conclusion``: the sentence was read as a conclusion;
* ``zone``: the sentence sits in what the drafter took for background or a participant's
  turn;
* ``no_order_verb``: no order verb, duty word or action verb after a unit in the sentence;
* ``no_unit``: an order verb, but no unit recognised in the sentence (and none carried);
* ``refused``: a rule looked at it and declined (the reason ``--explain`` gives is listed
  with ``-v``).

False tasks (no label matches the prediction):

* ``duplicate``: another prediction with the same sentence matched a label (a task cut in
  two, or the same order found twice);
* ``wrong_assignee``: a label has this sentence but another unit (counted once, with the
  missed task above, as a pair);
* ``not_a_task``: no label has this sentence (a fact, a plan, a description, a
  participant's proposal taken for an order).

With ``--conclusions`` the same is done for the conclusions (the "Kết luận" points):

Missed conclusions (a label no predicted conclusion matches):

* ``merged``: a predicted conclusion from the label's sentence already matched another label
  (two points said in one sentence, "đánh giá cao …, đồng thời chỉ rõ …", given as one);
* ``cut``: a predicted conclusion comes from the label's sentence but shares too few words
  (the frame kept, or the point cut short);
* ``task``: the sentence was read as a task (its assessment or general requirement lost);
* ``labelled_task``: the same, and the labels also have that sentence as a task: the label
  restates a task, which conclusions never do (a question for the labels, not the rules);
* ``deadline_line``: the sentence was read as only the deadline of the task before it;
* ``zone``: the sentence sits in what the drafter took for background or a participant's turn;
* ``no_mark``: read and refused: no conclusion word and no chair assessing in it;
* ``no_sentence``: no one sentence of the drafter holds half of the label's words (the label
  sums up several sentences, or a title).

False conclusions (no label matches the prediction):

* ``title``: the article's title given as the gist;
* ``fragment``: a piece too short to read alone ("Nhấn mạnh.", "Ghi nhận.");
* ``duplicate``: another prediction from the same sentence matched a label;
* ``task_repeat``: the sentence is a labelled task's evidence;
* ``past_activity``: a report of what was done ("đã ban hành", "vừa ký", "đã kiểm tra");
* ``statistic``: figures;
* ``other``: background or a point the labels do not hold.

Counts are printed, never asserted. ``--from`` limits the run to texts numbered from there
(a batch collected later, to see whether rules carry over).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from minutes_eval import (  # noqa: E402
    _words,
    read_example,
    same_conclusion,
    same_evidence,
    same_unit,
)

from minutes import draft_minutes  # noqa: E402
from minutes.draft import explain_minutes  # noqa: E402
from minutes.extract.state import Step  # noqa: E402
from minutes.model import Conclusion, Task  # noqa: E402
from minutes.text import match_view  # noqa: E402
from minutes.units import find_unit_at  # noqa: E402
from minutes.vocabulary import _DUTY, _TRIGGER_RE, _VERB_RE  # noqa: E402

DEV = ROOT / "tests" / "data" / "minutes" / "real" / "dev"

MISSED_CLASSES = (
    "split",
    "wrong_assignee",
    "folded",
    "deadline_line",
    "conclusion",
    "zone",
    "no_order_verb",
    "no_unit",
    "refused",
)
EXTRA_CLASSES = ("duplicate", "wrong_assignee", "not_a_task")
MISSED_CONCLUSION_CLASSES = (
    "merged",
    "cut",
    "task",
    "labelled_task",
    "deadline_line",
    "zone",
    "no_mark",
    "no_sentence",
)
EXTRA_CONCLUSION_CLASSES = (
    "title",
    "fragment",
    "duplicate",
    "task_repeat",
    "past_activity",
    "statistic",
    "other",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One error: its class, the text it is in, and a line to show with ``-v``."""

    kind: str  # "missed" or "extra"
    cls: str
    file: str
    line: str


def _norm(text: str) -> str:
    return " ".join(text.split())


def _steps_of(evidence: str, steps: list[Step]) -> list[Step]:
    """The drafter's sentences that share words with the label's evidence."""
    ev = _norm(evidence)
    found = []
    for step in steps:
        text = _norm(step.text)
        if text and (text in ev or ev in text or same_evidence(text, ev)):
            found.append(step)
    return found


def _has_unit(text: str) -> bool:
    view = match_view(text)
    pos = 0
    while pos < len(view):
        if (pos == 0 or not view[pos - 1].isalnum()) and find_unit_at(text, view, pos):
            return True
        pos += 1
    return False


def _has_order_word(text: str) -> bool:
    view = match_view(text)
    return bool(
        _TRIGGER_RE.search(view)
        or _VERB_RE.search(view)
        or re.search(rf"(?<!\w){_DUTY}(?!\w)", view)
    )


def _missed_class(
    gold: dict[str, Any], steps: list[Step], tasks: tuple[Task, ...], used: set[int]
) -> tuple[str, str]:
    ev = gold["evidence"]
    for pi, t in enumerate(tasks):
        if same_evidence(t.evidence, ev):
            if pi in used:
                return "folded", f"in the task of {t.assignee!r}"
            if not same_unit(t.assignee, gold["assignee"]):
                return "wrong_assignee", f"got {t.assignee!r}"
    mine = _steps_of(ev, steps)
    whole = [s for s in mine if _norm(ev) in _norm(s.text)]
    if not whole:
        return "split", f"{len(mine)} sentences share it"
    step = whole[0]
    if step.outcome == "deadline":
        return "deadline_line", ""
    if step.outcome == "conclusion":
        return "conclusion", ""
    if step.outcome == "task":
        return "folded", "its task went to another label"
    if step.zone in ("background", "participant"):
        return "zone", step.zone
    if not _has_order_word(step.text):
        return "no_order_verb", "; ".join(step.reasons)
    if not _has_unit(step.text):
        return "no_unit", "; ".join(step.reasons)
    return "refused", "; ".join(step.reasons) or "no rule"


def classify(path: Path) -> list[Finding]:
    """The errors of one labelled text."""
    labels = json.loads(path.read_text(encoding="utf-8"))
    body, meeting = read_example(path.with_suffix(".txt"))
    tasks = draft_minutes(body, meeting_date=meeting).tasks
    steps = explain_minutes(body, meeting_date=meeting)
    gold = labels["tasks"]
    used: set[int] = set()
    matched_gold: set[int] = set()
    for gi, g in enumerate(gold):
        for pi, t in enumerate(tasks):
            if pi in used:
                continue
            if same_evidence(t.evidence, g["evidence"]) and same_unit(t.assignee, g["assignee"]):
                used.add(pi)
                matched_gold.add(gi)
                break
    findings: list[Finding] = []
    for gi, g in enumerate(gold):
        if gi in matched_gold:
            continue
        cls, why = _missed_class(g, steps, tasks, used)
        line = f"{g['assignee']} | {_norm(g['evidence'])[:100]}" + (f"  [{why}]" if why else "")
        findings.append(Finding("missed", cls, path.stem, line))
    for pi, t in enumerate(tasks):
        if pi in used:
            continue
        same_sentence = [g for g in gold if same_evidence(t.evidence, g["evidence"])]
        if any(same_evidence(t.evidence, tasks[pj].evidence) for pj in used) and not same_sentence:
            cls = "duplicate"
        elif same_sentence and all(not same_unit(t.assignee, g["assignee"]) for g in same_sentence):
            cls = "wrong_assignee"
        elif same_sentence:
            cls = "duplicate"
        else:
            cls = "not_a_task"
        findings.append(
            Finding("extra", cls, path.stem, f"{t.assignee} | {_norm(t.evidence)[:100]}")
        )
    return findings


def _share(gold: str, text: str) -> float:
    """The share of the label's words (with repeats) found in `text`."""
    g, t = _words(gold), _words(text)
    total = sum(g.values())
    return sum((g & t).values()) / total if total else 0.0


_PAST = re.compile(r"(?<!\w)(?:đã|vừa|đã\s+được|vừa\s+được)\s+\w+")


def _extra_conclusion_class(
    c: Conclusion, gold_tasks: list[dict[str, Any]], matched: list[Conclusion], title: str
) -> str:
    view = match_view(c.text)
    if title and _norm(c.evidence) == _norm(title):
        return "title"
    if len(c.text.split()) < 4:
        return "fragment"
    if any(_norm(m.evidence) == _norm(c.evidence) for m in matched):
        return "duplicate"
    if any(same_evidence(c.evidence, g["evidence"]) for g in gold_tasks):
        return "task_repeat"
    words = c.text.split()
    if sum(1 for w in words if any(ch.isdigit() for ch in w)) * 4 >= len(words):
        return "statistic"
    if _PAST.search(view):
        return "past_activity"
    return "other"


def _missed_conclusion_class(
    gold: str,
    steps: list[Step],
    predicted: tuple[Conclusion, ...],
    used: set[int],
    gold_tasks: list[dict[str, Any]],
) -> tuple[str, str]:
    best = max(steps, key=lambda s: _share(gold, s.text), default=None)
    if best is None or _share(gold, best.text) < 0.5:
        return "no_sentence", ""
    for pi, c in enumerate(predicted):
        if _norm(c.evidence) in _norm(best.text) or _norm(best.text) in _norm(c.evidence):
            return ("merged" if pi in used else "cut"), c.text[:60]
    if best.outcome == "task":
        if any(same_evidence(best.text, g["evidence"]) for g in gold_tasks):
            return "labelled_task", ""
        return "task", ""
    if best.outcome == "deadline":
        return "deadline_line", ""
    if best.zone in ("background", "participant"):
        return "zone", best.zone
    return "no_mark", "; ".join(best.reasons)[:80]


def classify_conclusions(path: Path) -> list[Finding]:
    """The conclusion errors of one labelled text."""
    labels = json.loads(path.read_text(encoding="utf-8"))
    body, meeting = read_example(path.with_suffix(".txt"))
    predicted = draft_minutes(body, meeting_date=meeting).conclusions
    steps = explain_minutes(body, meeting_date=meeting)
    title = steps[0].text if steps and steps[0].index == 0 else ""
    gold: list[str] = labels.get("conclusions") or []
    used: set[int] = set()
    missed: list[str] = []
    for g in gold:
        for pi, c in enumerate(predicted):
            if pi not in used and same_conclusion(c.text, g):
                used.add(pi)
                break
        else:
            missed.append(g)
    findings = []
    for g in missed:
        cls, why = _missed_conclusion_class(g, steps, predicted, used, labels["tasks"])
        line = _norm(g)[:100] + (f"  [{why}]" if why else "")
        findings.append(Finding("missed", cls, path.stem, line))
    matched = [predicted[pi] for pi in sorted(used)]
    for pi, c in enumerate(predicted):
        if pi not in used:
            cls = _extra_conclusion_class(c, labels["tasks"], matched, title)
            findings.append(Finding("extra", cls, path.stem, _norm(c.text)[:100]))
    return findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--from", dest="first", default="", help="texts numbered from this one")
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev half (never test/)")
    parser.add_argument(
        "--conclusions", action="store_true", help="classify conclusion errors, not task errors"
    )
    args = parser.parse_args()
    if args.dev.name != "dev":
        parser.error("only the dev half is read here; the test half stays frozen")
    findings: list[Finding] = []
    gold_total = 0
    for path in sorted(args.dev.glob("*.json")):
        if args.first and path.stem < args.first:
            continue
        labels = json.loads(path.read_text(encoding="utf-8"))
        if args.conclusions:
            gold_total += len(labels.get("conclusions") or [])
            findings.extend(classify_conclusions(path))
        else:
            gold_total += len(labels["tasks"])
            findings.extend(classify(path))
    what = "conclusions" if args.conclusions else "tasks"
    groups: tuple[tuple[str, tuple[str, ...]], ...]
    if args.conclusions:
        groups = (("missed", MISSED_CONCLUSION_CLASSES), ("extra", EXTRA_CONCLUSION_CLASSES))
    else:
        groups = (("missed", MISSED_CLASSES), ("extra", EXTRA_CLASSES))
    for kind, classes in groups:
        counts = Counter(f.cls for f in findings if f.kind == kind)
        total = sum(counts.values())
        label = f"missed labelled {what}" if kind == "missed" else f"false {what}"
        print(f"{label}: {total} (of {gold_total} labelled)")
        for cls in classes:
            print(f"  {cls:16} {counts.get(cls, 0):3}")
            if args.verbose:
                for f in findings:
                    if f.kind == kind and f.cls == cls:
                        print(f"      {f.file}: {f.line}")


if __name__ == "__main__":
    main()
