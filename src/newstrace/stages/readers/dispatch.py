"""Route each input to the reader for its format; every failure becomes a Skip."""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Iterator

from newstrace.errors import InputError
from newstrace.records import RawDocument, Skip
from newstrace.stages.readers.config import ReaderConfig
from newstrace.stages.readers.feed import read_feed
from newstrace.stages.readers.jsonl import read_json_records
from newstrace.stages.readers.page import read_page
from newstrace.stages.readers.sources import (
    STDIN,
    InputSource,
    discover,
    read_bytes,
    sniff_file,
    sniff_format,
    source_for,
    too_large,
)
from newstrace.stages.readers.warc import read_warc
from newstrace.units import megabytes

STDIN_NAME = "<stdin>"  # what articles read from standard input say they come from


def read_inputs(paths: list[str], config: ReaderConfig | None = None,
                exclude: set[str] | None = None,
                stdin: str | None = None) -> Iterator[RawDocument | Skip]:
    """Every article under `paths`, and a Skip for everything that could not be read.
    `exclude` names files that are not inputs (the store's own files). `stdin` names a file
    that holds what standard input gave (`spool`): "-" is read from it, a record at a time,
    and its articles still say they come from "<stdin>"."""
    config = config or ReaderConfig()
    for found in discover(paths, exclude or set()):
        if isinstance(found, InputError):
            yield Skip(found.path, found.reason, found.message)
            continue
        try:
            if found.is_stdin and stdin is not None:
                yield from _read_spooled(stdin, config)
            else:
                yield from _read_source(found, config)
        except InputError as error:
            yield Skip(error.path, error.reason, error.message)


def _read_source(source: InputSource, config: ReaderConfig) -> Iterator[RawDocument | Skip]:
    if source.is_stdin:
        data = read_bytes(source, config.max_file_bytes)
        source = InputSource(STDIN_NAME, sniff_format(data))
        yield from _read_loaded(source, data, config)
        return
    if source.format in ("html", "text"):
        yield from read_page(source, config)
    elif source.format in ("jsonl", "json"):
        yield from read_json_records(source, config)
    elif source.format == "warc":
        yield from read_warc(source, config)
    elif source.format == "feed":
        yield from read_feed(source, config)


def _read_spooled(path: str, config: ReaderConfig) -> Iterator[RawDocument | Skip]:
    """Standard input copied to the file at `path`: read as `_read_source` reads stdin (the
    same limit, format, names), but containers a record at a time from the file."""
    if os.path.getsize(path) > config.max_file_bytes:
        raise too_large(STDIN, config.max_file_bytes)
    file_format = sniff_file(path)
    if file_format in ("html", "text"):  # one page: read whole, as any page is
        with open(path, "rb") as handle:
            data = handle.read()
        yield from read_page(InputSource(STDIN_NAME, file_format), config, data)
        return
    yield from _named(_read_source(InputSource(path, file_format), config), path, STDIN_NAME)


def _read_loaded(source: InputSource, data: bytes, config: ReaderConfig,
                 name: str = STDIN_NAME) -> Iterator[RawDocument | Skip]:
    """Input already read into memory (stdin, its format sniffed from its first bytes, or a
    file a cluster read); `name` is what its articles and skips are said to come from."""
    if source.format in ("html", "text"):
        yield from read_page(source, config, data)
        return
    # Container formats read from a file object; spool stdin to a temporary file for them.
    with tempfile.NamedTemporaryFile(suffix=f".{source.format}") as spool:
        spool.write(data)
        spool.flush()
        yield from _named(_read_source(InputSource(spool.name, source.format), config),
                          spool.name, name)


def _named(items: Iterator[RawDocument | Skip], path: str,
           name: str) -> Iterator[RawDocument | Skip]:
    """Items read from the file at `path`, said to come from `name` instead."""
    for item in items:
        if isinstance(item, RawDocument):
            item.source_path = name
            yield item
        else:
            yield Skip(item.path.replace(path, name, 1), item.reason, item.message)


def read_loaded_file(path: str, data: bytes, config: ReaderConfig | None = None
                     ) -> Iterator[RawDocument | Skip]:
    """The articles of one file already read into memory (a cluster runner reads files
    through its own file system): the file's name says its format, as `read_inputs` reads
    it; every failure becomes a Skip naming `path`."""
    config = config or ReaderConfig()
    found = source_for(path)
    if isinstance(found, InputError):
        yield Skip(found.path, found.reason, found.message)
        return
    try:
        if found.gzipped:
            data = gzip.decompress(data)
        if len(data) > config.max_file_bytes:
            raise InputError(path, "too-large",
                             f"larger than the limit of {megabytes(config.max_file_bytes)}")
        yield from _read_loaded(InputSource(path, found.format), data, config, name=path)
    except (InputError, OSError, EOFError) as error:
        if isinstance(error, InputError):
            yield Skip(error.path, error.reason, error.message)
        else:
            yield Skip(path, "unreadable", f"cannot be read: {error}")
