"""Labelled pairs for the derivation model: the project's corpus, spread-dev and wild-dev.

Each example is one pair of articles of one group with its true label (excerpt, spin,
rewrite, partial, duplicate or independent) and the scores `relate` sees for it. Groups are
the unit of cross-validation: a spread-dev group and the wild-dev group built from the same
texts share one group key, so they are always held out together.

The corpus (corpus/derivation/, see its README) is validated as it is read: a group whose
files are missing, empty or unparseable, whose labels name roles it lacks, or that leaves an
independent report unlabelled against another member, is dropped with the reason, and the
caller reports how many.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newstrace.records import Article
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.store.db import Store
from newstrace.stages.reuse.align import AlignConfig, Aligner
from newstrace.stages.reuse.embed import (
    SentenceEncoder,
    Vectors,
    article_sentences,
    encode_articles,
    kept_precision,
)
from newstrace.stages.reuse.relate import pair_scores

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "derivation"
# A group holds its base, one to three independent reports written from the same fact sheet
# by different outlets, and any of the base's derivatives (the a- and b- groups hold all four
# and one independent; the c- and d- groups vary both, so that "the odd one out" of a group is
# not learnable from the corpus's make-up).
DERIVED_ROLES = ("spin", "rewrite", "excerpt", "partial")
INDEPENDENT_ROLES = ("independent", "independent2", "independent3")
REQUIRED_ROLES = ("base", "independent")
CORPUS_ROLES = ("base", *DERIVED_ROLES, *INDEPENDENT_ROLES)
LABELS = ("duplicate", "excerpt", "spin", "rewrite", "partial", "independent")
CACHE = Path(__file__).resolve().parent / "out" / "derivation-cache.json"
VECTOR_CACHE = Path(__file__).resolve().parent / "out" / "derivation-vectors.npz"
_SOURCES = ("stages/reuse/align.py", "stages/reuse/embed.py", "stages/reuse/features.py",
            "stages/reuse/verbatim.py", "stages/reuse/relate.py", "stages/reuse/tokens.py",
            "stages/reuse/sketch.py", "stages/reuse/wording.py", "stages/extract",
            "stages/clean", "stages/articles.py")


# A guard against empty or truncated files, not a length rule: an excerpt of a short brief
# (30-60% of an 80-word base) is a real shape, and short briefs are where verdicts are hardest.
MIN_BODY_WORDS = 25


class CorpusError(Exception):
    """A corpus group cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True, slots=True)
class LabelledPair:
    group: str
    dataset: str
    a: str  # role
    b: str
    label: str
    share: float | None = None  # for a partial: the share of its sentences from the base


SIBLING = "sibling"  # two derivatives of one base: unlabelled, kept for reconcile's triangles


@dataclass(slots=True)
class Example:
    pair: LabelledPair
    scores: dict[str, float]
    paraphrase: bool
    spans_a: tuple[tuple[int, int], ...] = ()  # each side's aligned passages
    spans_b: tuple[tuple[int, int], ...] = ()


@dataclass(slots=True)
class Loaded:
    """The groups read from one data set: files by (group, role), pairs, problems."""

    dataset: str
    files: dict[tuple[str, str], Path] = field(default_factory=dict)
    pairs: list[LabelledPair] = field(default_factory=list)
    dropped: dict[str, str] = field(default_factory=dict)  # group -> why

    @property
    def groups(self) -> list[str]:
        return sorted({group for group, _ in self.files})

    def with_siblings(self) -> list[LabelledPair]:
        """The labelled pairs and, for every other pair of one group's roles, a sibling."""
        labelled = {(p.group, frozenset((p.a, p.b))) for p in self.pairs}
        found = list(self.pairs)
        for group in self.groups:
            roles = sorted(role for g, role in self.files if g == group)
            found += [LabelledPair(group, self.dataset, a, b, SIBLING)
                      for i, a in enumerate(roles) for b in roles[i + 1 :]
                      if (group, frozenset((a, b))) not in labelled]
        return found


# -- the project's corpus -----------------------------------------------------------------------


def load_corpus(folder: Path = CORPUS) -> Loaded:
    """Every complete, valid group in the corpus folder; the others in `dropped`."""
    loaded = Loaded("corpus")
    if not folder.is_dir():
        raise CorpusError(f"{folder}: corpus folder not found (it is committed with the "
                          "project under corpus/derivation/)")
    groups = sorted({path.name.split(".")[0] for path in folder.glob("*.labels.json")})
    for group in groups:
        try:
            files, pairs = _corpus_group(folder, group)
        except CorpusError as error:
            loaded.dropped[group] = str(error)
            continue
        loaded.files.update(((group, role), path) for role, path in files.items())
        loaded.pairs.extend(pairs)
    return loaded


