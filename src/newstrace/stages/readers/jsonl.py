"""JSON lines (and JSON arrays) of articles, with configurable field names."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newstrace.errors import InputError
from newstrace.records import RawDocument, Skip, SourceKind
from newstrace.stages.clean.encoding import decode_bytes
from newstrace.stages.readers.config import JsonFields, ReaderConfig
from newstrace.stages.readers.markup import body_format
from newstrace.stages.readers.sources import InputSource, open_stream, read_bytes


def read_json_records(source: InputSource, config: ReaderConfig
                      ) -> Iterator[RawDocument | Skip]:
    """Each record of a .jsonl file (streamed) or a .json array (read whole)."""
    if source.format == "json":
        yield from _read_array(source, config)
        return
    with open_stream(source, config.max_file_bytes) as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{source.path}:{number}"
            if len(line) > config.max_document_bytes:
                yield Skip(where, "too-large", "record over the per-document size limit")
                continue
            try:
                record = json.loads(decode_bytes(line, where))
            except (json.JSONDecodeError, InputError) as error:
                yield Skip(where, "malformed-json",
                           f"not valid JSON ({error}); fix or drop the line")
                continue
            yield record_document(record, source.path, f":{number}", config.json_fields)


def _read_array(source: InputSource, config: ReaderConfig) -> Iterator[RawDocument | Skip]:
    data = read_bytes(source, config.max_file_bytes)
    try:
        parsed = json.loads(decode_bytes(data, source.path))
    except json.JSONDecodeError as error:
        raise InputError(source.path, "malformed-json",
                         f"not valid JSON ({error}); a .json file must hold an array of "
                         "article objects (or one object); use .jsonl for one per line") from error
    records = parsed if isinstance(parsed, list) else [parsed]
    for number, record in enumerate(records):
        yield record_document(record, source.path, f"[{number}]", config.json_fields)


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(item) for item in value if item)
    if isinstance(value, dict):
        return str(value.get("name") or value.get("title") or "") or None
    return str(value)


def record_document(record: Any, path: str, locator: str, fields: JsonFields) -> RawDocument | Skip:
    where = path + locator
    if not isinstance(record, dict):
        return Skip(where, "malformed-json", "record is not a JSON object")
    text = _first(record, fields.text)
    if not isinstance(text, str) or not text.strip():
        keys = ", ".join(sorted(record)[:20]) or "none"
        return Skip(where, "missing-field",
                    f"no text in field(s) {', '.join(fields.text)}; the record has: {keys}. "
                    "Name the right one with --text-field")
    record_id = _as_text(_first(record, fields.id))
    return RawDocument(
        source_path=path,
        kind=SourceKind.JSONL,
        body=text,
        body_format=body_format(text),
        source_id=record_id,
        record=locator,
        url=_as_text(_first(record, fields.url)),
        title=_as_text(_first(record, fields.title)),
        published=_as_text(_first(record, fields.date)),
        outlet=_as_text(_first(record, fields.outlet)),
        author=_as_text(_first(record, fields.author)),
    )
