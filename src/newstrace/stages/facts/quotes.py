"""Direct quotations and who said them.

A quotation is text between double quotes (typographic or straight). Its speaker is read from
the sentence around it, in the forms news uses: `“…,” X said`, `“…,” said X`, `X said: “…”`,
`“…,” X told Y`, `according to X`; a pronoun ("he said") is the last person named before;
a quotation with no attribution that follows another in the same paragraph continues it.
Partial quotations (a few words inside a sentence of the writer's) are marked `partial`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newstrace.stages.facts.entities import NAME, PERSON, EntityMention

VERBS = (r"(?:said|says|told|tells|added|adds|explained|warned|insisted|stressed|recalled|"
         r"admitted|argued|wrote|writes|noted|declared|continued|asked|replied|described)")
_QUOTE = re.compile(r"“(?P<curly>[^“”\n]{2,}?)”"
                    r"|(?:^|(?<=[\s(\[—–-]))\"(?P<straight>[^\"\n]{2,}?)\"(?![^\W\d_])",
                    re.MULTILINE)
_NAME = r"(?P<name>[A-ZÀ-ÖØ-Þ][\w’'-]+(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w’'-]+|of|de|von|van))*)"
_PRONOUN = r"(?P<pronoun>he|she|they)"
_AFTER = [
    re.compile(rf"^[,.!?]?\s*[,–—-]?\s*{VERBS}\s+(?:the\s+)?(?:[a-z][\w-]*\s+)*?{_NAME}"),
    re.compile(rf"^[,.!?]?\s*[,–—-]?\s*{_PRONOUN}\s+{VERBS}\b", re.IGNORECASE),
    re.compile(rf"^[,.!?]?\s*[,–—-]?\s*(?:[\w’'-]+\s+){{0,4}}?{_NAME}(?:,[^,]{{1,60}},)?\s+"
               rf"{VERBS}\b"),
    re.compile(rf"^[,.!?]?\s*(?:according to)\s+(?:[a-z][\w-]*\s+)*?{_NAME}"),
    re.compile(rf"^[,.!?]?\s*[,–—-]?\s*(?:the\s+)?[a-z][\w\s-]{{0,40}}?,\s*{_NAME},\s+{VERBS}"),
]
_BEFORE = [
    re.compile(rf"{_NAME}(?:,[^,]{{1,60}},)?\s+{VERBS}(?:\s+[\w’'. -]{{0,40}}?)?[:,]?\s*$"),
    re.compile(rf"\b{VERBS}\s+(?:the\s+)?(?:[a-z][\w-]*\s+)*?{_NAME}[:,]?\s*$"),
    re.compile(rf"\b{_PRONOUN}\s+{VERBS}(?:\s+[\w’' -]{{0,40}}?)?[:,]?\s*$", re.IGNORECASE),
    re.compile(rf"\b{_PRONOUN}\s+(?:was|were)\s+\w+[:]\s*$", re.IGNORECASE),
]
PARTIAL_WORDS = 5  # fewer words than this, or no capital start: a partial quotation


@dataclass(frozen=True, slots=True)
class QuoteMention:
    start: int  # the quoted words, without the quote marks
    end: int
    text: str
    speaker: str | None
    partial: bool


def find_quotes(text: str, sentences: Sequence[tuple[int, int]],
                people: Sequence[EntityMention] = ()) -> list[QuoteMention]:
    """The quotations in `text`, each with its speaker where the text says who."""
    spans = list(sentences) or [(0, len(text))]
    found: list[QuoteMention] = []
    for match in _QUOTE.finditer(text):
        group = "curly" if match.group("curly") is not None else "straight"
        start, end = match.span(group)
        quoted = text[start:end].strip()
        if len(quoted.split()) < 2 and not quoted[:1].isupper():
            continue  # a word in scare quotes
        sentence = _sentence_of(spans, match.start())
        last_sentence = _sentence_of(spans, max(match.end() - 1, match.start()))
        speaker = _speaker(text, match.end(), last_sentence[1] + 1, sentence[0],
                           match.start(), people)
        if speaker is None and found and found[-1].speaker:
            between = text[found[-1].end:match.start()]
            named = [p for p in people if found[-1].end <= p.start < match.start()
                     and p.type == PERSON]
            if "\n" not in between and not named:
                speaker = found[-1].speaker  # a quotation continued
        partial = len(quoted.split()) < PARTIAL_WORDS or not quoted[:1].isupper()
        found.append(QuoteMention(start, start + len(text[start:end].rstrip()), quoted,
                                  speaker, partial))
    return found


def _sentence_of(spans: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= position < end:
            return start, end
    return position, position


def _speaker(text: str, after_start: int, after_end: int, before_start: int,
             quote_start: int, people: Sequence[EntityMention]) -> str | None:
    """The speaker named after the quotation, else before it, in its sentence."""
    after = text[after_start:after_end]
    for pattern in _AFTER:
        match = pattern.match(after)
        if match:
            found = _who(match, after_start, quote_start, people)
            if found:
                return found
    before = text[before_start:quote_start]
    for pattern in _BEFORE:
        match = pattern.search(before)
        if match:
            found = _who(match, before_start, quote_start, people)
            if found:
                return found
    return None


def _who(match: re.Match[str], offset: int, quote_start: int,
         people: Sequence[EntityMention]) -> str | None:
    """The entity a matched name stands for (a person first), or for a pronoun the last
    person named before the quotation."""
    if match.groupdict().get("name"):
        start, end = match.start("name") + offset, match.end("name") + offset
        inside = [p for p in people if start <= p.start and p.end <= end]
        inside.sort(key=lambda p: p.type != PERSON)
        return inside[0].text if inside else None
    earlier = [p for p in people if p.end <= quote_start
               and (p.type == PERSON or (p.type == NAME and 2 <= len(p.text.split()) <= 3))]
    return earlier[-1].text if earlier else None
