"""Reuse detection speed on synthetic articles with planted copies (bench/synthetic.py).

- newstrace's lexical pipeline in memory (no sentence encoder), stage by stage: sketching,
  candidate search, aligning and relating every candidate pair; articles/s, candidate pairs,
  recall of the planted pairs and derived labels on pairs that were not planted.
- Baselines on the same texts: datasketch and (if installed) rensa MinHash LSH over word
  5-gram shingles, end to end (shingling, MinHash, LSH insert and query), against newstrace's
  lexical sketching (tokens, MinHash, LSH bands, a band index) and its full sketch + candidate
  search (with sentence and anchor keys, which find what MinHash cannot).
- The stored path: writing the articles to a `Store`, `Relater.relate_collection` over it
  (SQLite candidate index), and the latency of `Relater.check` for new query articles.

Of N articles, 5% are exact copies, 5% excerpts (a contiguous 40-70% of another article's
sentences) and 5% lightly edited copies (one or two words of each sentence replaced or
dropped, a sentence added) of distinct originals. Each measurement runs in its own spawned
process, so each peak RSS is its own. N is $NEWSTRACE_BENCH_REUSE_N (default 100,000);
$NEWSTRACE_BENCH_REUSE_FULL=0 leaves out everything but the lexical comparison with datasketch
and rensa, $NEWSTRACE_BENCH_REUSE_ALIGN=0 aligning and relating (the slow part of the
in-memory pipeline), $NEWSTRACE_BENCH_REUSE_STORE=0 the stored collection, and
$NEWSTRACE_BENCH_REUSE_RELATE=0 relating the stored collection (it is only indexed, which is
all `check` reads);
`python -m bench.reuse_speed --help` takes them as options.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from bench import phrasebook as pb
from bench import synthetic
from newstrace.ids import article_id, text_hash
from newstrace.records import DERIVED, Article, Sentence, SourceKind
from newstrace.runners.local.relating import Relater
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.reuse.align import Aligner
from newstrace.stages.reuse.key_join import candidate_pairs
from newstrace.stages.reuse.minhash import MinHashConfig, MinHasher, band_pairs
from newstrace.stages.reuse.relate import relate
from newstrace.stages.reuse.sketch import Sketcher
from newstrace.stages.reuse.tokens import Tokenizer

MB = 1_000_000
SEED = 11
KINDS = ("exact", "excerpt", "edited")
NUM_PERM = 128
SHINGLE = 5
LSH_THRESHOLD = 0.5
_ENV = "NEWSTRACE_BENCH_REUSE_"
_WORD = re.compile(r"\w+")
_STORE_BATCH = 1_000

Pair = tuple[str, str]


def _note(message: str) -> None:
    print(f"[reuse_speed] {message}", file=sys.stderr, flush=True)


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def peak_mb() -> float:
    """This process's peak RSS so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / MB


@dataclass(frozen=True, slots=True)
class Setup:
    """The collection's size, the share of each kind of planted copy, and the check queries."""

    articles: int = 100_000
    share: float = 0.05  # of the collection, for each kind of copy
    queries: int = 20
    seed: int = SEED
    align: bool = True  # align and relate every candidate pair in memory
    store: bool = True  # write a store, relate_collection, check
    relate: bool = True  # relate the stored collection (else only index it before the checks)
    full: bool = True  # newstrace's full sketch + candidates (else only the lexical comparison)

    @classmethod
    def from_env(cls) -> Setup:
        def number(name: str, default: int) -> int:
            value = os.environ.get(_ENV + name)
            return int(value.replace("_", "")) if value else default

        defaults = cls()
        return cls(articles=number("N", defaults.articles),
                   queries=number("QUERIES", defaults.queries),
                   align=bool(number("ALIGN", 1)), store=bool(number("STORE", 1)),
                   relate=bool(number("RELATE", 1)), full=bool(number("FULL", 1)))

    @property
    def copies(self) -> int:
        """Copies of each kind."""
        return round(self.articles * self.share)

    @property
    def originals(self) -> int:
        return self.articles - len(KINDS) * self.copies


# -- the collection -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Planted:
    """A planted copy: the copy's id, its source's id and how it was made."""

    copy: str
    source: str
    kind: str


