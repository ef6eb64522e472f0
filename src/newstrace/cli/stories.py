"""The story commands: `analyze` (the main job), `stories` and `trace`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from newstrace.cli.options import db_option, warn_if_stale
from newstrace.cli.output import emit, emit_one, output_options
from newstrace.cli.progress import print_ingest_summary, report_skip, stage
from newstrace.cli.report import write_html_report
from newstrace.cli.reuse import (
    encoder_option,
    reuse_config,
    window_option,
    with_encoder,
    workers_option,
)
from newstrace.collection import Collection
from newstrace.errors import NewstraceError
from newstrace.records import Story, Trace
from newstrace.stages.reuse.cascade import Encoder
from newstrace.tables import edge_rows

EDGE_COLUMNS = ["story", "source", "target", "relation", "confidence", "directed",
                "relation_confidence", "in_tree", "evidence"]
STORY_COLUMNS = ["id", "label", "size", "first_published", "last_published", "origins",
                 "evidence"]


def _collection(db: str, *, paraphrase: bool = True, window_days: float | None = None,
                workers: int | None = None, must_exist: bool = False,
                encoder: Encoder | None = None) -> Collection:
    if must_exist and not Path(db).exists():
        raise click.ClickException(f"{db}: no such collection; create it with "
                                   "`newstrace analyze PATH --db {db}`")
    reuse = reuse_config(window_days, workers, encoder)
    try:
        return Collection(db, paraphrase=paraphrase, reuse=reuse)
    except NewstraceError as error:
        raise click.ClickException(str(error)) from error


def register(cli: click.Group) -> None:
    """Add the story commands to the `newstrace` group."""

    @cli.command()
    @click.argument("paths", nargs=-1, required=True)
    @db_option
    @click.option("--out", type=click.Path(file_okay=False),
                  help="Also write stories.json (every story with its trace) and the HTML "
                  "report (index.html) to this folder.")
    @click.option("--no-paraphrase", is_flag=True, help="Verbatim reuse only (faster).")
    @window_option
    @workers_option
    @encoder_option
    @click.option("--json", "output", flag_value="json", help="Print the summary as JSON.")
    @click.pass_context
    def analyze(context: click.Context, paths: tuple[str, ...], db: str, out: str | None,
                no_paraphrase: bool, window_days: float, workers: int | None,
                encoder: Encoder, output: str | None) -> None:
        """Ingest PATHS, find reuse, group stories and trace them: the whole job."""
        quiet = context.obj["quiet"]
        with _collection(db, paraphrase=not no_paraphrase, window_days=window_days,
                         workers=workers, encoder=encoder) as collection:
            with_encoder(collection)
            analysis = collection.analyze(
                list(paths), whole=bool(out), on_skip=report_skip,
                stages=lambda label, total: stage(label, total, quiet=quiet),
                on_ingested=lambda ingested: print_ingest_summary(ingested, db))
            ingested, related, placed = (analysis.added.ingest, analysis.added.relate,
                                         analysis.added.stories)
            total, everything, traced, facts = (analysis.articles, analysis.covers_all,
                                                 analysis.stories, analysis.facts)
            stories = [story for story, _ in traced]
            traces = {story.id: story_trace for story, story_trace in traced}
            titles = collection.articles([a for s in stories for a in s.articles])
            if out:
                write_html_report(collection, out, traced=traced, facts=facts, quiet=quiet)
        summary = {"db": db, "articles": total, "ingest": ingested.as_dict(),
                   "relate": related.as_dict(), "stories": placed.as_dict(),
                   "story_list_covers": "all" if everything else "changed",
                   "story_list": [{**_story_summary(s, traces[s.id]),
                                   "facts": facts[s.id]["summary"] if s.id in facts
                                   else None} for s in stories]}
        if out:
            folder = Path(out)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "stories.json").write_text(json.dumps(
                [{**s.as_dict(), "trace": traces[s.id].as_dict(), "facts": facts.get(s.id)}
                 for s in stories], ensure_ascii=False, indent=2), encoding="utf-8")
        if output == "json":
            click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        out_console = Console(highlight=False)
        out_console.print(f"[bold]{placed.stories} stories[/] in {total} articles "
                          f"({related.pairs} pairs aligned)")
        if not everything:
            out_console.print(f"{len(stories)} of them new or changed by this run, below "
                              "(`newstrace stories` lists them all)")
        for story in stories:
            _print_story_summary(out_console, story, traces[story.id], titles)
            if story.id in facts:
                _print_facts_summary(out_console, facts[story.id])

    @cli.command()
    @db_option
    @click.option("--update", is_flag=True, help="Place new articles in stories first.")
    @output_options
    def stories(db: str, update: bool, output: str | None) -> None:
        """List the stories: id, label, articles, first and last publication, origins."""
        with _collection(db, must_exist=True) as collection:
            if update:
                collection.update_stories()
            warn_if_stale(collection)
            rows = collection.stories().as_dicts()
        emit(rows, output, STORY_COLUMNS, _story_cell)

    @cli.command()
    @click.argument("reference")
    @db_option
    @output_options
    def trace(reference: str, db: str, output: str | None) -> None:
        """Who copied whom in a story: REFERENCE is a story id or one of its articles.

        A tree on a terminal; --json the whole trace; --csv one row per edge."""
        with _collection(db, must_exist=True) as collection:
            warn_if_stale(collection)
            try:
                traced = collection.trace(reference)
            except NewstraceError as error:
                raise click.ClickException(str(error)) from error
            articles = collection.articles(traced.members)
        if output == "csv":
            emit(list(edge_rows(traced)), output, EDGE_COLUMNS)
            return
        emit_one(traced.as_dict(), output or "table",
                 lambda _record: _print_tree(traced, articles, traced.evidence))

    @cli.command()
    @click.argument("first")
    @click.argument("second")
    @db_option
    @click.option("--json", "output", flag_value="json", help="Output JSON.")
    def why(first: str, second: str, db: str, output: str | None) -> None:
        """Why two stored articles are in one story, or in two: what they share (when,
        where, who, numbers), where they conflict, and the link clustering weighed."""
        with _collection(db, must_exist=True) as collection:
            warn_if_stale(collection)
            try:
                record = collection.why(first, second)
            except NewstraceError as error:
                raise click.ClickException(str(error)) from error
            articles = collection.articles([record["a"], record["b"]])
        emit_one(record, output or "table", lambda r: _print_why(r, articles))


def _story_cell(column: str, value: Any) -> str:
    if column == "origins":
        return ", ".join((o["article"] or "")[:12] or f"external: {o['outlet']}"
                         for o in value)
    if column == "evidence":
        return evidence_line(value or {})
    if column in ("first_published", "last_published") and value:
        return str(value)[:16].replace("T", " ")
    return "" if value is None else str(value)


def _story_summary(story: Story, traced: Trace) -> dict[str, Any]:
    by_relation: dict[str, list[str]] = {}
    for target, source in traced.tree.items():
        relation = next(e.relation for e in traced.edges
                        if {e.source, e.target} == {source, target})
        by_relation.setdefault(relation, []).append(target)
    return {"id": story.id, "label": story.label, "size": story.size,
            "origins": [origin.as_dict() for origin in story.origins], "derivatives": by_relation,
            "independent": traced.independent, "undecided": traced.undecided}


def _name(article_id: str, articles: dict[str, Any]) -> str:
    article = articles.get(article_id)
    if article is None:
        return article_id
    who = article.outlet or article.source_path.rsplit("/", 1)[-1]
    return f"{escape(who)}: {escape(article.title or article_id)} [dim]({article_id[:12]})[/]"


def _print_story_summary(out: Console, story: Story, traced: Trace,
                         articles: dict[str, Any]) -> None:
    out.print(f"\n[bold]{escape(story.label)}[/] [dim]{story.id}, {story.size} articles[/]")
    for origin in traced.origins:
        if origin.article:
            out.print(f"  origin: {_name(origin.article, articles)}")
        else:
            out.print(f"  external origin: {escape(origin.outlet or '')} "
                      f"(credited by {len(origin.derivatives)})")
    summary = _story_summary(story, traced)
    for relation, targets in sorted(summary["derivatives"].items()):
        out.print(f"  {relation}: {len(targets)}")
    if traced.undecided:
        out.print(f"  copies with no evidence of direction: {sum(map(len, traced.undecided))}")
    if traced.independent:
        out.print(f"  independent reports: {len(traced.independent)}")


def _print_facts_summary(out: Console, facts: dict[str, Any]) -> None:
    summary = facts["summary"]
    out.print(f"  facts: {summary['altered_facts']} altered, {summary['conflicts']} "
              f"conflicting, {summary['additions']} added sentences, "
              f"{summary['altered_quotes']} altered quotations "
              f"[dim](newstrace facts {facts['story']})[/]")
    for item in facts["altered_facts"]:
        out.print(f"    altered: {escape(item['from'])} → {escape(item['to'])}")
    for item in facts["conflicts"]:
        values = " vs ".join(" / ".join(v["texts"]) for v in item["values"])
        out.print(f"    conflict: {escape(values)}")


def evidence_line(evidence: dict[str, Any]) -> str:
    """A story's evidence in one line: "when: ...; where: ...; who: ..." (plain text)."""
    parts = [f"{kind}: " + ", ".join(item["value"] for item in evidence.get(kind, ())[:4])
             for kind in ("when", "where", "who") if evidence.get(kind)]
    numbers = [f"{n['what']} " + "/".join(str(v) for v in n["values"][:3])
               for n in evidence.get("numbers", ())[:3]]
    if numbers:
        parts.append("numbers: " + ", ".join(numbers))
    return "; ".join(parts)


