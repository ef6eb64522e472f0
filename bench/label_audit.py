"""How far a careful blind reader agrees with the corpus's labels, and with the model (issue 18).

The corpus's labels say how each text was made (a writer wrote an independent report from the
fact sheet, or a spin from the base), not what its text shows. Where a writer's independent
report follows the base's selection and order anyway, no reader of the texts, and no model,
can call it independent, and the figures the corpus gives have a ceiling under 1.0. To measure
that ceiling, two readers who had not seen the labels judged every text of 60 groups (40 drawn
from the fourth round, i- and j-, 20 from the earlier ones) against its base, from the texts
alone, under folder and file names that hid the roles (`corpus/derivation/audit/README.md`).

`python -m bench.label_audit` prints the readers' agreement with the labels, and the model's
out-of-fold verdict on the same pairs (the nested grouped CV of `make train-derivation`, shipped
thresholds, reconciled), split by whether the reader agreed with the label.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.derivation_data import CORPUS
from bench.derivation_holdout import writing_round
from bench.derivation_scoring import Verdict
from bench.fit_decisions import decided, shipped
from bench.train_derivation import all_examples, cross_validated, datasets
from newstrace.records import DERIVED
from newstrace.stages.reuse.relate import RelateConfig

AUDIT = CORPUS / "audit" / "audit.jsonl"
BASE = "base"


@dataclass(frozen=True, slots=True)
class Judgement:
    group: str
    role: str
    reader: str
    derived: bool
    kind: str
    confidence: str  # "sure" or "leaning"


def read_audit(path: Path = AUDIT) -> list[Judgement]:
    judgements = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            judgements.append(Judgement(row["group"], row["role"], row["reader"],
                                        row["verdict"] == "derived", row["kind"],
                                        row["confidence"]))
        except (ValueError, KeyError) as error:
            raise SystemExit(f"{path}:{number}: not an audit line ({error}); each line is a "
                             "JSON object with group, role, reader, verdict, kind, confidence"
                             ) from error
    return judgements


def labelled_against_base(verdicts: Iterable[Verdict]) -> dict[tuple[str, str], Verdict]:
    """The corpus's verdicts of each text against its group's base, by (group, role)."""
    found = {}
    for v in verdicts:
        pair = v.example.pair
        if pair.dataset != "corpus" or BASE not in (pair.a, pair.b):
            continue
        role = pair.b if pair.a == BASE else pair.a
        found[(pair.group, role)] = v
    return found


def _share(count: int, total: int) -> str:
    return f"{count}/{total} ({count / total:.2f})" if total else "0/0"


def agreement_table(rows: Sequence[tuple[Judgement, Verdict]]) -> list[str]:
    """Reader against label, by the label's kind and the writing round."""
    lines = ["| label (against the base) | round | texts | reader agrees | reader sure and "
             "agrees | model agrees (out of fold) |", "|---|---|---|---|---|---|"]
    groups: dict[tuple[str, str], list[tuple[Judgement, Verdict]]] = {}
    for judgement, verdict in rows:
        round_ = "i-/j-" if writing_round(verdict.example) == 3 else "a- to h-"
        groups.setdefault((verdict.example.pair.label, round_), []).append((judgement, verdict))
    for (label, round_), members in sorted(groups.items()):
        truth = label in DERIVED
        agrees = sum(j.derived == truth for j, _ in members)
        sure = sum(j.derived == truth and j.confidence == "sure" for j, _ in members)
        model = sum((v.label in DERIVED) == truth for _, v in members)
        lines.append(f"| {label} | {round_} | {len(members)} | {_share(agrees, len(members))} | "
                     f"{_share(sure, len(members))} | {_share(model, len(members))} |")
    return lines


def model_by_reader(rows: Sequence[tuple[Judgement, Verdict]]) -> list[str]:
    """The model's out-of-fold verdict, split by whether the reader agreed with the label."""
    lines = ["| truth (label) | reader | texts | model calls derived | model agrees with the "
             "reader |", "|---|---|---|---|---|"]
    cells: Counter[tuple[str, str]] = Counter()
    called: Counter[tuple[str, str]] = Counter()
    with_reader: Counter[tuple[str, str]] = Counter()
    for judgement, verdict in rows:
        truth = "derived" if verdict.example.pair.label in DERIVED else "independent"
        reader = "derived" if judgement.derived else "independent"
        cells[(truth, reader)] += 1
        model_derived = verdict.label in DERIVED
        called[(truth, reader)] += model_derived
        with_reader[(truth, reader)] += model_derived == judgement.derived
    for key in sorted(cells):
        lines.append(f"| {key[0]} | {key[1]} | {cells[key]} | {_share(called[key], cells[key])} "
                     f"| {_share(with_reader[key], cells[key])} |")
    return lines


def run() -> list[str]:
    if not AUDIT.exists():
        return [f"no audit at {AUDIT}: nothing to compare"]
    judgements = read_audit()
    loaded, _ = datasets(CORPUS)
    found = all_examples(loaded, paraphrase=True)
    cv, _, _ = cross_validated(found, RelateConfig())
    by_text = labelled_against_base(decided(cv, shipped("paraphrase")))
    rows, missing = [], []
    for judgement in judgements:
        verdict = by_text.get((judgement.group, judgement.role))
        if verdict is None:
            missing.append(f"{judgement.group}/{judgement.role}")
        else:
            rows.append((judgement, verdict))
    readers = Counter(j.reader for j, _ in rows)
    lines = [f"{len(rows)} judged texts against their base ({dict(sorted(readers.items()))} by "
             f"reader; {sum(j.confidence == 'leaning' for j, _ in rows)} marked leaning)", ""]
    lines += [*agreement_table(rows), "", *model_by_reader(rows)]
    if missing:
        lines += ["", f"not in the corpus's labelled pairs: {', '.join(missing)}"]
    return lines


def main() -> None:
    print("\n".join(run()))


if __name__ == "__main__":
    main()
