"""The blind audit of the corpus's labels (bench/label_audit.py, corpus/derivation/audit/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.derivation_data import CORPUS, Example, LabelledPair, load_corpus
from bench.derivation_scoring import Verdict
from bench.label_audit import (
    AUDIT,
    Judgement,
    agreement_table,
    labelled_against_base,
    model_by_reader,
    read_audit,
)


def _verdict(group: str, role: str, label: str, called: str) -> Verdict:
    pair = LabelledPair(group, "corpus", role, "base", label)
    return Verdict(Example(pair, {}, True), called, 0.5, True)


def test_every_audited_text_is_a_labelled_pair_of_the_corpus() -> None:
    judgements = read_audit()
    assert len(judgements) >= 200
    labelled = {(p.group, p.a) for p in load_corpus(CORPUS).pairs if p.b == "base"}
    assert {(j.group, j.role) for j in judgements} <= labelled
    names = json.loads((AUDIT.parent / "blind_names.json").read_text())
    assert len(names) == len(judgements)


def test_a_bad_audit_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text('{"group": "a-001", "role": "spin", "reader": "r1", "verdict": "derived", '
                    '"kind": "spin", "confidence": "sure"}\n{"group": "a-002"}\n')
    with pytest.raises(SystemExit, match=r"audit.jsonl:2"):
        read_audit(path)


def test_tables_count_reader_and_model_against_the_label() -> None:
    rows = [(Judgement("i-001", "independent", "r1", False, "independent", "sure"),
             _verdict("i-001", "independent", "independent", "rewrite")),
            (Judgement("i-001", "spin", "r1", True, "spin", "sure"),
             _verdict("i-001", "spin", "spin", "spin")),
            (Judgement("a-001", "partial", "r2", False, "independent", "leaning"),
             _verdict("a-001", "partial", "partial", "independent"))]
    agreement = "\n".join(agreement_table(rows))
    assert "| independent | i-/j- | 1 | 1/1 (1.00) | 1/1 (1.00) | 0/1 (0.00) |" in agreement
    assert "| partial | a- to h- | 1 | 0/1 (0.00) | 0/1 (0.00) | 0/1 (0.00) |" in agreement
    by_reader = "\n".join(model_by_reader(rows))
    assert "| independent | independent | 1 | 1/1 (1.00) | 0/1 (0.00) |" in by_reader
    assert "| derived | independent | 1 | 0/1 (0.00) | 1/1 (1.00) |" in by_reader


def test_only_pairs_against_the_base_are_kept() -> None:
    kept = labelled_against_base([_verdict("i-001", "spin", "spin", "spin"),
                                  Verdict(Example(LabelledPair("i-001", "corpus", "independent",
                                                               "spin", "independent"), {}, True),
                                          "independent", 0.1, True)])
    assert list(kept) == [("i-001", "spin")]