@dataclass(slots=True)
class Corpus:
    """The articles, the planted pairs among them, and copies (not stored) to check."""

    articles: list[Article]
    planted: list[Planted]
    queries: list[tuple[Article, Planted]]

    @property
    def planted_pairs(self) -> dict[Pair, str]:
        return {_pair(p.copy, p.source): p.kind for p in self.planted}


# A few common words of the generator's sentences and a synonym an editor might use.
_SYNONYMS = {
    "said": "stated", "says": "states", "council": "authority", "plans": "proposals",
    "residents": "locals", "project": "scheme", "work": "works", "meeting": "session",
    "decision": "ruling", "concerns": "worries", "people": "residents", "costs": "expenses",
    "review": "inquiry", "expected": "likely", "public": "general", "figures": "numbers",
    "officials": "authorities", "report": "study", "funding": "money", "changes": "alterations",
    "approved": "backed", "described": "called", "months": "weeks", "local": "area",
}
_ADDED = (
    "Additional reporting by {person} in {place}.",
    "This article was updated on {weekday} with further comment from officials in {place}.",
    "{person} contributed to this report from {place}.",
    "The story was first published on {weekday} and has since been updated.",
)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(pb.FIRST_NAMES)} {rng.choice(pb.SURNAMES)}"


def _edit_sentence(rng: random.Random, sentence: str) -> str:
    """One or two lower-case words replaced by a synonym, or else dropped."""
    words = sentence.split(" ")
    editable = [i for i, word in enumerate(words[1:], 1) if word.isalpha() and word.islower()
                and len(word) > 3]
    for index in sorted(rng.sample(editable, min(rng.randint(1, 2), len(editable))),
                        reverse=True):
        synonym = _SYNONYMS.get(words[index])
        if synonym:
            words[index] = synonym
        else:
            del words[index]
    return " ".join(words)


def _edited_text(rng: random.Random, source: Article) -> str:
    """Every sentence lightly edited and one sentence added; what lies between sentences (the
    paragraph breaks) kept."""
    parts: list[str] = []
    cursor = 0
    added_after = rng.randrange(len(source.sentences))
    for sentence in source.sentences:
        parts.append(source.text[cursor : sentence.start])
        parts.append(_edit_sentence(rng, source.text[sentence.start : sentence.end]))
        if sentence.index == added_after:
            parts.append(" " + rng.choice(_ADDED).format(
                person=_person(rng), place=rng.choice(pb.PLACES),
                weekday=rng.choice(pb.WEEKDAYS)))
        cursor = sentence.end
    parts.append(source.text[cursor:])
    return "".join(parts)


def _excerpt_text(rng: random.Random, source: Article) -> str:
    """A contiguous 40-70% of the source's sentences."""
    count = len(source.sentences)
    length = max(1, round(count * rng.uniform(0.4, 0.7)))
    first = rng.randint(0, count - length)
    return source.text[source.sentences[first].start : source.sentences[first + length - 1].end]


def _article(splitter: SentenceSplitter, identifier: str, text: str, published: datetime,
             outlet: str, title: str) -> Article:
    return Article(id=identifier, source_path=f"bench/reuse/{identifier}.jsonl",
                   kind=SourceKind.JSONL, text=text, text_hash=text_hash(text), outlet=outlet,
                   title=title, published=published.isoformat(), source_key=identifier,
                   sentences=splitter.split(text))


def planted_copy(rng: random.Random, splitter: SentenceSplitter, identifier: str, source: Article,
          kind: str) -> Article:
    """A copy of `source` made as `kind` says, published by another outlet 1-72 hours later."""
    if kind == "exact":
        text = source.text
    elif kind == "excerpt":
        text = _excerpt_text(rng, source)
    else:
        text = _edited_text(rng, source)
    published = datetime.fromisoformat(source.published or "") + timedelta(
        hours=rng.randint(1, 72))
    outlet = rng.choice(synthetic.OUTLETS).name
    return _article(splitter, identifier, text, published, outlet, source.title or "")