def _print_why(record: dict[str, Any], articles: dict[str, Any]) -> None:
    out = Console(highlight=False)
    verdict = "one story" if record["same_story"] else "two stories"
    out.print(f"[bold]{verdict}[/]")
    out.print(f"  A {_name(record['a'], articles)} [dim]story {record['stories'][0]}[/]")
    out.print(f"  B {_name(record['b'], articles)} [dim]story {record['stories'][1]}[/]")
    for reason in record["reasons"]:
        out.print(f"  - {escape(reason)}")


def _print_tree(traced: Trace, articles: dict[str, Any],
                evidence: dict[str, Any] | None = None) -> None:
    out = Console(highlight=False)
    root = Tree(f"[bold]story {escape(traced.story)}[/]")
    held = evidence_line(evidence or {})
    if held:
        root.add(f"[blue]held together by[/] {escape(held)}")
    children: dict[str, list[str]] = {}
    for target, source in traced.tree.items():
        children.setdefault(source, []).append(target)
    edges = {(e.source, e.target): e for e in traced.edges}

    def grow(node: Tree, article_id: str) -> None:
        for child in sorted(children.get(article_id, [])):
            link = edges.get((article_id, child))
            label = f"[cyan]{link.relation}[/] {link.confidence:.2f} " if link else ""
            grow(node.add(label + _name(child, articles)), child)

    for origin in traced.origins:
        if origin.article:
            grow(root.add("[green]origin[/] " + _name(origin.article, articles)),
                 origin.article)
        else:
            branch = root.add(f"[green]external origin[/] {escape(origin.outlet or '')} "
                              f"{escape(origin.url or '')}")
            for derivative in origin.derivatives:
                branch.add("[cyan]credits it[/] " + _name(derivative, articles))
    for group in traced.undecided:
        branch = root.add("[yellow]shared origin, direction undecided[/]")
        for article_id in group:
            branch.add(_name(article_id, articles))
    if traced.independent:
        branch = root.add("[magenta]independent reports[/]")
        for article_id in traced.independent:
            branch.add(_name(article_id, articles))
    out.print(root)
