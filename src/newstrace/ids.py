"""Stable ids and content hashes, derived from an article's source so that re-running never
duplicates."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid", "ref", "src")


def digest(text: str, size: int = 20) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


def line_hash(line: str) -> int:
    """A signed 63-bit hash of a normalised line: fits an SQLite INTEGER."""
    value = int.from_bytes(hashlib.blake2b(line.encode("utf-8"), digest_size=8).digest(), "big")
    return value >> 1


def text_hash(text: str) -> str:
    """Hash of clean text, insensitive to white space and case: equal hashes are exact
    duplicates."""
    return digest(" ".join(text.lower().split()))


def normalise_url(url: str) -> str:
    """The URL with scheme and host lower-cased, the fragment, tracking parameters, default
    ports and a trailing slash removed: two spellings of one address become one."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                       if not key.lower().startswith(_TRACKING)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower() or "http", host, path, query, ""))


def site_of(url: str | None) -> str | None:
    """The host of a URL without a leading www."""
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def article_id(key: str) -> str:
    """The id for a source key: a URL, or an input's name with its record and content hash."""
    return "a" + digest(key, size=8)


def input_name(source_path: str, record: str | None = None) -> str:
    """What an input is called wherever its folder lies: the file's name and the record
    inside it (``feed.xml#3``, ``dump.jsonl:12``); ``<stdin>`` as it is.

    Never the folder: a moved, copied or re-mounted folder must give every article the id
    it had, and two clones of one collection the same answers."""
    name = source_path if source_path.startswith("<") else PurePath(source_path).name
    return name + (record or "")
