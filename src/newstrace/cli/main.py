"""The `newstrace` command: one command, a subcommand per job."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from newstrace import __version__
from newstrace.cli.data import register as register_data
from newstrace.cli.facts import register as register_facts
from newstrace.cli.group import JobGroup, configure_logging
from newstrace.cli.options import db_option, open_collection
from newstrace.cli.output import emit, emit_one, output_options
from newstrace.cli.progress import print_ingest_summary, run_ingest, stderr
from newstrace.cli.report import register as register_report
from newstrace.cli.reuse import register as register_reuse
from newstrace.cli.spark import register as register_spark
from newstrace.cli.stories import register as register_stories
from newstrace.errors import NewstraceError
from newstrace.records import Article
from newstrace.stages.articles import IngestConfig
from newstrace.stages.readers.config import JsonFields, ReaderConfig
from newstrace.units import MB

log = logging.getLogger("newstrace")

# Exit codes (documented in cli/group.py's EXIT_CODES, shown by --help).
EXIT_NOTHING, EXIT_ERROR, EXIT_STRICT, EXIT_FAILED = 1, 2, 3, 4


@click.group(cls=JobGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newstrace")
@click.option("-v", "--verbose", count=True, help="More log lines on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars and no log lines but errors.")
@click.pass_context
def cli(context: click.Context, verbose: int, quiet: bool) -> None:
    """Trace how news spreads: stories, reuse, provenance and facts across articles.

    Start with `newstrace analyze FOLDER --out report/`; `newstrace doctor` says which
    optional capabilities are installed. -q and -v also work after the command's name."""
    settings = context.ensure_object(dict)
    settings["quiet"] = quiet
    settings["verbose"] = verbose
    configure_logging(context)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--strict", is_flag=True, help="Exit non-zero if any input was skipped.")
@click.option("--max-size", type=float, default=ReaderConfig().max_file_bytes / MB,
              show_default=True, help="Largest input file to read, in MB.")
@click.option("--id-field", help="JSON field holding the record's id.")
@click.option("--text-field", help="JSON field holding the article (HTML or plain text).")
@click.option("--title-field", help="JSON field holding the headline.")
@click.option("--url-field", help="JSON field holding the article's URL.")
@click.option("--date-field", help="JSON field holding the publication date.")
@click.option("--outlet-field", help="JSON field holding the outlet or site name.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=IngestConfig().batch_size,
              show_default=True, help="Articles written per transaction.")
@output_options
@click.pass_context
def ingest(context: click.Context, paths: tuple[str, ...], db: str, strict: bool,
           max_size: float, id_field: str | None, text_field: str | None,
           title_field: str | None, url_field: str | None, date_field: str | None,
           outlet_field: str | None, batch_size: int, output: str | None) -> None:
    """Read articles from PATHS (files, folders, or - for stdin) into the collection.

    Reads HTML pages, text dumps, JSON lines, JSON arrays, WARC archives and RSS/Atom feeds
    (any of them gzipped). Inputs already stored unchanged are passed over, so running the
    same command again after an interruption finishes the job.
    """
    fields = JsonFields()
    overrides = {"id": id_field, "text": text_field, "title": title_field, "url": url_field,
                 "date": date_field, "outlet": outlet_field}
    fields = JsonFields(**{name: (value,) if value else getattr(fields, name)
                           for name, value in overrides.items()})
    reader = ReaderConfig(max_file_bytes=int(max_size * MB), json_fields=fields)
    config = IngestConfig(reader=reader, batch_size=batch_size)
    with open_collection(db, ingest=config, paraphrase=False) as collection:
        summary = run_ingest(collection, list(paths), quiet=context.obj["quiet"])
    counts = summary.as_dict()
    counts["db"] = db
    if output:
        emit_one(counts, output, lambda _record: None)
    print_ingest_summary(summary, db)
    if summary.errors:
        sys.exit(EXIT_FAILED)
    if summary.skips and strict:
        sys.exit(EXIT_STRICT)
    if summary.skips and not (summary.ingested or summary.updated or summary.unchanged):
        sys.exit(EXIT_NOTHING)


