"""The derivation model on groups written later, by other hands (issue 18).

Cross-validation deals groups at random, so every fold trains on groups written in the same
sessions and styles as the ones it is tested on. The corpus was written in two rounds: the a-
and b- groups first (one independent report each), the c- and d- groups later by other
writers, in other registers, with two or three independent reports of one fact sheet. This
bench fits the model exactly as `make train-derivation` does (the L2 strength by grouped CV,
then the model), on the first round (plus spread-dev and wild-dev where present), and scores it
on the second round with the shipped thresholds, reconciled as `relate` stores them: the
nearest thing here to the issue's held-out set "written the same way by other hands". The
second round's figure under the usual random-fold CV is printed beside it.

`python -m bench.derivation_holdout` (aligns every pair once; the alignment cache in bench/out
makes later runs quick).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.derivation_data import CORPUS, Example
from bench.derivation_scoring import Verdict, score
from bench.fit_decisions import decided, shipped
from bench.train_derivation import (
    HEADER,
    _line,
    all_examples,
    choose_strength,
    cross_validated,
    datasets,
    fit,
    predict,
    training_rows,
)
from newstrace.stages.reuse.derivation import DerivationModel
from newstrace.stages.reuse.relate import RelateConfig

LATER_ROUND = ("c-", "d-")


def later(example: Example) -> bool:
    return example.pair.dataset == "corpus" and example.pair.group.startswith(LATER_ROUND)


def role(name: str) -> str:
    """A role without its number ("independent-2" -> "independent")."""
    return name.rstrip("0123456789").rstrip("-_")


def false_positives(verdicts: Sequence[Verdict]) -> str:
    """Independent pairs called derived, by the roles of the two articles."""
    kinds = Counter(" ~ ".join(sorted((role(v.example.pair.a), role(v.example.pair.b))))
                    for v in verdicts if v.example.pair.label == "independent"
                    and v.label not in ("independent", "unrelated"))
    return ", ".join(f"{pair} {count}" for pair, count in kinds.most_common())


@dataclass(frozen=True, slots=True)
class HeldOut:
    """The model fitted on the first round as `make train-derivation` fits it, and the later
    round's verdicts from it before any thresholds (each pair alone)."""

    first: list[Example]
    second: list[Example]
    strength: float
    model: DerivationModel
    verdicts: list[Verdict]

    @classmethod
    def of(cls, found: Sequence[Example], config: RelateConfig) -> HeldOut:
        first = [e for e in found if not later(e)]
        second = [e for e in found if later(e)]
        rows = training_rows(first, config)
        strength = choose_strength(rows)
        model = fit(rows, strength)
        return cls(first, second, strength, model,
                   [predict(model, e, config) for e in second])


def run() -> list[str]:
    loaded, notes = datasets(CORPUS)
    found = all_examples(loaded, paraphrase=True)
    config = RelateConfig()
    fitted = HeldOut.of(found, config)
    first, second, strength, model = fitted.first, fitted.second, fitted.strength, fitted.model
    decision = shipped("paraphrase")
    held = decided(fitted.verdicts, decision)
    cv, _, _ = cross_validated(found, config)
    cv_second = [v for v in decided(cv, decision) if later(v.example)]
    return [*notes, "",
            f"Fitted on the first round ({len({e.pair.group for e in first})} groups: corpus a-/b-,"
            f" spread-dev, wild-dev; L2 strength {strength}), scored on the second "
            f"({len({e.pair.group for e in second})} groups: corpus c-/d-), shipped thresholds:",
            "", *HEADER,
            _line("second round, held out by writing round", score(held)),
            _line("second round, random-fold CV over all groups", score(cv_second)),
            _line("first round, in-sample", score(decided(
                [predict(model, e, config) for e in first], decision))), "",
            f"Independent pairs called derived, held out by round: {false_positives(held)}",
            f"The same under random-fold CV: {false_positives(cv_second)}"]


def main(argv: Sequence[str] | None = None) -> None:
    print("\n".join(run()))


if __name__ == "__main__":
    main()
