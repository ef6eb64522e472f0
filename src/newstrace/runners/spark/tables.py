"""The tables a Spark run writes (and `newstrace import` reads), as Arrow schemas, and the
conversion of the stage records into their rows. docs/spark.md describes every column.

Nested values whose shape varies by kind (scores, passages, evidence, a claim's value and
fields, a discrepancy) are JSON text, so every table is flat and any Parquet reader takes it."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from newstrace.records import Alignment, Article, Relation, Skip
from newstrace.stages.facts.claims import StoryFacts
from newstrace.stages.stories.provenance import Trace

_s, _i, _f, _b = pa.string(), pa.int32(), pa.float64(), pa.bool_()

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("id", _s), ("source_path", _s), ("source_kind", _s), ("source_key", _s),
        ("raw_hash", _s), ("source_id", _s), ("url", _s), ("canonical_url", _s),
        ("outlet", _s), ("author", _s), ("title", _s), ("published", _s), ("language", _s),
        ("text", _s), ("text_hash", _s), ("words", _i), ("duplicate_of", _s),
        ("removed", _s), ("cues", _s), ("raw", _s), ("raw_map", _s)]),
    "sentences": pa.schema([("article_id", _s), ("index", _i), ("start", _i), ("end", _i)]),
    "relations": pa.schema([
        ("a", _s), ("b", _s), ("relation", _s), ("source", _s), ("source_reason", _s),
        ("confidence", _f), ("pairwise", _s), ("explained_by", _s), ("paraphrase", _b),
        ("scores", _s), ("passages", _s), ("unmatched", _s)]),
    "stories": pa.schema([
        ("story", _s), ("article_id", _s), ("label", _s), ("size", _i),
        ("first_published", _s), ("last_published", _s), ("origin", _b)]),
    "edges": pa.schema([
        ("story", _s), ("source", _s), ("target", _s), ("relation", _s), ("confidence", _f),
        ("directed", _b), ("relation_confidence", _f), ("likeliest", _b), ("evidence", _s)]),
    "claims": pa.schema([
        ("story", _s), ("article_id", _s), ("kind", _s), ("text", _s), ("key", _s),
        ("value", _s), ("start", _i), ("end", _i), ("sentence_start", _i),
        ("sentence_end", _i), ("extra", _s)]),
    "discrepancies": pa.schema([("story", _s), ("kind", _s), ("detail", _s)]),
    "rejects": pa.schema([("path", _s), ("reason", _s), ("message", _s), ("stage", _s)]),
}

DISCREPANCY_KINDS = ("conflicts", "altered_facts", "additions", "altered_quotes",
                     "single_source")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id, "source_path": article.source_path,
        "source_kind": article.kind.value, "source_key": article.source_key,
        "raw_hash": article.raw_hash, "source_id": article.source_id, "url": article.url,
        "canonical_url": article.canonical_url, "outlet": article.outlet,
        "author": article.author, "title": article.title, "published": article.published,
        "language": article.language, "text": article.text, "text_hash": article.text_hash,
        "words": article.words, "duplicate_of": article.duplicate_of,
        "removed": _json([r.as_dict() for r in article.removed]),
        "cues": _json([c.as_dict() for c in article.cues]), "raw": article.raw,
        "raw_map": None if article.raw_map is None else _json(
            [s.as_list() for s in article.raw_map]),
    }


def sentence_rows(article: Article) -> list[dict[str, Any]]:
    return [{"article_id": article.id, "index": s.index, "start": s.start, "end": s.end}
            for s in article.sentences]


def relation_row(relation: Relation, alignment: Alignment) -> dict[str, Any]:
    return {
        "a": relation.a, "b": relation.b, "relation": relation.relation,
        "source": relation.source, "source_reason": relation.source_reason,
        "confidence": float(relation.confidence), "pairwise": relation.pairwise,
        "explained_by": relation.explained_by, "paraphrase": bool(alignment.paraphrase),
        "scores": _json(relation.scores),
        "passages": _json([p.as_dict() for p in alignment.passages]),
        "unmatched": _json({"a": alignment.unmatched_a, "b": alignment.unmatched_b}),
    }


def relation_record(row: dict[str, Any]) -> dict[str, Any]:
    """A relation row as the stage kernels read relations (decoded, as the store gives)."""
    record = dict(row)
    for name in ("scores", "passages", "unmatched"):
        record[name] = json.loads(record[name])
    return record


def story_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """A story's membership, one row an article, with the story's own fields repeated."""
    origins = {o["article"] for o in record["origins"] if o["article"]}
    return [{"story": record["id"], "article_id": article_id, "label": record["label"],
             "size": record["size"], "first_published": record["first_published"],
             "last_published": record["last_published"], "origin": article_id in origins}
            for article_id in record["articles"]]


def edge_rows(traced: Trace) -> list[dict[str, Any]]:
    rows = []
    for edge in traced.edges:
        item = edge.as_dict()
        rows.append({"story": traced.story, "source": item["source"],
                     "target": item["target"], "relation": item["relation"],
                     "confidence": float(item["confidence"]), "directed": item["directed"],
                     "relation_confidence": float(item["relation_confidence"]),
                     "likeliest": traced.tree.get(edge.target) == edge.source,
                     "evidence": _json(item["evidence"])})
    return rows


def claim_rows(facts: StoryFacts) -> list[dict[str, Any]]:
    rows = []
    for claim in facts.claims:
        rows.append({"story": facts.story, "article_id": claim.article, "kind": claim.kind,
                     "text": claim.text, "key": claim.key, "value": _json(claim.value),
                     "start": claim.span[0], "end": claim.span[1],
                     "sentence_start": claim.sentence[0], "sentence_end": claim.sentence[1],
                     "extra": _json(claim.extra)})
    return rows


def discrepancy_rows(facts: StoryFacts) -> list[dict[str, Any]]:
    found = facts.as_dict()
    return [{"story": facts.story, "kind": kind, "detail": _json(item)}
            for kind in DISCREPANCY_KINDS for item in found[kind]]


def reject_row(skip: Skip, stage: str) -> dict[str, Any]:
    return {"path": skip.path, "reason": skip.reason, "message": skip.message, "stage": stage}
