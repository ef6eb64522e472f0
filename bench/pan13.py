"""Verbatim passage detection on ../shared/data/pan13-dev (PAN 2013 text alignment,
no-obfuscation part). A true passage counts as found when a detected passage overlaps at least
half of it (this copy's offsets drift by a few characters); a detected passage is correct when
it overlaps a true one by at least half of itself."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from bench.data import data_dir
from newstrace.stages.reuse.tokens import Tokenizer, token_spans
from newstrace.stages.reuse.verbatim import align_verbatim, char_range


@dataclass(frozen=True)
class Case:
    suspicious: str
    source: str
    truth: list[tuple[int, int]]  # character ranges in the suspicious text


def _ranges(xml: str) -> list[tuple[int, int]]:
    ranges = []
    for feature in re.findall(r"<feature [^>]*/>", xml):
        offset = int(re.search(r'this_offset="(\d+)"', feature).group(1))  # type: ignore[union-attr]
        length = int(re.search(r'this_length="(\d+)"', feature).group(1))  # type: ignore[union-attr]
        ranges.append((offset, offset + length))
    return ranges


def load_cases() -> list[Case]:
    folder = data_dir("pan13-dev")
    cases = []
    for pair in sorted((folder / "pairs").glob("*.xml")):
        xml = pair.read_text(encoding="utf-8")
        suspicious = re.search(r'reference="([^"]+)"', xml).group(1)  # type: ignore[union-attr]
        source = re.search(r'source_reference="([^"]+)"', xml)
        if source is None:
            continue
        cases.append(Case(_read(folder / "susp" / suspicious),
                          _read(folder / "src" / source.group(1)), _ranges(xml)))
    return cases


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def run() -> list[str]:
    cases = load_cases()
    tokenizer = Tokenizer()
    found = truths = correct = detected = 0
    started = time.perf_counter()
    for case in cases:
        susp_spans = token_spans(case.suspicious)
        passages = align_verbatim(tokenizer.hashes(case.source), tokenizer.hashes(case.suspicious))
        ranges = [char_range(susp_spans, p.b_start, p.b_end) for p in passages]
        truths += len(case.truth)
        found += sum(any(_overlap(t, r) * 2 >= t[1] - t[0] for r in ranges) for t in case.truth)
        detected += len(ranges)
        correct += sum(any(_overlap(t, r) * 2 >= r[1] - r[0] for t in case.truth) for r in ranges)
    seconds = time.perf_counter() - started
    recall = found / truths if truths else 0.0
    precision = correct / detected if detected else 0.0
    return ["| pairs | true passages | detected | recall | precision | seconds |",
            "|---|---|---|---|---|---|",
            f"| {len(cases)} | {truths} | {detected} | {recall:.3f} | {precision:.3f} | "
            f"{seconds:.1f} |"]


if __name__ == "__main__":
    print("\n".join(run()))
