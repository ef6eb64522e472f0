"""Unicode repair and normalisation of extracted text, applied before anything is stored."""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Characters that carry no text: zero-width spaces and joiners, soft hyphens, BOMs inside text.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0e-\x1f\x7f]")
# Horizontal white space of every kind, folded to one ASCII space.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_MOJIBAKE_SIGNS = re.compile("[\u0080-\u009f\u00c2-\u00f4]")


def repair(text: str) -> str:
    """Fix mojibake and HTML-entity leftovers (ftfy), then apply Unicode NFC."""
    if not _MOJIBAKE_SIGNS.search(text):
        # Mojibake of UTF-8 always shows a decoded lead byte (Â..ô) or a C1 control; without
        # one, ftfy has nothing to fix and its line-by-line pass is skipped (it costs more
        # than the rest of the cleaning).
        return unicodedata.normalize("NFC", text)
    return ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False, normalization="NFC")


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
