"""Run benchmarks and evaluations: `python -m bench.run all|eval|throughput|<benchmark>`.

`eval` runs the quality evaluations (extraction, html-mode, pages, cleaner-cv, wild-verdicts, pan13,
spread, derivation, derivation-holdout, similarity, stories, facts-cv, conflicts, facts),
`throughput` the performance benchmarks, `all` both;
each benchmark can also be run by its own name.

Each prints a markdown section (title, command, date, machine, package versions, then its
tables); the whole output also goes to bench/out/latest.md. A benchmark whose data is not on
this machine prints why it was skipped, and the run goes on.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.data import DataMissing

OUT = Path(__file__).resolve().parent / "out" / "latest.md"


@dataclass(frozen=True, slots=True)
class Benchmark:
    """A benchmark: the module whose `run()` returns its markdown rows, imported only when it
    runs (so one that cannot import fails alone)."""

    name: str
    title: str
    module: str
    packages: tuple[str, ...]

    def rows(self) -> list[str]:
        run: Callable[[], list[str]] = importlib.import_module(self.module).run
        return run()


BENCHMARKS = {
    "extraction": Benchmark(
        "extraction", "Body extraction: HTML pages and text dumps (aeb-dev)", "bench.extraction",
        ("trafilatura",)),
    "html-mode": Benchmark(
        "html-mode", "HTML: trafilatura's mode chosen by grouped CV, against trafilatura "
        "(aeb-dev, wild-dev)", "bench.html_mode", ("trafilatura",)),
    "pages": Benchmark(
        "pages", "Pages as a crawler meets them (wild-dev)", "bench.wild", ("trafilatura",)),
    "cleaner-cv": Benchmark(
        "cleaner-cv", "Text-dump cleaner fitted by leave-site-out CV (aeb-dev, wild-dev)",
        "bench.fit_cleaner", ("trafilatura", "scikit-learn")),
    "cleaner-limits": Benchmark(
        "cleaner-limits", "Text-dump cleaner: the structural limits' sensitivity under the "
        "fit's folds (aeb-dev, wild-dev)", "bench.cleaner_limits", ("trafilatura", "scikit-learn")),
    "joint-rules": Benchmark(
        "joint-rules", "Text-dump cleaner: two rule settings searched jointly (aeb-dev, "
        "wild-dev)", "bench.joint_rules", ("trafilatura", "scikit-learn")),
    "wild-verdicts": Benchmark(
        "wild-verdicts", "Verdicts on wild piles against the same clean texts (wild-dev)",
        "bench.wild_verdicts", ("onnxruntime",)),
    "pan13": Benchmark(
        "pan13", "Verbatim passage detection (pan13-dev)", "bench.pan13", ()),
    "spread": Benchmark(
        "spread", "Disguised copies vs independent reports (spread-dev)", "bench.spread",
        ("datasketch", "onnxruntime")),
    "derivation": Benchmark(
        "derivation", "Derived or independent: the derivation model, cross-validated "
        "(corpus/derivation, spread-dev, wild-dev)", "bench.train_derivation",
        ("onnxruntime", "scikit-learn")),
    "derivation-holdout": Benchmark(
        "derivation-holdout", "Derived or independent: each later writing round scored by the "
        "model fitted on the rounds before it (corpus/derivation)", "bench.derivation_holdout",
        ("onnxruntime", "scikit-learn")),
    "similarity": Benchmark(
        "similarity", "Sentence similarity for paraphrase matching (msrp-dev, stsb-dev)",
        "bench.sentence_similarity", ("onnxruntime", "tokenizers")),
    "reuse-speed": Benchmark(
        "reuse-speed", "Reuse detection speed and check latency (synthetic collection)",
        "bench.reuse_speed", ("datasketch", "rensa")),
    "assembly": Benchmark(
        "assembly", "newstrace's reuse path against a library assembly: MinHash LSH and "
        "mean-vector neighbours, the same sentence model on each pair (bench/pile.py; "
        "NEWSTRACE_BENCH_ASSEMBLY_N, default 10,000)", "bench.assembly", ("rensa", "wordllama")),
    "stories": Benchmark(
        "stories", "Stories and provenance (ecbplus-dev, spread-dev)", "bench.stories",
        ("onnxruntime", "scipy")),
    "facts-cv": Benchmark(
        "facts-cv", "Facts: thresholds fitted by grouped cross-validation (spread-dev, "
        "wild-dev, corpus/conflicts)", "bench.fit_facts", ("onnxruntime",)),
    "conflicts": Benchmark(
        "conflicts", "Facts: conflicts on the project's written fixtures (corpus/conflicts)",
        "bench.conflicts", ()),
    "facts": Benchmark(
        "facts", "Facts across versions: additions and altered facts (spread-dev)",
        "bench.facts", ("onnxruntime",)),
    "story-scaling": Benchmark(
        "story-scaling", "Scaling of `newstrace analyze` (synthetic collections)",
        "bench.story_scaling", ("scipy",)),
    "scale": Benchmark(
        "scale", "Where `analyze` spends its time at scale: stages and their floors "
        "(synthetic collection; NEWSTRACE_BENCH_SCALE_N, default 10,000)", "bench.scale", ()),
    "web": Benchmark(
        "web", "Report generation, page weight and API latency", "bench.web",
        ("jinja2", "fastapi", "uvicorn", "httpx")),
    "throughput": Benchmark(
        "throughput", "Ingest throughput, memory and WARC readers (synthetic articles)",
        "bench.throughput", ("trafilatura", "warcio", "fastwarc")),
}
GROUPS = {
    "eval": ("extraction", "html-mode", "pages", "cleaner-cv", "wild-verdicts", "pan13", "spread",
             "derivation", "derivation-holdout", "similarity", "stories", "facts-cv", "conflicts",
             "facts"),
    "facts": ("facts-cv", "conflicts", "facts"),
    "facts-cv": ("facts-cv",),
    "conflicts": ("conflicts",),
    "pages": ("pages",),
    "cleaner-cv": ("cleaner-cv",),
    # Not in eval: minutes each; they measure choices, not the shipped cleaner.
    "cleaner-limits": ("cleaner-limits",),
    "joint-rules": ("joint-rules",),
    "html-mode": ("html-mode",),
    "wild-verdicts": ("wild-verdicts",),
    "stories": ("stories",),
    "extraction": ("extraction",),
    "pan13": ("pan13",),
    "spread": ("spread",),
    "derivation-holdout": ("derivation-holdout",),
    "similarity": ("similarity",),
    "reuse-speed": ("reuse-speed",),
    # Not in throughput: half an hour at 10,000 (newstrace aligns every candidate pair).
    "assembly": ("assembly",),
    "story-scaling": ("story-scaling",),
    "scale": ("scale",),
    "web": ("web",),
    "throughput": ("throughput", "reuse-speed", "story-scaling", "scale", "web"),
    "all": ("extraction", "html-mode", "pages", "cleaner-cv", "wild-verdicts", "pan13", "spread",
            "similarity", "stories", "facts-cv", "conflicts", "facts", "throughput",
            "reuse-speed", "story-scaling", "scale", "web"),
}


# -- the machine --------------------------------------------------------------------------------


def _proc_value(path: str, key: str) -> str | None:
    """The value of the first `key: value` line of a /proc file, if there is one."""
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                name, _, value = line.partition(":")
                if name.strip() == key:
                    return value.strip()
    except OSError:
        return None
    return None


def cpu_model() -> str:
    return _proc_value("/proc/cpuinfo", "model name") or platform.processor() or "unknown CPU"


def total_memory() -> str:
    value = _proc_value("/proc/meminfo", "MemTotal")  # "24683840 kB"
    if value is None:
        return "unknown"
    return f"{int(value.split()[0]) * 1024 / 1e9:.1f} GB"


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def package_version(name: str) -> str:
    try:
        return f"{name} {metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name} (not installed)"


def source_revision() -> str:
    """The repository's commit, marked when the working tree has uncommitted changes."""
    root = Path(__file__).resolve().parents[1]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, check=True,
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=root,
                               check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes in src/)" if dirty else commit