def _corpus_group(folder: Path, group: str) -> tuple[dict[str, Path], list[LabelledPair]]:
    files = {}
    for role in CORPUS_ROLES:
        path = folder / f"{group}.{role}.txt"
        if not path.is_file():
            if role in REQUIRED_ROLES:
                raise CorpusError(f"{path.name}: missing (a group needs {REQUIRED_ROLES}, "
                                  f"and may hold any of {CORPUS_ROLES})")
            continue
        _check_article(path)
        files[role] = path
    strays = sorted(path.name for path in folder.glob(f"{group}.*.txt")
                    if path.name.split(".")[1] not in CORPUS_ROLES)
    if strays:
        raise CorpusError(f"{strays[0]}: not a corpus role (roles are {CORPUS_ROLES}); rename "
                          "or remove it")
    if not set(files) & set(DERIVED_ROLES):
        raise CorpusError(f"{group}: no derivative of the base (a group needs one or more of "
                          f"{DERIVED_ROLES})")
    facts = _json(folder / f"{group}.facts.json")
    if not isinstance(facts, dict) or not facts.get("facts"):
        raise CorpusError(f"{group}.facts.json: no \"facts\" list")
    labels = _json(folder / f"{group}.labels.json")
    if not isinstance(labels, dict) or not isinstance(labels.get("pairs"), list):
        raise CorpusError(f"{group}.labels.json: no \"pairs\" list")
    pairs = []
    for item in labels["pairs"]:
        try:
            a, b, label = item["a"], item["b"], item["label"]
        except (KeyError, TypeError) as error:
            raise CorpusError(f"{group}.labels.json: a pair lacks {error}") from error
        if a not in files or b not in files or label not in LABELS:
            raise CorpusError(f"{group}.labels.json: pair {a}-{b} labelled {label!r}: roles must "
                              f"be among the group's files {sorted(files)}, labels among "
                              f"{LABELS}")
        if bool(item.get("derived")) != (label != "independent"):
            raise CorpusError(f"{group}.labels.json: pair {a}-{b}: \"derived\" contradicts "
                              f"the label {label!r}")
        if (a in INDEPENDENT_ROLES or b in INDEPENDENT_ROLES) != (label == "independent"):
            raise CorpusError(f"{group}.labels.json: pair {a}-{b} labelled {label!r}: a pair is "
                              "independent exactly when one side is an independent report")
        share = item.get("share")
        pairs.append(LabelledPair(group, "corpus", a, b, label,
                                  float(share) if share is not None else None))
    named = {frozenset((p.a, p.b)) for p in pairs}
    unlabelled = sorted(f"{a}-{b}" for a in files if a in INDEPENDENT_ROLES for b in files
                        if b != a and frozenset((a, b)) not in named)
    if unlabelled:
        raise CorpusError(f"{group}.labels.json: lacks the pairs {', '.join(unlabelled)} (each "
                          "independent report is labelled against every other member)")
    if not any(p.label != "independent" for p in pairs):
        raise CorpusError(f"{group}.labels.json: needs derived and independent pairs")
    return files, pairs


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CorpusError(f"{path.name}: missing") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise CorpusError(f"{path.name}: not valid JSON ({error}); fix the file or remove the "
                          "group") from error


def _check_article(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path.name}: not UTF-8 ({error})") from error
    headline, _, body = text.strip().partition("\n")
    if not headline.strip() or len(body.split()) < MIN_BODY_WORDS:
        raise CorpusError(f"{path.name}: needs a headline line, a blank line and a body of at "
                          f"least {MIN_BODY_WORDS} words")


# -- spread-dev and wild-dev --------------------------------------------------------------------


def load_spread(folder: Path) -> Loaded:
    """spread-dev: base, spin, rewrite and independent per group."""
    loaded = Loaded("spread-dev")
    for path in sorted(folder.glob("b*.*.txt")):
        group, role = path.name.split(".")[:2]
        loaded.files[(group, role)] = path
    for group in loaded.groups:
        roles = {role for g, role in loaded.files if g == group}
        loaded.pairs += [LabelledPair(group, "spread-dev", derived, "base", derived)
                         for derived in ("spin", "rewrite") if derived in roles]
        loaded.pairs += [LabelledPair(group, "spread-dev", "independent", other, "independent")
                         for other in sorted(roles - {"independent"})]
    return loaded