ARTICLE_COLUMNS = ["id", "outlet", "published", "title", "words", "removed_lines", "cues",
                   "duplicate_of", "source_path"]


def _article_cell(column: str, value: Any) -> str:
    """Compact table cells: cues as "kind → outlet", file names without their folders."""
    if column == "cues":
        return "\n".join(f"{c['kind']} → {c['outlet'] or c['url'] or c['text']}" for c in value)
    if column == "title" and value and len(value) > 50:
        return f"{value[:47]}..."
    if column == "source_path" and value:
        return os.path.basename(str(value))
    if column == "published" and value:
        return str(value)[:16].replace("T", " ")
    return "" if value is None else str(value)


@cli.command()
@db_option
@output_options
def articles(db: str, output: str | None) -> None:
    """List the articles in the collection."""
    with open_collection(db, readonly=True, paraphrase=False) as collection:
        emit(collection.listing(), output, ARTICLE_COLUMNS, _article_cell)


def article_record(article: Article) -> dict[str, Any]:
    """The JSON form of one article, as `show --json` prints it."""
    return {
        "id": article.id, "source_id": article.source_id, "source_path": article.source_path,
        "source_kind": article.kind.value, "url": article.url,
        "canonical_url": article.canonical_url, "outlet": article.outlet,
        "author": article.author, "title": article.title, "published": article.published,
        "published_source": article.published_source, "language": article.language,
        "words": article.words,
        "removed_lines": len(article.removed), "duplicate_of": article.duplicate_of,
        "cues": [cue.as_dict() for cue in article.cues],
        "text": article.text,
        "sentences": [{"index": s.index, "start": s.start, "end": s.end,
                       "text": article.text[s.start : s.end]} for s in article.sentences],
        "removed": [line.as_dict() for line in article.removed],
        "raw_map": [segment.as_list() for segment in article.raw_map or []] or None,
    }


@cli.command()
@click.argument("reference")
@db_option
@click.option("--removed", is_flag=True, help="Also list the removed lines and why.")
@click.option("--json", "output", flag_value="json", help="Output JSON.")
@click.option("--text", "output", flag_value="table", default=True, hidden=True)
def show(reference: str, db: str, removed: bool, output: str | None) -> None:
    """Show one article: REFERENCE is its id (or a prefix), URL, or file name."""
    with open_collection(db, readonly=True, paraphrase=False) as collection:
        try:
            article = collection.article(reference)
        except NewstraceError as error:
            raise click.ClickException(str(error)) from error
    emit_one(article_record(article), output,
             lambda record: _print_article(record, show_removed=removed))


def _print_article(record: dict[str, Any], *, show_removed: bool) -> None:
    out = Console(highlight=False)
    out.print(f"[bold]{escape(record['title'] or '(no title)')}[/]")
    for label in ("id", "outlet", "published", "author", "url", "canonical_url", "source_path",
                  "duplicate_of"):
        if record.get(label):
            value = str(record[label])
            if label == "published" and record.get("published_source"):
                value += f" (from the {record['published_source']})"
            out.print(f"[dim]{label}:[/] {escape(value)}")
    for cue in record["cues"]:
        credited = f" → {cue['outlet']}" if cue["outlet"] else ""
        out.print(f"[cyan]cue[/] {cue['kind']}{escape(credited)}: {escape(cue['text'])}")
    out.print(f"[dim]{record['words']} words, {len(record['sentences'])} sentences, "
              f"{record['removed_lines']} lines removed[/]\n")
    out.print(escape(record["text"]))
    if show_removed:
        out.print("\n[bold]Removed lines[/]")
        for line in record["removed"]:
            out.print(f"[red]- {escape(line['reason'])}:[/] {escape(line['line'])}")


register_reuse(cli)
register_stories(cli)
register_facts(cli)
register_report(cli)
register_data(cli)
register_spark(cli)


def main() -> None:
    """Console entry point: library errors become one clear line and exit code 2."""
    try:
        cli(standalone_mode=True)
    except NewstraceError as error:
        stderr.print(f"[red]error:[/] {escape(str(error))}", highlight=False)
        sys.exit(EXIT_ERROR)
