"""newstrace's reuse path against the best a user could assemble from libraries (issue 21,
item 4): the same pile, the same sentence model, time and quality measured in one run.

**The assembly** (what a competent user writes in an afternoon):

1. Candidates by MinHash LSH: rensa's `RMinHash` (128 permutations) over the lower-cased word
   3-grams of each article, `RMinHashLSH` with 32 bands of 4 rows (S-curve midpoint 0.42; rensa
   needs a divisor of 128), every article inserted, then queried. rensa rather than datasketch:
   it is the faster of the two (2.1x datasketch end to end at 100,000 in bench/reuse_speed.py)
   and answers the same way; 3-grams rather than 5-grams so that rewrites keep a few shingles.
2. Candidates for the paraphrases LSH cannot see: each article's mean sentence vector (the
   same model as below), its `NEIGHBOURS` nearest others by cosine, by numpy brute force in
   blocks of rows (exact; faiss and hnswlib are not installed here, and at 100,000 articles the
   brute force is a minute of BLAS).
3. Each candidate pair: the sentence vectors of both (WordLlama l2_supercat, the static model
   `--encoder static` uses), and for each side the share of its sentences whose best cosine
   to the other side's reaches the sentence cut; the pair is called derived when the larger
   share reaches the share cut. The two cuts are fitted on another seed of the pile
   (`FIT_SEED`, never the scored one): the pair of cuts on a grid with the best F1 of "a copy
   and its direct source" against "no copy between them" (siblings and copies of copies left
   out), every planted copy that no candidate route found counting as missed.

**newstrace's path doing the same job**: `Sketcher` + `candidate_pairs` (the batch key join),
the static model's sentence vectors of every article in a pair (`encode_articles`),
`pair_relater` under `encoder="static"` (align + relate) and `reconciled`, as
`relate_in_memory` runs them, on one process (`workers=1`: CPU seconds compare, and the
assembly uses one process too).

Both read the same articles (`read_articles` on the pile's JSON lines, outside the clocks) in
their own spawned process, so each peak RSS is its own; two articles with the same text count
as derived for both. Scored on seed `SEED` of bench/pile.py, which neither the assembly's cuts
nor newstrace's candidate caps (bench/caps.py: seeds 7 and 11) were fitted on.

    NEWSTRACE_BENCH_ASSEMBLY_N=10000 python -m bench.assembly        # the default size
    python -m bench.assembly --articles 30000 --fit-articles 10000
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from bench import pile
from bench.reuse_speed import load_average, peak_mb
from newstrace.records import Article
from newstrace.runners.cascade import pair_relater
from newstrace.runners.config import ReuseConfig
from newstrace.runners.memory import read_articles
from newstrace.stages.reuse.embed import SentenceEncoder, Vectors, encode_articles
from newstrace.stages.reuse.key_join import candidate_pairs
from newstrace.stages.reuse.reconcile import reconciled
from newstrace.stages.reuse.sketch import Sketcher
from newstrace.stages.reuse.static_embed import load_static_encoder

SEED = 13  # scored
FIT_SEED = 7  # the assembly's two cuts are fitted on this seed's pile
NUM_PERM = 128
BANDS = 32
SHINGLE = 3
NEIGHBOURS = 30  # as many as newstrace keeps an article (CandidateConfig.max_candidates)
BLOCK = 2_048  # rows of the brute-force nearest-neighbour search at a time
# 0.500 .. 0.975 and 0.99: near-verbatim sentences must stay on the grid (seed 7 at 10,000
# chose 0.95 when the grid stopped there)
SENTENCE_CUTS = (*(round(0.5 + 0.025 * k, 3) for k in range(20)), 0.99)
SHARE_CUTS = tuple(round(0.1 + 0.05 * k, 2) for k in range(19))  # 0.10 .. 1.00
_ENV = "NEWSTRACE_BENCH_ASSEMBLY_"

IndexPair = tuple[int, int]
Made = TypeVar("Made")
Floats = npt.NDArray[np.float32]


def _note(message: str) -> None:
    print(f"[assembly] {message}", file=sys.stderr, flush=True)


# -- the assembly's parts -----------------------------------------------------------------------


def shingles(text: str, size: int = SHINGLE) -> list[str]:
    """Lower-cased word `size`-grams of `text` (the whole text when it is shorter)."""
    words = text.lower().split()
    return [" ".join(words[k : k + size]) for k in range(max(len(words) - size + 1, 1))]


def lsh_pairs(texts: Sequence[str], seed: int = 0) -> set[IndexPair]:
    """Pairs (i < j) of texts that rensa's MinHash LSH puts in a common bucket."""
    from rensa import RMinHash, RMinHashLSH

    hashes = []
    for text in texts:
        minhash = RMinHash(num_perm=NUM_PERM, seed=seed)
        minhash.update(shingles(text))
        hashes.append(minhash)
    lsh = RMinHashLSH(threshold=0.5, num_perm=NUM_PERM, num_bands=BANDS)
    for index, minhash in enumerate(hashes):
        lsh.insert(index, minhash)
    return {(min(i, j), max(i, j)) for i, minhash in enumerate(hashes)
            for j in lsh.query(minhash) if j != i}


