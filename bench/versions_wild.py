"""How often the numbered-name veto fires between reports of one story on real news text
(issue 19, item 3).

The veto (`signals.versions_conflict`, `ClusterConfig().penalty = ConflictPenalty(versions=0)`)
parts two articles that give one name different numbers ("iPhone 17", "iPhone 18"). Its risk is
a false conflict: two reports of one event that number one name differently. Counted here:

- spread-dev: the four versions of each of 20 events (base, spin, rewrite, independent report),
  the clean texts: every pair within a group is one story;
- wild-dev: the same groups as a crawler meets them, each page read as `analyze` reads it
  (furniture removed by the shipped cleaner; what it leaves is what the veto sees);
- ecbplus-dev: every pair of articles of one event (subtopic), and, for scale, of the
  look-alike event of the same topic (a fire there is right);
- aeb-dev: 91 real article bodies (`articleBody`), no two of one story: the numbered names
  the reader finds on real pages, listed, so a reader can judge how many are versions of a
  series and how many are other numbered things ("Channel 4", a score).

`python -m bench.versions_wild` prints the counts and every firing pair with its names.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar, cast

from bench.data import DataMissing, data_dir
from bench.story_cv import load_ecbplus
from bench.wild import spread_texts, wild_pile
from newstrace.stages.stories.signals import named_versions

Versions = Mapping[str, frozenset[str]]
T = TypeVar("T")


def conflicts(a: Versions, b: Versions) -> list[str]:
    """The names the two number with no number in common (what `versions_conflict` reads)."""
    return sorted(f"{name} {'/'.join(sorted(a[name]))} vs {'/'.join(sorted(b[name]))}"
                  for name in set(a) & set(b) if not a[name] & b[name])


def within_groups(versions: Mapping[str, T], group: Mapping[str, str],
                  conflict: Callable[[T, T], list[str]] | None = None,
                  ) -> tuple[int, list[str]]:
    """Pairs of one group, and those the veto parts (with their names): by default the
    numbered-name veto (`versions` then map to each item's numbered names), else `conflict`
    (the conflicts it finds between two items' readings, described)."""
    judge = conflict or cast(Callable[[T, T], list[str]], conflicts)
    pairs = 0
    fired = []
    members: dict[str, list[str]] = {}
    for item, name in group.items():
        members.setdefault(name, []).append(item)
    for name, items in sorted(members.items()):
        for a, b in itertools.combinations(sorted(items), 2):
            pairs += 1
            found = judge(versions[a], versions[b])
            if found:
                fired.append(f"{name}: {a} ~ {b}: {'; '.join(found)}")
    return pairs, fired


def spread() -> list[str]:
    versions = {name: named_versions(text) for name, text in spread_texts().items()}
    group = {name: name.split(".")[0] for name in versions}
    return _report("spread-dev (clean texts)", versions, group)


def wild() -> list[str]:
    articles, group = wild_pile()
    versions = {name: named_versions(article.text) for name, article in articles.items()}
    return _report("wild-dev (pages read as analyze reads them)", versions, group)


def ecbplus() -> list[str]:
    corpus = load_ecbplus()
    versions = {doc: named_versions(text) for doc, text in corpus.texts.items()}
    lines = _report("ecbplus-dev, pairs of one event", versions, corpus.gold)
    pairs = fired = 0
    for a, b in itertools.combinations(sorted(versions), 2):
        if corpus.topic[a] == corpus.topic[b] and corpus.gold[a] != corpus.gold[b]:
            pairs += 1
            fired += bool(conflicts(versions[a], versions[b]))
    lines.append(f"- ecbplus-dev, pairs of the two look-alike events of one topic: {pairs}; "
                 f"the veto parts {fired} (rightly)")
    return lines


def aeb() -> list[str]:
    truth = json.loads((data_dir("aeb-dev") / "ground-truth.json").read_text(encoding="utf-8"))
    versions = {key: named_versions(item["articleBody"]) for key, item in truth.items()}
    names: Counter[str] = Counter()
    for read in versions.values():
        names.update(f"{name} {'/'.join(sorted(numbers))}" for name, numbers in read.items())
    carrying = sum(1 for read in versions.values() if read)
    fired = [found for a, b in itertools.combinations(sorted(versions), 2)
             if (found := conflicts(versions[a], versions[b]))]
    return [f"- aeb-dev: {carrying} of {len(versions)} article bodies carry a numbered name; "
            f"{len(fired)} of {len(versions) * (len(versions) - 1) // 2} pairs (all different "
            "stories) conflict: " + "; ".join(", ".join(found) for found in fired),
            "  - names read: " + ", ".join(
                f"{name}" + (f" (x{n})" if n > 1 else "") for name, n in sorted(names.items()))]


def _report(name: str, versions: Mapping[str, Versions], group: Mapping[str, str]
            ) -> list[str]:
    pairs, fired = within_groups(versions, group)
    carrying = sum(1 for found in versions.values() if found)
    return [f"- {name}: {carrying} of {len(versions)} articles carry a numbered name; "
            f"{pairs} pairs of one story, the veto parts {len(fired)}",
            *(f"  - {line}" for line in fired)]


def run_parts(parts: Sequence[Callable[[], list[str]]]) -> list[str]:
    """Each data set's lines, or the reason it was skipped."""
    lines = []
    for part in parts:
        try:
            lines += part()
        except DataMissing as missing:
            lines.append(f"- {missing}")
    return lines


def run() -> list[str]:
    return run_parts((spread, wild, ecbplus, aeb))


if __name__ == "__main__":
    print("\n".join(run()))
