"""Single-document files: an HTML page or a text dump."""

from __future__ import annotations

from collections.abc import Iterator

from newstrace.errors import InputError
from newstrace.records import BodyFormat, RawDocument, SourceKind
from newstrace.stages.clean.encoding import decode_bytes
from newstrace.stages.readers.config import ReaderConfig
from newstrace.stages.readers.sources import InputSource, read_bytes


def read_page(source: InputSource, config: ReaderConfig, data: bytes | None = None
              ) -> Iterator[RawDocument]:
    """The one article of an HTML or text file."""
    if data is None:
        data = read_bytes(source, min(config.max_file_bytes, config.max_document_bytes))
    is_html = source.format == "html"
    text = decode_bytes(data, source.path, markup=is_html)
    if not text.strip():
        raise InputError(source.path, "empty", "is empty (nothing but white space)")
    yield RawDocument(
        source_path=source.path,
        kind=SourceKind.HTML if is_html else SourceKind.TEXT,
        body=text,
        body_format=BodyFormat.HTML if is_html else BodyFormat.TEXT,
    )