def build_corpus(setup: Setup) -> Corpus:
    """Originals from bench/synthetic.py, then the planted copies, in a shuffled order."""
    rng = random.Random(setup.seed)
    splitter = SentenceSplitter()
    originals = []
    for index in range(setup.originals):
        made = synthetic.make_article(setup.seed, index)
        originals.append(_article(splitter, article_id(f"bench-reuse:{made.id}"), made.text,
                                  made.published, made.outlet.name, made.title))
    copies = len(KINDS) * setup.copies
    sources = rng.sample(originals, copies + setup.queries)
    articles = list(originals)
    planted = []
    for number, source in enumerate(sources[:copies]):
        kind = KINDS[number % len(KINDS)]
        copy = planted_copy(rng, splitter, article_id(f"bench-reuse:copy:{number}"), source, kind)
        articles.append(copy)
        planted.append(Planted(copy.id, source.id, kind))
    queries = []
    for number, source in enumerate(sources[copies:]):
        kind = KINDS[number % len(KINDS)]
        query = planted_copy(rng, splitter, article_id(f"bench-reuse:query:{number}"), source, kind)
        queries.append((query, Planted(query.id, source.id, kind)))
    rng.shuffle(articles)
    return Corpus(articles, planted, queries)


# Articles travel to the worker processes as plain tuples: pickling millions of Sentence
# dataclasses is several times slower than rebuilding them.

def _pack(article: Article) -> tuple[Any, ...]:
    return (article.id, article.text, article.text_hash, article.published, article.outlet,
            article.title, [(s.start, s.end) for s in article.sentences])


def _unpack(packed: tuple[Any, ...]) -> Article:
    identifier, text, hashed, published, outlet, title, spans = packed
    return Article(id=identifier, source_path=f"bench/reuse/{identifier}.jsonl",
                   kind=SourceKind.JSONL, text=text, text_hash=hashed, outlet=outlet,
                   title=title, published=published, source_key=identifier,
                   sentences=[Sentence(i, start, end) for i, (start, end) in enumerate(spans)])


def save_corpus(corpus: Corpus, path: Path) -> None:
    with open(path, "wb") as out:
        pickle.dump(([_pack(a) for a in corpus.articles], corpus.planted,
                     [(_pack(q), p) for q, p in corpus.queries]), out,
                    protocol=pickle.HIGHEST_PROTOCOL)


def load_corpus(path: Path) -> Corpus:
    with open(path, "rb") as stream:
        articles, planted, queries = pickle.load(stream)
    return Corpus([_unpack(a) for a in articles], planted,
                  [(_unpack(q), p) for q, p in queries])


# -- what each measurement returns ----------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    """One measured process: named timings, pairs found, planted pairs found, memory."""

    label: str
    articles: int
    seconds: dict[str, float] = field(default_factory=dict)
    pairs: int = 0
    found: Counter[str] = field(default_factory=Counter)  # planted kind -> pairs found
    derived: Counter[str] = field(default_factory=Counter)  # planted kind -> labelled derived
    labels: dict[str, Counter[str]] = field(default_factory=dict)  # planted kind -> labels
    relations: Counter[str] = field(default_factory=Counter)  # every label given
    false_derived: int = 0  # pairs not planted, labelled derived
    extra: dict[str, float] = field(default_factory=dict)
    loaded_mb: float = 0.0
    peak_mb: float = 0.0

    def rate(self, *stages: str) -> float:
        seconds = sum(self.seconds[stage] for stage in stages)
        return self.articles / seconds if seconds else 0.0


