"""The collection as Arrow tables: one schema for DataFrames, Parquet/CSV/JSONL exports and the
Spark runner's Parquet output.

Seven tables, each a flat row per record with nested lists only where a record owns a list:

- `articles`: one row per article, its text, metadata, cues and story.
- `sentences`: one row per sentence, as a span of its article's text.
- `relations`: one row per related pair, its verdict, scores and aligned passages (character
  offsets into each article's text: `text[start:end]`).
- `stories`: one row per story, its members and origins.
- `edges`: one row per provenance edge, with the evidence for its direction.
- `claims`: one row per claim (a number, date, name or quotation an article states).
- `discrepancies`: one row per article a discrepancy concerns (altered facts, conflicts,
  unsourced additions, altered quotations, single-source claims); the rows of one discrepancy
  share its `discrepancy` id.
- `rejects` (a Spark run's only): one row per input record that gave no article, and why.

This module is the one definition of the tables' columns: the Spark runner writes these
schemas (runners/spark/job.py) and `newstrace import` reads them back, from a Spark run or a
local `newstrace export --format parquet`. Row builders (`article_row`, `related_row`...) are
pure functions over the stages' records, so every runner writes the same rows;
`collection_tables` gathers them from a collection. Needs pyarrow (`pip install
'newstrace[parquet]'`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newstrace.errors import MissingDependencyError, NotFoundError
from newstrace.records import Alignment, Article, Relation, Skip, Story

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from newstrace.collection import Collection
    from newstrace.records import Claim, Trace
    from newstrace.stages.facts.claims import StoryFacts

TABLES = ("articles", "sentences", "relations", "stories", "edges", "claims", "discrepancies")
DISCREPANCY_KINDS = ("altered_fact", "conflict", "addition", "altered_quote", "single_source")
Row = dict[str, Any]


def require_pyarrow() -> Any:
    """The pyarrow module, or a clear error naming the extra."""
    try:
        import pyarrow
    except ImportError as error:
        raise MissingDependencyError("pyarrow", "Arrow tables, DataFrames and Parquet export",
                                     "parquet") from error
    return pyarrow


def to_frame(arrow: pa.Table) -> pd.DataFrame:
    """An Arrow table as a pandas DataFrame: maps become dicts, lists stay lists, publication
    times a timezone-aware datetime column."""
    try:
        import pandas
    except ImportError as error:
        raise MissingDependencyError("pandas", "DataFrames", "frames") from error
    pa = require_pyarrow()
    # Offsets and counts stay integers where some are missing (pandas' default makes them
    # floats, which cannot slice a text).
    nullable = {pa.int32(): pandas.Int32Dtype(), pa.bool_(): pandas.BooleanDtype()}
    return arrow.to_pandas(maps_as_pydicts="strict", types_mapper=nullable.get)


def schemas() -> dict[str, pa.Schema]:
    """Every table's schema, by table name (built on call: pyarrow is imported only here)."""
    pa = require_pyarrow()
    text, integer, real = pa.string(), pa.int32(), pa.float64()
    names = pa.list_(text)
    span = pa.struct([("start", integer), ("end", integer)])
    cue = pa.struct([("kind", text), ("text", text), ("outlet", text), ("url", text)])
    passage = pa.struct([("kind", text), ("a_start", integer), ("a_end", integer),
                         ("b_start", integer), ("b_end", integer), ("score", real)])
    origin = pa.struct([("article", text), ("outlet", text), ("url", text),
                        ("derivatives", names), ("evidence", names)])
    evidence = pa.struct([("kind", text), ("detail", text), ("weight", real), ("source", text)])
    removed = pa.struct([("line", text), ("reason", text)])
    segment = pa.struct([("start", integer), ("length", integer), ("raw_start", integer),
                         ("raw_length", integer)])
    utc = pa.timestamp("us", tz="UTC")
    return {
        "articles": pa.schema([
            ("id", text), ("story", text), ("outlet", text), ("title", text),
            ("published", text),  # as stored: an ISO 8601 date or date and time
            ("published_at", utc),  # the same as a UTC timestamp (a date alone: its midnight)
            ("url", text), ("canonical_url", text), ("author", text), ("language", text),
            ("words", integer), ("sentences", integer), ("removed_lines", integer),
            ("duplicate_of", text), ("cues", pa.list_(cue)), ("source_path", text),
            ("source_kind", text), ("source_id", text), ("text_hash", text), ("text", text),
            # What a store needs to take the article back (`newstrace import`): where it was
            # read, the lines cut from it, and for a page dump its raw text and the map of
            # clean offsets to raw ones.
            ("source_key", text), ("raw_hash", text), ("published_source", text),
            ("removed", pa.list_(removed)), ("raw", text), ("raw_map", pa.list_(segment)),
        ]),
        "sentences": pa.schema([
            ("article", text), ("index", integer), ("start", integer), ("end", integer),
            ("text", text),
        ]),
        "relations": pa.schema([
            ("a", text), ("b", text), ("relation", text), ("source", text),
            ("source_reason", text), ("confidence", real), ("pairwise", text),
            ("explained_by", text), ("coverage_a", real), ("coverage_b", real),
            ("verbatim_a", real), ("verbatim_b", real), ("scores", pa.map_(text, real)),
            ("paraphrase_detection", pa.bool_()), ("passages", pa.list_(passage)),
            ("unmatched_a", pa.list_(span)), ("unmatched_b", pa.list_(span)),
        ]),
        "stories": pa.schema([
            ("id", text), ("label", text), ("size", integer), ("first_published", text),
            ("last_published", text), ("articles", names), ("origins", pa.list_(origin)),
            ("independent", names), ("undecided", pa.list_(names)),
        ]),
        "edges": pa.schema([
            ("story", text), ("source", text), ("target", text), ("relation", text),
            ("confidence", real), ("directed", pa.bool_()), ("relation_confidence", real),
            ("in_tree", pa.bool_()),  # the target's likeliest source (the family tree's edge)
            ("evidence", pa.list_(evidence)),
        ]),
        "claims": pa.schema([
            ("story", text), ("article", text), ("kind", text), ("text", text),
            ("value", text),  # the normalised value, as text (JSON for a non-string)
            ("number", real),  # the value when it is a number
            ("key", text), ("start", integer), ("end", integer), ("sentence_start", integer),
            ("sentence_end", integer), ("extra", text),  # the kind's own fields, as JSON
        ]),
        "discrepancies": pa.schema([
            ("story", text), ("discrepancy", text), ("kind", text),
            ("subject", text),  # what it is about: a conflict's subject, a quotation's speaker
            ("article", text), ("sources", names),  # for derived text: what it came from
            ("text", text),  # what this article says
            ("source_text", text),  # what its source said (altered facts)
            ("value", text), ("start", integer), ("end", integer),
        ]),
        # A Spark run's inputs that gave no article, with the reason (the local runner keeps
        # its skips with its runs: `newstrace runs`).
        "rejects": pa.schema([("path", text), ("reason", text), ("message", text),
                              ("stage", text)]),
    }


