"""Fit the static sentence model's derivation model and the cascade's band (issue 21 item 5).

`make train-static` (`python -m bench.train_static --write`) writes
src/newstrace/stages/reuse/derivation_model_static.json: the cosine map from the static
model's scale onto MiniLM's (quantiles over MSRP train and STS-B train sentence pairs, as
bench/encoder_trial.py maps them), the derivation model refitted on pairs aligned with the
static vectors (the same corpus, folds and nested grouped CV as bench/train_derivation.py),
and the undecided band (bench/cascade_band.py) with the figures it was chosen by. The MiniLM
model is read, never refitted here: its alignments come from the same cache.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.cascade_band import BandFit, fit_band, key, mixed, undecided
from bench.derivation_data import CORPUS, VECTOR_CACHE, Example, examples, load_cache, save_cache
from bench.derivation_holdout import HeldOut
from bench.derivation_scoring import Verdict, calibration, score
from bench.encoder_trial import cosine_map
from bench.fit_decisions import decided, shipped
from bench.train_derivation import (
    FOLDS,
    HEADER,
    _folds,
    _heading,
    _line,
    cross_validated,
    datasets,
    evaluate,
    predict,
)
from newstrace.stages.reuse.align import AlignConfig, Aligner
from newstrace.stages.reuse.cascade import STATIC_MODEL_FILE, CascadeConfig
from newstrace.stages.reuse.derivation import shipped_model
from newstrace.stages.reuse.embed import load_encoder
from newstrace.stages.reuse.relate import RelateConfig
from newstrace.stages.reuse.static_embed import load_static_encoder

MODEL_PATH = (Path(__file__).resolve().parents[1] / "src" / "newstrace" / "stages" / "reuse"
              / STATIC_MODEL_FILE)
Knots = tuple[tuple[float, float], ...]


def aligned(echo: Callable[[str], None]) -> tuple[list[Example], list[Example], Knots, Any]:
    """Every pair aligned with MiniLM and with the static model (its cosines mapped)."""
    loaded, _ = datasets(CORPUS)
    minilm = load_encoder(required=True)
    assert minilm is not None
    static = load_static_encoder()
    knots = cosine_map(minilm, static)
    echo(f"cosine map: {knots[::10]}")
    cache = load_cache()
    full = [e for d in loaded for e in examples(d, minilm, cache, VECTOR_CACHE)]
    echo(f"MiniLM: {len(full)} pairs")
    cheap_aligner = Aligner(AlignConfig(cosine_map=knots))
    cheap = [e for d in loaded for e in examples(d, static, cache, VECTOR_CACHE, cheap_aligner)]
    echo(f"static: {len(cheap)} pairs")
    save_cache(cache)
    return full, cheap, knots, loaded


def describe(band: CascadeConfig) -> str:
    return f"[{band.low}, {band.high}] + unrelated at similarity >= {band.gate_similarity}"


def folds_of(found: Sequence[Example]) -> list[set[str]]:
    return _folds([e.pair.group for e in found], FOLDS, seed=0)


def scored_line(name: str, verdicts: Sequence[Verdict]) -> str:
    return _line(name, score(verdicts))


def spread(folds: Sequence[Sequence[Verdict]]) -> str:
    scores = [score(fold) for fold in folds]
    return "; ".join(f"{k.replace('_', ' ')} {min(s[k] for s in scores):.3f}-"
                     f"{max(s[k] for s in scores):.3f}"
                     for k in ("recall", "precision", "label_accuracy", "ece"))


def by_dataset(name: str, verdicts: Sequence[Verdict]) -> list[str]:
    return [scored_line(f"{name}, {d} only", [v for v in verdicts if v.example.pair.dataset == d])
            for d in sorted({v.example.pair.dataset for v in verdicts})]


def holdout(full: list[Example], cheap: list[Example]) -> list[str]:
    """Fitted on the first writing round, scored on the second (bench/derivation_holdout):
    both models, and the cascade with its band chosen on the first round's CV verdicts."""
    config, decision = RelateConfig(), shipped("paraphrase")
    out: dict[str, list[Verdict]] = {}
    first_cv: dict[str, list[Verdict]] = {}
    for name, found in (("MiniLM", full), ("static", cheap)):
        held = HeldOut.of(found, config)
        out[name] = held.verdicts
        first_cv[name] = cross_validated(held.first, config)[0]
    band = fit_band(first_cv["static"], first_cv["MiniLM"],
                    folds_of([v.example for v in first_cv["static"]])).chosen
    by_key = {(v.example.pair.group, v.example.pair.a, v.example.pair.b): v
              for v in out["MiniLM"]}
    cascade = [by_key[(v.example.pair.group, v.example.pair.a, v.example.pair.b)]
               if undecided(v, band) else v for v in out["static"]]
    sent = sum(undecided(v, band) for v in out["static"])
    return ["", f"Held out by writing round (fitted on corpus a-/b- + spread-dev + wild-dev, "
            f"scored on corpus c-/d-; cascade {describe(band)} chosen on the first round's CV; "
            f"{sent} of {len(cascade)} pairs sent to MiniLM):", "", *HEADER,
            *(scored_line(f"second round, {name}", decided(verdicts, decision))
              for name, verdicts in (*out.items(), ("cascade", cascade)))]


