"""Unicode repair and normalisation of extracted text, applied before anything is stored."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Characters that carry no text: zero-width spaces and joiners, soft hyphens, BOMs inside text.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Horizontal white space of every kind, folded to one ASCII space.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def repair(text: str) -> str:
    """Fix mojibake and HTML-entity leftovers (ftfy), then apply Unicode NFC."""
    fixed = ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False, normalization="NFC")
    return fixed


def normalise_lines(text: str) -> str:
    """Normalise white space: unify line breaks, fold spaces, trim each line, cap blank runs.

    Paragraphs stay separated by one blank line; nothing but white space and invisible
    characters is changed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalise(text: str) -> str:
    """Repair, then normalise white space: the text every stage sees."""
    return normalise_lines(repair(text))


def is_normalised(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)
