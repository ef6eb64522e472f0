"""A story's facts: the facts stage's result, its records (`Claim` and the discrepancies)
defined in `newstrace.records`.

Every span is [start, end) into the article's stored clean text (`Article.text`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newstrace.records import (
    Addition,
    AlteredFact,
    AlteredQuote,
    Claim,
    Conflict,
    SingleSource,
)


@dataclass(slots=True)
class StoryFacts:
    """What the versions of one story claim, and where they disagree."""

    story: str
    claims: list[Claim]
    conflicts: list[Conflict]
    altered_facts: list[AlteredFact]
    additions: list[Addition]
    altered_quotes: list[AlteredQuote]
    single_source: list[SingleSource]
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {"claims": len(self.claims), "conflicts": len(self.conflicts),
                "altered_facts": len(self.altered_facts), "additions": len(self.additions),
                "altered_quotes": len(self.altered_quotes),
                "single_source": len(self.single_source)}

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (`newstrace facts --json`; the report and the tables read it)."""
        return {"story": self.story, "claims": [claim.as_dict() for claim in self.claims],
                "conflicts": [item.as_dict() for item in self.conflicts],
                "altered_facts": [item.as_dict() for item in self.altered_facts],
                "additions": [item.as_dict() for item in self.additions],
                "altered_quotes": [item.as_dict() for item in self.altered_quotes],
                "single_source": [item.as_dict() for item in self.single_source],
                "summary": self.summary(), "notes": self.notes}