def header(benchmark: Benchmark, group: str) -> list[str]:
    command = f"`python -m bench.run {benchmark.name}`"
    if group != benchmark.name:
        command += f" (as part of `python -m bench.run {group}`)"
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"## {benchmark.title}", "",
        f"- command: {command}",
        f"- date: {now}",
        f"- machine: {platform.platform()}; {cpu_model()}, {os.cpu_count()} cores; "
        f"{total_memory()} memory; load average {_load()} at the start",
        f"- source: commit {source_revision()}",
        f"- python {platform.python_version()}; "
        + ", ".join(package_version(name) for name in ("newstrace", *benchmark.packages)),
        "",
    ]


# -- running ------------------------------------------------------------------------------------


def run_one(benchmark: Benchmark, group: str) -> tuple[list[str], bool]:
    """The benchmark's section, and whether it failed (data absent is not a failure)."""
    lines = header(benchmark, group)
    started = time.perf_counter()
    try:
        rows = benchmark.rows()
    except DataMissing as missing:
        return [*lines, str(missing), ""], False
    except Exception as error:  # report it, and run the other benchmarks
        traceback.print_exc()
        return [*lines, f"failed: {type(error).__name__}: {error}", ""], True
    elapsed = time.perf_counter() - started
    return [*lines, *rows, "", f"(section run in {elapsed:.0f} s)", ""], False


def run_group(group: str, out: Path = OUT) -> int:
    """Run the group's benchmarks, printing each section as it finishes and writing the whole
    to `out`. Returns the exit status: 1 if a benchmark failed, else 0."""
    document = [f"# newstrace benchmarks: `python -m bench.run {group}`", ""]
    failed = False
    out.parent.mkdir(parents=True, exist_ok=True)
    for name in GROUPS[group]:
        section, broke = run_one(BENCHMARKS[name], group)
        failed = failed or broke
        print("\n".join(section), flush=True)
        document += section
        out.write_text("\n".join(document), encoding="utf-8")
    print(f"written to {out}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("group", nargs="?", default="all", choices=sorted(GROUPS))
    return run_group(parser.parse_args(argv).group)


if __name__ == "__main__":
    sys.exit(main())
