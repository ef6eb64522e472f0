"""Stories on the generated pile: how many found stories mix planted stories (issue 19).

bench/pile.py plants stories of many sizes; some are look-alike events (the same scheme's
name in two towns). The pile is related once as `newstrace analyze --no-paraphrase` relates
it (`Collection.add`), its store kept beside `bench.analyzed`'s ($NEWSTRACE_BENCH_CACHE, keyed
by the pile's size, seed and the relating code), and its stories re-clustered from the stored
event terms, verdicts and copies under each configuration compared, so the configurations
differ only in the story stage.

    NEWSTRACE_BENCH_PILE_N=3000 python -m bench.story_pile      # seed 0, the default

Printed per configuration: found stories of two or more, how many of them mix planted
stories, the share, pairwise precision and recall against the planted stories, and the
largest mixed story (its size and the planted stories in it).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bench import pile
from bench.analyzed import Analyzed, cache_dir, code_digest, read
from newstrace.collection import Collection
from newstrace.stages.stories.cluster import ClusterConfig, cluster, copy_pairs, relation_overrides
from newstrace.stages.stories.signals import ConflictPenalty


def related_pile(count: int, seed: int, folder: Path | None = None) -> tuple[Analyzed, Path]:
    """The pile of `count` articles for `seed`, related once (paraphrase off) and kept."""
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"pile-{count}-{seed}-{code_digest()}"
    path, jsonl = folder / f"{name}.db", folder / f"{name}.jsonl"
    if not path.is_file():
        pile.write_jsonl(jsonl, count, seed)
        building = path.with_suffix(".part")
        building.unlink(missing_ok=True)
        with Collection(building, paraphrase=False) as news:
            news.add([str(jsonl)])
        building.rename(path)
        path.with_suffix(".json").write_text(json.dumps({"stories_code": code_digest(True)}))
    return read(path), pile.truth_path(jsonl)


def planted(truth: Path) -> dict[str, int]:
    """Pile id -> its planted story."""
    found = {}
    for line in truth.read_text(encoding="utf-8").splitlines():
        _url, story, _kind, _source, identifier = line.split("\t")
        found[identifier] = int(story)
    return found


@dataclass(frozen=True, slots=True)
class Mixing:
    stories: int  # found stories of two or more
    mixed: int  # of them, holding articles of two or more planted stories
    precision: float  # pairwise, against the planted stories
    recall: float
    largest: tuple[int, Sequence[int]]  # the largest mixed story: size, planted story sizes

    @property
    def share(self) -> float:
        return self.mixed / max(self.stories, 1)


def mixing(groups: Sequence[Sequence[str]], truth: Mapping[str, int]) -> Mixing:
    """How the found `groups` mix the planted stories of `truth` (ids missing from it, as
    exact duplicates folded by the store, are left out)."""
    size_of = Counter(truth.values())
    together = sum(n * (n - 1) // 2 for n in size_of.values())
    found_pairs = right = mixed = stories = 0
    largest: tuple[int, Sequence[int]] = (0, ())
    for group in groups:
        members = [truth[a] for a in group if a in truth]
        if len(members) < 2:
            continue
        stories += 1
        counts = Counter(members)
        found_pairs += len(members) * (len(members) - 1) // 2
        right += sum(n * (n - 1) // 2 for n in counts.values())
        if len(counts) > 1:
            mixed += 1
            if len(members) > largest[0]:
                largest = (len(members), sorted(counts.values(), reverse=True)[:5])
    return Mixing(stories, mixed, right / max(found_pairs, 1), right / max(together, 1),
                  largest)


def stories_under(found: Analyzed, config: ClusterConfig) -> list[list[str]]:
    """The stories of the stored pile under `config`, as a first run clusters them (the
    facts read again from the stored texts by `read`, with the shipped penalty's reader)."""
    return cluster(found.terms, found.df, found.total,
                   relation_overrides(found.relations, config), config,
                   copy_pairs(found.relations, config), found.facts)


def configs() -> dict[str, ClusterConfig]:
    shipped = ClusterConfig()
    return {
        "shipped": shipped,
        "no days-and-counts conflict": replace(
            shipped, penalty=replace(shipped.penalty, days_and_counts=1.0)),
        "no place conflict": replace(shipped, penalty=replace(shipped.penalty, places=1.0)),
        "neither": replace(shipped, penalty=replace(shipped.penalty, places=1.0,
                                                    days_and_counts=1.0)),
        "scored on rare terms only": replace(shipped, score_common_terms=False),
        "before (rare terms only, no place conflict)": replace(
            shipped, score_common_terms=False, penalty=ConflictPenalty(versions=0.0)),
    }


def run() -> list[str]:
    count = int(os.environ.get("NEWSTRACE_BENCH_PILE_N", "3000"))
    seed = int(os.environ.get("NEWSTRACE_BENCH_PILE_SEED", "0"))
    found, truth_file = related_pile(count, seed)
    truth = planted(truth_file)
    lines = [f"Pile of {count:,} (seed {seed}, paraphrase off): {len(set(truth.values())):,} "
             "planted stories", "",
             "| stories | found (2+) | mixing planted | share | pairwise P | pairwise R | "
             "largest mixed (planted parts) |", "|---|---|---|---|---|---|---|"]
    for name, config in configs().items():
        score = mixing(stories_under(found, config), truth)
        size, parts = score.largest
        lines.append(f"| {name} | {score.stories:,} | {score.mixed:,} | {score.share:.3f} | "
                     f"{score.precision:.3f} | {score.recall:.3f} | {size} "
                     f"({', '.join(map(str, parts))}) |")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
