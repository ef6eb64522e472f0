"""HtmlConfig.favor_precision chosen by grouped cross-validation, against trafilatura in the
same run (issue 17, item 7).

trafilatura has two modes that matter for an article's body: its default and
`favor_precision`. newstrace's HTML extractor (`HtmlConfig`) uses one of them. Here the choice
is made as every fitted constant of the cleaner is: pages in groups (aeb-dev: the page's
host; wild-dev: the story pile, whose pages share no site with another pile's), 5 folds of
groups dealt as bench.fit_cleaner deals them; in each fold the mode with the better body F1
on the training folds cleans the held-out fold (ties keep favor_precision, the value shipped
before). Printed: the held-out F1 (pages pooled) first, the range over folds, then the
in-sample figure of the mode chosen on all pages, and trafilatura run directly in both modes
on the same pages.

Pages: the 91 aeb-dev pages (truth: the benchmark's article body) and wild-dev's HTML pages
(truth: the spread-dev text the page carries, without its headline). Score: bench.scoring
(4-gram token F1, per-page precision and recall averaged). `python -m bench.html_mode`; a few
minutes on 2 cores (each page extracted four times).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import trafilatura

from bench.data import data_dir
from bench.extraction import load_pages
from bench.fit_cleaner import FOLDS, group_folds
from bench.scoring import score_pages
from newstrace.stages.clean.normalise import repair
from newstrace.stages.extract.document import DocumentCleaner
from newstrace.stages.extract.html import HtmlConfig

MODES = (True, False)  # favor_precision; the first wins ties (the value shipped before)


@dataclass(frozen=True, slots=True)
class HtmlPage:
    source: str  # "aeb" or "wild"
    group: str
    html: str
    truth: str


def load_html_pages() -> list[HtmlPage]:
    truth = json.loads((data_dir("aeb-dev") / "ground-truth.json").read_text(encoding="utf-8"))
    hosts = [urlsplit(item["url"]).hostname or key for key, item in sorted(truth.items())]
    pages = [HtmlPage("aeb", f"aeb:{host}", html, body)
             for (html, body), host in zip(load_pages(), hosts, strict=True)]
    wild, spread = data_dir("wild-dev"), data_dir("spread-dev")
    labels = json.loads((wild / "labels.json").read_text(encoding="utf-8"))
    for name, label in sorted(labels["files"].items()):
        text_file = spread / f"{label['group']}.{label['role']}.txt"
        if not name.endswith(".html") or not text_file.exists():
            continue
        body = text_file.read_text(encoding="utf-8").split("\n", 1)[1]
        pages.append(HtmlPage("wild", f"wild:{label['group']}",
                              (wild / name).read_text(encoding="utf-8"), repair(body)))
    return pages


Extract = Callable[[str], str]


def newstrace_extract(favor_precision: bool) -> Extract:
    cleaner = DocumentCleaner(html=HtmlConfig(favor_precision=favor_precision))
    return lambda html: cleaner.clean_html(html).text


def trafilatura_extract(favor_precision: bool) -> Extract:
    return lambda html: trafilatura.extract(html, favor_precision=favor_precision) or ""


def extractors() -> dict[str, Extract]:
    """Each method by name: newstrace in both modes, trafilatura directly in both."""
    methods: dict[str, Extract] = {}
    for mode in MODES:
        methods[f"newstrace, favor_precision={mode}"] = newstrace_extract(mode)
        methods[f"trafilatura, favor_precision={mode}"] = trafilatura_extract(mode)
    return methods


def f1_of(pages: Sequence[HtmlPage], texts: Sequence[str], indices: Sequence[int]) -> float:
    return score_pages([(pages[i].truth, texts[i]) for i in indices]).f1


@dataclass(frozen=True, slots=True)
class Chosen:
    held_out: list[str]  # the text each page got from the mode its fold chose
    per_fold: list[bool]  # the mode each fold chose
    on_all: bool  # the mode chosen on all pages


def choose_by_cv(pages: Sequence[HtmlPage], texts: dict[bool, list[str]],
                 folds: Sequence[int]) -> Chosen:
    """In each fold, the mode with the better training F1 (first of MODES on ties)."""
    held = [""] * len(pages)
    per_fold = []
    for fold in range(FOLDS):
        train = [i for i, f in enumerate(folds) if f != fold]
        mode = max(MODES, key=lambda m: (round(f1_of(pages, texts[m], train), 6),
                                         m == MODES[0]))
        per_fold.append(mode)
        for i, f in enumerate(folds):
            if f == fold:
                held[i] = texts[mode][i]
    everyone = range(len(pages))
    on_all = max(MODES, key=lambda m: (round(f1_of(pages, texts[m], everyone), 6),
                                       m == MODES[0]))
    return Chosen(held, per_fold, on_all)


def run() -> list[str]:
    pages = load_html_pages()
    folds = group_folds([p.group for p in pages], FOLDS)
    outputs = {name: [extract(p.html) for p in pages] for name, extract in extractors().items()}
    newstrace = {mode: outputs[f"newstrace, favor_precision={mode}"] for mode in MODES}
    chosen = choose_by_cv(pages, newstrace, folds)
    rows = [f"{len(pages)} HTML pages ({sum(p.source == 'aeb' for p in pages)} aeb-dev, "
            f"{sum(p.source == 'wild' for p in pages)} wild-dev), "
            f"{len({p.group for p in pages})} groups, {FOLDS} group folds; mode chosen by "
            f"fold: {chosen.per_fold}; on all pages: favor_precision={chosen.on_all}", "",
            "| method | aeb-dev F1 | folds (min-max) | wild-dev F1 | folds (min-max) | both |",
            "|---|---|---|---|---|---|"]
    methods = {"newstrace, mode chosen by CV (held out)": chosen.held_out,
               f"newstrace, favor_precision={chosen.on_all} (chosen on all: in-sample)":
                   newstrace[chosen.on_all], **outputs}
    for name, texts in methods.items():
        cells = []
        for source in ("aeb", "wild"):
            mine = [i for i, p in enumerate(pages) if p.source == source]
            by_fold = [f1_of(pages, texts, [i for i in mine if folds[i] == k])
                       for k in range(FOLDS) if any(folds[i] == k for i in mine)]
            cells.append(f"{f1_of(pages, texts, mine):.3f} | "
                         f"{min(by_fold):.3f}-{max(by_fold):.3f}")
        rows.append(f"| {name} | {' | '.join(cells)} | "
                    f"{f1_of(pages, texts, range(len(pages))):.3f} |")
    aeb = [i for i, p in enumerate(pages) if p.source == "aeb"]
    rival = outputs["trafilatura, favor_precision=True"]
    gaps = [f1_of(pages, chosen.held_out, fold) - f1_of(pages, rival, fold)
            for fold in ([i for i in aeb if folds[i] == k] for k in range(FOLDS))]
    rows += ["", f"aeb-dev, newstrace held out minus trafilatura (favor_precision=True) by "
             f"fold: {', '.join(f'{g:+.4f}' for g in gaps)}"]
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
