"""The settings a runner passes to the stages it drives, with its own (batch sizes, workers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from newstrace.runners.parallel import default_workers
from newstrace.stages.reuse.align import AlignConfig
from newstrace.stages.reuse.candidates import CandidateConfig
from newstrace.stages.reuse.cascade import CascadeConfig, Encoder
from newstrace.stages.reuse.reconcile import ReconcileConfig
from newstrace.stages.reuse.relate import RelateConfig
from newstrace.stages.reuse.sketch import SketchConfig


@dataclass(frozen=True, slots=True)
class ReuseConfig:
    sketch: SketchConfig = field(default_factory=SketchConfig)
    candidates: CandidateConfig = field(default_factory=CandidateConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    relate: RelateConfig = field(default_factory=RelateConfig)
    reconcile: ReconcileConfig = field(default_factory=ReconcileConfig)
    # The sentence model pairs are aligned on (stages/reuse/cascade.py): MiniLM stays the
    # default until the cascade's figures (docs/benchmarks.md, "Issue 21 item 5") say otherwise.
    encoder: Encoder = "minilm"
    cascade: CascadeConfig = field(default_factory=CascadeConfig)
    batch_size: int = 500
    workers: int = field(default_factory=default_workers)  # processes aligning pairs...
    parallel_min_pairs: int = 400  # ...for a batch of at least this many pairs