# -- rows from records ----------------------------------------------------------------------------


def published_at(published: str | None) -> datetime | None:
    """A stored publication date or time as an aware UTC datetime (naive times are UTC)."""
    if not published:
        return None
    try:
        parsed = datetime.fromisoformat(published)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def article_row(article: Article, story: str | None = None) -> Row:
    return {
        "id": article.id, "story": story, "outlet": article.outlet, "title": article.title,
        "published": article.published, "published_at": published_at(article.published),
        "url": article.url, "canonical_url": article.canonical_url, "author": article.author,
        "language": article.language, "words": article.words,
        "sentences": len(article.sentences), "removed_lines": len(article.removed),
        "duplicate_of": article.duplicate_of, "cues": [cue.as_dict() for cue in article.cues],
        "source_path": article.source_path, "source_kind": article.kind.value,
        "source_id": article.source_id, "text_hash": article.text_hash, "text": article.text,
        "source_key": article.source_key, "raw_hash": article.raw_hash,
        "published_source": article.published_source,
        "removed": [line.as_dict() for line in article.removed], "raw": article.raw,
        "raw_map": None if article.raw_map is None else [
            {"start": s.start, "length": s.length, "raw_start": s.raw_start,
             "raw_length": s.raw_length} for s in article.raw_map],
    }


