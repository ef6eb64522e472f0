"""Ingest throughput on synthetic articles (bench/synthetic.py).

- Articles per second for HTML pages, text dumps, JSON lines and a WARC.gz, each ingested the
  way `newstrace ingest` does it: an `Ingestor` into a fresh `Store` in a temporary folder.
- What HTML ingest costs beyond trafilatura itself, on the same pages.
- Peak memory (RSS) of `newstrace ingest` on 100,000 JSON lines, run as a subprocess.
- FastWARC against warcio reading the HTML responses of the same WARC.gz.

Each figure is measured once (the short WARC readings: best of two). Sizes come from the
arguments of `run`, or from $NEWSTRACE_BENCH_HTML, _TEXT, _WARC, _JSONL and _MEMORY (0 leaves
that measurement out); `python -m bench.throughput --help` takes them as options.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO

import trafilatura
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator as WarcioArchiveIterator

from bench import synthetic
from newstrace.records import RawDocument
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.store.db import Store
from newstrace.stages.extract.document import DocumentCleaner
from newstrace.stages.readers.config import ReaderConfig
from newstrace.stages.readers.sources import InputSource
from newstrace.stages.readers.warc import read_warc

MB = 1_000_000
SEED = 7
_ENV_PREFIX = "NEWSTRACE_BENCH_"
_HTML_TYPES = ("text/html", "application/xhtml")


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many articles each measurement uses; 0 leaves it out."""

    html: int = 2_000
    text: int = 2_000
    warc: int = 2_000
    jsonl: int = 20_000
    memory: int = 100_000

    @classmethod
    def from_env(cls) -> Sizes:
        sizes = cls()
        for item in fields(cls):
            value = os.environ.get(_ENV_PREFIX + item.name.upper())
            if value:
                sizes = replace(sizes, **{item.name: int(value.replace("_", ""))})
        return sizes


def _note(message: str) -> None:
    print(f"[throughput] {message}", file=sys.stderr, flush=True)


def _size(path: Path) -> int:
    """Bytes of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def _db_size(db: Path) -> int:
    return sum(_size(file) for file in db.parent.glob(db.name + "*"))


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _best_of_two(action: Callable[[], object]) -> float:
    return min(_timed(action), _timed(action))


# -- ingest throughput --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IngestTiming:
    label: str
    stored: int
    skipped: int
    seconds: float
    input_bytes: int
    db_bytes: int

    def row(self) -> str:
        return (f"| {self.label} | {self.stored:,} | {self.skipped} | "
                f"{self.input_bytes / MB:.1f} | {self.seconds:.1f} | "
                f"{self.stored / self.seconds:,.0f} | {self.db_bytes / MB:.1f} |")


def timed_ingest(label: str, inputs: Path, db: Path) -> IngestTiming:
    """Ingest `inputs` into a new store at `db`, as `newstrace ingest` does, and time it
    (opening and closing the store included)."""
    started = time.perf_counter()
    with Store(db) as store:
        summary = Ingestor(store).ingest([str(inputs)])
    seconds = time.perf_counter() - started
    return IngestTiming(label, summary.ingested + summary.updated, len(summary.skips), seconds,
                        _size(inputs), _db_size(db))


@dataclass(frozen=True, slots=True)
class Inputs:
    """The synthetic inputs, written once and shared by the measurements."""

    html: Path
    text: Path
    warc: Path
    jsonl: Path


def write_inputs(folder: Path, sizes: Sizes) -> tuple[Inputs, list[str]]:
    """Write each input; returns them and a line on how long generation took."""
    inputs = Inputs(folder / "html", folder / "text", folder / "pages.warc.gz",
                    folder / "articles.jsonl")
    writers = ((synthetic.write_html, inputs.html, sizes.html),
               (synthetic.write_text_dumps, inputs.text, sizes.text),
               (synthetic.write_warc, inputs.warc, sizes.warc),
               (synthetic.write_jsonl, inputs.jsonl, sizes.jsonl))
    made = []
    for write, path, count in writers:
        if count:
            _note(f"writing {count:,} articles to {path.name}")
            seconds = _timed(partial(write, path, count, SEED))
            made.append(f"{path.name} {count:,} in {seconds:.1f} s")
    return inputs, made


def ingest_table(inputs: Inputs, sizes: Sizes, folder: Path) -> list[IngestTiming]:
    cases = (("HTML pages (one file each)", inputs.html, sizes.html),
             ("text dumps (one file each)", inputs.text, sizes.text),
             ("JSON lines (one file)", inputs.jsonl, sizes.jsonl),
             ("WARC.gz (one file)", inputs.warc, sizes.warc))
    timings = []
    for label, path, count in cases:
        if count:
            _note(f"ingesting {label}")
            timings.append(timed_ingest(label, path, folder / f"{path.name}.db"))
    return timings


# -- HTML: the cost beyond trafilatura ----------------------------------------------------------


def _pages(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.html"))]


def _trafilatura_only(pages: list[str]) -> None:
    for page in pages:
        trafilatura.bare_extraction(page, favor_precision=True, with_metadata=True)


def _clean_only(cleaner: DocumentCleaner, pages: list[str]) -> None:
    for page in pages:
        cleaner.clean_html(page)


def html_cost_rows(folder: Path, ingest: IngestTiming) -> list[str]:
    """trafilatura alone, newstrace's extraction and cleaning alone, and the full ingest, on
    the same pages, with each one's time as a multiple of trafilatura's."""
    pages = _pages(folder)
    _note(f"trafilatura alone on {len(pages):,} pages")
    alone = _timed(lambda: _trafilatura_only(pages))
    _note("newstrace extraction and cleaning on the same pages")
    cleaner = DocumentCleaner()
    cleaning = _timed(lambda: _clean_only(cleaner, pages))
    rows = ["| step | pages | seconds | pages/s | time ÷ trafilatura's |",
            "|---|---|---|---|---|"]
    for label, seconds in (
        ("trafilatura.bare_extraction alone (favor_precision, with_metadata; pages in memory)",
         alone),
        ("newstrace DocumentCleaner.clean_html (extraction + cleaning; pages in memory)",
         cleaning),
        ("newstrace full HTML ingest (files to store, as in the table above)", ingest.seconds),
    ):
        rows.append(f"| {label} | {len(pages):,} | {seconds:.1f} | {len(pages) / seconds:,.0f} "
                    f"| {seconds / alone:.2f} |")
    return rows


# -- peak memory of a large JSONL ingest --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProcessRun:
    seconds: float
    peak_bytes: int


def _newstrace_command() -> list[str]:
    """The installed console script beside this interpreter, else the module's entry point."""
    script = Path(sys.executable).with_name("newstrace")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from newstrace.cli.main import main; main()"]


