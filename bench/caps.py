"""Document-frequency caps of candidate search, measured on bench/pile.py's planted copies.

Candidate search skips a key carried by more articles than its kind's cap
(`CandidateConfig.key_limit`); the self-join of every runner emits, for each usable key, a
row per ordered pair of its carriers, so a cap bounds the join's rows by cap x postings. This
bench sketches piles of several sizes and seeds once (cached under `NEWSTRACE_BENCH_CAPS_DIR`,
default /tmp/newstrace-caps) and reports, per pile:

- the document frequency of each key kind (how many articles carry a key: quantiles over
  postings, keys above some counts, the largest);
- for each (anchor cap, wording cap) on a grid: the join's rows, the candidate pairs, and the
  planted copies found (a copy and its direct source are a candidate pair, or the same text),
  in all and in stories of 100 versions or more;
- which grid point is chosen on the training seeds (the smallest caps whose recall on every
  training pile equals the recall of the largest caps on the grid, by join rows) and what it
  gives on the held-out seed.

    NEWSTRACE_BENCH_CAPS_SIZES=10000,30000 NEWSTRACE_BENCH_CAPS_SEEDS=7,11,13 \\
        NEWSTRACE_BENCH_CAPS_HOLDOUT=13 python -m bench.caps

`python -m bench.caps pairs FOLDER...` prints the default candidate pairs of a folder's
articles (for comparing two commits on the evaluation sets).
"""

from __future__ import annotations

import os
import pickle
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from bench import pile
from newstrace.runners.memory import read_articles
from newstrace.stages.reuse.candidates import CandidateConfig
from newstrace.stages.reuse.key_join import (
    Carriers,
    KeyColumns,
    candidate_pairs,
    join_candidates,
    sketch_columns,
)
from newstrace.stages.reuse.sketch import KeyKind, Sketch, Sketcher

ANCHOR_CAPS = (25, 50, 100, 200, 400)
WORDING_CAPS = (100, 200, 400, 600, 1000, 2000)
# The join's work allowed per article, in rows (before the time window): a cost the runners
# can carry, chosen for the machine, not fitted. Recall rises with every cap on the grid (no
# plateau), so the caps are the best recall on the training piles within this budget.
ROWS_PER_ARTICLE = 1_000
BIG_STORY = 100  # versions: the wire stories whose reprints must still be found
# Grid points whose join would emit more rows than this are not run (numpy's join holds a few
# int64 columns of that length in memory).
MAX_ROWS = int(os.environ.get("NEWSTRACE_BENCH_CAPS_MAX_ROWS", "80000000"))


@dataclass(slots=True)
class Pile:
    """One pile's sketches and its planted copies (pile ids mapped to article ids)."""

    size: int
    seed: int
    sketches: list[Sketch]
    planted: list[tuple[str, str, str, int]]  # (copy, source, kind, story size) by article id
    same_text: set[frozenset[str]]


@dataclass(slots=True)
class Outcome:
    """One pile at one pair of caps: join rows, candidate pairs, planted copies found by
    part ("all", a kind, big stories)."""

    anchor_cap: int
    wording_cap: int
    articles: int
    rows: int
    pairs: int
    found: Counter[str] = field(default_factory=Counter)
    planted: Counter[str] = field(default_factory=Counter)

    def recall(self, part: str = "all") -> float:
        return self.found[part] / max(self.planted[part], 1)


