"""The memory runner: every stage over lists of records in memory, nothing kept.

The reference the other runners are held to: the local (SQLite) runner and the Spark runner
must give what this one gives on the same articles. It is also the natural entry for a job
that holds its articles already (an evaluation, a Spark partition).
"""

from __future__ import annotations

from collections.abc import Sequence

from newstrace.records import Article
from newstrace.runners.config import ReuseConfig
from newstrace.runners.parallel import PairRelater
from newstrace.stages.reuse.align import Aligner, Alignment
from newstrace.stages.reuse.candidates import candidate_pairs
from newstrace.stages.reuse.embed import SentenceEncoder, Vectors, encode_articles
from newstrace.stages.reuse.reconcile import reconciled
from newstrace.stages.reuse.relate import Relation
from newstrace.stages.reuse.sketch import Sketcher


def relate_in_memory(articles: Sequence[Article], encoder: SentenceEncoder | None,
                     config: ReuseConfig | None = None) -> list[tuple[Relation, Alignment]]:
    """Every candidate pair among `articles`, related, without a store (evaluations, Spark)."""
    config = config or ReuseConfig()
    sketcher = Sketcher(config.sketch)
    aligner = Aligner(config.align, sketcher.tokenizer)
    by_id = {article.id: article for article in articles}
    pairs = [(a, b) for a, b, _ in candidate_pairs(
        [sketcher.sketch(article) for article in articles], config.candidates)]
    vectors: dict[str, Vectors] = {}
    if encoder is not None:
        involved = sorted({x for pair in pairs for x in pair})
        vectors = encode_articles(encoder, [by_id[article_id] for article_id in involved])
    with PairRelater(aligner, config.relate, config.workers,
                     config.parallel_min_pairs) as relater:
        found = relater.relate(pairs, by_id, vectors)
    reconciled(found, config.reconcile)
    return found
