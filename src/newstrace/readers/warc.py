"""WARC and WARC.gz archives: HTML response records, read with FastWARC.

FastWARC was chosen over warcio by measurement (bench/throughput.py): it parses the same
archives several times faster. It stops quietly at a truncated record, so truncation is
detected here from records whose body is shorter than their declared length.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastwarc.warc import ArchiveIterator, WarcRecordType

from newstrace.clean.encoding import decode_bytes
from newstrace.errors import InputError
from newstrace.readers.config import ReaderConfig
from newstrace.readers.sources import InputSource, open_stream
from newstrace.records import BodyFormat, RawDocument, Skip, SourceKind

_HTML_TYPES = ("text/html", "application/xhtml")


def read_warc(source: InputSource, config: ReaderConfig) -> Iterator[RawDocument | Skip]:
    """Each HTML response in the archive; other records (requests, metadata, images) are
    passed over without a skip line, since they are not articles."""
    seen = 0
    with open_stream(source, config.max_file_bytes) as stream:
        for record in ArchiveIterator(stream, record_types=WarcRecordType.response,
                                      parse_http=True):
            seen += 1
            where = f"@{record.stream_pos}"
            declared = record.content_length
            if declared == 0:
                yield Skip(source.path + where, "truncated",
                           "WARC record is cut off (the archive is truncated); the records "
                           "before it were read")
                return
            content_type = (record.http_headers.get("Content-Type") or "").lower()
            if record.http_headers.status_code != 200 or not content_type.startswith(_HTML_TYPES):
                continue
            if declared > config.max_document_bytes:
                yield Skip(source.path + where, "too-large", "record over the size limit")
                continue
            payload = record.reader.read()
            if len(payload) < declared - 4096:  # HTTP headers are counted in the block
                yield Skip(source.path + where, "truncated", "WARC record is cut off")
                return
            try:
                html = decode_bytes(payload, source.path + where, markup=True)
            except InputError as error:
                yield Skip(source.path + where, error.reason, error.message)
                continue
            yield RawDocument(
                source_path=source.path,
                kind=SourceKind.WARC,
                body=html,
                body_format=BodyFormat.HTML,
                source_id=record.record_id,
                record=where,
                url=record.headers.get("WARC-Target-URI"),
                published=record.headers.get("WARC-Date"),
            )
    if seen == 0:
        raise InputError(source.path, "malformed-warc",
                         "holds no WARC response record (is it a WARC file?)")