def sentence_vectors(encoder: SentenceEncoder, articles: Sequence[Article]) -> list[Floats]:
    """Each article's sentence vectors (its whole text when it has no sentences), from one
    call to the model."""
    groups = [article.sentence_texts() or [article.text] for article in articles]
    flat = encoder.encode([sentence for group in groups for sentence in group])
    bounds = np.cumsum([0, *(len(group) for group in groups)])
    return [flat[bounds[k] : bounds[k + 1]] for k in range(len(groups))]


def mean_vectors(vectors: Sequence[Floats]) -> Floats:
    """Each article's mean sentence vector, L2-normalised, one row an article."""
    means = np.stack([group.mean(axis=0) for group in vectors]).astype(np.float32)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    unit: Floats = means / np.clip(norms, 1e-12, None)
    return unit


def nearest_pairs(unit: Floats, neighbours: int = NEIGHBOURS,
                  block: int = BLOCK) -> set[IndexPair]:
    """Pairs (i < j) where j is among i's `neighbours` most similar rows by cosine (or i
    among j's), by brute force a block of rows at a time."""
    count = len(unit)
    keep = min(neighbours, count - 1)
    found: set[IndexPair] = set()
    if keep < 1:
        return found
    for first in range(0, count, block):
        cosines = unit[first : first + block] @ unit.T
        rows = np.arange(len(cosines))
        cosines[rows, rows + first] = -np.inf  # not oneself
        best = np.argpartition(-cosines, keep - 1, axis=1)[:, :keep]
        for i, others in enumerate(best.tolist(), first):
            found.update((min(i, j), max(i, j)) for j in others)
    return found


def best_cosines(a: Floats, b: Floats) -> tuple[Floats, Floats]:
    """For each sentence of `a` its best cosine to a sentence of `b`, and the other way."""
    cosines = a @ b.T
    return cosines.max(axis=1), cosines.max(axis=0)


@dataclass(frozen=True, slots=True)
class Cuts:
    """A pair is derived when the larger of its two sides' shares of sentences whose best
    cosine to the other side reaches `sentence` is at least `share`."""

    sentence: float
    share: float

    def derived(self, a: Floats, b: Floats) -> bool:
        best_a, best_b = best_cosines(a, b)
        return max(float(np.mean(best_a >= self.sentence)),
                   float(np.mean(best_b >= self.sentence))) >= self.share


def shares(a: Floats, b: Floats, cuts: Sequence[float] = SENTENCE_CUTS) -> Floats:
    """For each sentence cut, the larger of the two sides' shares of sentences reaching it."""
    grid = np.asarray(cuts, dtype=np.float32)
    best_a, best_b = best_cosines(a, b)
    larger: Floats = np.maximum((best_a[:, None] >= grid).mean(axis=0),
                                (best_b[:, None] >= grid).mean(axis=0)).astype(np.float32)
    return larger


