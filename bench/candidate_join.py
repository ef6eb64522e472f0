"""Candidate search over a stored collection two ways, for a side-by-side run and an equality
check: article by article (`find_candidates` over the store's postings, the local runner
until issue 21's batch join) and the batch join (`Relater`'s, `stages.reuse.key_join`).

    python -m bench.candidate_join prepare 10000 /tmp/c.db    # ingest + sketch, once
    python -m bench.candidate_join pairs /tmp/c.db join /tmp/join.txt
    python -m bench.candidate_join pairs /tmp/c.db each /tmp/each.txt
    cmp /tmp/join.txt /tmp/each.txt                           # the same pairs

Each `pairs` run finds the candidates of every stored article from sketches read back from
the store's key table (no text is sketched again) and writes the distinct pairs, sorted, one
a line; time the two with `farm-bench ... --vs ...`."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from bench import synthetic
from newstrace.collection import Collection
from newstrace.runners.local.relating import Relater
from newstrace.runners.local.store.db import Store
from newstrace.stages.reuse.candidates import find_candidates, ordered_pair
from newstrace.stages.reuse.sketch import KeyKind, Sketch

SEED = 11  # bench.scale's collection
BATCH = 500  # the local runner's batch


def prepare(count: int, db: Path) -> None:
    jsonl = synthetic.write_jsonl(db.with_suffix(".jsonl"), count, SEED)
    with Collection.open(db, paraphrase=False) as collection:
        collection.ingest([str(jsonl)])
        Relater(collection.store, None).index_collection()


def stored_sketches(store: Store) -> dict[str, Sketch]:
    """Each article's sketch as its keys are stored."""
    keys: dict[str, dict[KeyKind, set[int]]] = defaultdict(lambda: {k: set() for k in KeyKind})
    for key, article_id, kind in store.connection.execute(
            "SELECT key, article_id, kind FROM sketch_keys"):
        keys[article_id][KeyKind(kind)].add(key)
    return {article_id: Sketch(article_id, published, words, keys[article_id])
            for article_id, published, words in store.connection.execute(
                "SELECT s.article_id, a.published, s.words FROM sketches s JOIN articles a "
                "ON a.id = s.article_id ORDER BY s.article_id")}


def pairs(db: Path, way: str) -> list[tuple[str, str]]:
    with Store(db) as store:
        relater = Relater(store, None)
        sketches = stored_sketches(store)
        ids = list(sketches)
        found: set[tuple[str, str]] = set()
        if way == "each":
            for sketch in sketches.values():
                found.update(ordered_pair(sketch.article_id, c.article_id) for c in
                             find_candidates(sketch, relater.tables, relater.config.candidates))
        else:
            carriers = relater._carriers()  # the runner's own two steps
            for start in range(0, len(ids), BATCH):
                found.update(relater._new_pairs(
                    ids[start : start + BATCH], set(), sketches, carriers))
    return sorted(found)


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["prepare", count, db]:
            prepare(int(count), Path(db))
        case ["pairs", db, ("each" | "join") as way, out]:
            Path(out).write_text("".join(f"{a} {b}\n" for a, b in pairs(Path(db), way)))
        case _:
            raise SystemExit(__doc__)
