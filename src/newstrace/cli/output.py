"""Rendering records for the terminal and for machines: a table on a terminal, JSON, NDJSON
or CSV on request; one set of options shared by every listing command."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "nl", "csv")


def output_options(function: F) -> F:
    """--table / --json / --nl / --csv, stored as `output` (None: table on a terminal, JSON
    otherwise)."""
    for flag, value, text in reversed((
        ("--table", "table", "Show a table (the default on a terminal)."),
        ("--json", "json", "Output a JSON array (the default when piped)."),
        ("--nl", "nl", "Output newline-delimited JSON, one record a line."),
        ("--csv", "csv", "Output CSV with a header row."),
    )):
        function = click.option(flag, "output", flag_value=value, help=text)(function)
    return function


def resolve_format(output: str | None) -> str:
    if output:
        return output
    return "table" if sys.stdout.isatty() else "json"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit(rows: Iterable[dict[str, Any]], output: str | None, columns: list[str],
         table_cell: Callable[[str, Any], str] | None = None, title: str | None = None) -> None:
    """Write rows in the chosen format. `columns` picks and orders the table and CSV columns;
    JSON keeps every field."""
    chosen = resolve_format(output)
    if chosen == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2))
    elif chosen == "nl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif chosen == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
    else:
        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        render = table_cell or (lambda _column, value: _cell(value))
        for row in rows:
            # Article text is untrusted: escape it so it cannot inject console markup.
            table.add_row(*(escape(render(column, row.get(column))) for column in columns))
        # Piped tables (--table into a file) get room enough not to fold every cell.
        width = None if sys.stdout.isatty() else 200
        Console(soft_wrap=False, width=width).print(table)


def emit_one(record: dict[str, Any], output: str | None,
             render_text: Callable[[dict[str, Any]], None]) -> None:
    """One record: JSON for machines, a readable view on a terminal."""
    chosen = resolve_format(output)
    if chosen in ("json", "nl"):
        indent = None if chosen == "nl" else 2
        click.echo(json.dumps(record, ensure_ascii=False, indent=indent))
    else:
        render_text(record)
