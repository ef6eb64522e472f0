"""Attribution and syndication cues: the lines in which an article credits where it came from.

They are provenance evidence, so they are taken out of the body (they are not part of the
story) and kept on the article with the outlet or address they name.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newstrace.records import Cue
from newstrace.stages.clean.dates import only_date_words

_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.I)
# A name: up to eight words, each capitalised or a connector ("of", "the", "&", "de"...).
_NAME = (r"(?P<outlet>(?:the\s+)?[A-Z0-9][\w'’.&-]*"
         r"(?:\s+(?:[A-Z0-9][\w'’.&-]*|of|the|and|de|du|la|&|für)){0,7})")

# Line-level cues: the whole (short) line is an attribution. Each pattern is matched at the
# start of the line; `kind` says what sort of cue it is.
_LINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("attribution", r"^(?:read|see|view)\s+(?:the\s+)?(?:full|original|complete)\s+"
                        r"(?:article|story|report)\b"),
        ("attribution", r"^(?:this\s+(?:article|story|report|piece|content)\s+(?:was\s+)?"
                        r"(?:first|originally)\s+(?:appeared|published|ran))"),
        ("attribution", r"^(?:this\s+(?:article|story|report|piece)\s+(?:is|was)\s+"
                        r"(?:republished|reproduced|reprinted|syndicated)\s+(?:from|with))"),
        ("attribution", r"^(?:originally|first)\s+(?:published|appeared|posted)\b"),
        ("attribution", r"^(?:republished|reprinted|reproduced|syndicated)\s+(?:from|with|by)\b"),
        ("attribution", r"^(?:source|sources|via|courtesy(?:\s+of)?|credit)\s*[:\-–—]\s*\S"),
        ("attribution", r"^(?:with\s+(?:files|reporting)\s+from)\b"),
        ("attribution", r"^continue\s+reading\s+(?:at|on|in)\b"),
        ("attribution", r"^\(\s*[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}\s*\)$"),
        ("attribution", r"^(?:©|\(c\))\s*[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,2}$"),
        ("credit", r"^(?:\(?(?:additional\s+)?reporting\s+by)\b"),
        ("credit", r"^(?:writing|editing)\s+by\b"),
        ("follow", r"^follow\s+(?:us|\S+(?:\s+\S+){0,5}?)\s+on(?:\s+(?:twitter|x|facebook|"
                   r"instagram|linkedin|bluesky|mastodon|threads|tiktok|youtube|telegram)\b|"
                   r"\s*:?\s*$|(?-i:(?=[A-Z])))"),
    )
)
# A credit is one short line (hand-set; FurnitureConfig's credit_line_max_words defaults to
# it; its sensitivity: docs/cleaner-constants.md).
LINE_CUE_MAX_WORDS = 30

# Outlet named after a preposition in an attribution line: "... appeared on Alpine Press".
_CREDITED = re.compile(
    r"\b(?:on|in|at|by|from|of|with)\s+" + _NAME, re.UNICODE
)
_CREDITED_AFTER_COLON = re.compile(r"[:\-–—]\s*" + _NAME)
# "CITY, March 14 (Agency) -" or "CITY (AP) —" at the head of the first paragraph.
_DATELINE = re.compile(
    r"^(?P<head>[A-ZÀ-Þ][\w\s.,'’À-ÿ/-]{0,60}?)\s*\((?P<outlet>[A-Z][\w\s.&'’-]{1,40})\)\s*[-–—]\s*"
)
# Words a credit's name slot may catch that name no outlet. Not fitted and not tuned on the
# dev sets' strings: they are facts of English usage. Function words ("Read the full article
# here"), calendar words (a date after "on"), words of page furniture ("Video", "Updated").
_NOT_OUTLETS = frozenset({
    "here", "the", "this", "our", "their", "its", "a", "an", "site", "website", "page",
    "march", "april", "may", "june", "july", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "updated", "video", "photo", "file", "pictured",
    "advertisement", "sponsored", "ad", "audio", "live", "watch"})
# Generic credits, the newsroom convention for "several wires" or "our own staff" ("Source:
# News agencies", "(Agencies)", "with wires"): they name no one outlet. Added after a wild-dev
# page showed the shape ("News agencies" read as an outlet); the words are the convention's,
# not that page's. What they change is measured by `python -m bench.fit_cleaner --ablate`.
GENERIC_CREDITS = frozenset({"news", "agencies", "agency", "wires", "wire", "wire services",
                             "staff"})
_NAMES_NO_ONE = _NOT_OUTLETS | GENERIC_CREDITS


def _clean_outlet(name: str | None, names_no_one: frozenset[str] = _NAMES_NO_ONE
                  ) -> str | None:
    if not name:
        return None
    name = re.sub(r"\s+", " ", name).strip(" .,:;-–—'’\"")
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    if not name or name.lower() in names_no_one or len(name) < 2 or only_date_words(name):
        return None
    return name


def _outlet_from_url(url: str) -> str | None:
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def line_cue(line: str, *, generic_credits: bool = True,
             max_words: int = LINE_CUE_MAX_WORDS) -> Cue | None:
    """The cue a whole line makes, if it is a short attribution, credit or follow line.
    `generic_credits=False` reads "News agencies" as an outlet (the fit's ablation only)."""
    names_no_one = _NAMES_NO_ONE if generic_credits else _NOT_OUTLETS
    stripped = line.strip().lstrip("*_>•-–— ").strip()
    if not stripped or len(stripped.split()) > max_words:
        return None
    for kind, pattern in _LINE_PATTERNS:
        match = pattern.match(stripped)
        if not match:
            continue
        url_match = _URL.search(stripped)
        url = url_match.group().rstrip(".,;") if url_match else None
        rest = stripped[match.end() :] if kind != "attribution" else stripped
        without_url = _URL.sub("", rest)
        named = _CREDITED.search(without_url) or _CREDITED_AFTER_COLON.search(without_url)
        outlet = _clean_outlet(named.group("outlet"), names_no_one) if named else None
        if kind == "credit":  # credits name reporters and editors, not outlets
            outlet = None
        if stripped.startswith(("(", "©")) and outlet is None and not url:
            outlet = _clean_outlet(re.sub(r"^(?:©|\(c\))|[()]", " ", stripped), names_no_one)
        if kind == "follow":
            follow = re.match(r"^follow\s+(.+?)\s+on(?:\s|:|$|(?-i:(?=[A-Z])))", stripped,
                              re.I)
            outlet = _clean_outlet(follow.group(1), names_no_one) if follow else None
            if outlet and outlet.lower() == "us":
                outlet = None
        if outlet is None and url:
            outlet = _outlet_from_url(url)
        return Cue(kind=kind, text=stripped, outlet=outlet, url=url)
    return None


def dateline_cue(first_paragraph: str) -> Cue | None:
    """The agency a wire-style dateline credits ("PARIS, May 2 (Reuters) -"), if any.

    The dateline stays in the body (it is part of the text that reprints copy); the cue only
    records the credited agency.
    """
    match = _DATELINE.match(first_paragraph)
    if not match:
        return None
    outlet = _clean_outlet(match.group("outlet"))
    if outlet is None:
        return None
    return Cue(kind="dateline", text=match.group().strip(), outlet=outlet)


def canonical_cue(url: str | None, canonical_url: str | None) -> Cue | None:
    """A cue when a page's canonical link points to another site (syndicated copy)."""
    if not url or not canonical_url:
        return None
    own, other = urlsplit(url).hostname, urlsplit(canonical_url).hostname
    if not own or not other:
        return None
    if own.removeprefix("www.") == other.removeprefix("www."):
        return None
    return Cue(kind="canonical", text=canonical_url, outlet=_outlet_from_url(canonical_url),
               url=canonical_url)


_GENERIC_SUFFIXES = ("newsagency", "agency", "wire", "newswire", "news", "online", "media",
                     "group", "limited", "ltd", "inc")


def outlet_key(name: str | None) -> str | None:
    """A comparable key for an outlet named in different ways: "Alpine Press Agency",
    "Alpine Press" and "www.alpinepress.example" all give "alpinepress"."""
    if not name:
        return None
    value = name.strip().lower()
    host = urlsplit(value).hostname if "://" in value else None
    if host or re.fullmatch(r"[\w-]+(\.[\w-]+)+", value):
        labels = (host or value).removeprefix("www.").split(".")
        value = labels[-2] if len(labels) >= 2 else labels[0]
    value = re.sub(r"^the\s+", "", value)
    key = re.sub(r"\W+", "", value)
    for suffix in _GENERIC_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            key = key[: -len(suffix)]
            break
    return key or None
