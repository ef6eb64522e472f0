"""Writing the collection's tables to a folder: Parquet (the Spark runner's format, the schema of
`newstrace.tables`), CSV or JSON lines, one file per table.

CSV has no nested values: a list, struct or map cell is written as JSON text. JSON lines keep
them nested; times are ISO 8601. Parquet needs pyarrow; CSV and JSON lines do not."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from newstrace.errors import NewstraceError
from newstrace.tables import Row, require_pyarrow, schemas, table

FORMATS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl"}  # format -> file extension


@dataclass(frozen=True, slots=True)
class Written:
    table: str
    rows: int
    path: str

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "rows": self.rows, "path": self.path}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, default=_plain)
    return "" if value is None else _plain(value)


def _columns(name: str) -> list[str]:
    """The table's column names, read from its schema when pyarrow is there."""
    try:
        return list(schemas()[name].names)
    except NewstraceError:
        return []


def write_stamps(folder: str | Path, table_name: str,
                 stamps: Mapping[str, str | None]) -> Written:
    """Write `stamps` (name -> a stamp of the code that made the tables, or None) as the one
    row of `folder/<table_name>.parquet`, beside a Parquet export's tables."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(folder) / f"{table_name}.parquet"
    schema = pa.schema([(name, pa.string()) for name in stamps])
    pq.write_table(pa.table({name: [value] for name, value in stamps.items()}, schema=schema),
                   path)
    return Written(table_name, 1, str(path))


def write_tables(rows: Mapping[str, list[Row]], folder: str | Path,
                 file_format: str) -> list[Written]:
    """Write each table's rows to `folder/<table>.<format>`; the folder is created."""
    if file_format not in FORMATS:
        raise NewstraceError(f"no export format {file_format!r}; choose one of "
                             f"{', '.join(FORMATS)}")
    if file_format == "parquet":
        require_pyarrow()
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise NewstraceError(f"{out}: cannot create the export folder ({error.strerror})"
                             ) from error
    written = []
    for name, items in rows.items():
        path = out / f"{name}.{FORMATS[file_format]}"
        if file_format == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table(name, items), path)
        elif file_format == "csv":
            _write_csv(path, _columns(name) or _keys(items), items)
        else:
            with path.open("w", encoding="utf-8") as handle:
                for item in items:
                    handle.write(json.dumps(item, ensure_ascii=False, default=_plain) + "\n")
        written.append(Written(name, len(items), str(path)))
    return written


def _keys(items: Iterable[Row]) -> list[str]:
    return list(dict.fromkeys(key for item in items for key in item))


def _write_csv(path: Path, columns: list[str], items: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for item in items:
            writer.writerow([_cell(item.get(column)) for column in columns])