class _Clock:
    """Times named steps: `with clock("sketch"): ...`."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self._seconds = seconds

    def __call__(self, name: str) -> _Clock:
        self._name = name
        return self

    def __enter__(self) -> None:
        self._started = time.perf_counter()

    def __exit__(self, *_: object) -> None:
        self._seconds[self._name] = time.perf_counter() - self._started


def _count_found(outcome: Outcome, planted: dict[Pair, str], pairs: Iterable[Pair]) -> None:
    outcome.found.update(planted[pair] for pair in pairs if pair in planted)


def _count_labels(outcome: Outcome, planted: dict[Pair, str], labels: dict[Pair, str]) -> None:
    outcome.relations.update(labels.values())
    for pair, label in labels.items():
        kind = planted.get(pair)
        if kind is None:
            outcome.false_derived += label in DERIVED
            continue
        outcome.labels.setdefault(kind, Counter())[label] += 1
        outcome.derived[kind] += label in DERIVED


# -- the measurements (each in its own process) -------------------------------------------------


def measure_newstrace(path: Path, align: bool = True) -> Outcome:
    """Sketch, candidates, align + relate (unless not `align`), in memory, as
    `relate_in_memory` does them."""
    corpus = load_corpus(path)
    outcome = Outcome("newstrace", len(corpus.articles), loaded_mb=peak_mb())
    clock = _Clock(outcome.seconds)
    planted = corpus.planted_pairs
    sketcher = Sketcher()
    _note(f"newstrace: sketching {len(corpus.articles):,} articles")
    with clock("sketch"):
        sketches = [sketcher.sketch(article) for article in corpus.articles]
    outcome.extra["keys"] = sum(len(s.all_keys()) for s in sketches) / max(len(sketches), 1)
    _note("newstrace: candidate search")
    with clock("candidates"):
        pairs = {(a, b) for a, b, _ in candidate_pairs(sketches)}
    del sketches
    outcome.pairs = len(pairs)
    _count_found(outcome, planted, pairs)
    if not align:
        outcome.peak_mb = peak_mb()
        return outcome
    _note(f"newstrace: aligning and relating {len(pairs):,} pairs")
    by_id = {article.id: article for article in corpus.articles}
    aligner = Aligner(tokenizer=sketcher.tokenizer)  # as Relater and relate_in_memory share it
    labels = {}
    with clock("align"):
        for a, b in sorted(pairs):
            relation = relate(aligner.align(by_id[a], by_id[b]), by_id[a], by_id[b])
            labels[(a, b)] = relation.relation
    _count_labels(outcome, planted, labels)
    outcome.peak_mb = peak_mb()
    return outcome


def measure_lexical(path: Path) -> Outcome:
    """newstrace's lexical sketching alone, as datasketch is used: word tokens hashed once,
    shingled and MinHashed with numpy (`Tokenizer`, `MinHasher`), LSH band keys of all the
    signatures at once, then every pair sharing a band key (`band_pairs`, the batch form of
    inserting and querying every article). Its pairs come as row numbers, once each; they are
    turned into article ids for scoring outside the timed steps."""
    corpus = load_corpus(path)
    outcome = Outcome("newstrace lexical", len(corpus.articles), loaded_mb=peak_mb())
    clock = _Clock(outcome.seconds)
    tokenizer, hasher = Tokenizer(), MinHasher(MinHashConfig(num_perm=NUM_PERM, shingle=SHINGLE))
    _note(f"newstrace lexical: band keys of {len(corpus.articles):,} articles")
    with clock("sketch"):
        keys = hasher.band_keys(np.stack([hasher.signature(tokenizer.hashes(article.text))
                                          for article in corpus.articles]))
    _note("newstrace lexical: pairs sharing a band key")
    with clock("candidates"):
        found = band_pairs(keys)
    ids = [article.id for article in corpus.articles]
    pairs = {_pair(ids[first], ids[second]) for first, second in found.tolist()}
    hasher_config = hasher.config
    outcome.extra["bands"], outcome.extra["rows"] = hasher_config.bands, hasher_config.rows
    outcome.pairs = len(pairs)
    _count_found(outcome, corpus.planted_pairs, pairs)
    outcome.peak_mb = peak_mb()
    return outcome


def _shingles(text: str) -> list[bytes]:
    """Word 5-grams of the lower-cased text (the whole text when shorter)."""
    words = _WORD.findall(text.lower())
    return [" ".join(words[k : k + SHINGLE]).encode("utf-8")
            for k in range(max(len(words) - SHINGLE + 1, 1))]


def measure_datasketch(path: Path) -> Outcome:
    """datasketch MinHash + MinHashLSH: insert every article, then query every article."""
    from datasketch import MinHash, MinHashLSH

    corpus = load_corpus(path)
    outcome = Outcome("datasketch", len(corpus.articles), loaded_mb=peak_mb())
    clock = _Clock(outcome.seconds)
    _note(f"datasketch: MinHash of {len(corpus.articles):,} articles")
    with clock("sketch"):
        hashes = []
        for article in corpus.articles:
            minhash = MinHash(num_perm=NUM_PERM)
            minhash.update_batch(_shingles(article.text))
            hashes.append(minhash)
    _note("datasketch: LSH insert and query")
    with clock("candidates"):
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        for article, minhash in zip(corpus.articles, hashes, strict=True):
            lsh.insert(article.id, minhash)
        pairs = {_pair(article.id, other) for article, minhash in
                 zip(corpus.articles, hashes, strict=True)
                 for other in lsh.query(minhash) if other != article.id}
    outcome.extra["bands"], outcome.extra["rows"] = lsh.b, lsh.r
    outcome.pairs = len(pairs)
    _count_found(outcome, corpus.planted_pairs, pairs)
    outcome.peak_mb = peak_mb()
    return outcome


def rensa_bands(num_perm: int, threshold: float) -> int:
    """The band count, among the divisors of num_perm (rensa requires one), whose S-curve
    midpoint (1/b)**(1/r) is nearest the threshold."""
    divisors = [b for b in range(1, num_perm + 1) if num_perm % b == 0]
    return min(divisors, key=lambda b: abs((1 / b) ** (b / num_perm) - threshold))


def measure_rensa(path: Path) -> Outcome:
    """rensa RMinHash + RMinHashLSH, used as datasketch is: one object an article."""
    from rensa import RMinHash, RMinHashLSH

    corpus = load_corpus(path)
    outcome = Outcome("rensa", len(corpus.articles), loaded_mb=peak_mb())
    clock = _Clock(outcome.seconds)
    bands = rensa_bands(NUM_PERM, LSH_THRESHOLD)
    _note(f"rensa: MinHash of {len(corpus.articles):,} articles")
    with clock("sketch"):
        hashes = []
        for article in corpus.articles:
            minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
            minhash.update(_shingles(article.text))
            hashes.append(minhash)
    _note("rensa: LSH insert and query")
    ids = [article.id for article in corpus.articles]
    with clock("candidates"):
        lsh = RMinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, num_bands=bands)
        for key, minhash in enumerate(hashes):
            lsh.insert(key, minhash)
        pairs = {_pair(ids[key], ids[other]) for key, minhash in enumerate(hashes)
                 for other in lsh.query(minhash) if other != key}
    outcome.extra["bands"], outcome.extra["rows"] = bands, NUM_PERM // bands
    outcome.pairs = len(pairs)
    _count_found(outcome, corpus.planted_pairs, pairs)
    outcome.peak_mb = peak_mb()
    return outcome


def _batches(items: Sequence[Article], size: int) -> Iterator[list[Article]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _db_mb(db: Path) -> float:
    return sum(file.stat().st_size for file in db.parent.glob(db.name + "*")) / MB


def measure_store(path: Path, relate: bool = True) -> Outcome:
    """Store.write_batch, Relater.relate_collection (or, unless `relate`, only
    Relater.index_collection: what `check` reads), then Relater.check for each query."""
    corpus = load_corpus(path)
    outcome = Outcome("store", len(corpus.articles), loaded_mb=peak_mb())
    clock = _Clock(outcome.seconds)
    planted = corpus.planted_pairs
    with tempfile.TemporaryDirectory(prefix="newstrace-reuse-") as folder:
        db = Path(folder) / "reuse.db"
        with Store(db) as store:
            _note(f"store: writing {len(corpus.articles):,} articles")
            with clock("write"):
                for batch in _batches(corpus.articles, _STORE_BATCH):
                    store.write_batch(batch, {})
            if not relate:
                _note("store: index_collection")
                with clock("index"):
                    outcome.extra["sketched"] = len(Relater(store, None).index_collection())
                outcome.peak_mb = peak_mb()
                outcome.extra["db_mb"] = _db_mb(db)
                outcome.extra.update(check_queries(store, corpus.queries))
                return outcome
            _note("store: relate_collection (slow)")
            with clock("relate"):
                summary = Relater(store, None).relate_collection()
            # The peak before reading every relation back (with its passages) for scoring.
            outcome.peak_mb = peak_mb()
            outcome.pairs = summary.pairs
            outcome.extra["sketched"] = summary.sketched
            outcome.extra["db_mb"] = _db_mb(db)
            rows = ReuseTables(store).relations(include_unrelated=True)
            labels = {_pair(row["a"], row["b"]): str(row["relation"]) for row in rows}
            del rows
            _count_found(outcome, planted, labels)
            _count_labels(outcome, planted, labels)
            outcome.extra.update(check_queries(store, corpus.queries))
    return outcome


def check_queries(store: Store, queries: list[tuple[Article, Planted]]) -> dict[str, float]:
    """Latency of `Relater(store, None).check(query)` (a new Relater each time, as a `newstrace
    check` command makes one), and how many found their source as derived."""
    latencies = []
    found = 0
    for number, (query, planted) in enumerate(queries, 1):
        _note(f"store: check {number}/{len(queries)}")
        started = time.perf_counter()
        results = Relater(store, None).check(query)
        latencies.append(time.perf_counter() - started)
        found += any(relation.derived and planted.source in (relation.a, relation.b)
                     for relation, _ in results)
    if not latencies:
        return {}
    return {"check_median": statistics.median(latencies), "check_max": max(latencies),
            "check_first": latencies[0], "check_found": found, "checks": len(latencies)}


def in_process(measure: Callable[..., Outcome], *arguments: object) -> Outcome:
    """Run `measure` in a fresh spawned interpreter, so its peak RSS is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(measure, *arguments).result()


