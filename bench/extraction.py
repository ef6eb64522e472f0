"""Body extraction on the article-extraction benchmark pages (../shared/data/aeb-dev).

HTML: newstrace's extractor beside trafilatura run directly (default settings, and with
favor_precision), in the same run. Text dumps: the same pages turned into naive text dumps,
cleaned by newstrace's line classifier, beside no cleaning at all.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from bench.data import data_dir
from bench.scoring import Score, score_pages
from bench.textdump import naive_text_dump
from newstrace.stages.extract.document import DocumentCleaner


def load_pages() -> list[tuple[str, str]]:
    """(html, true body) for every page of aeb-dev."""
    folder = data_dir("aeb-dev")
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        path = folder / "html" / f"{key}.html.gz"
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        pages.append((html, item["articleBody"]))
    return pages


def _run(pages: list[tuple[str, str]], extract: Callable[[str], str]) -> tuple[Score, float]:
    started = time.perf_counter()
    pairs = [(truth, extract(html)) for html, truth in pages]
    return score_pages(pairs), time.perf_counter() - started


def run() -> list[str]:
    pages = load_pages()
    cleaner = DocumentCleaner()
    rows = ["| input | method | precision | recall | F1 | seconds |", "|---|---|---|---|---|---|"]

    def add(input_name: str, name: str, extract: Callable[[str], str]) -> None:
        score, seconds = _run(pages, extract)
        rows.append(f"| {input_name} | {name} | {score.row()} | {seconds:.1f} |")

    add("HTML", "trafilatura (default)", lambda html: trafilatura.extract(html) or "")
    add("HTML", "trafilatura (favor_precision)",
        lambda html: trafilatura.extract(html, favor_precision=True) or "")
    add("HTML", "newstrace", lambda html: cleaner.clean_html(html).text)
    dumps = [(naive_text_dump(html), truth) for html, truth in pages]
    rows.append(f"| text dump | (made from the same {len(pages)} pages) | | | | |")
    add_dump = [("no cleaning", lambda text: text),
                ("newstrace line classifier", lambda text: cleaner.clean_text(text).text)]
    for name, clean in add_dump:
        score, seconds = _run(dumps, clean)
        rows.append(f"| text dump | {name} | {score.row()} | {seconds:.1f} |")
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
    print(Path(__file__).name, "done")
