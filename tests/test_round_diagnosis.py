"""bench/round_diagnosis.py: the ranking figures by pair kind, and the fact-sheet wording
share it reads from a corpus folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.derivation_data import Example, LabelledPair
from bench.derivation_scoring import Verdict
from bench.round_diagnosis import ranking, sheet_wording


def verdict(a: str, b: str, label: str, probability: float) -> Verdict:
    pair = LabelledPair("c-001", "corpus", a, b, label)
    return Verdict(Example(pair, {}, True), label, probability, True)


def test_ranking_scores_the_derived_pairs_against_each_independent_kind() -> None:
    verdicts = [verdict("rewrite", "base", "rewrite", 0.9),
                verdict("spin", "base", "spin", 0.6),
                verdict("independent", "base", "independent", 0.7),  # above the spin
                verdict("independent", "independent2", "independent", 0.1)]
    rows = {kind: (count, auc) for kind, count, auc, _ in ranking(verdicts)}
    assert rows["every pair"] == (2, pytest.approx(0.75))
    assert rows["independent-base"] == (1, pytest.approx(0.5))
    assert rows["independent-independent"] == (1, pytest.approx(1.0))


def test_sheet_wording_measures_how_much_of_a_text_is_the_sheets(tmp_path: Path) -> None:
    facts = ["The council voted 31 to 14 on Thursday to approve the tram extension"]
    (tmp_path / "c-001.facts.json").write_text(json.dumps({"facts": facts}), encoding="utf-8")
    (tmp_path / "c-001.base.txt").write_text(
        "Tram approved\nCouncillors backed a tram line, ending years of argument over it.",
        encoding="utf-8")
    (tmp_path / "c-001.independent.txt").write_text(
        "Tram vote\nThe council voted 31 to 14 on Thursday to approve the tram extension.",
        encoding="utf-8")
    lines = sheet_wording(tmp_path)
    independent = next(line for line in lines if line.startswith("| later, independent"))
    base = next(line for line in lines if line.startswith("| later, base"))
    assert independent.split("|")[3].strip() == "1.000"  # every trigram is the sheet's
    assert base.split("|")[3].strip() == "0.000"