@dataclass(frozen=True, slots=True)
class Fit:
    cuts: Cuts
    f1: float
    precision: float
    recall: float


def fit_cuts(grid_shares: Floats, copies: npt.NDArray[np.bool_], planted: int) -> Fit:
    """The cuts with the best F1 over candidate pairs labelled copy (True) or not (False):
    `grid_shares` has a row a pair and a column a `SENTENCE_CUTS` entry; `planted` counts every
    planted copy, found by a candidate route or not (the ones not found are missed at any
    cut). Ties go to the stricter cuts."""
    best: Fit | None = None
    for column, sentence in enumerate(SENTENCE_CUTS):
        for share in SHARE_CUTS:
            called = grid_shares[:, column] >= share - 1e-6
            hits = int(np.sum(called & copies))
            wrong = int(np.sum(called & ~copies))
            f1 = 2 * hits / max(2 * hits + wrong + (planted - hits), 1)
            if best is None or f1 >= best.f1:
                best = Fit(Cuts(sentence, share), f1, hits / max(hits + wrong, 1),
                           hits / max(planted, 1))
    assert best is not None  # the grids are not empty
    return best


# -- clocks and outcomes ------------------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    """One method's run: CPU and wall seconds by step, pairs looked at, verdicts by pile ids,
    the candidate pairs each route found, memory."""

    label: str
    articles: int
    cpu: dict[str, float] = field(default_factory=dict)
    wall: dict[str, float] = field(default_factory=dict)
    pairs: int = 0
    verdicts: pile.Verdicts = field(default_factory=dict)
    routes: dict[str, set[frozenset[str]]] = field(default_factory=dict)
    sentences: int = 0  # encoded
    loaded_mb: float = 0.0
    peak_mb: float = 0.0

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a named step: this process's CPU (every thread, BLAS's too) and wall."""
        _note(f"{self.label}: {name}")
        cpu, wall = time.process_time(), time.perf_counter()
        yield
        self.cpu[name] = time.process_time() - cpu
        self.wall[name] = time.perf_counter() - wall

    @property
    def total_cpu(self) -> float:
        return sum(self.cpu.values())


def _load(path: Path) -> list[Article]:
    with path.open("rb") as stream:
        articles: list[Article] = pickle.load(stream)
    return articles


def _pile_pair(articles: Sequence[Article], i: int, j: int) -> frozenset[str]:
    return frozenset((articles[i].source_id or articles[i].id,
                      articles[j].source_id or articles[j].id))


def _same_texts(articles: Sequence[Article]) -> pile.Verdicts:
    """Pairs of articles with one text (`read_articles`' `duplicate_of`): derived for both."""
    by_id = {article.id: article for article in articles}
    return {frozenset((article.source_id or article.id,
                       by_id[article.duplicate_of].source_id or article.duplicate_of)): True
            for article in articles if article.duplicate_of in by_id}


def candidate_routes(articles: Sequence[Article], vectors: Sequence[Floats],
                     outcome: Outcome) -> set[IndexPair]:
    """The assembly's two candidate routes, timed into `outcome`, each route's pairs kept."""
    with outcome.step("LSH candidates (rensa MinHash + LSH)"):
        lexical = lsh_pairs([article.text for article in articles])
    with outcome.step("nearest neighbours of mean vectors"):
        near = nearest_pairs(mean_vectors(vectors))
    outcome.routes = {"LSH": {_pile_pair(articles, i, j) for i, j in lexical},
                      "neighbours": {_pile_pair(articles, i, j) for i, j in near}}
    return lexical | near


