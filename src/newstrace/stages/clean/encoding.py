"""Turn input bytes into text: BOMs, declared charsets, detection, and a binary check."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from newstrace.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.-]+)""", re.I)
# Control characters that never occur in text (tab, newline, carriage return, form feed excepted).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def looks_binary(data: bytes) -> bool:
    """True when a sample of `data` has NUL bytes or many control bytes, as binaries do."""
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(sample.count(bytes([b])) for b in _CONTROL)
    return controls / len(sample) > 0.05


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first 4 KB, if it is a known codec."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, path: str, *, markup: bool = False) -> str:
    """Decode `data` to str, trying a BOM, then UTF-8, then the declared charset, then detection.

    Raises InputError (reason ``binary`` or ``encoding``) naming the file when no decoding fits.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if looks_binary(data):
        raise InputError(path, "binary", "looks like a binary file, not text or HTML; skip it or "
                         "convert it to text first")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if markup:
        declared = declared_charset(data)
        if declared:
            try:
                return data.decode(declared)
            except UnicodeDecodeError:
                pass
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise InputError(path, "encoding", "cannot tell its character encoding; convert it to "
                         "UTF-8 (for example with iconv) and ingest it again")
    return data.decode(best.encoding, errors="replace")
