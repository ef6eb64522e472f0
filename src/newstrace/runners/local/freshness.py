"""Whether a store's relations and stories were computed by the code this process runs.

Relating and story placing store a stamp beside what they keep (`RELATE_STAMP`,
`STORIES_STAMP`): a digest of the code, model files and settings behind it. The next `add`
or `analyze` computes again whatever another stamp kept; a read does not, so a read checks
the stamps and says what is out of date and which command brings it up to date, instead of
showing an older newstrace's verdicts and stories as if this one had made them.

Facts are drawn on demand by this code from the stored members and alignments (a kept facts
summary carries its own stamp and is not read under another), so they are out of date exactly
when the relations or the stories are.

A Spark run, and a collection's Parquet export, carry the stamps of the code that made them
(`STAMPS_TABLE`); `newstrace import` keeps them as the imported results' (`IMPORTED`), apart
from the store's own, which say what the local runner computed: a later `add` still relates
and places an imported collection whole, once (it has no sketches or event terms), while a
read trusts what the importing version would have made itself. A folder without stamps (an
older run) is read as other code's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from newstrace.runners.config import ReuseConfig
from newstrace.runners.local.relating import RELATE_ENCODER, RELATE_STAMP, relate_stamp
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.runners.local.store.stories import StoryTables
from newstrace.runners.local.storying import STORIES_STAMP, stories_stamp
from newstrace.stages.reuse.cascade import Encoder
from newstrace.stages.stories.cluster import ClusterConfig

STAMPS_TABLE = "stamps"  # one row: the stamps below, beside a run's or an export's tables
KEPT = (RELATE_STAMP, RELATE_ENCODER, STORIES_STAMP)
IMPORTED = "imported_"  # the prefix of an imported run's stamps among the store's settings


@dataclass(frozen=True, slots=True)
class Stale:
    """Stored results made by other code: what they are and the command that remakes them."""

    what: str  # "relations" or "stories"
    fix: str


def stale_results(store: Store, reuse: ReuseConfig, clustering: ClusterConfig) -> list[Stale]:
    """The stored results of `store` that this code, with these settings, would not have
    made: relation verdicts of another derivation model (or static model file) or other
    relate settings (`relate_stamp`: the relate code itself is not in it), and stories placed
    by other story code, under another `ClusterConfig` or over other verdicts. Empty for a
    store with nothing of either kind."""
    db = store.path
    found: list[Stale] = []
    kept = kept_stamps(store)
    relate_kept = kept[RELATE_STAMP]
    if (ReuseTables(store).has_relations()
            and relate_kept != _relate_stamp(kept[RELATE_ENCODER], reuse)):
        found.append(Stale("relations", f"`newstrace relate --db {db}` relates them again "
                           "(then `newstrace stories --update` places the stories over them); "
                           "or re-run `newstrace analyze` on the inputs"))
    if (StoryTables(store).has_members()
            and kept[STORIES_STAMP] != stories_stamp(clustering, relate_kept)):
        found.append(Stale("stories", f"`newstrace stories --update --db {db}` places them "
                           "again; or re-run `newstrace analyze` on the inputs"))
    return found


def stale_message(store_path: str, stale: list[Stale]) -> str:
    """One message naming the store, what in it is out of date and how to bring it up to
    date."""
    what = " and ".join(item.what for item in stale)
    fixes = "; ".join(f"{item.what}: {item.fix}" for item in stale)
    return (f"{store_path}: its {what} were computed by another version of newstrace (or "
            f"other model files or settings) than this one, so they may differ from what "
            f"this version finds. To bring them up to date: {fixes}")


def kept_stamps(store: Store) -> dict[str, str | None]:
    """The stamps of what the store holds: the local runner's own, else an imported run's
    (None: none kept)."""
    own = {key: store.setting(key) for key in KEPT}
    if own[RELATE_STAMP] is None and own[STORIES_STAMP] is None:
        return {key: store.setting(IMPORTED + key) for key in KEPT}
    return own


def run_stamps(reuse: ReuseConfig, clustering: ClusterConfig,
               paraphrase: bool) -> dict[str, str | None]:
    """The stamps a store related and placed by this code under these settings would keep
    (a run without paraphrase relates on verbatim evidence, as `Relater` does without an
    encoder)."""
    encoder: Encoder = reuse.encoder if paraphrase else "minilm"
    verdicts = relate_stamp(replace(reuse, encoder=encoder))
    return {RELATE_STAMP: verdicts, RELATE_ENCODER: encoder,
            STORIES_STAMP: stories_stamp(clustering, verdicts)}


def keep_imported_stamps(store: Store, stamps: dict[str, str | None]) -> None:
    """Keep an imported run's stamps (a missing one as none: other code's)."""
    for key in KEPT:
        store.set_setting(IMPORTED + key, stamps.get(key) or "")


def _relate_stamp(encoder: str | None, reuse: ReuseConfig) -> str:
    """This code's stamp for stored verdicts aligned on `encoder` (a store analysed with
    `--encoder static` is read by commands that take no `--encoder`)."""
    return relate_stamp(reuse if not encoder else replace(reuse, encoder=cast(Encoder,
                                                                              encoder)))