def measure_assembly(path: Path, cuts: Cuts) -> Outcome:
    """The assembly over the articles pickled at `path`, with the fitted cuts."""
    articles = _load(path)
    outcome = Outcome("assembly", len(articles), loaded_mb=peak_mb())
    encoder = load_static_encoder()
    encoder.encode(["A first call loads the model."])
    with outcome.step("sentence vectors (every article)"):
        vectors = sentence_vectors(encoder, articles)
    outcome.sentences = sum(len(group) for group in vectors)
    pairs = sorted(candidate_routes(articles, vectors, outcome))
    outcome.pairs = len(pairs)
    with outcome.step("pair verdicts (best cosines, shares)"):
        called = [cuts.derived(vectors[i], vectors[j]) for i, j in pairs]
    outcome.verdicts = {_pile_pair(articles, i, j): derived
                        for (i, j), derived in zip(pairs, called, strict=True)}
    outcome.verdicts.update(_same_texts(articles))
    outcome.peak_mb = peak_mb()
    return outcome


def measure_newstrace(path: Path) -> Outcome:
    """newstrace's sketch, candidates, static vectors, align + relate and reconcile, as
    `relate_in_memory` runs them, on one process."""
    articles = _load(path)
    outcome = Outcome("newstrace", len(articles), loaded_mb=peak_mb())
    config = ReuseConfig(encoder="static", workers=1)
    encoder = load_static_encoder()
    encoder.encode(["A first call loads the model."])
    sketcher = Sketcher(config.sketch)
    by_id = {article.id: article for article in articles}
    with outcome.step("sketch"):
        sketches = [sketcher.sketch(article) for article in articles]
    with outcome.step("candidates (batch key join)"):
        pairs = [(a, b) for a, b, _ in candidate_pairs(sketches, config.candidates)]
    del sketches
    with outcome.step("sentence vectors (articles in a pair)"):
        involved = sorted({x for pair in pairs for x in pair})
        vectors: dict[str, Vectors] = encode_articles(encoder, [by_id[x] for x in involved])
    outcome.sentences = sum(len(group) for group in vectors.values())
    with outcome.step("align + relate"), \
            pair_relater(config, sketcher.tokenizer) as relater:
        found = relater.relate(pairs, by_id, vectors)
    with outcome.step("reconcile"):
        reconciled(found, config.reconcile)
    outcome.pairs = len(pairs)
    pile_id = {article.id: article.source_id or article.id for article in articles}
    outcome.routes = {"key join": {frozenset((pile_id[a], pile_id[b])) for a, b in pairs}}
    outcome.verdicts = {frozenset((pile_id[relation.a], pile_id[relation.b])): relation.derived
                        for relation, _ in found}
    outcome.verdicts.update(_same_texts(articles))
    outcome.peak_mb = peak_mb()
    return outcome


def fit_on(path: Path, jsonl: Path) -> tuple[Fit, int]:
    """The assembly's cuts fitted on the pile pickled at `path` (written at `jsonl`), and the
    candidate pairs they were fitted over."""
    articles = _load(path)
    outcome = Outcome("fit", len(articles))
    vectors = sentence_vectors(load_static_encoder(), articles)
    pairs = sorted(candidate_routes(articles, vectors, outcome))
    truth = pile.Truth.read(jsonl)
    kept, labels, rows = [], [], []
    for i, j in pairs:
        what = truth.pair(*sorted(_pile_pair(articles, i, j)))
        if what in ("copy", "independent", "crossed"):
            labels.append(what == "copy")
            rows.append(shares(vectors[i], vectors[j]))
            kept.append((i, j))
    grid = np.stack(rows) if rows else np.zeros((0, len(SENTENCE_CUTS)), dtype=np.float32)
    return fit_cuts(grid, np.array(labels, dtype=bool), len(truth.source)), len(kept)


def minilm_rate(path: Path, sentences: int = 1_000) -> float | None:
    """Sentences a CPU-second of the int8 MiniLM (`--encoder minilm`) on the first
    `sentences` sentences of the pickled articles; None without the paraphrase extra."""
    from newstrace.stages.reuse.embed import load_encoder

    model = load_encoder()
    if model is None:
        return None
    texts = [text for article in _load(path) for text in article.sentence_texts()][:sentences]
    model.encode(texts[:32])  # the first call loads the session
    began = time.process_time()
    model.encode(texts)
    return len(texts) / max(time.process_time() - began, 1e-9)


