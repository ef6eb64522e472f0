"""Whether a store's relations and stories were computed by the code this process runs.

Relating and story placing store a stamp beside what they keep (`RELATE_STAMP`,
`STORIES_STAMP`): a digest of the code, model files and settings behind it. The next `add`
or `analyze` computes again whatever another stamp kept; a read does not, so a read checks
the stamps and says what is out of date and which command brings it up to date, instead of
showing an older newstrace's verdicts and stories as if this one had made them.

Facts are drawn on demand by this code from the stored members and alignments (a kept facts
summary carries its own stamp and is not read under another), so they are out of date exactly
when the relations or the stories are.
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


@dataclass(frozen=True, slots=True)
class Stale:
    """Stored results made by other code: what they are and the command that remakes them."""

    what: str  # "relations" or "stories"
    fix: str

    def as_dict(self) -> dict[str, str]:
        return {"what": self.what, "fix": self.fix}


def stale_results(store: Store, reuse: ReuseConfig, clustering: ClusterConfig) -> list[Stale]:
    """The stored results of `store` that this code, with these settings, would not have
    made: relation verdicts of another model or relate code, and stories placed by other
    story code or over other verdicts. Empty for a store with nothing of either kind."""
    db = store.path
    found: list[Stale] = []
    relate_kept = store.setting(RELATE_STAMP)
    if ReuseTables(store).has_relations() and relate_kept != _relate_stamp(store, reuse):
        found.append(Stale("relations", f"`newstrace relate --db {db}` relates them again "
                           "(then `newstrace stories --update` places the stories over them); "
                           "or re-run `newstrace analyze` on the inputs"))
    stories_kept = store.setting(STORIES_STAMP)
    if (StoryTables(store).has_members()
            and stories_kept != stories_stamp(clustering, relate_kept)):
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


def _relate_stamp(store: Store, reuse: ReuseConfig) -> str:
    """This code's stamp for the store's verdicts, under the sentence model they were
    aligned on (a store analysed with `--encoder static` is read by commands that take no
    `--encoder`)."""
    encoder = store.setting(RELATE_ENCODER)
    return relate_stamp(reuse if encoder is None else replace(reuse, encoder=cast(Encoder,
                                                                                  encoder)))