# -- the report -----------------------------------------------------------------------------------


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "n/a"


def _share(found: int, total: int) -> str:
    return f"{found / total:.3f} ({found:,}/{total:,})" if total else "n/a"


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def pipeline_rows(outcome: Outcome) -> list[str]:
    n, seconds = outcome.articles, outcome.seconds
    rows = [
        "| stage | seconds | articles/s | notes |", "|---|---|---|---|",
        f"| (a) sketch: `Sketcher().sketch` | {seconds['sketch']:.1f} | "
        f"{_rate(n, seconds['sketch'])} | {outcome.extra['keys']:.0f} keys an article |",
        f"| (b) candidates: one batch key join over every sketch (`key_join.candidate_pairs`) | "
        f"{seconds['candidates']:.1f} | {_rate(n, seconds['candidates'])} | "
        f"{outcome.pairs:,} candidate pairs ({outcome.pairs / max(n, 1):.1f} an article) |",
    ]
    memory = (f"peak RSS {outcome.peak_mb:,.0f} MB ({outcome.loaded_mb:,.0f} MB after loading "
              f"the articles)")
    if "align" not in seconds:
        return [*rows, "| (c) align + relate | left out | | |",
                f"| (a + b) | {seconds['sketch'] + seconds['candidates']:.1f} | "
                f"{outcome.rate('sketch', 'candidates'):,.0f} | {memory} |"]
    total = sum(seconds.values())
    return [*rows,
            f"| (c) align + relate: `Aligner().align` + `relate` for every pair | "
            f"{seconds['align']:.1f} | {_rate(n, seconds['align'])} | "
            f"{_rate(outcome.pairs, seconds['align'])} pairs/s |",
            f"| end to end (a + b + c) | {total:.1f} | {_rate(n, total)} | {memory} |"]