# -- the run ------------------------------------------------------------------------------------


def prepare(folder: Path, size: int, seed: int) -> tuple[Path, Path]:
    """The pile of `size` (seed `seed`) as JSON lines and its articles read and pickled."""
    jsonl = pile.write_jsonl(folder / f"pile-{size}-{seed}.jsonl", size, seed)
    articles = list(read_articles([str(jsonl)]).values())
    pickled = folder / f"pile-{size}-{seed}.pickle"
    with pickled.open("wb") as out:
        pickle.dump(articles, out, protocol=pickle.HIGHEST_PROTOCOL)
    return jsonl, pickled


@dataclass(slots=True)
class Results:
    size: int
    fit_size: int
    fit: Fit
    fitted_pairs: int
    outcomes: list[Outcome]
    quality: dict[str, pile.Quality]
    candidates: dict[str, pile.Quality]  # every candidate pair called derived: the ceiling
    load: tuple[str, str]
    minilm: float | None  # MiniLM's sentences a CPU-second, same run


def in_process(measure: Callable[..., Made], *arguments: object) -> Made:
    """`measure` in a fresh spawned interpreter, so its peak RSS is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(measure, *arguments).result()


def measure(size: int, fit_size: int) -> Results:
    load = load_average()
    with tempfile.TemporaryDirectory(prefix="newstrace-assembly-") as name:
        folder = Path(name)
        _note(f"fitting the assembly's cuts on {fit_size:,} articles (seed {FIT_SEED})")
        fit_jsonl, fit_pickled = prepare(folder, fit_size, FIT_SEED)
        fit, fitted_pairs = in_process(fit_on, fit_pickled, fit_jsonl)
        _note(f"cuts {fit.cuts} (F1 {fit.f1:.3f}); the scored pile: {size:,} (seed {SEED})")
        jsonl, pickled = prepare(folder, size, SEED)
        outcomes = [in_process(measure_newstrace, pickled),
                    in_process(measure_assembly, pickled, fit.cuts)]
        minilm = in_process(minilm_rate, pickled)
        quality = {o.label: pile.score_verdicts(o.verdicts, jsonl) for o in outcomes}
        candidates = {o.label: pile.score_verdicts(
            dict.fromkeys(set().union(*o.routes.values()), True), jsonl) for o in outcomes}
    return Results(size, fit_size, fit, fitted_pairs, outcomes, quality, candidates,
                   (load, load_average()), minilm)


# -- the report ---------------------------------------------------------------------------------


def step_rows(outcome: Outcome) -> list[str]:
    rows = [f"| {outcome.label}: step | CPU s | wall s |", "|---|---|---|"]
    rows += [f"| {name} | {cpu:,.1f} | {outcome.wall[name]:,.1f} |"
             for name, cpu in outcome.cpu.items()]
    return rows


def summary_rows(results: Results) -> list[str]:
    rows = ["| method | CPU s | articles a CPU-second | pairs looked at | sentences encoded | "
            "planted copies called derived | non-copies called derived (one story / two) | "
            "peak RSS MB (after loading) |", "|---|---|---|---|---|---|---|---|"]
    for outcome in results.outcomes:
        quality = results.quality[outcome.label]
        cpu = outcome.total_cpu
        cells = [outcome.label, f"{cpu:,.1f}", f"{outcome.articles / max(cpu, 1e-9):,.0f}",
                 f"{outcome.pairs:,}", f"{outcome.sentences:,}",
                 f"{quality.recall:.3f} ({sum(quality.found.values()):,}/"
                 f"{sum(quality.planted.values()):,})",
                 f"{quality.independent_derived:,} / {quality.crossed_derived:,}",
                 f"{outcome.peak_mb:,.0f} ({outcome.loaded_mb:,.0f})"]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def kind_rows(results: Results) -> list[str]:
    labels = [outcome.label for outcome in results.outcomes]
    head = ["kind", "planted"] + [f"{label}: candidates / derived" for label in labels]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    some = results.quality[labels[0]]
    for kind in pile.DERIVED_KINDS:
        planted = some.planted.get(kind, 0)
        cells = [kind, f"{planted:,}"]
        for label in labels:
            found = results.candidates[label].found.get(kind, 0)
            called = results.quality[label].found.get(kind, 0)
            cells.append(f"{found / max(planted, 1):.3f} / {called / max(planted, 1):.3f}")
        rows.append("| " + " | ".join(cells) + " |")
    for what in ("independent", "crossed", "sibling"):
        cells = [f"non-copies: {what} pairs called derived", ""]
        for label in labels:
            quality = results.quality[label]
            cells.append(f"{getattr(quality, what + '_derived'):,} of "
                         f"{getattr(quality, what + '_pairs'):,}")
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def minilm_note(results: Results) -> str:
    """Each method's CPU seconds with MiniLM in place of the static model: its encoding
    step at MiniLM's rate of this run, every other step as measured (an extrapolation)."""
    if results.minilm is None:
        return "MiniLM: not installed (the paraphrase extra), so no extrapolation."
    cells = []
    for outcome in results.outcomes:
        static = sum(cpu for name, cpu in outcome.cpu.items() if name.startswith("sentence"))
        total = outcome.total_cpu - static + outcome.sentences / results.minilm
        cells.append(f"{outcome.label} {total:,.0f} CPU-s ({outcome.articles / total:,.1f} "
                     f"articles a CPU-second)")
    return (f"With the int8 MiniLM in place of the static model (extrapolated, not run: "
            f"{results.minilm:,.0f} sentences a CPU-second measured in this run on 1,000 of "
            f"the pile's sentences, times the sentences each method encoded; every other step "
            f"as measured): " + "; ".join(cells) + ".")


