"""The reuse commands: `relate`, `relations`, `compare` and `check`."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.cli.options import F, db_option, open_collection, warn_if_stale
from newstrace.cli.output import emit, emit_one, output_options
from newstrace.cli.progress import report_skip, stderr
from newstrace.collection import Collection, ReuseConfig
from newstrace.errors import NewstraceError
from newstrace.records import Article
from newstrace.stages.reuse.candidates import CandidateConfig
from newstrace.stages.reuse.cascade import ENCODERS, Encoder

RELATION_COLUMNS = ["a", "b", "relation", "source", "confidence", "derived_probability",
                    "derived_share", "coverage_a", "coverage_b", "verbatim_a", "verbatim_b",
                    "explained_by", "a_title", "b_title"]
CHECK_COLUMNS = ["id", "relation", "confidence", "query_coverage", "query_verbatim", "outlet",
                 "title", "url"]
PARAPHRASE_OFF = ("paraphrase detection is off (install it with: pip install "
                  "'newstrace[paraphrase]'); only verbatim reuse is detected")
_STYLE = {"verbatim": "green", "paraphrase": "yellow"}


def with_encoder(collection: Collection) -> Collection:
    """The collection, its sentence encoder loaded (a note on stderr when there is none; a
    usage error naming the extra when `--encoder` asked for a model that is not installed)."""
    try:
        encoder = collection.encoder
    except NewstraceError as error:
        raise click.ClickException(str(error)) from error
    if encoder is None:
        note_paraphrase_off()
    return collection


def note_paraphrase_off() -> None:
    stderr.print(f"[yellow]note:[/] {escape(PARAPHRASE_OFF)}", highlight=False)


def _article(collection: Collection, reference: str) -> Article:
    """A stored article by reference, or the (first) article read from a file or '-'."""
    if reference == "-" or os.path.isfile(reference):
        found = collection.read([reference], on_skip=report_skip)
        if not found:
            raise click.ClickException(f"{reference}: no article text found in it")
        return found[0]
    try:
        return collection.article(reference)
    except NewstraceError as error:
        raise click.ClickException(str(error)) from error


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


def encoder_option(function: F) -> F:
    return click.option(
        "--encoder", type=click.Choice(ENCODERS), default=ReuseConfig().encoder,
        show_default=True, help="The sentence model paraphrases are matched with: MiniLM "
        "(a transformer), a static model (80 times cheaper a sentence, a little less "
        "accurate; the `static` extra), or the cascade: the static model, and MiniLM only "
        "for the pairs it leaves undecided.")(function)


def reuse_config(window_days: float | None, workers: int | None = None,
                 encoder: Encoder | None = None) -> ReuseConfig:
    """Reuse settings with the `--window-days` (0: no window; None: the default),
    `--workers` and `--encoder` given."""
    config = ReuseConfig() if encoder is None else ReuseConfig(encoder=encoder)
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
    @encoder_option
    def relate(db: str, recompute: bool, no_paraphrase: bool, window_days: float,
               workers: int | None, encoder: Encoder) -> None:
        """Find reused articles in the collection and store their relations.

        Incremental: articles already related only meet new articles."""
        with open_collection(db, readonly=True, paraphrase=not no_paraphrase,
                             reuse=reuse_config(window_days, workers, encoder)) as collection:
            summary = with_encoder(collection).relate(recompute=recompute)
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
        with open_collection(db, readonly=True, paraphrase=False) as collection:
            warn_if_stale(collection)
            article_id = _article(collection, article).id if article else None
            rows = collection.relations(include_unrelated=include_unrelated,
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
    @encoder_option
    @click.option("--json", "output", flag_value="json", help="Output JSON.")
    def compare(first: str, second: str, db: str, no_paraphrase: bool, encoder: Encoder,
                output: str | None) -> None:
        """Compare two articles: stored ids (or URLs, file names) or files to read."""
        with _collection_or_memory(db, paraphrase=not no_paraphrase,
                                   reuse=reuse_config(None, encoder=encoder)) as collection:
            a, b = _article(collection, first), _article(collection, second)
            record = with_encoder(collection).compare(a, b).as_dict()
        emit_one(record, output or "table", lambda r: _print_comparison(r, a, b))

    @cli.command()
    @click.argument("path")
    @db_option
    @click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
    @click.option("--no-paraphrase", is_flag=True, help="Verbatim evidence only.")
    @output_options
    @window_option
    @encoder_option
    def check(path: str, db: str, limit: int, no_paraphrase: bool, output: str | None,
              window_days: float, encoder: Encoder) -> None:
        """The likely sources in the collection of the article in PATH ('-': stdin)."""
        with open_collection(db, readonly=True, paraphrase=not no_paraphrase,
                             reuse=reuse_config(window_days, encoder=encoder)) as collection:
            query = _article(collection, path)
            results = with_encoder(collection).check(query, limit).as_dicts()
        if output in (None, "table"):
            _print_check(results, query)
        else:
            emit(results, output, CHECK_COLUMNS)


def _collection_or_memory(db: str, *, paraphrase: bool, reuse: ReuseConfig) -> Collection:
    """The collection when it exists; else an empty one in memory (comparing two files)."""
    return open_collection(db if os.path.exists(db) else ":memory:", paraphrase=paraphrase,
                           reuse=reuse)


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
