"""Aligning and relating candidate pairs on several cores.

Alignment is pure Python and numpy over two articles, so pairs spread over worker processes
give the same relations as one process, faster. Workers are spawned (not forked: the parent
holds a SQLite connection and, with paraphrase on, an ONNX runtime with threads of its own)
and each keeps its own `Aligner`; every chunk of pairs travels with the articles and sentence
vectors it needs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from types import TracebackType

from newstrace.records import Alignment, Article, Relation
from newstrace.stages.reuse.align import AlignConfig, Aligner
from newstrace.stages.reuse.embed import Vectors
from newstrace.stages.reuse.relate import RelateConfig, relate

Pair = tuple[str, str]
Related = tuple[Relation, Alignment]
_Job = tuple[list[Pair], dict[str, Article], dict[str, Vectors]]

_worker: tuple[Aligner, RelateConfig] | None = None  # set in each worker process


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def relate_pair(aligner: Aligner, config: RelateConfig, a: Article, b: Article,
                vectors: Mapping[str, Vectors]) -> Related:
    """Align two articles and relate them."""
    alignment = aligner.align(a, b, vectors.get(a.id), vectors.get(b.id))
    return relate(alignment, a, b, config), alignment


def relate_pairs(aligner: Aligner, config: RelateConfig, pairs: Sequence[Pair],
                 articles: Mapping[str, Article], vectors: Mapping[str, Vectors]) -> list[Related]:
    """Align and relate each pair, in order."""
    return [relate_pair(aligner, config, articles[a], articles[b], vectors) for a, b in pairs]


def _start_worker(align: AlignConfig, config: RelateConfig) -> None:
    global _worker
    _worker = (Aligner(align), config)


def _run_job(job: _Job) -> list[Related]:
    if _worker is None:  # pragma: no cover - the pool's initializer sets it
        raise RuntimeError("worker not started")
    pairs, articles, vectors = job
    return relate_pairs(*_worker, pairs, articles, vectors)


class Pending:
    """Relations being computed: already done, or futures of worker jobs in pair order."""

    def __init__(self, done: list[Related] | None = None,
                 futures: list[Future[list[Related]]] | None = None) -> None:
        self._done = done
        self._futures = futures or []

    def result(self) -> list[Related]:
        if self._done is None:
            self._done = [related for future in self._futures for related in future.result()]
        return self._done


class PairRelater:
    """Relates batches of pairs: in this process, or on `workers` processes when a batch has
    at least `min_parallel` pairs (starting processes costs about a second)."""

    def __init__(self, aligner: Aligner, config: RelateConfig, workers: int = 1,
                 min_parallel: int = 400) -> None:
        self.aligner = aligner
        self.config = config
        self.workers = max(workers, 1)
        self.min_parallel = min_parallel
        self._pool: Executor | None = None

    def relate(self, pairs: Sequence[Pair], articles: Mapping[str, Article],
               vectors: Mapping[str, Vectors]) -> list[Related]:
        return self.submit(pairs, articles, vectors).result()

    def submit(self, pairs: Sequence[Pair], articles: Mapping[str, Article],
               vectors: Mapping[str, Vectors]) -> Pending:
        """Start relating the pairs; on workers, this process is free meanwhile (to find
        the next batch's candidates) until `result()`."""
        if self.workers == 1 or len(pairs) < max(self.min_parallel, 2):
            return Pending(relate_pairs(self.aligner, self.config, pairs, articles, vectors))
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(self.aligner.config, self.config))
        chunks = self.workers * 4  # several chunks a worker: uneven pairs even out
        size = -(-len(pairs) // chunks)
        futures = []
        for start in range(0, len(pairs), size):
            part = list(pairs[start : start + size])
            ids = {x for pair in part for x in pair}
            futures.append(self._pool.submit(_run_job, (
                part, {i: articles[i] for i in ids}, {i: vectors[i] for i in ids if i in vectors})))
        return Pending(futures=futures)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def __enter__(self) -> PairRelater:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