def measure_process(command: list[str]) -> ProcessRun:
    """Run `command`, returning its wall time and its own peak RSS (from wait4's rusage)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {message}")
    # ru_maxrss is in kibibytes on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return ProcessRun(seconds, usage.ru_maxrss * scale)


def _memory_row(label: str, jsonl: Path, db: Path) -> str:
    run = measure_process([*_newstrace_command(), "-q", "ingest", str(jsonl), "--db", str(db)])
    with Store(db, readonly=True) as store:
        stored = store.count()
    return (f"| {label} | {stored:,} | {_size(jsonl) / MB:.0f} | {run.seconds:.0f} | "
            f"{stored / run.seconds:,.0f} | {run.peak_bytes / MB:.0f} | {_db_size(db) / MB:.0f} |")


def memory_rows(folder: Path, count: int) -> tuple[list[str], str]:
    """`newstrace -q ingest` of `count` JSON lines in a subprocess, beside the same command on
    100 lines (what the interpreter and newstrace's imports take); and how long writing the
    big file took."""
    small = synthetic.write_jsonl(folder / "memory-100.jsonl", 100, SEED)
    big = folder / f"memory-{count}.jsonl"
    _note(f"writing {count:,} JSON lines")
    made = _timed(lambda: synthetic.write_jsonl(big, count, SEED))
    rows = ["| run | articles | input MB | wall seconds | articles/s | peak RSS MB | DB MB |",
            "|---|---|---|---|---|---|---|",
            _memory_row("`newstrace -q ingest`, small file (baseline)", small,
                        folder / "memory-100.db")]
    _note(f"ingesting {count:,} JSON lines in a subprocess (slow)")
    rows.append(_memory_row(f"`newstrace -q ingest`, {count:,} articles", big,
                            folder / f"memory-{count}.db"))
    return rows, f"{big.name} {count:,} in {made:.1f} s"


# -- WARC readers -------------------------------------------------------------------------------


def _is_html(status: int | None, content_type: str | None) -> bool:
    return status == 200 and (content_type or "").lower().startswith(_HTML_TYPES)


def _fastwarc_payloads(stream: BinaryIO | str) -> Iterator[bytes]:
    for record in FastArchiveIterator(stream, record_types=WarcRecordType.response,
                                      parse_http=True):
        headers = record.http_headers
        if _is_html(headers.status_code, headers.get("Content-Type")):
            yield record.reader.read()


def _warcio_payloads(stream: BinaryIO) -> Iterator[bytes]:
    for record in WarcioArchiveIterator(stream):
        if record.rec_type != "response" or record.http_headers is None:
            continue
        status = int(record.http_headers.get_statuscode() or 0)
        if _is_html(status, record.http_headers.get_header("Content-Type")):
            yield record.content_stream().read()


def _read_with(path: Path, payloads: Callable[[BinaryIO], Iterator[bytes]]) -> int:
    with open(path, "rb") as stream:
        return sum(1 for _ in payloads(stream))


def _read_native(path: Path) -> int:
    """FastWARC given the file name: its own file reading and gunzip, no Python stream."""
    return sum(1 for _ in _fastwarc_payloads(str(path)))


def _read_documents(path: Path) -> int:
    """newstrace's WARC reader itself: the parser it uses, its checks, decoding to text."""
    source = InputSource(str(path), "warc", gzipped=True)
    return sum(isinstance(item, RawDocument) for item in read_warc(source, ReaderConfig()))


def warc_reader_rows(path: Path) -> list[str]:
    size = _size(path)
    readers: tuple[tuple[str, Callable[[], int]], ...] = (
        ("warcio ArchiveIterator (Python file object)",
         lambda: _read_with(path, _warcio_payloads)),
        ("FastWARC ArchiveIterator (Python file object, its own gunzip)",
         lambda: _read_with(path, _fastwarc_payloads)),
        ("FastWARC ArchiveIterator (file name: native reading and gunzip)",
         lambda: _read_native(path)),
        ("newstrace read_warc (its reader, checks, decoding to text)",
         lambda: _read_documents(path)),
    )
    rows = ["| reader | HTML records | seconds (best of 2) | records/s | MB/s of .warc.gz |",
            "|---|---|---|---|---|"]
    for label, read in readers:
        _note(f"reading the WARC with {label}")
        records = read()  # a warm-up, and the count
        seconds = _best_of_two(read)
        rows.append(f"| {label} | {records:,} | {seconds:.2f} | {records / seconds:,.0f} | "
                    f"{size / MB / seconds:.0f} |")
    return rows


# -- the report ---------------------------------------------------------------------------------


def _ingest_section(timings: list[IngestTiming]) -> list[str]:
    rows = ["### Ingest throughput", "",
            "| input | articles stored | skipped | input MB | seconds | articles/s | DB MB |",
            "|---|---|---|---|---|---|---|"]
    return rows + [timing.row() for timing in timings]


def _html_section(inputs: Inputs, timings: list[IngestTiming]) -> list[str]:
    html = next((timing for timing in timings if timing.label.startswith("HTML")), None)
    if html is None:
        return []
    return ["", "### HTML: cost beyond trafilatura", "", *html_cost_rows(inputs.html, html)]


def _memory_section(folder: Path, count: int, generated: list[str]) -> list[str]:
    if not count:
        return []
    rows, made = memory_rows(folder, count)
    generated.append(made)
    return ["", f"### Peak memory: {count:,} JSON lines", "", *rows]


def _warc_section(inputs: Inputs, count: int) -> list[str]:
    if not count:
        return []
    return ["", "### WARC readers", "", *warc_reader_rows(inputs.warc)]


def run(sizes: Sizes | None = None) -> list[str]:
    """Every measurement, as markdown: sub-headings, tables and notes."""
    sizes = sizes or Sizes.from_env()
    with tempfile.TemporaryDirectory(prefix="newstrace-bench-") as temporary:
        folder = Path(temporary)
        inputs, generated = write_inputs(folder, sizes)
        timings = ingest_table(inputs, sizes, folder)
        lines = _ingest_section(timings)
        lines += _html_section(inputs, timings)
        lines += _memory_section(folder, sizes.memory, generated)
        lines += _warc_section(inputs, sizes.warc)
    lines += ["", f"Inputs: synthetic articles of 300-800 words from bench/synthetic.py (seed "
              f"{SEED}), written in " + "; ".join(generated) + "."]
    return lines


def _arguments() -> Sizes:
    defaults = Sizes.from_env()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for item in fields(Sizes):
        parser.add_argument(f"--{item.name}", type=int, default=getattr(defaults, item.name),
                            help=f"articles for the {item.name} measurement (0: leave it out)")
    parsed = parser.parse_args()
    return Sizes(**{item.name: getattr(parsed, item.name) for item in fields(Sizes)})


if __name__ == "__main__":
    print("\n".join(run(_arguments())))
