"""The facts stage under each sentence model (`python -m bench.facts_encoders`; issue 21).

Facts read the sentence vectors of the model the store's verdicts were aligned on: MiniLM's
under `minilm`, the static model's under `static` and `cascade` (every paired article has
them; the cascade's MiniLM vectors cover only the articles of undecided pairs), with the
static cosines mapped onto MiniLM's scale, where the facts' bars were fitted. Before that,
facts read MiniLM's vectors only, so under `static` they checked additions by shared words
alone ("static, words only" below reproduces it: the same alignments, no cosines).

Measured as bench/fit_facts.py measures (spread-dev + wild-dev, every derived article's
unmatched sentences, groups held out whole in five folds): additions F1 with the shipped bars
(`FactsConfig()`; fitted on MiniLM's cosines) and cross-validated (the bars chosen without
each fold, pooled over the held-out folds: what a refit for that model could reach; nothing
here is shipped), and altered facts with the shipped bars. Needs ../shared/data.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.data import DataMissing, data_dir
from bench.fit_facts import (
    ALTERED_GRID,
    Target,
    addition_counts,
    altered_counts,
    altered_f1,
    fit_additions,
    spread_targets,
    wild_targets,
)
from bench.fit_facts import _additions_text as additions_text
from newstrace.runners.config import ReuseConfig
from newstrace.stages.facts.config import DEFAULT
from newstrace.stages.reuse.cascade import ENCODERS


def measured(encoder: str) -> tuple[list[Target], float]:
    """Every derived article measured on stores related with `encoder`, and the CPU it took."""
    began = time.process_time()
    reuse = ReuseConfig(encoder=encoder)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        targets = spread_targets(Path(tmp), reuse) + wild_targets(Path(tmp), reuse)
    return targets, time.process_time() - began


def without_vectors(targets: list[Target]) -> list[Target]:
    """The same targets as if no vectors were stored: shared words only."""
    return [replace(t, supports=[(replace(found, semantic=None, local_semantic=None), label)
                                 for found, label in t.supports]) for t in targets]


def row(name: str, targets: list[Target], cpu: float | None) -> str:
    fitted = fit_additions(targets)
    key = tuple(float(getattr(DEFAULT, field)) for field in ALTERED_GRID)
    altered = altered_counts(targets, key)
    spread = (f"{min(fitted.per_fold):.3f}-{max(fitted.per_fold):.3f} "
              f"(sd {statistics.pstdev(fitted.per_fold):.3f})")
    return (f"| {name} | {fitted.cross_validated} | {spread} | "
            f"{additions_text(addition_counts(targets, DEFAULT))} | "
            f"{altered_f1(altered):.3f} ({altered['found']} of {altered['labelled']} found, "
            f"{altered['right']} of {altered['reported']} right) | "
            f"{'' if cpu is None else f'{cpu:,.1f}'} |")


def run() -> list[str]:
    try:
        data_dir("spread-dev")
        data_dir("wild-dev")
    except DataMissing as missing:
        return [str(missing)]
    lines = ["| vectors facts read | additions, cross-validated (bars refit per fold) | "
             "folds | additions, shipped bars (fitted on MiniLM) | altered facts, shipped "
             "bars: F1 | CPU s to analyse both sets |", "|---|---|---|---|---|---|"]
    for encoder in ENCODERS:
        targets, cpu = measured(encoder)
        lines.append(row(encoder if encoder == "minilm" else f"{encoder} (static, mapped)",
                         targets, cpu))
        if encoder == "static":
            lines.append(row("static, words only (before)", without_vectors(targets), None))
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
