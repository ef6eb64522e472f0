"""Stage: facts. The claims each version of a story makes (quantities, dates, names,
quotations), and where the versions disagree: altered facts along derivation edges,
conflicts across articles, unsourced additions, altered quotations, single-source claims."""

from newstrace.records import Claim
from newstrace.stages.facts.claims import StoryFacts
from newstrace.stages.facts.extract import extract
from newstrace.stages.facts.runner import story_facts

__all__ = ["Claim", "StoryFacts", "extract", "story_facts"]
