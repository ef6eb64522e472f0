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
from newstrace.runners.config import ReuseConfig
from newstrace.stages.facts.entities import EntityFinder, RuleEntities, SpacyEntities
from newstrace.stages.facts.extract import extract
from newstrace.stages.facts.text import normalised_words

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


def collection(tmp: Path, folder: Path, paraphrase: bool = True,
               reuse: ReuseConfig | None = None) -> tuple[Collection, dict[str, str]]:
    files = sorted(folder.glob("b*.txt"))
    records = []
    for number, path in enumerate(files):
        group, role = path.name.split(".")[:2]
        day = f"2026-01-{1 + number // 4:02d}"
        records.append({"id": f"{group}.{role}", "text": path.read_text(encoding="utf-8"),
                        "date": f"{day}T{TIMES[role]}:00Z"})
    source = tmp / "spread.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    news = Collection(tmp / f"facts-{paraphrase}.db", paraphrase=paraphrase, reuse=reuse)
    news.add([str(source)])
    names = {a.id: str(a.source_id) for a in news.store.articles()}
    return news, names


def evaluate(news: Collection, names: dict[str, str], folder: Path,
             finder: EntityFinder | None = None) -> dict[str, Any]:
    ids = {name: article_id for article_id, name in names.items()}
    by_story: dict[str, dict[str, Any]] = {}
    counts = {"add_tp": 0, "add_fp": 0, "add_fn": 0, "alt_found": 0, "alt_reported": 0,
              "alt_right": 0, "spin_add": 0, "spin_alt": 0, "ind_add": 0, "ind_alt": 0,
              "groups": 0, "conflicts": 0}
    misses: list[str] = []
    subjects: list[str] = []
    described: list[str] = []
    for labels_path in sorted(folder.glob("b*.labels.json")):
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
        group = labels["base"]
        counts["groups"] += 1
        per_role = {}
        for role in ("spin", "rewrite", "independent"):
            article_id = ids[f"{group}.{role}"]
            story = news._stories().story_id(article_id)
            if story not in by_story:
                by_story[story] = news.facts(story, finder).as_dict()
                counts["conflicts"] += len(by_story[story]["conflicts"])
                subjects += [f"{group} {c['kind']}: {c['subject']}"
                             for c in by_story[story]["conflicts"]]
                described += [f"{group} \"{c['text']}\" -> {c['value']}"
                              for c in by_story[story]["claims"] if c.get("description")]
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
        misses += [f"{group} wrong alteration reported for the rewrite: {a['from']} -> {a['to']}"
                   for a in altered if a not in right]
        for role in ("spin", "independent"):
            misses += [f"{group} {role}: addition reported: {a['text'][:70]}"
                       for a in per_role[role][0]]
            misses += [f"{group} {role}: alteration reported: {a['from']} -> {a['to']}"
                       for a in per_role[role][1]]
        counts["spin_add"] += len(per_role["spin"][0])
        counts["spin_alt"] += len(per_role["spin"][1])
        counts["ind_add"] += len(per_role["independent"][0])
        counts["ind_alt"] += len(per_role["independent"][1])
    return {**counts, "misses": misses, "subjects": subjects, "described": described}


def speed(articles: list[Any], finder: EntityFinder | None = None) -> float:
    started = time.perf_counter()
    for article in articles:
        extract(article, finder)
    return len(articles) / (time.perf_counter() - started)


def _finders() -> list[tuple[str, EntityFinder | None, str]]:
    found: list[tuple[str, EntityFinder | None, str]] = [("rules (default)", RuleEntities(), "")]
    try:
        spacy_finder = SpacyEntities()
    except Exception as error:  # the nlp extra is optional
        return [*found, ("spaCy", None, f"not installed ({type(error).__name__})")]
    return [*found, (spacy_finder.name, spacy_finder, "")]


def _rows(name: str, counts: dict[str, Any]) -> list[str]:
    tp, fp, fn = counts["add_tp"], counts["add_fp"], counts["add_fn"]
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    groups = counts["groups"]
    reported = max(counts["alt_reported"], 1)
    return [
        f"| {name} | additions (rewrites): precision | {precision:.3f} ({tp} of {tp + fp}) | |",
        f"| {name} | additions (rewrites): recall | {recall:.3f} ({tp} of {tp + fn}) | |",
        f"| {name} | additions (rewrites): F1 | {f1:.3f} | >= 0.80 |",
        f"| {name} | altered fact found (rewrites): recall | {counts['alt_found']} of {groups} "
        f"({counts['alt_found'] / max(groups, 1):.2f}) | >= 0.80 |",
        f"| {name} | altered facts reported for rewrites that are the labelled one: precision "
        f"| {counts['alt_right']} of {counts['alt_reported']} "
        f"({counts['alt_right'] / reported:.2f}) | >= 0.70 |",
        f"| {name} | spins: additions / altered facts reported (false alarms) | "
        f"{counts['spin_add']} / {counts['spin_alt']} over {groups} spins | (almost) none |",
        f"| {name} | independent reports: additions / altered facts (false alarms) | "
        f"{counts['ind_add']} / {counts['ind_alt']} over {groups} | none |",
        f"| {name} | conflicts reported (all stories; not labelled) | {counts['conflicts']} | |",
        f"| {name} | descriptions linked to a named organisation (not labelled) | "
        f"{len(counts['described'])} | |",
    ]


def run() -> list[str]:
    folder = data_dir("spread-dev")
    lines = ["| entities | measure | value | target |", "|---|---|---|---|"]
    rates = []
    misses: list[str] = []
    subjects: list[str] = []
    described: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        news, names = collection(Path(tmp), folder)
        with news:
            articles = list(news.store.articles())
            for name, finder, note in _finders():
                if finder is None:
                    rates.append(f"| {name} | {note} |")
                    continue
                counts = evaluate(news, names, folder, finder)
                lines += _rows(name, counts)
                if isinstance(finder, RuleEntities):
                    misses, subjects = counts["misses"], counts["subjects"]
                    described = counts["described"]
                repeat = 5 if isinstance(finder, RuleEntities) else 1
                rates.append(f"| {name} | {speed(articles * repeat, finder):.0f} |")
        # Without the paraphrase extra: verbatim alignment only, additions by shared words.
        bare, bare_names = collection(Path(tmp), folder, paraphrase=False)
        with bare:
            lines += _rows("rules, no paraphrase extra", evaluate(bare, bare_names, folder))
    return [*lines, "",
            "Extraction speed (all claims of one article: dates, quantities, entities, quotes; "
            "the 80 spread-dev articles; one process on a shared, loaded machine):", "",
            "| entity finder | articles/s |", "|---|---|", *rates, "",
            "Misses and false alarms (rules):", "", *([f"- {m}" for m in misses] or ["- none"]),
            "", "Conflict subjects (rules):", "", *([f"- {s}" for s in subjects] or ["- none"]),
            "", "Descriptions linked (rules; the story's base group, the description, the name):",
            "", *([f"- {d}" for d in described] or ["- none"])]


if __name__ == "__main__":
    print("\n".join(run()))
