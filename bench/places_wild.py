"""How often the place conflict fires between reports of one story (issue 19, item 1).

`places.places_conflict` parts two articles whose event places differ when neither names the
other's place. Its risk is a false conflict: two reports of one event that put it in two
places (a town and its region, a dateline in the capital and a body in the village). Counted
as `bench.versions_wild` counts the numbered-name veto:

- spread-dev: the four versions of each of 20 events, the clean texts (every pair one story);
- wild-dev: the same groups as a crawler meets them, each page read as `analyze` reads it;
- ecbplus-dev: every pair of one event (subtopic), the raw text with its datelines (the
  cleaner `analyze` runs drops most of them, so this is the harder reading); and for scale,
  pairs of the look-alike event of the same topic (a fire there is right);
- aeb-dev: 91 real article bodies, no two of one story: how many have an event place, and
  what is read (a reader can judge whether it is the event's place).

`python -m bench.places_wild` prints the counts and every pair it parts with their places.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping

from bench.data import data_dir
from bench.story_cv import load_ecbplus
from bench.versions_wild import run_parts, within_groups
from bench.wild import spread_texts, wild_pile
from newstrace.stages.stories.places import Places, places_conflict, read_places


def conflict(a: Places, b: Places) -> list[str]:
    """The two event places when they conflict, else nothing."""
    if not places_conflict(a, b):
        return []
    return [f"{'/'.join(sorted(a.event))} vs {'/'.join(sorted(b.event))}"]


def _report(name: str, places: Mapping[str, Places], group: Mapping[str, str]) -> list[str]:
    pairs, fired = within_groups(places, group, conflict)
    placed = sum(1 for found in places.values() if found.event)
    return [f"- {name}: {placed} of {len(places)} articles have an event place; {pairs} "
            f"pairs of one story, the conflict parts {len(fired)}",
            *(f"  - {line}" for line in fired)]


def spread() -> list[str]:
    places = {name: read_places(text) for name, text in spread_texts().items()}
    return _report("spread-dev (clean texts)", places,
                   {name: name.split(".")[0] for name in places})


def wild() -> list[str]:
    articles, group = wild_pile()
    places = {name: read_places(article.text) for name, article in articles.items()}
    return _report("wild-dev (pages read as analyze reads them)", places, group)


def ecbplus() -> list[str]:
    corpus = load_ecbplus()
    places = {doc: read_places(text) for doc, text in corpus.texts.items()}
    lines = _report("ecbplus-dev, pairs of one event (raw text, datelines kept)", places,
                    corpus.gold)
    pairs = fired = 0
    for a, b in itertools.combinations(sorted(places), 2):
        if corpus.topic[a] == corpus.topic[b] and corpus.gold[a] != corpus.gold[b]:
            pairs += 1
            fired += places_conflict(places[a], places[b])
    lines.append(f"- ecbplus-dev, pairs of the two look-alike events of one topic: {pairs}; "
                 f"the conflict parts {fired} (rightly)")
    return lines


def aeb() -> list[str]:
    truth = json.loads((data_dir("aeb-dev") / "ground-truth.json").read_text(encoding="utf-8"))
    places = {key: read_places(item["articleBody"]) for key, item in truth.items()}
    read = sorted("/".join(sorted(found.event)) for found in places.values() if found.event)
    return [f"- aeb-dev: {len(read)} of {len(places)} article bodies have an event place "
            "(all different stories): " + ", ".join(read)]


def run() -> list[str]:
    return run_parts((spread, wild, ecbplus, aeb))


if __name__ == "__main__":
    print("\n".join(run()))