def planted_rows(newstrace: Outcome, store: Outcome | None, baselines: list[Outcome],
                 copies: int) -> list[str]:
    """Per kind of copy: found as a candidate, labelled derived, the labels given."""
    aligned = "align" in newstrace.seconds
    head = ["kind", "planted", "newstrace candidates"]
    if aligned:
        head += ["newstrace derived", "newstrace labels"]
    related = store is not None and "relate" in store.seconds
    if related:
        head.append("relate_collection derived")
    head += [f"{b.label} LSH pairs" for b in baselines]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for kind in KINDS:
        cells = [kind, f"{copies:,}", _share(newstrace.found[kind], copies)]
        if aligned:
            labels = ", ".join(f"{label} {count:,}" for label, count in
                               newstrace.labels.get(kind, Counter()).most_common())
            cells += [_share(newstrace.derived[kind], copies), labels or "none"]
        if related and store is not None:
            cells.append(_share(store.derived[kind], copies))
        cells += [_share(b.found[kind], copies) for b in baselines]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def comparison_rows(newstrace: Outcome | None, lexical: Outcome, baselines: list[Outcome],
                    planted: int) -> list[str]:
    rows = ["| method | sketch s | index + query s | articles/s end to end | pairs | "
            "planted pairs among them | peak RSS MB |", "|---|---|---|---|---|---|---|"]
    rows.append(
        f"| newstrace lexical: `Tokenizer` + `MinHasher` ({NUM_PERM}, "
        f"{lexical.extra['bands']:.0f} bands × {lexical.extra['rows']:.0f} rows) + band index | "
        f"{lexical.seconds['sketch']:.1f} | {lexical.seconds['candidates']:.1f} | "
        f"{lexical.rate('sketch', 'candidates'):,.0f} | {lexical.pairs:,} | "
        f"{_share(sum(lexical.found.values()), planted)} | {lexical.peak_mb:,.0f} |")
    if newstrace is not None:
        rows.append(
            f"| newstrace `Sketcher` + batch key join (`key_join.candidate_pairs`) | "
            f"{newstrace.seconds['sketch']:.1f} | {newstrace.seconds['candidates']:.1f} | "
            f"{newstrace.rate('sketch', 'candidates'):,.0f} | {newstrace.pairs:,} | "
            f"{_share(sum(newstrace.found.values()), planted)} | {newstrace.peak_mb:,.0f} "
            f"({'whole pipeline' if 'align' in newstrace.seconds else 'sketch + candidates'}) |")
    for baseline in baselines:
        shape = f"{baseline.extra['bands']:.0f} bands × {baseline.extra['rows']:.0f} rows"
        rows.append(
            f"| {baseline.label} MinHash({NUM_PERM}) + LSH(threshold {LSH_THRESHOLD}: "
            f"{shape}) | {baseline.seconds['sketch']:.1f} | "
            f"{baseline.seconds['candidates']:.1f} | "
            f"{baseline.rate('sketch', 'candidates'):,.0f} | {baseline.pairs:,} | "
            f"{_share(sum(baseline.found.values()), planted)} | {baseline.peak_mb:,.0f} |")
    return rows


