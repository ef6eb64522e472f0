"""`export` (the collection's tables to Parquet, CSV or JSON lines) and `doctor` (which optional
capabilities are on, and how to turn each on)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newstrace.capabilities import capabilities
from newstrace.cli.options import db_option, warn_if_stale
from newstrace.cli.output import emit, output_options
from newstrace.collection import Collection
from newstrace.errors import NewstraceError
from newstrace.export import FORMATS
from newstrace.tables import TABLES


def register(cli: click.Group) -> None:
    """Add `export` and `doctor` to the `newstrace` group."""

    @cli.command()
    @click.argument("folder", type=click.Path(file_okay=False))
    @db_option
    @click.option("--format", "file_format", type=click.Choice(list(FORMATS)),
                  default="parquet", show_default=True, help="File format, one file a table.")
    @click.option("--only", "names", multiple=True, type=click.Choice(TABLES),
                  help="Only this table (repeat for several); default: all of them.")
    @output_options
    def export(folder: str, db: str, file_format: str, names: tuple[str, ...],
               output: str | None) -> None:
        """Write the collection's tables to FOLDER: articles, sentences, relations (with
        aligned passages as character offsets), stories, edges (provenance, with evidence),
        claims and discrepancies. Parquet has the Spark runner's schema; CSV writes nested
        values as JSON text."""
        if not Path(db).exists():
            raise click.ClickException(f"{db}: no such collection; create it with "
                                       f"`newstrace analyze PATH --db {db}`")
        try:
            with Collection(db, paraphrase=False) as collection:
                warn_if_stale(collection)
                written = collection.export(folder, file_format, names or TABLES)
        except NewstraceError as error:
            raise click.ClickException(str(error)) from error
        emit([item.as_dict() for item in written], output, ["table", "rows", "path"])

    @cli.command()
    @output_options
    def doctor(output: str | None) -> None:
        """Which optional capabilities are on (paraphrase model, spaCy, web app, Spark and its
        Java, tables and DataFrames, notebooks) and how to turn each on."""
        found = [capability.as_dict() for capability in capabilities()]
        if output not in (None, "table"):
            emit(found, output, ["name", "extra", "on", "detail", "how"])
            return
        _print_doctor(found)


def _print_doctor(found: list[dict[str, Any]]) -> None:
    from newstrace import __version__

    out = Console(highlight=False)
    out.print(f"[bold]newstrace {__version__}[/]")
    table = Table()
    for column in ("capability", "on", "detail", "to turn it on"):
        table.add_column(column, overflow="fold")
    for item in found:
        table.add_row(escape(item["name"]), "[green]yes[/]" if item["on"] else "[red]no[/]",
                      escape(item["detail"]), escape(item["how"]))
    out.print(table)
    off = [item for item in found if not item["on"]]
    if off:
        out.print(escape("Everything at once: pip install 'newstrace[all]'"))
