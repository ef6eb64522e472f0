"""bench/bend_trials.py: a signal set tried on the folds the shipped model is fitted on, so a
signal trial of issue 18 is re-run by one command rather than by editing FEATURES."""

from __future__ import annotations

import numpy as np
import pytest

from bench.bend_trials import FORMS, missing_signals, signal_trials
from bench.derivation_data import Example, LabelledPair
from bench.train_derivation import FEATURES, cross_validated
from newstrace.stages.reuse.relate import RelateConfig


def test_without_and_with_change_the_shipped_set_and_say_so() -> None:
    shipped, trial = signal_trials(["length_ratio"], ["own_facts"])
    assert shipped.features == FEATURES and shipped.bent
    assert "length_ratio" not in trial.features and trial.features[-1] == "own_facts"
    assert len(trial.features) == len(FEATURES)
    assert trial.name == "signals -length_ratio +own_facts"


def test_a_signal_to_drop_that_is_not_shipped_is_refused_by_name() -> None:
    with pytest.raises(SystemExit, match="lenght_ratio"):
        signal_trials(["lenght_ratio"], [])


def test_a_signal_no_pair_carries_is_named() -> None:
    found = [Example(LabelledPair("a-001", "corpus", "spin", "base", "spin"),
                     {f: 0.5 for f in FEATURES}, True)]
    assert missing_signals(found, FORMS) == []
    assert missing_signals(found, signal_trials([], ["own_facts"])) == ["own_facts"]


def _pairs(groups: int) -> list[Example]:
    """A spin and an independent per group: `telling` parts them, `noise` does not."""
    rng = np.random.default_rng(7)
    found = []
    for g in range(groups):
        for role, label in (("spin", "spin"), ("independent", "independent")):
            scores = {"coverage_max": 0.9, "verbatim_max": 0.5, "verbatim_a": 0.1,
                      "verbatim_b": 0.1, "verbatim_min": 0.1, "anchor_overlap": 1.0,
                      "text_similarity": 1.0,
                      "telling": (0.8 if label == "spin" else 0.2) + rng.normal(0, 0.05),
                      "noise": float(rng.uniform())}
            found.append(Example(LabelledPair(f"a-{g:03d}", "corpus", role, "base", label),
                                 scores, True))
    return found


def test_cross_validation_reads_only_the_signals_it_is_given(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bench.train_derivation.STRENGTHS", (1.0,))  # one C: a faster test
    found = _pairs(16)
    config = RelateConfig()

    def accuracy(features: tuple[str, ...]) -> float:
        verdicts, _, _ = cross_validated(found, config, True, features)
        return sum(v.label == v.example.pair.label for v in verdicts) / len(verdicts)

    assert accuracy(("telling", "noise")) == 1.0
    assert accuracy(("noise",)) < 0.8
