"""The `facts` command: what the versions of a story claim, and where they disagree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.cli.options import db_option, warn_if_stale
from newstrace.cli.output import emit, emit_one, output_options
from newstrace.collection import Collection
from newstrace.errors import NewstraceError
from newstrace.records import Article
from newstrace.stages.facts.entities import SpacyEntities
from newstrace.tables import discrepancy_rows, story_facts_rows

DISCREPANCY_COLUMNS = ["discrepancy", "kind", "subject", "article", "sources", "text",
                       "source_text", "value", "start", "end"]
CLAIM_COLUMNS = ["article", "kind", "text", "value", "number", "key", "start", "end"]


def register(cli: click.Group) -> None:
    """Add `facts` to the `newstrace` group."""

    @cli.command()
    @click.argument("reference")
    @db_option
    @output_options
    @click.option("--claims", "show_claims", is_flag=True,
                  help="Also list every claim of every article (long).")
    @click.option("--entities", type=click.Choice(["rules", "spacy"]), default="rules",
                  show_default=True,
                  help="Entity finder: built-in rules, or spaCy (pip install 'newstrace[nlp]').")
    def facts(reference: str, db: str, output: str | None, show_claims: bool,
              entities: str) -> None:
        """Facts across the versions of a story: altered facts, conflicts, unsourced
        additions, altered quotations, single-source claims. REFERENCE is a story id or
        one of its articles.

        Tables on a terminal; --json the whole record; --csv one row per article that each
        discrepancy concerns (with --claims: one row per claim)."""
        if not Path(db).exists():
            raise click.ClickException(f"{db}: no such collection; create it with "
                                       f"`newstrace analyze PATH --db {db}`")
        with Collection(db, paraphrase=False) as collection:
            warn_if_stale(collection)
            try:
                finder = SpacyEntities() if entities == "spacy" else None
                found = collection.facts(reference, finder)
            except NewstraceError as error:
                raise click.ClickException(str(error)) from error
            articles = collection.articles([c.article for c in found.claims])
        record = found.as_dict()
        if output == "csv":
            rows, columns = ((story_facts_rows(found)[0], CLAIM_COLUMNS) if show_claims
                             else (list(discrepancy_rows(record)), DISCREPANCY_COLUMNS))
            emit(rows, output, columns)
            return
        emit_one(record, output or "table",
                 lambda _record: print_facts(record, articles, show_claims=show_claims))


def _who(article_id: str, articles: dict[str, Article]) -> str:
    article = articles.get(article_id)
    name = (article.outlet or Path(article.source_path).name) if article else article_id
    return f"{escape(name)} [dim]{article_id[:8]}[/]"


def _grouped(table: Table, articles: dict[str, Article],
             groups: list[tuple[str, list[tuple[str, list[str]]]]]) -> Table:
    """Rows of (what, [(value, article ids), ...]): `what` on the first row of its group,
    each value with the articles that give it."""
    for what, values in groups:
        for index, (value, article_ids) in enumerate(values):
            table.add_row(escape(what) if index == 0 else "", escape(value),
                          "\n".join(_who(a, articles) for a in article_ids))
    return table


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def print_facts(record: dict[str, Any], articles: dict[str, Article], *,
                show_claims: bool = False, console: Console | None = None) -> None:
    out = console or Console(highlight=False)
    summary = record["summary"]
    out.print(f"[bold]story {escape(record['story'])}[/]: " + ", ".join(
        f"{value} {name.replace('_', ' ')}" for name, value in summary.items()))
    for note in record.get("notes", []):
        out.print(f"[yellow]note:[/] {escape(note)}")
    if record["altered_facts"]:
        table = _table("Altered facts (along derivation edges)", "source", "derivative",
                       "from", "to", "sentences")
        for item in record["altered_facts"]:
            table.add_row(_who(item["source"], articles), _who(item["target"], articles),
                          escape(item["from"]), f"[red]{escape(item['to'])}[/]",
                          f"{escape(item['source_sentence'])}\n[dim]→[/] "
                          f"{escape(item['target_sentence'])}")
        out.print(table)
    if record["conflicts"]:
        out.print(_grouped(_table("Conflicts (articles disagree)", "subject", "value",
                                  "articles"), articles,
                           [(item["subject"], [(" / ".join(value["texts"]), value["articles"])
                                               for value in item["values"]])
                            for item in record["conflicts"]]))
    if record["additions"]:
        table = _table("Unsourced additions", "article", "source(s)", "sentence")
        for item in record["additions"]:
            sources = item["source"] if isinstance(item["source"], list) else [item["source"]]
            table.add_row(_who(item["article"], articles),
                          "\n".join(_who(s, articles) for s in sources),
                          f"[yellow]{escape(item['text'])}[/]")
        out.print(table)
    if record["altered_quotes"]:
        table = _grouped(_table("Altered quotations", "speaker", "wording", "articles"),
                         articles,
                         [(item["speaker"] or "?", [(version["text"], version["articles"])
                                                     for version in item["versions"]])
                          for item in record["altered_quotes"]])
        out.print(table)
    if record["single_source"]:
        table = _table("Single-source claims (no other article gives them)", "article",
                       "kind", "claim")
        for item in record["single_source"]:
            table.add_row(_who(item["article"], articles), item["kind"],
                          escape(str(item["text"])))
        out.print(table)
    if show_claims:
        table = _table("Claims", "article", "kind", "text", "value")
        for claim in record["claims"]:
            table.add_row(_who(claim["article"], articles), claim["kind"],
                          escape(claim["text"]), escape(str(claim["value"])))
        out.print(table)