def store_rows(store: Outcome) -> list[str]:
    n, seconds, extra = store.articles, store.seconds, store.extra
    rows = ["| step | articles | seconds | articles/s | notes |", "|---|---|---|---|---|",
            f"| `Store.write_batch`, batches of {_STORE_BATCH:,} | {n:,} | "
            f"{seconds['write']:.1f} | {_rate(n, seconds['write'])} | |"]
    if "index" in seconds:
        rows.append(
            f"| `Relater(store, None).index_collection()` (relating left out) | {n:,} | "
            f"{seconds['index']:.1f} | {_rate(n, seconds['index'])} | "
            f"{extra['sketched']:,.0f} sketched; DB {extra['db_mb']:,.0f} MB |")
    else:
        rows.append(
            f"| `Relater(store, None).relate_collection()` | {n:,} | {seconds['relate']:.1f} | "
            f"{_rate(n, seconds['relate'])} | {extra['sketched']:,.0f} sketched, "
            f"{store.pairs:,} pairs aligned; DB {extra['db_mb']:,.0f} MB |")
    if extra.get("checks"):
        rows.append(
            f"| `Relater(store, None).check(query)` | {extra['checks']:.0f} queries | median "
            f"{extra['check_median']:.2f}, max {extra['check_max']:.2f} | | first "
            f"{extra['check_first']:.2f} s; source found as derived for "
            f"{extra['check_found']:.0f}/{extra['checks']:.0f} |")
    if "index" in seconds:
        return [*rows, "", f"Peak RSS of this process {store.peak_mb:,.0f} MB."]
    return [*rows, "",
            f"Peak RSS of this process through relate_collection {store.peak_mb:,.0f} MB "
            f"({store.loaded_mb:,.0f} MB after loading the articles). Labels given by "
            f"relate_collection: {_label_summary(store)}; pairs not planted labelled derived: "
            f"{store.false_derived:,}."]


def _label_summary(outcome: Outcome) -> str:
    return ", ".join(f"{label} {count:,}" for label, count in outcome.relations.most_common())


def _have_rensa() -> bool:
    try:
        import rensa  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(slots=True)
class _Results:
    setup: Setup
    newstrace: Outcome | None
    lexical: Outcome
    baselines: list[Outcome]
    store: Outcome | None
    words: float
    planted: int
    generated: float
    load: tuple[str, str]


def _measure(setup: Setup) -> _Results:
    """Generate the collection, then run each measurement in its own process."""
    load = load_average()
    with tempfile.TemporaryDirectory(prefix="newstrace-bench-") as folder:
        path = Path(folder) / "corpus.pickle"
        _note(f"generating {setup.articles:,} articles")
        started = time.perf_counter()
        corpus = build_corpus(setup)
        save_corpus(corpus, path)
        generated = time.perf_counter() - started
        words = sum(article.words for article in corpus.articles) / len(corpus.articles)
        planted = len(corpus.planted)
        del corpus
        newstrace = in_process(measure_newstrace, path, setup.align) if setup.full else None
        baselines = [in_process(measure_datasketch, path)]
        if _have_rensa():
            baselines.append(in_process(measure_rensa, path))
        lexical = in_process(measure_lexical, path)
        store = (in_process(measure_store, path, setup.relate)
                 if setup.store and setup.full else None)
    return _Results(setup, newstrace, lexical, baselines, store, words, planted, generated,
                    (load, load_average()))