def route_note(results: Results) -> str:
    assembly = next(o for o in results.outcomes if o.label == "assembly")
    lsh, near = assembly.routes["LSH"], assembly.routes["neighbours"]
    truth_found = {label: results.candidates[label].recall for label in results.candidates}
    return (f"Assembly candidates: LSH {len(lsh):,} pairs, nearest neighbours {len(near):,}, "
            f"both {len(lsh & near):,}. Planted copies among the candidates (the ceiling of "
            f"any verdict): " + ", ".join(f"{label} {share:.3f}"
                                          for label, share in truth_found.items()) + ".")


def run(size: int | None = None, fit_size: int | None = None) -> list[str]:
    size = size or int(os.environ.get(_ENV + "N", "10000"))
    fit_size = fit_size or int(os.environ.get(_ENV + "FIT_N", "10000"))
    results = measure(size, fit_size)
    fit = results.fit
    lines = [f"{size:,} articles of bench/pile.py (seed {SEED}); the assembly's cuts fitted on "
             f"{fit_size:,} articles of seed {FIT_SEED} ({results.fitted_pairs:,} labelled "
             f"candidate pairs): sentence cosine >= {fit.cuts.sentence}, share >= "
             f"{fit.cuts.share} (on the fitting pile F1 {fit.f1:.3f}, precision "
             f"{fit.precision:.3f}, recall {fit.recall:.3f}). Load average {results.load[0]} "
             f"at the start, {results.load[1]} at the end; {os.cpu_count()} cores.", "",
             *summary_rows(results), "", *kind_rows(results), "", route_note(results),
             "", minilm_note(results)]
    for outcome in results.outcomes:
        lines += ["", *step_rows(outcome)]
    return lines


def _arguments() -> tuple[int | None, int | None]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=None,
                        help=f"articles scored (default ${_ENV}N or 10,000)")
    parser.add_argument("--fit-articles", type=int, default=None,
                        help=f"articles the cuts are fitted on (default ${_ENV}FIT_N or 10,000)")
    parsed = parser.parse_args()
    return parsed.articles, parsed.fit_articles


if __name__ == "__main__":
    print("\n".join(run(*_arguments())))
