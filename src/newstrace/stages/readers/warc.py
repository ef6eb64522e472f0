"""WARC and WARC.gz archives: HTML response records, read with warcio.

warcio over FastWARC, by measurement (bench/throughput.py): FastWARC parses records several
times faster, but parsing is a few percent of ingest time either way (HTML extraction is the
cost), and warcio reads any stream, reports truncated archives as errors instead of stopping
quietly, and never aborts the process (FastWARC 2's Rust core panics on unseekable streams).
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newstrace.errors import InputError
from newstrace.records import BodyFormat, RawDocument, Skip, SourceKind
from newstrace.stages.clean.encoding import decode_bytes
from newstrace.stages.readers.config import ReaderConfig
from newstrace.stages.readers.sources import InputSource, open_file

_HTML_TYPES = ("text/html", "application/xhtml")


def read_warc(source: InputSource, config: ReaderConfig) -> Iterator[RawDocument | Skip]:
    """Each HTML response in the archive; other records (requests, metadata, images) are
    passed over without a skip line, since they are not articles."""
    handle = open_file(source.path)  # not open_stream: warcio reads gzip members itself
    records = 0
    with handle:
        _check_signature(handle, source)
        iterator = ArchiveIterator(handle)
        while True:
            try:
                record = next(iterator)
                records += 1
                document = _document(record, source, iterator.get_record_offset, config)
            except StopIteration:
                break
            except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError) as error:
                # warcio meets a cut-off record as a parse failure of the next header.
                reason = "truncated" if records else "malformed-warc"
                yield Skip(source.path, reason,
                           f"WARC archive is truncated or corrupt after {records} records "
                           f"({type(error).__name__}); the records before it were read")
                return
            if document is not None:
                yield document
    if records == 0:
        raise InputError(source.path, "malformed-warc",
                         "holds no WARC record (is it a WARC file?)")


def _check_signature(handle: BinaryIO, source: InputSource) -> None:
    """Refuse files that are not WARC (or ARC): warcio would read garbage as empty records."""
    head = handle.read(2)
    handle.seek(0)
    if head == b"\x1f\x8b":
        with gzip.GzipFile(fileobj=handle) as unpacked:
            try:
                head = unpacked.read(12)
            except (OSError, EOFError):
                head = b""
        handle.seek(0)
    else:
        head = handle.read(12)
        handle.seek(0)
    if not head.startswith((b"WARC/", b"filedesc://")):
        raise InputError(source.path, "malformed-warc",
                         "is not a WARC archive (it does not start with a WARC/1.x header)")


def _document(record: object, source: InputSource, offset: Callable[[], int],
              config: ReaderConfig) -> RawDocument | Skip | None:
    """The article in one record. `offset` must be called after the payload is read: warcio
    finishes the record to measure it."""
    if getattr(record, "rec_type", None) != "response" or record.http_headers is None:  # type: ignore[attr-defined]
        return None
    headers = record.http_headers  # type: ignore[attr-defined]
    content_type = (headers.get_header("Content-Type") or "").lower()
    if headers.get_statuscode() != "200" or not content_type.startswith(_HTML_TYPES):
        return None
    payload = record.content_stream().read(config.max_document_bytes + 1)  # type: ignore[attr-defined]
    cut_off = record.raw_stream.limit > 0 and len(payload) <= config.max_document_bytes  # type: ignore[attr-defined]
    where = f"@{offset()}"
    if cut_off:
        # A record whose body ends before its declared length: the archive was cut here.
        raise EOFError(f"record at {where} ends early")
    if len(payload) > config.max_document_bytes:
        return Skip(source.path + where, "too-large", "record over the per-document size limit")
    try:
        html = decode_bytes(payload, source.path + where, markup=True)
    except InputError as error:
        return Skip(source.path + where, error.reason, error.message)
    warc_headers = record.rec_headers  # type: ignore[attr-defined]
    return RawDocument(
        source_path=source.path,
        kind=SourceKind.WARC,
        body=html,
        body_format=BodyFormat.HTML,
        source_id=warc_headers.get_header("WARC-Record-ID"),
        record=where,
        url=warc_headers.get_header("WARC-Target-URI"),
        published=None,  # WARC-Date is the crawl time, not the publication time
    )
