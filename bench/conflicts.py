"""Conflicts on the project's own written fixtures (corpus/conflicts/cases.json).

Each case is a small story of two or three invented articles with publication dates, of one
shape (relative date, enumeration, equivalent number, name variant, weekday), expected to
give a conflict of one kind or to agree. Scored: conflict recall (a conflict case is found
when the story reports a conflict of its kind) and the share of agreeing cases flagged (any
conflict reported in them). `python -m bench.conflicts` prints the table; the quality gate in
tests/test_quality_gate.py holds the floors.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newstrace.records import Article, Conflict, SourceKind, Trace
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.facts.config import FactsConfig
from newstrace.stages.facts.runner import story_facts

FOLDER = Path(__file__).resolve().parents[1] / "corpus" / "conflicts"
CASES = FOLDER / "cases.json"  # written with the rules
HELD_OUT = FOLDER / "heldout.json"  # written after them, scored before any change for them
LOOSE = FOLDER / "loose.json"  # held out too: versions worded apart, as real rewrites are
# held out: dates of different precision and bare lists, written after their rules
PRECISION = FOLDER / "heldout-precision.json"


@dataclass(frozen=True, slots=True)
class Outcome:
    case: str
    shape: str
    expect: str
    kind: str
    found: list[Conflict]

    @property
    def hit(self) -> bool:
        """A conflict case with a conflict of its kind, or an agreeing case with none."""
        if self.expect == "conflict":
            return any(c.kind == self.kind for c in self.found)
        return not self.found


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return cases


def story(case: dict[str, Any]) -> dict[str, Article]:
    splitter = SentenceSplitter()
    return {a["id"]: Article(a["id"], f"{case['id']}/{a['id']}.txt", SourceKind.TEXT,
                             a["text"], a["id"], published=a.get("published"),
                             sentences=splitter.split(a["text"]))
            for a in case["articles"]}


def run_case(case: dict[str, Any], config: FactsConfig | None = None) -> Outcome:
    articles = story(case)
    trace = Trace(case["id"], list(articles), [], [], {}, list(articles), [])
    found = story_facts(trace, articles, [], config=config).conflicts
    return Outcome(case["id"], case["shape"], case["expect"], case["kind"], found)


def score(outcomes: Sequence[Outcome]) -> dict[str, float]:
    conflict = [o for o in outcomes if o.expect == "conflict"]
    agree = [o for o in outcomes if o.expect == "agree"]
    return {"recall": sum(o.hit for o in conflict) / max(len(conflict), 1),
            "flagged": sum(not o.hit for o in agree) / max(len(agree), 1),
            "conflicts": len(conflict), "agreeing": len(agree)}


def run() -> list[str]:
    lines = []
    for title, path in (("cases.json (written with the rules)", CASES),
                        ("heldout.json (written after the rules)", HELD_OUT),
                        ("loose.json (written after, versions worded apart)", LOOSE),
                        ("heldout-precision.json (date precision and bare lists, written "
                         "after their rules)", PRECISION)):
        lines += [f"**{title}**", "", *table([run_case(case) for case in load_cases(path)]), ""]
    return lines


def table(outcomes: Sequence[Outcome]) -> list[str]:
    total = score(outcomes)
    lines = ["| shape | conflict cases found | agreeing cases flagged |", "|---|---|---|"]
    for shape in sorted({o.shape for o in outcomes}):
        part = [o for o in outcomes if o.shape == shape]
        conflict = [o for o in part if o.expect == "conflict"]
        agree = [o for o in part if o.expect == "agree"]
        lines.append(f"| {shape} | {sum(o.hit for o in conflict)} of {len(conflict)} | "
                     f"{sum(not o.hit for o in agree)} of {len(agree)} |")
    lines.append(f"| **all** | **{total['recall']:.2f}** ({int(total['conflicts'])} cases) | "
                 f"**{total['flagged']:.2f}** ({int(total['agreeing'])} cases) |")
    misses = [f"- {o.case}: expected {o.expect} ({o.kind}), reported "
              + ("; ".join(f"{c.kind} {c.subject}: "
                           + " / ".join(str(v.texts) for v in c.values) for c in o.found)
                 or "nothing")
              for o in outcomes if not o.hit]
    return [*lines, "", "Misses and false alarms:", "", *(misses or ["- none"])]


if __name__ == "__main__":
    print("\n".join(run()))