def _inputs_note(results: _Results) -> str:
    setup = results.setup
    return (f"Inputs: {setup.articles:,} articles averaging {results.words:.0f} words: "
            f"{setup.originals:,} originals from bench/synthetic.py (seed {setup.seed}) and "
            f"{setup.copies:,} each of exact copies, excerpts (40-70% of the sentences, "
            f"contiguous) and edited copies (1-2 words of each sentence replaced or dropped, a "
            f"sentence added) of distinct originals, published 1-72 hours after them; generated "
            f"and sentence-split in {results.generated:.0f} s. Each method ran in its own "
            f"process, one after the other, on {os.cpu_count()} cores (load average "
            f"{results.load[0]} at the start, {results.load[1]} at the end); a pair counts as "
            f"found in either order. Check queries are {setup.queries} further copies (of the "
            f"same three kinds) of stored originals, not stored themselves.")


def run(setup: Setup | None = None) -> list[str]:
    """Every measurement, as markdown: sub-headings, tables and notes."""
    results = _measure(setup or Setup.from_env())
    newstrace, baselines, store = results.newstrace, results.baselines, results.store
    datasketch = baselines[0].rate("sketch", "candidates")
    lexical_ratio = results.lexical.rate("sketch", "candidates") / datasketch
    if newstrace is None:
        return ["### Lexical sketching against MinHash LSH", "",
                *comparison_rows(None, results.lexical, baselines, results.planted), "",
                f"newstrace's lexical sketching and LSH run at {lexical_ratio:.2f}× "
                f"datasketch's end-to-end speed (target: ≥ 3×).", "", _inputs_note(results)]
    ratio = newstrace.rate("sketch", "candidates") / datasketch
    lines = ["### newstrace lexical pipeline, in memory (encoder None)", "",
             *pipeline_rows(newstrace), ""]
    if "align" in newstrace.seconds:
        lines += [f"Labels given: {_label_summary(newstrace)}. Pairs not planted labelled "
                  f"derived: {newstrace.false_derived:,}.", ""]
    lines += ["### Planted pairs found", "",
              *planted_rows(newstrace, store, baselines, results.setup.copies), "",
              "### Sketch + candidate search against MinHash LSH", "",
              *comparison_rows(newstrace, results.lexical, baselines, results.planted), "",
              f"newstrace's lexical sketching and LSH run at {lexical_ratio:.2f}× datasketch's "
              f"end-to-end speed (target: ≥ 3×); its full sketch (with sentence and anchor keys) "
              f"+ candidate search at {ratio:.2f}×."]
    if not _have_rensa():
        lines.append("rensa: skipped, not installed (`pip install rensa`).")
    if store is not None:
        lines += ["", "### Stored collection: relate_collection and check", "",
                  *store_rows(store)]
    return [*lines, "", _inputs_note(results)]


def _arguments() -> Setup:
    defaults = Setup.from_env()
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=defaults.articles,
                        help=f"articles in the collection (default ${_ENV}N or 100,000)")
    parser.add_argument("--queries", type=int, default=defaults.queries,
                        help="query articles timed with Relater.check")
    parser.add_argument("--no-align", dest="align", action="store_false", default=defaults.align,
                        help="leave out aligning and relating the candidate pairs in memory")
    parser.add_argument("--no-store", dest="store", action="store_false", default=defaults.store,
                        help="leave out the stored collection (relate_collection and check)")
    parser.add_argument("--no-relate", dest="relate", action="store_false",
                        default=defaults.relate,
                        help="only index the stored collection before timing check (hours "
                             "faster at 100,000 articles; check reads the index, not relations)")
    parser.add_argument("--lexical-only", dest="full", action="store_false",
                        default=defaults.full,
                        help="only newstrace's lexical sketching against datasketch and rensa")
    parsed = parser.parse_args()
    return Setup(articles=parsed.articles, queries=parsed.queries, align=parsed.align,
                 store=parsed.store and parsed.full, relate=parsed.relate, full=parsed.full)


if __name__ == "__main__":
    print("\n".join(run(_arguments())))
