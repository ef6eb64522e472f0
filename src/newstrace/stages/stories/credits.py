"""Credit sentences: where a text says it was published, which is no evidence of its event.

"This story was published by Outlet 3 with permission", "This article first appeared in The
Brackbridge Post", "Source: ...": two reprints of one story credit different outlets, and two
stories reprinted from one outlet credit the same one. `clean/cues.py` takes whole credit lines
out of the body; these are the credit sentences left inside a paragraph. Their names and
numbers are neither event terms (`events.event_terms`) nor numbered names
(`signals.named_versions`).
"""

from __future__ import annotations

import re

# The shapes are facts of English credit lines, as `clean/cues.py`'s, about this text only: "a
# poll published by Ethnos" or "a study published in BMJ" is news.
_CREDIT = re.compile(
    r"^\W*this\s+(?:article|story|report|piece|content|item)\b.*\b(?:published|appeared|ran|"
    r"posted|republished|reprinted|reproduced|syndicated|distributed)\b"
    r"|^\W*(?:first|originally)\s+(?:appeared|published|ran|posted|aired)\b"
    r"|^\W*(?:published|republished|reprinted|reproduced|syndicated|distributed)\s+"
    r"(?:here\s+)?(?:by|in|on|from|with|via|courtesy)\b"
    r"|\bwith\s+(?:\w+\s+)?permission\b|©|^\W*(?:courtesy\s+of|copyright|\(c\))"
    r"|^\W*(?:source|sources|via|credit|credits)\s*[:\-\u2013\u2014]", re.IGNORECASE)
_SENTENCES = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)


def credit_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of `text` that credits a publisher."""
    return [(m.start(), m.end()) for m in _SENTENCES.finditer(text)
            if _CREDIT.search(m.group().strip())]


def without_credits(text: str) -> str:
    """`text` with its credit sentences blanked (offsets kept)."""
    for start, end in credit_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return text
