"""Pages as a crawler meets them (../shared/data/wild-dev): does each page read right?

Every file of the 20 story piles is read as `newstrace analyze` reads it (`Ingestor.read`) and
checked against `labels.json`:

- title: the article's title is the page's headline (whitespace and case folded);
- body whole (text dumps): the first and the last paragraph of the body are kept, and no teaser
  line of another story is left inside it;
- credit (reprints and excerpts): a cue names the origin's outlet;
- outlet: the outlet is the site's own name;
- date: the publication date is the page's.

Each check is a count over the files it applies to, with the files that fail it named.

The cleaner was fitted on these pages (bench/fit_cleaner.py), so the shipped model's counts
are in-sample. Printed first: the same checks under the fit's leave-group-out cross-validation,
each story pile read with the model and rules of the outer fold that held it out (written
into line_model.json by `python -m bench.fit_cleaner --write`), with the spread across folds.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.data import data_dir
from bench.fit_cleaner import held_out_cleaners
from newstrace.records import Article
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.store.db import Store
from newstrace.stages.articles import IngestConfig
from newstrace.stages.clean.cues import outlet_key
from newstrace.stages.clean.furniture import FurnitureConfig
from newstrace.stages.clean.normalise import repair

CREDITED_ROLES = ("reprint", "excerpt")


def folded(text: str | None) -> str:
    """Text compared with case, spacing, closing punctuation and mojibake folded away (the
    cleaner repairs mojibake that some labels keep)."""
    return " ".join(re.findall(r"\w+", repair(text or "").lower()))


@dataclass(slots=True)
class Check:
    """How many files passed one check, and which failed."""

    name: str
    passed: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, ok: bool, name: str, detail: str = "") -> None:
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{name}: {detail}" if detail else name)

    @property
    def total(self) -> int:
        return self.passed + len(self.failures)

    def row(self) -> str:
        return f"| {self.name} | {self.passed}/{self.total} |"


def read_pile(folder: Path, names: set[str] | None = None,
              furniture: FurnitureConfig | None = None) -> dict[str, Article]:
    """Every file of the folder (or those `names`) read as `analyze` reads it, by file name,
    with the cleaner's rules and model in `furniture` (the shipped ones by default)."""
    files = sorted(str(path) for path in folder.iterdir() if path.suffix in (".txt", ".html")
                   and (names is None or path.name in names))
    config = IngestConfig(furniture=furniture or FurnitureConfig())
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "wild.db") as store:
        articles = Ingestor(store, config).read(files)
    return {Path(article.source_path).name: article for article in articles}


def spread_texts() -> dict[str, str]:
    """spread-dev's clean texts by file name (its group is the name before the dot)."""
    folder = data_dir("spread-dev")
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("b*.txt"))}


def wild_pile() -> tuple[dict[str, Article], dict[str, str]]:
    """wild-dev's pages read as `analyze` reads them, by file name, and each one's group."""
    folder = data_dir("wild-dev")
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    articles = read_pile(folder)
    return articles, {name: labels["files"][name]["group"] for name in articles}


def body_whole(article: Article, group: dict[str, Any], role: str,
               teasers: list[str]) -> tuple[bool, str]:
    text = folded(article.text)
    first, last = group["first_para"].get(role), group["last_para"].get(role)
    if first and folded(first) not in text:
        return False, "first paragraph lost"
    if last and folded(last) not in text:
        return False, "last paragraph lost"
    lines = {folded(line) for line in article.text.splitlines()}
    for teaser in teasers:
        for part in teaser.split("\n"):
            if folded(part) in lines:
                return False, f"teaser kept: {part!r}"
    return True, ""


def check_pile(labels: dict[str, Any], articles: dict[str, Article]) -> list[Check]:
    titles, bodies, credits = Check("titles"), Check("bodies whole (dumps)"), Check(
        "credits naming the origin (reprints, excerpts)")
    outlets, dates = Check("outlets"), Check("dates")
    for name, label in sorted(labels["files"].items()):
        group, role = labels["groups"][label["group"]], label["role"]
        article = articles.get(name)
        if article is None:
            for check in (titles, outlets, dates):
                check.add(False, name, "no article read")
            continue
        titles.add(folded(article.title) == folded(group["titles"][role]), name,
                   f"{article.title!r}")
        if name.endswith(".txt") and role in group["first_para"]:
            bodies.add(*_named(name, *body_whole(article, group, role, label["teasers"])))
        if role in CREDITED_ROLES:
            wanted = outlet_key(group["origin_outlet"])
            named = [cue.outlet for cue in article.cues]
            credits.add(any(outlet_key(o) == wanted for o in named), name, f"cues {named}")
        outlets.add(outlet_key(article.outlet) == outlet_key(label["outlet"]), name,
                    f"{article.outlet!r}")
        dates.add((article.published or "")[:10] == label["published"], name,
                  f"{article.published!r}")
    return [titles, bodies, credits, outlets, dates]


def _named(name: str, ok: bool, detail: str) -> tuple[bool, str, str]:
    return ok, name, detail


def held_out_checks(folder: Path, labels: dict[str, Any],
                    cleaners: list[tuple[set[str], FurnitureConfig]] | None = None
                    ) -> list[list[Check]]:
    """The checks of each outer fold of the cleaner's fit, on the piles it held out, read
    with that fold's model and rules (piles share no site, so reading a fold's piles alone
    counts line repetition as reading them all does). `cleaners`: each fold's held-out piles
    and cleaner, the written folds' (`held_out_cleaners`) by default."""
    per_fold = []
    for piles, furniture in cleaners or held_out_cleaners():
        files = {name: label for name, label in labels["files"].items()
                 if label["group"] in piles}
        fold_labels = {"files": files, "groups": labels["groups"]}
        per_fold.append(check_pile(fold_labels, read_pile(folder, set(files), furniture)))
    return per_fold


def run() -> list[str]:
    folder = data_dir("wild-dev")
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    per_fold = held_out_checks(folder, labels)
    checks = check_pile(labels, read_pile(folder))
    rows = ["| check | held out (leave-group-out CV) | folds (min-max) | in-sample (shipped) |",
            "|---|---|---|---|"]
    for i, check in enumerate(checks):
        folds = [fold[i] for fold in per_fold if fold[i].total]
        passed, total = sum(f.passed for f in folds), sum(f.total for f in folds)
        shares = [f.passed / f.total for f in folds]
        rows.append(f"| {check.name} | {passed}/{total} | {min(shares):.2f}-{max(shares):.2f} "
                    f"| {check.passed}/{check.total} |")
    for i, check in enumerate(checks):
        held = [failure for fold in per_fold for failure in fold[i].failures]
        rows.extend(f"- {check.name} failed held out: {failure}" for failure in _first(held))
        rows.extend(f"- {check.name} failed in-sample: {failure}"
                    for failure in _first(check.failures))
    return rows


def _first(items: list[str], limit: int = 12) -> Iterator[str]:
    yield from items[:limit]
    if len(items) > limit:
        yield f"... and {len(items) - limit} more"


if __name__ == "__main__":
    print("\n".join(run()))
