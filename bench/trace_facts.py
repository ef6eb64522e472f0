"""The last stage of `analyze` two ways on an analysed store, for a side-by-side run: every
story traced, then each story of two or more read, traced and searched again for its facts
(`traced_stories` + `facts`, as `analyze` did before issue 21), or both in one pass with each
member's text searched once (`traced_with_facts`, as `analyze` does now).

    python -m bench.candidate_join prepare 1000 /tmp/c.db && newstrace analyze ... (or any
    analysed store), then
    farm-bench -n 3 -- python -m bench.trace_facts /tmp/c.db one \\
        --vs 'python -m bench.trace_facts /tmp/c.db two'

Both print a digest of the stories and facts they found, which must be the same."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict
from typing import Any

from newstrace.collection import Collection


def one_pass(collection: Collection) -> tuple[list[Any], dict[str, Any]]:
    traced, facts = collection.traced_with_facts(whole=True)
    return [asdict(record) for record, _ in traced], facts


def two_passes(collection: Collection) -> tuple[list[Any], dict[str, Any]]:
    traced = collection.traced_stories()
    facts = {}
    for record, _ in traced:
        if record.size > 1:
            facts[record.id] = collection.facts(record.id).as_dict()
    return [asdict(record) for record, _ in traced], facts


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("one", "two"):
        raise SystemExit(__doc__)
    with Collection.open(sys.argv[1], paraphrase=False, readonly=True) as opened:
        stories, found = (one_pass if sys.argv[2] == "one" else two_passes)(opened)
    print(len(stories), len(found), hashlib.sha256(json.dumps(
        [stories, found], sort_keys=True, default=str).encode()).hexdigest()[:16])
