"""The reuse commands: `relate`, `relations`, `compare` and `check`."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.cli.options import F, db_option, open_store
from newstrace.cli.output import emit, emit_one, output_options
from newstrace.cli.progress import report_skip, stderr
from newstrace.errors import NewstraceError
from newstrace.ingest import Ingestor
from newstrace.records import Article
from newstrace.relating import Relater, ReuseConfig
from newstrace.reuse.align import Alignment
from newstrace.reuse.candidates import CandidateConfig
from newstrace.reuse.embed import SentenceEncoder, load_encoder
from newstrace.reuse.relate import Relation
from newstrace.store.db import Store
from newstrace.store.reuse import ReuseTables

RELATION_COLUMNS = ["a", "b", "relation", "source", "confidence", "derived_probability",
                    "derived_share", "coverage_a", "coverage_b", "verbatim_a", "verbatim_b",
                    "explained_by", "a_title", "b_title"]
PARAPHRASE_OFF = ("paraphrase detection is off (install it with: pip install "
                  "'newstrace[paraphrase]'); only verbatim reuse is detected")
_STYLE = {"verbatim": "green", "paraphrase": "yellow"}


def _encoder(enabled: bool) -> SentenceEncoder | None:
    encoder = load_encoder() if enabled else None
    if encoder is None:
        note_paraphrase_off()
    return encoder


def note_paraphrase_off() -> None:
    stderr.print(f"[yellow]note:[/] {escape(PARAPHRASE_OFF)}", highlight=False)


def _article(store: Store, reference: str) -> Article:
    """A stored article by reference, or the (first) article read from a file or '-'."""
    if reference == "-" or os.path.isfile(reference):
        found = Ingestor(store).read([reference], on_skip=report_skip)
        if not found:
            raise click.ClickException(f"{reference}: no article text found in it")
        return found[0]
    try:
        return store.article(reference)
    except NewstraceError as error:
        raise click.ClickException(str(error)) from error


def relation_record(relation: Relation, alignment: Alignment) -> dict[str, Any]:
    return {
        "a": relation.a, "b": relation.b, "relation": relation.relation,
        "source": relation.source, "source_reason": relation.source_reason,
        "confidence": relation.confidence, "scores": relation.scores,
        "pairwise": relation.pairwise, "explained_by": relation.explained_by,
        "passages": [passage.as_dict() for passage in alignment.passages],
        "unmatched": {"a": [list(s) for s in alignment.unmatched_a],
                      "b": [list(s) for s in alignment.unmatched_b]},
        "paraphrase_detection": alignment.paraphrase,
    }


def window_option(function: F) -> F:
    return click.option(
        "--window-days", type=click.FloatRange(min=0), default=CandidateConfig().window_days,
        show_default=True, help="Pair only articles published at most this many days apart "
        "(where both have a date); 0 for no window.")(function)


def workers_option(function: F) -> F:
    return click.option(
        "--workers", type=click.IntRange(min=1), default=None,
        help="Processes aligning candidate pairs (default: every core this process may "
        "use); 1 keeps it in one process.")(function)


def reuse_config(window_days: float | None, workers: int | None = None) -> ReuseConfig:
    """Reuse settings with the `--window-days` (0: no window; None: the default) and
    `--workers` given."""
    config = ReuseConfig()
    if window_days is not None:
        config = replace(config, candidates=CandidateConfig(window_days=window_days or None))
    return replace(config, workers=workers) if workers else config


def register(cli: click.Group) -> None:
    """Add the reuse commands to the `newstrace` group."""

    @cli.command()
    @db_option
    @click.option("--recompute", is_flag=True, help="Relate every pair again, not only new ones.")
    @click.option("--no-paraphrase", is_flag=True, help="Verbatim evidence only (faster).")
    @window_option
    @workers_option
    def relate(db: str, recompute: bool, no_paraphrase: bool, window_days: float,
               workers: int | None) -> None:
        """Find reused articles in the collection and store their relations.

        Incremental: articles already related only meet new articles."""
        with open_store(db, readonly=True) as store:
            summary = Relater(store, _encoder(not no_paraphrase),
                              reuse_config(window_days, workers)
                              ).relate_collection(recompute=recompute)
        counts = ", ".join(f"{n} {name}" for name, n in sorted(summary.relations.items()))
        reconciled = (f"; {summary.reconciled} verdicts reconciled with the pairs around them"
                      if summary.reconciled else "")
        click.echo(f"{db}: {summary.sketched} articles sketched, {summary.pairs} pairs aligned"
                   f"{': ' + counts if counts else ''}{reconciled}")

    @cli.command()
    @db_option
    @click.option("--all", "include_unrelated", is_flag=True,
                  help="Include candidate pairs found unrelated.")
    @click.option("--article", help="Only relations of this article (id, URL or file name).")
    @output_options
    def relations(db: str, include_unrelated: bool, article: str | None,
                  output: str | None) -> None:
        """List the relations `newstrace relate` found."""
        with open_store(db, readonly=True) as store:
            article_id = _article(store, article).id if article else None
            rows = ReuseTables(store).relations(include_unrelated=include_unrelated,
                                                article_id=article_id)
        for row in rows:
            for name in ("coverage_a", "coverage_b", "verbatim_a", "verbatim_b",
                         "derived_probability", "derived_share"):
                row[name] = row["scores"].get(name)
            if output in (None, "table", "csv"):
                row.pop("passages")
                row.pop("unmatched")
        emit(rows, output, RELATION_COLUMNS, _relation_cell)

    @cli.command()
    @click.argument("first")
    @click.argument("second")
    @db_option
    @click.option("--no-paraphrase", is_flag=True, help="Verbatim evidence only.")
    @click.option("--json", "output", flag_value="json", help="Output JSON.")
    def compare(first: str, second: str, db: str, no_paraphrase: bool,
                output: str | None) -> None:
        """Compare two articles: stored ids (or URLs, file names) or files to read."""
        with _store_or_memory(db) as store:
            a, b = _article(store, first), _article(store, second)
            relation, alignment = Relater(store, _encoder(not no_paraphrase)).compare(a, b)
        record = relation_record(relation, alignment)
        emit_one(record, output or "table", lambda r: _print_comparison(r, a, b))

    @cli.command()
    @click.argument("path")
    @db_option
    @click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
    @click.option("--no-paraphrase", is_flag=True, help="Verbatim evidence only.")
    @click.option("--json", "output", flag_value="json", help="Output JSON.")
    @window_option
    def check(path: str, db: str, limit: int, no_paraphrase: bool, output: str | None,
              window_days: float) -> None:
        """The likely sources in the collection of the article in PATH ('-': stdin)."""
        with open_store(db, readonly=True) as store:
            query = _article(store, path)
            found = Relater(store, _encoder(not no_paraphrase), reuse_config(window_days)).check(
                query, limit)
            titles = {a.id: a for a in store.articles_by_id(r.a for r, _ in found).values()}
        results = []
        for relation, alignment in found:
            source = titles[relation.a]
            record = relation_record(relation, alignment)
            record.update({"id": source.id, "title": source.title, "outlet": source.outlet,
                           "url": source.url, "query_coverage": relation.scores["coverage_b"],
                           "query_verbatim": relation.scores["verbatim_b"]})
            results.append(record)
        if output == "json":
            emit(results, "json", [])
        else:
            _print_check(results, query)


def _store_or_memory(db: str) -> Store:
    """The collection when it exists; else an empty in-memory store (comparing two files)."""
    return open_store(db) if os.path.exists(db) else open_store(":memory:")


def _relation_cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in ("a", "b", "source", "explained_by"):
        return str(value)[:12]
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _print_comparison(record: dict[str, Any], a: Article, b: Article) -> None:
    out = Console(highlight=False)
    source = {a.id: "A", b.id: "B"}.get(record["source"] or "", "unknown")
    reason = f" ({record['source_reason']})" if record["source_reason"] else ""
    out.print(f"[bold]{record['relation']}[/] (confidence {record['confidence']:.2f}); "
              f"source: {source}{escape(reason)}")
    if record["explained_by"]:
        out.print(f"[dim]On their own the two read as {record['pairwise']}; in the collection "
                  f"what they share is explained by {escape(record['explained_by'])}, a "
                  "stronger source of one of them that the other reported independently.[/]")
    out.print(f"A: {escape(a.title or a.id)}  [dim]{escape(a.outlet or '')}[/]")
    out.print(f"B: {escape(b.title or b.id)}  [dim]{escape(b.outlet or '')}[/]")
    scores = record["scores"]
    out.print("[dim]" + ", ".join(f"{name} {scores[name]:.2f}" for name in (
        "verbatim_a", "verbatim_b", "coverage_a", "coverage_b", "order", "word_sequence",
        "chain_max", "prose_sequence", "derived_probability", "derived_share")
        if name in scores) + f", shared quotations {int(scores.get('shared_quotes', 0))}[/]")
    if not record["paraphrase_detection"]:
        out.print(f"[yellow]{escape(PARAPHRASE_OFF)}[/]")
    table = Table(show_lines=True, expand=True)
    table.add_column("A")
    table.add_column("B")
    for kind, a_span, b_span in _side_by_side(record):
        style = _STYLE.get(kind, "red")
        table.add_row(f"[{style}]{escape(a.text[slice(*a_span)])}[/]" if a_span else "",
                      f"[{style}]{escape(b.text[slice(*b_span)])}[/]" if b_span else "")
    out.print(table)
    out.print("[green]verbatim[/]  [yellow]paraphrased[/]  [red]unmatched[/]")


Row = tuple[str, tuple[int, int] | None, tuple[int, int] | None]


def _side_by_side(record: dict[str, Any]) -> list[Row]:
    """Passages and unmatched sentences in B's order, each unmatched sentence of A placed after
    the passage that precedes it in A."""
    rows: list[tuple[float, Row]] = []
    passages = record["passages"]
    for passage in passages:
        rows.append((passage["b"][0], (passage["kind"], tuple(passage["a"]), tuple(passage["b"]))))
    for start, end in record["unmatched"]["b"]:
        rows.append((start, ("unmatched", None, (start, end))))
    for start, end in record["unmatched"]["a"]:
        before = [p["b"][1] for p in passages if p["a"][1] <= start]
        rows.append((max(before, default=-1) + 0.5, ("unmatched", (start, end), None)))
    return [row for _, row in sorted(rows, key=lambda item: item[0])]


def _print_check(results: list[dict[str, Any]], query: Article) -> None:
    out = Console(highlight=False)
    out.print(f"[bold]Likely sources of[/] {escape(query.title or query.source_path)}")
    if not results:
        out.print("none found in the collection")
        return
    table = Table()
    for column in ("relation", "confidence", "query covered", "verbatim", "id", "outlet",
                   "title"):
        table.add_column(column, overflow="fold")
    for row in results:
        table.add_row(row["relation"], f"{row['confidence']:.2f}",
                      f"{row['query_coverage']:.0%}", f"{row['query_verbatim']:.0%}",
                      row["id"][:12], escape(row["outlet"] or ""), escape(row["title"] or ""))
    out.print(table)