def report(full_cv: list[Verdict], cheap_cv: list[Verdict], band: BandFit,
           cheap_in_sample: list[Verdict], full_folds: Sequence[Sequence[Verdict]],
           cheap_folds: Sequence[Sequence[Verdict]]) -> list[str]:
    decision = shipped("paraphrase")
    full, cheap = decided(full_cv, decision), decided(cheap_cv, decision)
    cascade = [v for fold in band.held_out for v in fold]
    # In-sample: the static model fitted on everything, the shipped MiniLM model (fitted on
    # the same groups by make train-derivation), the band chosen on everything.
    config = RelateConfig()
    full_in_sample = {key(v): v for v in (predict(shipped_model("paraphrase"), v.example, config)
                                          for v in full_cv)}
    in_sample = [decided(list(full_in_sample.values()), decision),
                 decided(cheap_in_sample, decision),
                 decided(mixed(cheap_in_sample, full_in_sample, band.chosen), decision)]
    return ["Nested grouped CV, shipped thresholds (derived 0.3, reconcile as shipped), "
            "reconciled; the models refitted in each fold, the band chosen without it:", "",
            *HEADER, scored_line("**MiniLM**", full), scored_line("**static**", cheap),
            scored_line("**cascade**", cascade), *by_dataset("MiniLM", full),
            *by_dataset("static", cheap), *by_dataset("cascade", cascade),
            *(scored_line(f"in-sample (fitted on everything), {name}", verdicts)
              for name, verdicts in zip(("MiniLM", "static", "cascade"), in_sample,
                                        strict=True)), "",
            f"Pairs sent to MiniLM (held out, labelled + sibling pairs): {band.sent} of "
            f"{band.pairs} ({band.sent / max(band.pairs, 1):.3f}).",
            f"Chosen on all groups: {describe(band.chosen)}; per fold: "
            + ", ".join(describe(b) for b in band.per_fold) + ".",
            "Spread across folds: MiniLM " + spread([decided(f, decision) for f in full_folds]),
            "static " + spread([decided(f, decision) for f in cheap_folds]),
            "cascade " + spread(band.held_out),
            f"ECE (each pair alone): MiniLM {calibration(full_cv)[0]:.3f}, static "
            f"{calibration(cheap_cv)[0]:.3f}"]


def write(knots: Knots, cheap_model: Any, band: BandFit, summary: dict[str, Any],
          loaded: Any) -> None:
    data = {"fitted": {"command": "make train-static (python -m bench.train_static --write)",
                       "date": datetime.now(UTC).strftime("%Y-%m-%d"),
                       "data": {d.dataset: {"groups": len(d.groups),
                                            "labelled_pairs": len(d.pairs)} for d in loaded},
                       "cosine_map": "quantiles of 600 MSRP train + 600 STS-B train pairs",
                       "band_per_fold": [describe(b) for b in band.per_fold],
                       "figures": summary},
            "cosine_map": [list(k) for k in knots],
            "band": {"low": band.chosen.low, "high": band.chosen.high,
                     "gate_similarity": band.chosen.gate_similarity},
            "models": {"paraphrase": cheap_model.as_dict()}}
    MODEL_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def train(write_model: bool, echo: Callable[[str], None]) -> list[str]:
    full, cheap, knots, loaded = aligned(echo)
    echo("cross-validating MiniLM...")
    full_cv, full_folds, _ = cross_validated(full, RelateConfig())
    echo("cross-validating static...")
    cheap_eval = evaluate(cheap, "paraphrase")
    band = fit_band(cheap_eval.cv, full_cv, folds_of(cheap))
    lines = report(full_cv, cheap_eval.cv, band, cheap_eval.in_sample, full_folds,
                   cheap_eval.folds)
    echo("held out by round...")
    lines += holdout(full, cheap)
    if write_model:
        summary = {"cascade_cv": {k: round(v, 4) if isinstance(v, float) else v
                                  for k, v in score([v for f in band.held_out for v in f]).items()},
                   "static": cheap_eval.summary(), "sent_share": round(
                       band.sent / max(band.pairs, 1), 4)}
        write(knots, cheap_eval.model, band, summary, loaded)
        lines.append(f"Wrote {MODEL_PATH}.")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write src/.../{STATIC_MODEL_FILE}")
    args = parser.parse_args(argv)
    lines = train(args.write, echo=lambda message: print(message, file=sys.stderr))
    print("\n".join(_heading() + lines))


if __name__ == "__main__":
    main()