def sentence_rows(article: Article) -> Iterator[Row]:
    for sentence in article.sentences:
        yield {"article": article.id, "index": sentence.index, "start": sentence.start,
               "end": sentence.end, "text": article.text[sentence.start : sentence.end]}


def relation_row(relation: Mapping[str, Any]) -> Row:
    """A relation in its JSON form (as `newstrace relations --json` and the store give it)."""
    scores = {name: float(value) for name, value in relation["scores"].items()}
    unmatched = relation.get("unmatched") or {"a": [], "b": []}
    return {
        "a": relation["a"], "b": relation["b"], "relation": relation["relation"],
        "source": relation.get("source"), "source_reason": relation.get("source_reason"),
        "confidence": relation["confidence"], "pairwise": relation.get("pairwise"),
        "explained_by": relation.get("explained_by"),
        **{name: scores.get(name) for name in ("coverage_a", "coverage_b", "verbatim_a",
                                                "verbatim_b")},
        "scores": scores,
        "paraphrase_detection": bool(relation.get("paraphrase_detection",
                                                  relation.get("paraphrase"))),
        "passages": [{"kind": p["kind"], "a_start": p["a"][0], "a_end": p["a"][1],
                      "b_start": p["b"][0], "b_end": p["b"][1], "score": p["score"]}
                     for p in relation.get("passages") or []],
        "unmatched_a": [{"start": s, "end": e} for s, e in unmatched["a"]],
        "unmatched_b": [{"start": s, "end": e} for s, e in unmatched["b"]],
    }


def related_row(relation: Relation, alignment: Alignment) -> Row:
    """A relation and its alignment (the stage records) as a row: the same row as
    `relation_row` gives for its JSON form."""
    return relation_row({
        "a": relation.a, "b": relation.b, "relation": relation.relation,
        "source": relation.source, "source_reason": relation.source_reason,
        "confidence": float(relation.confidence), "pairwise": relation.pairwise,
        "explained_by": relation.explained_by, "scores": relation.scores,
        "paraphrase": alignment.paraphrase,
        "passages": [p.as_dict() for p in alignment.passages],
        "unmatched": {"a": alignment.unmatched_a, "b": alignment.unmatched_b}})


def story_row(story: Story) -> Row:
    """A story as a row: its JSON form (`newstrace stories --json`) without the evidence,
    each origin without its `external` summary."""
    return {
        "id": story.id, "label": story.label, "size": story.size,
        "first_published": story.first_published,
        "last_published": story.last_published, "articles": list(story.articles),
        "origins": [{"article": o.article, "outlet": o.outlet, "url": o.url,
                     "derivatives": list(o.derivatives), "evidence": list(o.evidence)}
                    for o in story.origins],
        "independent": list(story.independent),
        "undecided": [list(group) for group in story.undecided],
    }


def edge_rows(trace: Trace) -> Iterator[Row]:
    for edge in trace.edges:
        yield {"story": trace.story, "source": edge.source, "target": edge.target,
               "relation": edge.relation, "confidence": edge.confidence,
               "directed": edge.directed, "relation_confidence": edge.strength,
               "in_tree": trace.tree.get(edge.target) == edge.source,
               "evidence": [item.as_dict() for item in edge.evidence]}


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def claim_row(story: str, claim: Claim) -> Row:
    return {"story": story, "article": claim.article, "kind": claim.kind, "text": claim.text,
            "value": _as_text(claim.value), "number": _as_number(claim.value),
            "key": claim.key or None, "start": claim.span[0], "end": claim.span[1],
            "sentence_start": claim.sentence[0], "sentence_end": claim.sentence[1],
            "extra": json.dumps(claim.extra, ensure_ascii=False, sort_keys=True, default=str)}


