"""Relating pairs with the sentence model the settings name (stages/reuse/cascade.py).

`minilm` and `static` relate each batch once, on one encoder's vectors. `cascade` relates it
on the static model's vectors, then relates again, on MiniLM's vectors, only the pairs whose
static verdict is undecided; MiniLM encodes only those pairs' articles, through
`full_vectors` (the local runner caches them in its store).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import TracebackType

from newstrace.records import Article
from newstrace.runners.config import ReuseConfig
from newstrace.runners.parallel import Pair, PairRelater, Pending, Related
from newstrace.stages.reuse.align import Aligner
from newstrace.stages.reuse.cascade import CascadeConfig, static_align, static_relate
from newstrace.stages.reuse.embed import Vectors
from newstrace.stages.reuse.tokens import Tokenizer

FullVectors = Callable[[list[Article]], Mapping[str, Vectors]]


class Deferred(Pending):
    """Relations computed when first asked for (after the batch's static verdicts)."""

    def __init__(self, compute: Callable[[], list[Related]]) -> None:
        super().__init__()
        self._compute = compute

    def result(self) -> list[Related]:
        if self._done is None:
            self._done = self._compute()
        return self._done


class CascadeRelater:
    """Relates on the static model's vectors; pairs it leaves undecided, on MiniLM's."""

    def __init__(self, static: PairRelater, full: PairRelater, band: CascadeConfig,
                 full_vectors: FullVectors) -> None:
        self.static = static
        self.full = full
        self.band = band
        self.full_vectors = full_vectors
        self.sent = 0  # pairs related again on MiniLM's vectors
        self.encoded: set[str] = set()  # articles whose MiniLM vectors those pairs needed

    def relate(self, pairs: Sequence[Pair], articles: Mapping[str, Article],
               vectors: Mapping[str, Vectors]) -> list[Related]:
        return self.submit(pairs, articles, vectors).result()

    def submit(self, pairs: Sequence[Pair], articles: Mapping[str, Article],
               vectors: Mapping[str, Vectors]) -> Pending:
        """Start the static pass; the MiniLM pass runs when the result is asked for."""
        first = self.static.submit(pairs, articles, vectors)
        return Deferred(lambda: self._escalate(first.result(), articles))

    def _escalate(self, found: list[Related],
                  articles: Mapping[str, Article]) -> list[Related]:
        chosen = [k for k, (relation, _) in enumerate(found) if self.band.undecided(relation)]
        if not chosen:
            return found
        pairs = [(found[k][0].a, found[k][0].b) for k in chosen]
        involved = sorted({x for pair in pairs for x in pair})
        vectors = self.full_vectors([articles[x] for x in involved])
        self.encoded.update(involved)
        redone = self.full.relate(pairs, articles, vectors)
        self.sent += len(chosen)
        out = list(found)
        for k, related in zip(chosen, redone, strict=True):
            out[k] = related
        return out

    def close(self) -> None:
        self.static.close()
        self.full.close()

    def __enter__(self) -> CascadeRelater:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def pair_relater(config: ReuseConfig, tokenizer: Tokenizer | None = None,
                 full_vectors: FullVectors | None = None) -> PairRelater | CascadeRelater:
    """The relater `config.encoder` asks for (`full_vectors`: MiniLM's vectors of the
    articles of undecided pairs, required for the cascade)."""
    def relater(static: bool) -> PairRelater:
        align = static_align(config.align) if static else config.align
        relate = static_relate(config.relate) if static else config.relate
        return PairRelater(Aligner(align, tokenizer), relate, config.workers,
                           config.parallel_min_pairs)

    if config.encoder == "minilm":
        return relater(static=False)
    if config.encoder == "static":
        return relater(static=True)
    if full_vectors is None:
        raise ValueError("the cascade needs a source of MiniLM vectors")
    return CascadeRelater(relater(static=True), relater(static=False), config.cascade,
                          full_vectors)
