"""Find the inputs under the paths a user names, and open them (gzip included) with limits."""

from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, cast

from newstrace.errors import InputError
from newstrace.units import megabytes

# Input formats by file name ending (after any .gz).
FORMAT_BY_SUFFIX = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".txt": "text", ".text": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".warc": "warc", ".arc": "warc",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
STDIN = "-"


@dataclass(frozen=True, slots=True)
class InputSource:
    """One input: a file (maybe gzipped) or stdin, with the format its name or content says."""

    path: str
    format: str
    gzipped: bool = False

    @property
    def is_stdin(self) -> bool:
        return self.path == STDIN


def format_of(path: str) -> tuple[str | None, bool]:
    """(format, gzipped) from a file name; format None when the name says nothing we read."""
    name = path.lower()
    gzipped = name.endswith((".gz", ".gzip"))
    if gzipped:
        name = name.rsplit(".", 1)[0]
    return FORMAT_BY_SUFFIX.get(os.path.splitext(name)[1]), gzipped


def sniff_format(head: bytes) -> str:
    """The format of unnamed input (stdin) from its first bytes."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if text.startswith(b"warc/"):
        return "warc"
    if text.startswith(b"{"):
        return "jsonl"
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"<?xml") and (b"<rss" in text or b"<feed" in text or b"<rdf" in text):
        return "feed"
    if text.startswith((b"<rss", b"<feed")):
        return "feed"
    if text.startswith(b"<"):
        return "html"
    return "text"


def discover(paths: list[str], exclude: set[str]) -> Iterator[InputSource | InputError]:
    """Every input under `paths` (folders recursively, hidden files and folders left out), in a
    stable order; an InputError for each path that cannot be used. Files in `exclude` (the
    store's own) are passed over."""
    excluded = {os.path.realpath(path) for path in exclude}
    for path in paths:
        if path == STDIN:
            yield InputSource(STDIN, "auto")
            continue
        target = Path(path)
        if target.is_dir():
            for root, dirs, files in os.walk(target):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if not name.startswith(".") and os.path.realpath(full) not in excluded:
                        yield source_for(full)
        elif target.exists():
            yield source_for(path)
        else:
            yield InputError(path, "unreadable", "no such file or folder; check the path")


def source_for(path: str) -> InputSource | InputError:
    file_format, gzipped = format_of(path)
    if file_format is None:
        return InputError(path, "unsupported-type",
                          "not a format newstrace reads (.html .htm .txt .jsonl .json .warc "
                          ".rss .atom .xml, optionally .gz); rename it if its content is one")
    return InputSource(path, file_format, gzipped)


def read_bytes(source: InputSource, max_bytes: int) -> bytes:
    """The whole (decompressed) content of a small input, refusing more than `max_bytes`."""
    with open_stream(source, max_bytes) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(source.path, max_bytes)
    return data


def too_large(path: str, max_bytes: int) -> InputError:
    """The error for an input whose content is over the limit."""
    return InputError(path, "too-large",
                      f"larger than the limit of {megabytes(max_bytes)}; raise it with "
                      "--max-size (in MB) if the file is meant to be read")


def spool(stream: BinaryIO, target: IO[bytes], chunk: int = 1 << 20) -> int:
    """Copy a stream (standard input) to a file a chunk at a time, so that it can be read
    more than once without being held in memory; returns the bytes copied."""
    copied = 0
    while block := stream.read(chunk):
        target.write(block)
        copied += len(block)
    target.flush()
    return copied


def sniff_file(path: str, chunk: int = 1 << 16) -> str:
    """`sniff_format` of a file's content, reading only as far as its first bytes that are
    not a byte-order mark or white space (what `sniff_format` looks at)."""
    head = b""
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            head += block
            if len(head.lstrip(b"\xef\xbb\xbf \t\r\n")) >= 512:
                break
    return sniff_format(head)


class _LimitedGzip(io.RawIOBase):
    """A gzip stream that turns a truncated or corrupt archive into InputError."""

    def __init__(self, raw: BinaryIO, path: str) -> None:
        self._inner = gzip.GzipFile(fileobj=raw)
        self._path = path

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            return self._inner.readinto(buffer)
        except (EOFError, OSError, zlib.error) as error:
            raise InputError(self._path, "truncated",
                             f"compressed data is truncated or corrupt ({error}); "
                             "re-download or re-compress it") from error

    def close(self) -> None:
        self._inner.close()
        super().close()


def open_file(path: str) -> BinaryIO:
    """The file at `path`, opened for binary reading; InputError when it cannot be."""
    try:
        return open(path, "rb")
    except OSError as error:
        raise InputError(path, "unreadable",
                         f"cannot be read ({error.strerror}); check its permissions") from error


def open_stream(source: InputSource, max_bytes: int) -> BinaryIO:
    """A binary stream over the input, decompressing gzip. Raises InputError for unreadable
    paths and compressed files whose size on disk is already over the limit."""
    if source.is_stdin:
        return sys.stdin.buffer
    handle = open_file(source.path)
    size = os.fstat(handle.fileno()).st_size
    if size > max_bytes:
        handle.close()
        raise InputError(source.path, "too-large",
                         f"{megabytes(size)} is over the limit of {megabytes(max_bytes)}; "
                         "raise it with --max-size (in MB)")
    if source.gzipped:
        return cast(BinaryIO, io.BufferedReader(_LimitedGzip(handle, source.path)))
    return handle
