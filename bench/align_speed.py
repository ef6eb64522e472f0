"""Align + relate alone, over the pairs an analysed store related, in this process: for a
before/after timing of that step and a byte-for-byte check that its output did not change.

    python -m bench.align_speed prepare 3000 /tmp/a.db           # synthetic (bench.scale's)
    python -m bench.align_speed prepare spread-dev /tmp/s.db     # an evaluation set
    python -m bench.align_speed run /tmp/a.db /tmp/after.jsonl   # align + relate every pair
    python -m bench.align_speed run /tmp/a.db /tmp/after.jsonl 2000   # the first 2,000
    cmp /tmp/before.jsonl /tmp/after.jsonl                       # the same output

`prepare` analyses the collection (an evaluation set with paraphrase detection, whose
sentence vectors the store then keeps; the synthetic one without, as bench.scale runs it).
`run` reads every pair the store related, the two articles and their stored vectors, aligns
and relates each pair as the runner's workers do (`relate_pairs`: one `Aligner`, pairs in
the runner's order), and writes each pair's relation and alignment (`relation_record`, every
passage and score) one a line; it prints the pairs and the CPU seconds of aligning alone."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench import synthetic
from bench.data import data_dir
from newstrace.collection import Collection
from newstrace.runners.parallel import relate_pairs
from newstrace.stages.reuse.align import Aligner
from newstrace.stages.reuse.relate import relation_record

SEED = 11  # bench.scale's collection


def prepare(source: str, db: Path) -> None:
    if source.isdigit():
        jsonl = synthetic.write_jsonl(db.with_suffix(".jsonl"), int(source), SEED)
        with Collection.open(db, paraphrase=False) as collection:
            collection.analyze([str(jsonl)])
    else:
        with Collection.open(db) as collection:
            collection.analyze([str(data_dir(source))])


def run(db: Path, out: Path, limit: int | None = None) -> None:
    with Collection.open(db, readonly=True) as collection:
        relater = collection._relater()
        pairs = [(a, b) for a, b in collection.store.connection.execute(
            "SELECT a, b FROM relations ORDER BY a, b")][:limit]
        articles = collection.store.articles_by_id({x for pair in pairs for x in pair})
        paraphrase = collection.store.connection.execute(
            "SELECT 1 FROM sentence_vectors LIMIT 1").fetchone() is not None
        vectors = relater._stored_vectors(list(articles.values())) if paraphrase else {}
        aligner = Aligner(relater.config.align, relater.sketcher.tokenizer)
        began = time.process_time()
        found = relate_pairs(aligner, relater.config.relate, pairs, articles, vectors)
        spent = time.process_time() - began
    with out.open("w", encoding="utf-8") as lines:
        for relation, alignment in found:
            lines.write(json.dumps(relation_record(relation, alignment), sort_keys=True) + "\n")
    print(f"{len(pairs)} pairs, paraphrase {'on' if paraphrase else 'off'}: "
          f"{spent:.1f} CPU-s aligning, {len(pairs) / max(spent, 1e-9):.0f} pairs a CPU-second")


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["prepare", source, db]:
            prepare(source, Path(db))
        case ["run", db, out]:
            run(Path(db), Path(out))
        case ["run", db, out, limit]:
            run(Path(db), Path(out), int(limit))
        case _:
            raise SystemExit(__doc__)
