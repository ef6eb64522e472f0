"""Tell HTML from plain text in fields that may hold either (JSON text, feed content)."""

from __future__ import annotations

import re

from newstrace.records import BodyFormat

_TAG = re.compile(r"<(?:p|div|br|span|a|h[1-6]|article|section|ul|li|img|strong|em|b|i|"
                  r"blockquote|figure|table|html|body)\b[^>]*>", re.I)


def body_format(text: str) -> BodyFormat:
    """HTML when the text has a few real tags, else text."""
    return BodyFormat.HTML if len(_TAG.findall(text[:20_000])) >= 2 else BodyFormat.TEXT