def _folder() -> Path:
    folder = Path(os.environ.get("NEWSTRACE_BENCH_CAPS_DIR", "/tmp/newstrace-caps"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load_pile(size: int, seed: int) -> Pile:
    """The pile's sketches and planted copies, made once and cached."""
    cached = _folder() / f"pile-{size}-{seed}.sketches.pickle"
    if cached.exists():
        with cached.open("rb") as stream:  # plain values: readable whatever runs the bench
            return Pile(size, seed, *pickle.load(stream))
    jsonl = pile.write_jsonl(_folder() / f"pile-{size}-{seed}.jsonl", size, seed)
    articles = read_articles([str(jsonl)])
    by_pile = {article.source_id: article for article in articles.values()}
    sketcher = Sketcher()
    sketches = [sketcher.sketch(article) for article in articles.values()]
    made = list(pile.articles(size, seed))
    sizes = Counter(article.story for article in made)
    planted, same_text = [], set()
    for article in made:
        if article.source is None:
            continue
        copy, source = by_pile.get(article.id), by_pile.get(article.source)
        if copy is None or source is None:  # not read (too short, say): planted, not found
            planted.append((article.id, article.source, article.kind, sizes[article.story]))
            continue
        planted.append((copy.id, source.id, article.kind, sizes[article.story]))
        if copy.text_hash == source.text_hash:
            same_text.add(frozenset((copy.id, source.id)))
    loaded = Pile(size, seed, sketches, planted, same_text)
    with cached.open("wb") as stream:
        pickle.dump((loaded.sketches, loaded.planted, loaded.same_text), stream)
    return loaded


def carriers(sketches: Iterable[Sketch]) -> dict[KeyKind, np.ndarray]:
    """For each kind, the number of articles carrying each of its keys."""
    counts: dict[KeyKind, Counter[int]] = {kind: Counter() for kind in KeyKind}
    for sketch in sketches:
        for kind, keys in sketch.keys.items():
            counts[kind].update(keys)
    return {kind: np.array(list(found.values()), dtype=np.int64)
            for kind, found in counts.items()}


def join_rows(frequencies: dict[KeyKind, np.ndarray], anchor_cap: int, wording_cap: int) -> int:
    """The rows a self-join on usable keys emits: n(n-1) for a key on n articles."""
    rows = 0
    for kind, n in frequencies.items():
        cap = anchor_cap if kind is KeyKind.ANCHOR else wording_cap
        usable = n[(n >= 2) & (n <= cap)]
        rows += int((usable * (usable - 1)).sum())
    return rows


def growing(articles: int) -> tuple[int, int]:
    """The caps before 2026-12-07: 1% of the collection, at least 200 / 2,000 (anchors /
    wording), at most 2,000 / 20,000."""
    return (min(2_000, max(200, articles // 100)), min(20_000, max(2_000, articles // 100)))


def fixed(anchor_cap: int, wording_cap: int) -> CandidateConfig:
    """Candidate search with caps that do not grow with the collection."""
    return replace(CandidateConfig(), max_key_articles=anchor_cap,
                   max_wording_key_articles=wording_cap)


def outcome(loaded: Pile, columns: tuple[KeyColumns, Carriers],
            frequencies: dict[KeyKind, np.ndarray], anchor_cap: int,
            wording_cap: int) -> Outcome:
    """Candidate pairs as `key_join.candidate_pairs` finds them, at these caps."""
    rows, ids = columns
    found = join_candidates(np.arange(len(ids.ids)), rows, ids, len(ids.ids),
                            fixed(anchor_cap, wording_cap))
    pairs = {frozenset((ids.ids[q], ids.ids[c]))
             for q, c in zip(found.query.tolist(), found.candidate.tolist(), strict=True)}
    result = Outcome(anchor_cap, wording_cap, loaded.size,
                     join_rows(frequencies, anchor_cap, wording_cap), len(pairs))
    for copy, source, kind, story_size in loaded.planted:
        pair = frozenset((copy, source))
        hit = pair in pairs or pair in loaded.same_text
        parts = ["all", kind] + ([f"story>={BIG_STORY}"] if story_size >= BIG_STORY else [])
        for part in parts:
            result.planted[part] += 1
            result.found[part] += hit
    return result


def frequency_rows(loaded: Pile, frequencies: dict[KeyKind, np.ndarray]) -> list[str]:
    rows = []
    for kind, n in frequencies.items():
        weights = n.astype(np.float64)  # quantiles over postings: what an article meets
        order = np.argsort(n)
        cumulative = np.cumsum(weights[order]) / weights.sum()
        quantile = {q: int(n[order][np.searchsorted(cumulative, q)]) for q in (0.5, 0.9, 0.99)}
        above = " / ".join(f"{int((n > t).sum()):,}" for t in (50, 100, 200, 400, 1000))
        rows.append(f"| {loaded.size:,} | {loaded.seed} | {kind.name.lower()} | {len(n):,} | "
                    f"{int((n >= 2).sum()):,} | {quantile[0.5]} / {quantile[0.9]} / "
                    f"{quantile[0.99]} | {above} | {int(n.max())} |")
    return rows


def outcome_row(loaded: Pile, found: Outcome) -> str:
    big = (f"{found.found[f'story>={BIG_STORY}']:,} of {found.planted[f'story>={BIG_STORY}']:,}"
           if found.planted[f"story>={BIG_STORY}"] else "none")
    kinds = " / ".join(f"{found.found[kind]:,}" for kind in pile.DERIVED_KINDS)
    return (f"| {loaded.size:,} | {loaded.seed} | {found.anchor_cap} | {found.wording_cap} | "
            f"{found.rows / 1e6:.2f} | {found.pairs:,} | {found.found['all']:,} of "
            f"{found.planted['all']:,} ({found.recall():.4f}) | {kinds} | {big} |")


def choose(results: dict[tuple[int, int], list[Outcome]]) -> tuple[int, int]:
    """The caps with the most planted copies found (summed over the training piles) among
    those whose join stays within `ROWS_PER_ARTICLE` on every pile; ties to fewer rows."""
    complete = {caps: outcomes for caps, outcomes in results.items()
                if len(outcomes) == max(len(o) for o in results.values())}
    within = [caps for caps, outcomes in complete.items()
              if all(o.rows <= ROWS_PER_ARTICLE * o.articles for o in outcomes)]
    return max(within, key=lambda caps: (sum(o.found["all"] for o in complete[caps]),
                                         -sum(o.rows for o in complete[caps])))


def _ints(name: str, default: str) -> list[int]:
    found = [int(x) for x in os.environ.get(name, default).split(",") if x]
    if found or default:
        return found
    return list(ANCHOR_CAPS if name.endswith("ANCHOR") else WORDING_CAPS)


def grid_of(size: int) -> list[tuple[int, int]]:
    """The caps measured at this size: the grid (or `NEWSTRACE_BENCH_CAPS_ANCHOR` x
    `NEWSTRACE_BENCH_CAPS_WORDING`) and the growing caps of that size."""
    grid = [(a, w) for a in _ints("NEWSTRACE_BENCH_CAPS_ANCHOR", "")
            for w in _ints("NEWSTRACE_BENCH_CAPS_WORDING", "")]
    return grid if growing(size) in grid else [*grid, growing(size)]


def measure(loaded: Pile, table: list[str]) -> dict[tuple[int, int], Outcome]:
    """Each grid point's outcome on one pile (a row of `table` each, also printed)."""
    frequencies = carriers(loaded.sketches)
    columns = sketch_columns(loaded.sketches)
    measured = {}
    for anchor_cap, wording_cap in grid_of(loaded.size):
        rows = join_rows(frequencies, anchor_cap, wording_cap)
        if rows > MAX_ROWS:
            table.append(f"| {loaded.size:,} | {loaded.seed} | {anchor_cap} | {wording_cap} | "
                         f"{rows / 1e6:.2f} | not run (over the row budget) | | | |")
        else:
            measured[(anchor_cap, wording_cap)] = outcome(loaded, columns, frequencies,
                                                          anchor_cap, wording_cap)
            table.append(outcome_row(loaded, measured[(anchor_cap, wording_cap)]))
        print(table[-1], file=sys.stderr, flush=True)
    return measured


def main(sizes: Sequence[int], seeds: Sequence[int], holdout: int) -> list[str]:
    lines = ["| articles | seed | kind | keys | on 2+ | carriers p50 / p90 / p99 (over postings) "
             "| keys on > 50 / 100 / 200 / 400 / 1,000 | most |",
             "|---|---|---|---|---|---|---|---|"]
    table = ["| articles | seed | anchor cap | wording cap | join rows (M) | candidate pairs | "
             "planted copies found | of which duplicate / excerpt / spin / rewrite "
             "| in stories of 100+ |", "|---|---|---|---|---|---|---|---|---|"]
    train: dict[tuple[int, int], list[Outcome]] = {}
    held: dict[tuple[int, int], list[Outcome]] = {}
    for size in sizes:
        for seed in seeds:
            print(f"caps: pile {size} seed {seed}", file=sys.stderr, flush=True)
            loaded = load_pile(size, seed)
            lines += frequency_rows(loaded, carriers(loaded.sketches))
            print("\n".join(lines[-len(KeyKind):]), file=sys.stderr, flush=True)
            for caps, found in measure(loaded, table).items():
                (held if seed == holdout else train).setdefault(caps, []).append(found)
    summary = []
    if train:
        chosen = choose(train)
        summary.append(f"Chosen on seeds {sorted(set(seeds) - {holdout})}: anchor cap "
                       f"{chosen[0]}, wording cap {chosen[1]}.")
        for got in held.get(chosen, []):
            growing_caps = held.get(growing(got.articles), [])
            old = next((o for o in growing_caps if o.articles == got.articles), None)
            summary.append(
                f"Held-out seed {holdout}, {got.articles:,} articles: {got.found['all']:,} of "
                f"{got.planted['all']:,} planted copies ({got.recall():.4f}), join rows "
                f"{got.rows / 1e6:.2f} M" + (
                    f"; growing caps {growing(got.articles)}: {old.found['all']:,} "
                    f"({old.recall():.4f}), {old.rows / 1e6:.2f} M" if old else ""))
    return [*lines, "", *table, "", *summary]


def folder_pairs(folders: Sequence[str]) -> list[str]:
    """The default candidate pairs of the articles in `folders` (read as `newstrace analyze`
    reads them), one `a b` line a pair: run on two commits and compare."""
    articles = read_articles(list(folders))
    sketcher = Sketcher()
    return [f"{a} {b}" for a, b, _ in
            candidate_pairs([sketcher.sketch(article) for article in articles.values()])]


if __name__ == "__main__" and sys.argv[1:2] == ["pairs"]:
    print("\n".join(folder_pairs(sys.argv[2:])))
elif __name__ == "__main__":
    print("\n".join(main(_ints("NEWSTRACE_BENCH_CAPS_SIZES", "10000,30000"),
                         _ints("NEWSTRACE_BENCH_CAPS_SEEDS", "7,11,13"),
                         int(os.environ.get("NEWSTRACE_BENCH_CAPS_HOLDOUT", "13")))))