def discrepancy_rows(facts: Mapping[str, Any]) -> Iterator[Row]:
    """A story's facts in their JSON form (`StoryFacts.as_dict()`), one row per article that
    each discrepancy concerns."""
    story = facts["story"]

    def row(kind: str, number: int, article: str, **fields: Any) -> Row:
        return {"story": story, "discrepancy": f"{story}/{kind}/{number}", "kind": kind,
                "subject": None, "article": article, "sources": None, "text": None,
                "source_text": None, "value": None, "start": None, "end": None, **fields}

    for n, item in enumerate(facts.get("altered_facts", [])):
        span = item.get("target_span") or [None, None]
        yield row("altered_fact", n, item["target"], subject=item.get("kind"),
                  sources=[item["source"]], text=item["to"], source_text=item["from"],
                  value=_as_text(item.get("to_value")), start=span[0], end=span[1])
    for n, item in enumerate(facts.get("conflicts", [])):
        for value in item["values"]:
            for article in value["articles"]:
                shown = " / ".join(value["texts"])
                if value.get("resolutions"):
                    shown += f" ({'; '.join(value['resolutions'])})"
                yield row("conflict", n, article, subject=item.get("subject"), text=shown,
                          value=_as_text(value["value"]))
    for n, item in enumerate(facts.get("additions", [])):
        sources = item["source"] if isinstance(item["source"], list) else [item["source"]]
        yield row("addition", n, item["article"], sources=sources, text=item["text"],
                  start=item["span"][0], end=item["span"][1])
    for n, item in enumerate(facts.get("altered_quotes", [])):
        for version in item["versions"]:
            for article in version["articles"]:
                span = version.get("spans", {}).get(article) or [None, None]
                yield row("altered_quote", n, article, subject=item.get("speaker"),
                          text=version["text"], start=span[0], end=span[1])
    for n, item in enumerate(facts.get("single_source", [])):
        span = item.get("span") or [None, None]
        yield row("single_source", n, item["article"], subject=item["kind"],
                  text=_as_text(item["text"]), value=_as_text(item.get("value")),
                  start=span[0], end=span[1])


def reject_row(skip: Skip, stage: str) -> Row:
    return {"path": skip.path, "reason": skip.reason, "message": skip.message, "stage": stage}


# -- tables ---------------------------------------------------------------------------------------


def table(name: str, rows: Iterable[Row]) -> pa.Table:
    """Rows as the named table, in its schema (a missing field is null)."""
    pa = require_pyarrow()
    schema = schemas()[name]
    return pa.Table.from_pylist(list(rows), schema=schema)


def story_facts_rows(facts: StoryFacts) -> tuple[list[Row], list[Row]]:
    """A story's claims and discrepancies as rows."""
    claims = [claim_row(facts.story, claim) for claim in facts.claims]
    return claims, list(discrepancy_rows(facts.as_dict()))


def collection_rows(collection: Collection, names: Iterable[str] = TABLES,
                    ) -> dict[str, list[Row]]:
    """The named tables of a collection as rows (plain Python: no pyarrow needed). Claims and
    discrepancies are extracted per story of more than one article (what `newstrace analyze`
    compares): the slowest two to build."""
    wanted = list(dict.fromkeys(names))
    unknown = sorted(set(wanted) - set(TABLES))
    if unknown:
        raise NotFoundError(f"no table {', '.join(map(repr, unknown))}; the tables are "
                            f"{', '.join(TABLES)}")
    rows: dict[str, list[Row]] = {name: [] for name in wanted}
    traced = collection.traced_stories()
    story_of = {a: story.id for story, _ in traced for a in story.articles}
    if "articles" in rows or "sentences" in rows:
        for article in collection.store.articles(with_raw="articles" in rows):
            if "articles" in rows:
                rows["articles"].append(article_row(article, story_of.get(article.id)))
            if "sentences" in rows:
                rows["sentences"].extend(sentence_rows(article))
    if "relations" in rows:
        rows["relations"] = [relation_row(r) for r in collection.relations()]
    facts = "claims" in rows or "discrepancies" in rows
    for story, story_trace in traced:
        if "stories" in rows:
            rows["stories"].append(story_row(story))
        if "edges" in rows:
            rows["edges"].extend(edge_rows(story_trace))
        if facts and story.size > 1:
            claims, discrepancies = story_facts_rows(collection.facts(story.id))
            rows.get("claims", []).extend(claims)
            rows.get("discrepancies", []).extend(discrepancies)
    return rows


def collection_tables(collection: Collection, names: Iterable[str] = TABLES,
                      ) -> dict[str, pa.Table]:
    """The named tables of a collection as Arrow tables."""
    require_pyarrow()
    return {name: table(name, rows) for name, rows in collection_rows(collection, names).items()}
