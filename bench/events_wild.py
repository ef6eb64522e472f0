"""How often the event-day conflict fires between reports of one story (issue 19, item 1).

`signals.event_days_conflict` parts two articles whose event days (the first day each names
relative to its publication date: "on Tuesday", "yesterday", "on 9 September") are apart and
neither names the other's. Its risk is a false conflict: two reports of one event that resolve
its day differently (a reprint published a week later, a follow-up, a misread date). Counted
as `bench.places_wild` counts the place conflict, under each rule compared (`RULES`):

- spread-dev: the four versions of each of 20 events; its files carry no publication date, so
  only days written out with their month can be an event day;
- wild-dev: the same groups as a crawler meets them, each page read as `analyze` reads it
  (its publication date from the page, as `analyze` reads it);
- ecbplus-dev: every pair of one event (subtopic), the raw text, its dateline's day as the
  publication date (`story_cv.dateline`; ECB+ gives none); and, for scale, pairs of the
  look-alike event of the same topic (a conflict there is right);
- the generated pile (`bench.pile`, seed 0, $NEWSTRACE_BENCH_PILE_N articles, 3,000 by
  default): every pair of one planted story, and the pairs of two planted stories in one town
  that share the town's name (the look-alikes it is meant to part).

`python -m bench.events_wild` prints the counts, and up to five firing pairs a data set.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from bench import pile
from bench.story_cv import load_ecbplus
from bench.versions_wild import run_parts, within_groups
from bench.wild import spread_texts, wild_pile
from newstrace.stages.stories.signals import (
    EventFacts,
    another_event,
    event_days_conflict,
    event_facts,
)

Rule = Callable[[EventFacts, EventFacts], bool]
RULES: dict[str, Rule] = {
    "event days apart (1 day), one weekday agreeing within 14": event_days_conflict,
    "event days apart (1 day), weekdays not special": lambda a, b: event_days_conflict(
        a, b, 1, weekday_slack=0),
    "event days apart (1 day) and a count apart": lambda a, b: another_event(a, b, apart=1),
    "event days apart by over 30 days": lambda a, b: event_days_conflict(a, b, 30),
    "event days apart (1 day) and two counts apart (shipped)": another_event,
}
SHOWN = 5


def _described(rule: Rule) -> Callable[[EventFacts, EventFacts], list[str]]:
    def conflict(a: EventFacts, b: EventFacts) -> list[str]:
        return [f"{a.event_day} ({a.event_weekday or 'date'}) vs {b.event_day} "
                f"({b.event_weekday or 'date'})"] if rule(a, b) else []
    return conflict


def _report(name: str, facts: Mapping[str, EventFacts], group: Mapping[str, str]) -> list[str]:
    dated = sum(1 for found in facts.values() if found.event_day)
    lines = [f"- {name}: {dated} of {len(facts)} articles have an event day"]
    for rule_name, rule in RULES.items():
        pairs, fired = within_groups(facts, group, _described(rule))
        lines.append(f"  - {rule_name}: {len(fired)} of {pairs} pairs of one story parted")
        lines += [f"    - {line}" for line in fired[:SHOWN]]
    return lines


def spread() -> list[str]:
    facts = {name: event_facts(text) for name, text in spread_texts().items()}
    return _report("spread-dev (clean texts, no publication dates)", facts,
                   {name: name.split(".")[0] for name in facts})


def wild() -> list[str]:
    articles, group = wild_pile()
    facts = {name: event_facts(article.text, article.published)
             for name, article in articles.items()}
    return _report("wild-dev (pages read as analyze reads them)", facts, group)


def _across(facts: Mapping[str, EventFacts], pairs: list[tuple[str, str]]) -> list[str]:
    return [f"  - {rule_name}: {sum(rule(facts[a], facts[b]) for a, b in pairs)} parted"
            for rule_name, rule in RULES.items()]


def ecbplus() -> list[str]:
    corpus = load_ecbplus()
    facts = {doc: event_facts(text, corpus.published[doc]) for doc, text in corpus.texts.items()}
    lines = _report("ecbplus-dev, pairs of one event (raw text, dateline as publication date)",
                    facts, corpus.gold)
    apart = [(a, b) for a, b in itertools.combinations(sorted(facts), 2)
             if corpus.topic[a] == corpus.topic[b] and corpus.gold[a] != corpus.gold[b]]
    return [*lines, f"- ecbplus-dev, pairs of the two look-alike events of one topic: "
            f"{len(apart)} (a conflict there is right)", *_across(facts, apart)]


def generated() -> list[str]:
    count = int(os.environ.get("NEWSTRACE_BENCH_PILE_N", "3000"))
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = pile.write_jsonl(Path(tmp) / "pile.jsonl", count, 0)
        records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
        story = {identifier: str(planted) for identifier, planted in _planted(jsonl).items()}
    facts = {r["id"]: event_facts(r["text"], r["published"]) for r in records}
    town = {r["id"]: r["text"].split(" in ", 1)[-1].split()[0].strip(".,") for r in records}
    lines = _report(f"the pile of {count:,} (seed 0), pairs of one planted story", facts, story)
    firsts: dict[str, str] = {}  # each planted story's first article
    for r in records:
        firsts.setdefault(story[r["id"]], r["id"])
    look_alikes = [(a, b) for a, b in itertools.combinations(sorted(firsts.values()), 2)
                   if town[a] == town[b]]
    return [*lines, f"- the pile: first reports of two planted stories in one town (the "
            f"word after the first ' in '): {len(look_alikes)} pairs (a conflict is right)",
            *_across(facts, look_alikes)]


def _planted(jsonl: Path) -> dict[str, int]:
    from bench.story_pile import planted

    return planted(pile.truth_path(jsonl))


def run() -> list[str]:
    return run_parts((spread, wild, ecbplus, generated))


if __name__ == "__main__":
    print("\n".join(run()))
