"""What the facts stage's bound per version (`newstrace.stages.facts.peers.PEER_WINDOW`)
costs and changes, on an analysed store: each story of two or more compared with every
version against every other, and with each version against its neighbours only, at each
window given; CPU seconds by story size, and every finding that differs.

    python -m bench.facts_bound STORE.db [WINDOW ...]      # windows default: 8 16 32

The store: any analysed collection, e.g. bench/pile.py's pile (`python -m bench.pile` writes
none itself; `newstrace analyze` a `pile.write_jsonl` file), or spread-dev / wild-dev
analysed as bench.facts and bench.wild_verdicts do. Prints one digest of all findings per
setting, so two code versions can be compared on the same store."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import replace
from typing import Any

from newstrace.collection import Collection
from newstrace.stages.facts.peers import PEER_WINDOW, story_peers
from newstrace.stages.facts.runner import StoryClaims, compare_story

ALL_PAIRS = 10**9
KINDS = ("conflicts", "altered_facts", "additions", "altered_quotes", "single_source")


def _compared(claims: StoryClaims, vectors: Any, window: int) -> tuple[dict[str, Any], float]:
    bounded = replace(claims, peers=story_peers(claims.members, claims.articles,
                                                claims.trace.edges, window))
    started = time.process_time()
    found = compare_story(bounded, vectors or None).as_dict()
    return found, time.process_time() - started


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def differences(one: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """The findings of one kind in `one` and not `other`, and the other way round."""
    lines = []
    for kind in KINDS:
        mine, theirs = {_key(x) for x in one[kind]}, {_key(x) for x in other[kind]}
        lines += [f"  {kind} only with all pairs: {item[:300]}" for item in sorted(mine - theirs)]
        lines += [f"  {kind} only with the bound: {item[:300]}" for item in sorted(theirs - mine)]
    return lines


def run(store: str, windows: list[int]) -> list[str]:
    lines: list[str] = []
    settings = [ALL_PAIRS, *windows]
    seconds = {w: 0.0 for w in settings}
    digests = {w: hashlib.sha256() for w in settings}
    changed = {w: 0 for w in windows}
    with Collection.open(store, paraphrase=False, readonly=True) as collection:
        stories = sorted((s for s in collection.stories() if len(s.articles) > 1),
                         key=lambda s: s.id)
        for story in stories:
            claims, vectors = collection.story_claims(story.id)
            found: dict[int, dict[str, Any]] = {}
            for window in settings:
                found[window], spent = _compared(claims, vectors, window)
                seconds[window] += spent
                digests[window].update(_key(found[window]).encode())
                if len(claims.members) >= 100:
                    lines.append(f"story {story.id} ({len(claims.members)} versions), window "
                                 f"{'all' if window == ALL_PAIRS else window}: {spent:.2f} "
                                 f"CPU-s, {found[window]['summary']}")
            for window in windows:
                differ = differences(found[ALL_PAIRS], found[window])
                if differ:
                    changed[window] += 1
                    lines += [f"story {story.id}, window {window}:", *differ]
    lines.append(f"{len(stories)} stories of two or more")
    for window in settings:
        name = "all pairs" if window == ALL_PAIRS else f"window {window}"
        lines.append(f"{name}: {seconds[window]:.2f} CPU-s comparing, digest "
                     f"{digests[window].hexdigest()[:16]}"
                     + (f", stories with a finding changed: {changed[window]}"
                        if window != ALL_PAIRS else ""))
    return lines


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    given = [int(w) for w in sys.argv[2:]] or [8, PEER_WINDOW, 32]
    print("\n".join(run(sys.argv[1], given)))
