"""ecbplus-dev as `newstrace analyze` stores it, built once and kept: what fitting the story
threshold on the whole analyze path reads (issue 19, `bench.story_analyze_cv`).

Relating (alignment, paraphrase detection, the derivation model) is the slow part of a run
(about 7 minutes for ecbplus-dev with paraphrase on); clustering is a second. So each
collection (the whole corpus, and each topic as its own) is ingested and related once with
`Collection.add`, as `newstrace analyze` does, and its store kept in a cache folder outside
the repository ($NEWSTRACE_BENCH_CACHE, else bench/out/analyzed; bench/out is not tracked).
Each fold then re-clusters from the stored event terms, document frequencies and verdicts.

A store is named by a digest of its input and of the code that relates (the package's source
but the story stage), so a change to the reuse stages builds it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import newstrace
from newstrace.collection import Collection
from newstrace.records import Related
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.runners.local.store.stories import StoryTables
from newstrace.stages.stories.cluster import ClusterConfig
from newstrace.stages.stories.events import Terms, event_terms
from newstrace.stages.stories.signals import EventFacts, article_facts

CACHE_ENV = "NEWSTRACE_BENCH_CACHE"


def cache_dir() -> Path:
    default = Path(__file__).resolve().parent / "out" / "analyzed"
    return Path(os.environ.get(CACHE_ENV, default))


def code_digest(stories: bool = False) -> str:
    """A digest of the package's source but its story stage (or, with `stories`, of the story
    stage alone): a store related by other code is not reused; the stories are re-clustered
    by every fold, so changing them does not need relating again."""
    root = Path(newstrace.__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(root.rglob("*.py")):
        name = str(path.relative_to(root))
        if name.startswith("stages/stories/") == stories:
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Analyzed:
    """One related collection, as its story builder reads it on a first run (every article
    in scope), keyed by the input's ids (ECB+ doc ids)."""

    terms: dict[str, Terms]
    df: dict[int, int]
    total: int
    relations: list[Related]
    facts: dict[str, EventFacts]  # what the shipped penalty reads (`article_facts`)
    stories: dict[str, str]  # doc -> story id, as the run stored them
    stories_code: str  # `code_digest(stories=True)` of the code that stored them
    texts: dict[str, str]  # doc -> its text as the store keeps it (cleaned)


def analyzed(name: str, texts: Mapping[str, str], *, paraphrase: bool = True,
             folder: Path | None = None) -> Analyzed:
    """The collection of `texts` (doc id -> text) after `Collection.add`, built once."""
    records = "".join(json.dumps({"id": doc, "text": text.replace("\n", "\n\n")}) + "\n"
                      for doc, text in sorted(texts.items()))
    key = hashlib.blake2b((records + str(paraphrase) + code_digest()).encode(),
                          digest_size=8).hexdigest()
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{key}.db"
    if not path.is_file():
        # One sentence a line in ECB+: paragraphs, so the sentence splitter keeps them.
        source = folder / f"{name}-{key}.jsonl"
        source.write_text(records, encoding="utf-8")
        building = path.with_suffix(".part")
        building.unlink(missing_ok=True)
        with Collection(building, paraphrase=paraphrase) as news:
            news.add([str(source)])
        source.unlink()
        building.rename(path)
        path.with_suffix(".json").write_text(json.dumps({"stories_code": code_digest(True)}))
    return read(path)


def read(path: Path) -> Analyzed:
    built = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    with Collection(path, readonly=True, paraphrase=False) as news:
        store = news.store
        articles = {a.id: a for a in store.articles()}
        doc = {article_id: str(a.source_id) for article_id, a in articles.items()}
        tables = StoryTables(store)
        ids = sorted(articles)
        # The story stage's terms, read again from the stored text (what the store holds when
        # the story code is the one that stored them: a change to event terms needs no
        # relating), with their document frequencies over the whole collection.
        stored = {a: event_terms(articles[a].text) for a in ids}
        df = dict(Counter(term for items in stored.values() for term in items))
        relations = [(replace(relation, a=doc[relation.a], b=doc[relation.b]), alignment)
                     for relation, alignment in ReuseTables(store).verdicts(ids)]
        penalty = ClusterConfig().penalty
        return Analyzed({doc[a]: items for a, items in stored.items()}, df, len(ids),
                        relations,
                        {doc[a]: article_facts(articles[a], penalty) for a in ids},
                        {doc[a]: story for a, story in tables.story_of(ids).items()},
                        built["stories_code"], {doc[a]: articles[a].text for a in ids})

