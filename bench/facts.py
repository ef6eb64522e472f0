"""Facts across versions on ../shared/data/spread-dev, and extraction speed.

The 80 articles (base, spin, rewrite, independent report of 20 events) are analysed together
as a user would (`newstrace analyze`, publication times with the base earliest, as in
bench/stories.py), then `Collection.facts` is asked for each story. Scored against each
group's labels: the rewrite's `added` sentences (addition precision, recall, F1 at sentence
level) and its `altered` fact (recall: the changed value reported against the base's value;
precision: reported alterations of rewrites that are the labelled one). Spins should get no
additions and no altered facts, independent reports none at all: their counts are the
false-alarm rates.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.data import data_dir
from newstrace.collection import Collection
from newstrace.facts.extract import extract
from newstrace.facts.text import normalised_words

TIMES = {"base": "08:00", "independent": "09:00", "spin": "10:00", "rewrite": "11:00"}


def _words(text: str) -> str:
    return " ".join(normalised_words(text))


def _same_sentence(found: str, label: str) -> bool:
    a, b = _words(found), _words(label)
    return bool(a) and bool(b) and (a in b or b in a)


def _changed(reported: str, phrase: str, other: str) -> bool:
    """Whether a reported value is the labelled change: it holds a word of the labelled
    phrase that the other side's phrase lacks ("58" of "58% of profit" against "46% of
    profit"), so a report of the right value in other words ("as much as 45%") counts."""
    own = set(normalised_words(phrase)) - set(normalised_words(other))
    return bool(own & set(normalised_words(reported)))


def collection(tmp: Path, folder: Path) -> tuple[Collection, dict[str, str]]:
    files = sorted(folder.glob("b*.txt"))
    records = []
    for number, path in enumerate(files):
        group, role = path.name.split(".")[:2]
        day = f"2026-01-{1 + number // 4:02d}"
        records.append({"id": f"{group}.{role}", "text": path.read_text(encoding="utf-8"),
                        "date": f"{day}T{TIMES[role]}:00Z"})
    source = tmp / "spread.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    news = Collection(tmp / "facts.db")
    news.add([str(source)])
    names = {a.id: str(a.source_id) for a in news.store.articles()}
    return news, names


def evaluate(news: Collection, names: dict[str, str], folder: Path) -> dict[str, Any]:
    ids = {name: article_id for article_id, name in names.items()}
    by_story: dict[str, dict[str, Any]] = {}
    counts = {"add_tp": 0, "add_fp": 0, "add_fn": 0, "alt_found": 0, "alt_reported": 0,
              "alt_right": 0, "spin_add": 0, "spin_alt": 0, "ind_add": 0, "ind_alt": 0,
              "groups": 0, "conflicts": 0}
    misses: list[str] = []
    for labels_path in sorted(folder.glob("b*.labels.json")):
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        group = labels["base"]
        counts["groups"] += 1
        per_role = {}
        for role in ("spin", "rewrite", "independent"):
            article_id = ids[f"{group}.{role}"]
            story = news._stories().story_id(article_id)
            if story not in by_story:
                by_story[story] = news.facts(story).as_dict()
                counts["conflicts"] += len(by_story[story]["conflicts"])
            facts = by_story[story]
            per_role[role] = (
                [a for a in facts["additions"] if a["article"] == article_id],
                [a for a in facts["altered_facts"] if a["target"] == article_id])
        added, altered = per_role["rewrite"]
        for label in labels["added"]:
            if any(_same_sentence(a["text"], label) for a in added):
                counts["add_tp"] += 1
            else:
                counts["add_fn"] += 1
                misses.append(f"{group} addition missed: {label[:70]}")
        counts["add_fp"] += sum(1 for a in added
                                if not any(_same_sentence(a["text"], lb) for lb in labels["added"]))
        change = labels["altered"]
        right = [a for a in altered
                 if _changed(a["to"], change["changed"], change["original"])
                 and _changed(a["from"], change["original"], change["changed"])]
        counts["alt_reported"] += len(altered)
        counts["alt_right"] += len(right)
        counts["alt_found"] += bool(right)
        if not right:
            misses.append(f"{group} alteration missed: {change['original']} -> "
                          f"{change['changed']} (reported: "
                          + "; ".join(f"{a['from']} -> {a['to']}" for a in altered) + ")")
        counts["spin_add"] += len(per_role["spin"][0])
        counts["spin_alt"] += len(per_role["spin"][1])
        counts["ind_add"] += len(per_role["independent"][0])
        counts["ind_alt"] += len(per_role["independent"][1])
    return {**counts, "misses": misses}


def speed(articles: list[Any], finder: Any = None) -> float:
    started = time.perf_counter()
    for article in articles:
        extract(article, finder)
    return len(articles) / (time.perf_counter() - started)


def run() -> list[str]:
    folder = data_dir("spread-dev")
    with tempfile.TemporaryDirectory() as tmp:
        news, names = collection(Path(tmp), folder)
        with news:
            counts = evaluate(news, names, folder)
            articles = list(news.store.articles())
            rates = [("rules (no model)", speed(articles * 5))]
            try:
                from newstrace.facts.entities import SpacyEntities
                spacy_finder = SpacyEntities()
                rates.append((spacy_finder.name, speed(articles * 2, spacy_finder)))
            except Exception as error:  # the nlp extra is optional
                rates.append((f"spaCy: not measured ({type(error).__name__})", 0.0))
    tp, fp, fn = counts["add_tp"], counts["add_fp"], counts["add_fn"]
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    groups = counts["groups"]
    lines = [
        "| measure | value | target |", "|---|---|---|",
        f"| additions (rewrites): precision | {precision:.3f} ({tp} of {tp + fp}) | |",
        f"| additions (rewrites): recall | {recall:.3f} ({tp} of {tp + fn}) | |",
        f"| additions (rewrites): F1 | {f1:.3f} | >= 0.80 |",
        f"| altered fact found (rewrites) | {counts['alt_found']} of {groups} "
        f"({counts['alt_found'] / max(groups, 1):.2f}) | recall >= 0.80 |",
        f"| altered facts reported that are the labelled one | {counts['alt_right']} of "
        f"{counts['alt_reported']} ({counts['alt_right'] / max(counts['alt_reported'], 1):.2f}) "
        "| precision >= 0.70 |",
        f"| spins: additions / altered facts reported (false alarms) | {counts['spin_add']} / "
        f"{counts['spin_alt']} over {groups} spins | (almost) none |",
        f"| independent reports: additions / altered facts (false alarms) | "
        f"{counts['ind_add']} / {counts['ind_alt']} over {groups} | none |",
        f"| conflicts reported (all stories) | {counts['conflicts']} | (not labelled) |",
        "", "Extraction speed (claims of one article: dates, quantities, entities, quotes; "
        "spread-dev articles, one process, shared and loaded machine):", "",
        "| entity finder | articles/s |", "|---|---|",
        *[f"| {name} | {rate:.0f} |" for name, rate in rates], "",
        "Misses:", "", *([f"- {m}" for m in counts["misses"]] or ["- none"]),
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
