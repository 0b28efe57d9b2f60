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

from minutes_eval import read_example, same_evidence, same_unit  # noqa: E402

from minutes import draft_minutes  # noqa: E402
from minutes.draft import explain_minutes  # noqa: E402
from minutes.extract.state import Step  # noqa: E402
from minutes.model import Task  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--from", dest="first", default="", help="texts numbered from this one")
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev half (never test/)")
    args = parser.parse_args()
    if args.dev.name != "dev":
        parser.error("only the dev half is read here; the test half stays frozen")
    findings: list[Finding] = []
    gold_total = 0
    for path in sorted(args.dev.glob("*.json")):
        if args.first and path.stem < args.first:
            continue
        gold_total += len(json.loads(path.read_text(encoding="utf-8"))["tasks"])
        findings.extend(classify(path))
    for kind, classes in (("missed", MISSED_CLASSES), ("extra", EXTRA_CLASSES)):
        counts = Counter(f.cls for f in findings if f.kind == kind)
        total = sum(counts.values())
        label = "missed labelled tasks" if kind == "missed" else "false tasks"
        print(f"{label}: {total} (of {gold_total} labelled)")
        for cls in classes:
            print(f"  {cls:16} {counts.get(cls, 0):3}")
            if args.verbose:
                for f in findings:
                    if f.kind == kind and f.cls == cls:
                        print(f"      {f.file}: {f.line}")


if __name__ == "__main__":
    main()
