"""The derivation model on groups written later, by other hands (issue 18).

Cross-validation deals groups at random, so every fold trains on groups written in the same
sessions and styles as the ones it is tested on. The corpus was written in rounds, each by
writers who had not read the earlier rounds' texts: the a- and b- groups first (one
independent report each), the c- and d- groups by other writers, in other registers, with two
or three independent reports of one fact sheet, and the e- to h- groups by four more writers,
both shapes mixed, and the i- and j- groups
(partial copies above all) by two more. For each later round this bench fits the model exactly as
`make train-derivation` does (the L2 strength by grouped CV, then the model) on every earlier
round (plus spread-dev and wild-dev where present), and scores it on that round with the
shipped thresholds, reconciled as `relate` stores them: the nearest thing here to the issue's
held-out set "written the same way by other hands". The round's figure under the usual
random-fold CV is printed beside it.

`python -m bench.derivation_holdout` (aligns every pair once; the alignment cache in bench/out
makes later runs quick).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.derivation_data import CORPUS, SIBLING, Example
from bench.derivation_scoring import Verdict, score
from bench.fit_decisions import Decision, decided, shipped
from bench.train_derivation import (
    FEATURES,
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

ROUNDS: tuple[tuple[str, ...], ...] = (("a-", "b-"), ("c-", "d-"), ("e-", "f-", "g-", "h-"),
                                      ("i-", "j-"))
LATER_ROUND = ROUNDS[1]  # the round the diagnosis benches (round_diagnosis, round_trials) study


def writing_round(example: Example) -> int | None:
    """The corpus round an example's group was written in; None outside the corpus."""
    if example.pair.dataset != "corpus":
        return None
    for number, prefixes in enumerate(ROUNDS):
        if example.pair.group.startswith(prefixes):
            return number
    raise ValueError(f"corpus group {example.pair.group}: its writer letter is in no round of "
                     "bench/derivation_holdout.ROUNDS; add it to the round it was written in")


def first(example: Example) -> bool:
    """In the first round, or in a dev set (always fitted on)."""
    return (writing_round(example) or 0) == 0


def later(example: Example) -> bool:
    return writing_round(example) == 1


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
    """The model fitted on the rounds before `held` as `make train-derivation` fits it, and
    round `held`'s verdicts from it before any thresholds (each pair alone)."""

    first: list[Example]
    second: list[Example]
    strength: float
    model: DerivationModel
    verdicts: list[Verdict]

    @classmethod
    def of(cls, found: Sequence[Example], config: RelateConfig, held: int = 1,
           bent: bool = True, features: Sequence[str] = FEATURES) -> HeldOut:
        first = [e for e in found if (writing_round(e) or 0) < held]
        second = [e for e in found if writing_round(e) == held]
        rows = training_rows(first, config)
        strength = choose_strength(rows, bent, features)
        model = fit(rows, strength, features, bent)
        return cls(first, second, strength, model,
                   [predict(model, e, config) for e in second])


def run() -> list[str]:
    loaded, notes = datasets(CORPUS)
    found = all_examples(loaded, paraphrase=True)
    config = RelateConfig()
    decision = shipped("paraphrase")
    cv, _, _ = cross_validated(found, config)
    lines = list(notes)
    for held in range(1, len(ROUNDS)):
        if not any(writing_round(e) == held for e in found):
            continue
        lines += ["", *held_out_round(found, config, held, decision,
                                      [v for v in cv if writing_round(v.example) == held])]
    return lines


def held_out_round(found: Sequence[Example], config: RelateConfig, held: int,
                   decision: Decision, cv_round: Sequence[Verdict]) -> list[str]:
    """Round `held` scored by the model fitted on every earlier round, beside its random-fold
    CV figure and the earlier rounds in-sample."""
    fitted = HeldOut.of(found, config, held)
    verdicts = decided(fitted.verdicts, decision)
    cv_decided = decided(cv_round, decision)
    earlier = "/".join(p for prefixes in ROUNDS[:held] for p in prefixes)
    here = "/".join(ROUNDS[held])
    labelled = [e for e in fitted.second if e.pair.label != SIBLING]
    derived = sum(e.pair.label != "independent" for e in labelled) / max(len(labelled), 1)
    return [f"Round {here} held out: fitted on the earlier rounds "
            f"({len({e.pair.group for e in fitted.first})} groups: corpus {earlier}, spread-dev, "
            f"wild-dev; L2 strength {fitted.strength}), scored on "
            f"{len({e.pair.group for e in fitted.second})} groups ({len(labelled)} pairs, "
            f"{derived:.1%} derived), shipped thresholds:",
            "", *HEADER,
            _line(f"{here}, held out by writing round", score(verdicts)),
            *(_line(f"{prefix} only, held out by writing round", score(part))
              for prefix in ROUNDS[held]
              if (part := [v for v in verdicts if v.example.pair.group.startswith(prefix)])),
            _line(f"{here}, random-fold CV over all groups", score(cv_decided)),
            _line(f"{earlier}, in-sample", score(decided(
                [predict(fitted.model, e, config) for e in fitted.first], decision))), "",
            f"Independent pairs called derived, held out by round: {false_positives(verdicts)}",
            f"The same under random-fold CV: {false_positives(cv_decided)}"]


def main(argv: Sequence[str] | None = None) -> None:
    print("\n".join(run()))


if __name__ == "__main__":
    main()