def load_wild(folder: Path) -> Loaded:
    """wild-dev: each group's pages, with the derived role pairs its labels list and the
    independent report against every other page."""
    loaded = Loaded("wild-dev")
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    for name, meta in sorted(labels["files"].items()):
        loaded.files[(meta["group"], meta["role"])] = folder / name
    independent = set(labels["independent_roles"])
    for group in loaded.groups:
        roles = {role for g, role in loaded.files if g == group}
        for a, b, relation in labels["derived"]:
            if a in roles and b in roles:
                loaded.pairs.append(LabelledPair(group, "wild-dev", a, b, relation))
        for a in sorted(roles & independent):
            loaded.pairs += [LabelledPair(group, "wild-dev", a, other, "independent")
                             for other in sorted(roles - {a})]
    return loaded


# -- scores -------------------------------------------------------------------------------------


def source_version() -> str:
    """A digest of the code the scores depend on: cached scores are reused only while it
    holds."""
    root = Path(__file__).resolve().parents[1] / "src" / "newstrace"
    digest = hashlib.sha256()
    for name in _SOURCES:
        target = root / name
        for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def articles_of(loaded: Loaded) -> dict[tuple[str, str], Article]:
    """The data set's files ingested as a user would (`newstrace ingest`), by (group, role)."""
    by_path = {str(path): key for key, path in loaded.files.items()}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "pairs.db") as store:
        Ingestor(store).ingest(sorted(by_path))
        found = {}
        for article in store.articles():
            key = by_path.get(article.source_path) or by_path.get(
                str(Path(article.source_path).resolve()))
            if key is not None:
                found[key] = article
    return found


Cached = dict[str, Any]


def examples(loaded: Loaded, encoder: SentenceEncoder | None,
             cache: dict[str, Cached] | None = None,
             vector_cache: Path | None = None,
             aligner: Aligner | None = None) -> list[Example]:
    """Each pair of each group (labelled and sibling), aligned, with the scores `relate`
    reads and the aligned spans reconcile reads."""
    articles = articles_of(loaded)
    aligner = aligner or Aligner()
    vectors: dict[str, Vectors] = {}
    cache = {} if cache is None else cache
    version = source_version() + (encoder.name if encoder else "lexical")
    if aligner.config != AlignConfig():
        version += hashlib.sha256(repr(aligner.config).encode()).hexdigest()[:8]
    keys = {}
    for pair in loaded.with_siblings():
        a, b = articles.get((pair.group, pair.a)), articles.get((pair.group, pair.b))
        if a is not None and b is not None:
            keys[pair] = (a, b, f"{version}:{a.text_hash}:{b.text_hash}")
    missing = {x.id: x for a, b, key in keys.values() if key not in cache for x in (a, b)}
    if encoder is not None and missing:
        vectors = (cached_vectors(encoder, list(missing.values()), vector_cache)
                   if vector_cache else encode_articles(encoder, list(missing.values())))
    found = []
    for pair, (a, b, key) in keys.items():
        if key not in cache:
            alignment = aligner.align(a, b, vectors.get(a.id), vectors.get(b.id))
            cache[key] = {"scores": pair_scores(alignment),
                          "a": [list(p.a) for p in alignment.passages],
                          "b": [list(p.b) for p in alignment.passages]}
        entry = cache[key]
        found.append(Example(pair, entry["scores"], encoder is not None,
                             tuple((x, y) for x, y in entry["a"]),
                             tuple((x, y) for x, y in entry["b"])))
    return found


def cached_vectors(encoder: SentenceEncoder, articles: list[Article],
                   path: Path = VECTOR_CACHE) -> dict[str, Vectors]:
    """Each article's sentence vectors (as `encode_articles` gives them), the sentences met
    before read from `path` (keyed by the encoder's name and the sentence's digest), so
    that a change to the alignment or the signals re-aligns without re-encoding."""
    def key(sentence: str) -> str:
        digest = hashlib.sha256(f"{encoder.name}\0{sentence}".encode()).hexdigest()
        return digest[:24]

    try:
        with np.load(path) as stored:
            known = {name: stored[name] for name in stored.files}
    except (FileNotFoundError, ValueError, OSError):
        known = {}
    sentences = {article.id: article_sentences(article) for article in articles}
    fresh = sorted({s for group in sentences.values() for s in group if key(s) not in known})
    if fresh:
        known.update((key(s), v) for s, v in zip(fresh, encoder.encode(fresh), strict=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            np.savez(out, **known)
    return {article_id: kept_precision(np.stack([known[key(s)] for s in group]))
            for article_id, group in sentences.items()}


def load_cache() -> dict[str, Cached]:
    try:
        data: dict[str, Cached] = json.loads(CACHE.read_text(encoding="utf-8"))
        return data
    except (FileNotFoundError, ValueError):
        return {}


def save_cache(cache: dict[str, Cached]) -> None:
    """Write the cache, keeping only entries of the current code version."""
    version = source_version()
    kept = {key: value for key, value in cache.items() if key.startswith(version)}
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(kept), encoding="utf-8")
