"""The records of the facts stage: a claim found in one article, and a story's facts.

Every span is [start, end) into the article's stored clean text (`Article.text`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

QUANTITY, DATE, ENTITY, QUOTE = "quantity", "date", "entity", "quote"


@dataclass(slots=True)
class Claim:
    """One thing an article states: a quantity, a date or time, a named entity or a quotation.

    `value` is normalised so that two wordings of one fact compare equal ("ten days" and
    "10 days": 10; "€3.2m" and "3.2 million euros": 3200000). `key` says what the value
    measures (a unit or counted noun, a date precision, an entity type, a speaker) and is
    what claims of different articles are lined up by. `extra` holds the kind's own fields
    (unit, approx, precision, speaker, entity...), merged into the JSON form."""

    article: str
    kind: str
    text: str
    value: Any
    span: tuple[int, int]
    sentence: tuple[int, int]
    key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    detail: Any = None  # the extractor's own record (a Quantity...), not serialised

    def as_dict(self) -> dict[str, Any]:
        return {"article": self.article, "kind": self.kind, "text": self.text,
                "value": self.value, "span": list(self.span), "sentence": list(self.sentence),
                **self.extra}


@dataclass(slots=True)
class StoryFacts:
    """What the versions of one story claim, and where they disagree."""

    story: str
    claims: list[Claim]
    conflicts: list[dict[str, Any]]
    altered_facts: list[dict[str, Any]]
    additions: list[dict[str, Any]]
    altered_quotes: list[dict[str, Any]]
    single_source: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {"claims": len(self.claims), "conflicts": len(self.conflicts),
                "altered_facts": len(self.altered_facts), "additions": len(self.additions),
                "altered_quotes": len(self.altered_quotes),
                "single_source": len(self.single_source)}

    def as_dict(self) -> dict[str, Any]:
        return {"story": self.story, "claims": [claim.as_dict() for claim in self.claims],
                "conflicts": self.conflicts, "altered_facts": self.altered_facts,
                "additions": self.additions, "altered_quotes": self.altered_quotes,
                "single_source": self.single_source, "summary": self.summary(),
                "notes": self.notes}
