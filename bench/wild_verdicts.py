"""Does the furniture change any verdict? wild-dev's piles against the same clean texts.

Two collections, each analysed as `newstrace analyze` does (`Collection.add`):

- wild: every page of ../shared/data/wild-dev as a crawler saved it (HTML pages and dumps);
- clean: for each of those pages the spread-dev text it wraps (a reprint: its base's text), as
  JSON lines with the page's publication date and the text's headline as the title (not as
  the body's first line: the wild pages' headlines are titles too), so both collections hold
  the same articles at the same times. The lines are filed one folder per outlet of the
  wild page, so that line repetition (furniture) is counted over the same sites on both
  sides: in one file, a subheading that a base and its spin share would count as repeated
  on the clean side only. Excerpts (the origin's first paragraphs, whose extent
  no label gives) are left out of both.

Compared: story membership (pairs of articles together or apart), the relation of every pair
of the same story, and each article's parent in its story's provenance tree (a reprint and
its base hold the same text, so either counts as the other). A parent the wild pile finds
where the clean texts leave the direction undecided is counted apart: the pages carry credits
("Read the full article here", "Follow BBC News on ...") that the clean texts lack. Every
difference is listed with whether the two articles' bodies came out of the cleaner the same
as the clean texts (word for word): where they did, no furniture line can have moved the
verdict (the page's credits, kept as cues, or its metadata did); where one did not, the
cleaner is the cause. Then, per pile: is the origin named? With the shipped cleaner (fitted
on these pages: in-sample) and under the cleaner's leave-group-out cross-validation, each pile
read with the model and rules of the outer fold of `bench.fit_cleaner` that held it out.
"""

from __future__ import annotations

import difflib
import json
import tempfile
from itertools import combinations
from pathlib import Path
from typing import Any

from bench.data import data_dir
from bench.fit_cleaner import held_out_cleaners
from newstrace.collection import Collection
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.stages.articles import IngestConfig
from newstrace.stages.clean.cues import outlet_key
from newstrace.stages.clean.furniture import FurnitureConfig
from newstrace.stages.clean.stopwords import words

Verdicts = dict[str, Any]


def clean_records(labels: dict[str, Any], spread: Path) -> list[dict[str, str]]:
    records = []
    for name, label in sorted(labels["files"].items()):
        if label["role"] == "excerpt":
            continue
        role = "base" if label["role"] == "reprint" else label["role"]
        text = (spread / f"{label['group']}.{role}.txt").read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        records.append({"id": name, "title": title.strip(), "text": body,
                        "date": label["published"], "site": label["outlet"]})
    return records


def verdicts(news: Collection, name_of: dict[str, str]) -> Verdicts:
    """Stories, relations and provenance parents, keyed by file name."""
    story_of: dict[str, str] = {}
    parent: dict[str, str | None] = {}
    origins: dict[str, list[tuple[str | None, str | None]]] = {}
    for story, trace in news.traced_stories():
        for member in story.articles:
            story_of[name_of[member]] = story.id
        origins[story.id] = [(name_of[o.article] if o.article else None, o.outlet)
                                for o in trace.origins]
        for member in trace.members:
            found = trace.tree.get(member)
            parent[name_of[member]] = name_of[found] if found else None
    relations = {}
    for row in ReuseTables(news.store).relations(include_unrelated=False):
        a, b = sorted((name_of[row["a"]], name_of[row["b"]]))
        relations[(a, b)] = str(row["relation"])
    bodies = {name_of[a.id]: " ".join(words(a.text)) for a in news.store.articles()}
    return {"story": story_of, "relation": relations, "parent": parent, "origins": origins,
            "body": bodies}


def analyse_wild(files: list[Path], furniture: FurnitureConfig | None = None) -> Verdicts:
    ingest = IngestConfig(furniture=furniture or FurnitureConfig())
    with tempfile.TemporaryDirectory() as tmp, \
            Collection(Path(tmp) / "wild.db", ingest=ingest) as news:
        news.add([str(path) for path in files])
        names = {a.id: Path(a.source_path).name for a in news.store.articles()}
        return verdicts(news, names)


def analyse_clean(records: list[dict[str, str]]) -> Verdicts:
    with tempfile.TemporaryDirectory() as tmp:
        by_site: dict[str, list[dict[str, str]]] = {}
        for record in records:
            fields = {key: value for key, value in record.items() if key != "site"}
            by_site.setdefault(outlet_key(record["site"]) or "unknown", []).append(fields)
        sources = []
        for site, lines in sorted(by_site.items()):
            source = Path(tmp) / site / f"{site}.jsonl"  # input names must differ too
            source.parent.mkdir()
            source.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
            sources.append(str(source))
        with Collection(Path(tmp) / "clean.db") as news:
            news.add(sources)
            names = {a.id: str(a.source_id) for a in news.store.articles()}
            return verdicts(news, names)


def compare(wild: Verdicts, clean: Verdicts, names: list[str], labels: dict[str, Any]
            ) -> list[str]:
    rows = ["| verdict | same on the wild pile as on the clean texts |", "|---|---|"]
    differences: list[str] = []
    together = same_story = 0
    relation_pairs = same_relation = 0
    for a, b in combinations(sorted(names), 2):
        in_clean = clean["story"].get(a) is not None and \
            clean["story"].get(a) == clean["story"].get(b)
        in_wild = wild["story"].get(a) is not None and wild["story"].get(a) == wild["story"].get(b)
        together += 1
        same_story += in_clean == in_wild
        if in_clean != in_wild:
            differences.append(f"story: {a} and {b} {'together' if in_wild else 'apart'} on the "
                               f"wild pile, {'together' if in_clean else 'apart'} on clean texts")
        if in_clean or in_wild:
            relation_pairs += 1
            w, c = wild["relation"].get((a, b)), clean["relation"].get((a, b))
            same_relation += w == c
            if w != c:
                differences.append(f"relation {a} / {b}: wild {w}, clean {c} "
                                   f"({_bodies(wild, clean, a, b)})")
    parents = same_parent = decided_by_credit = 0
    for name in sorted(names):
        if name not in clean["parent"]:
            continue
        parents += 1
        w, c = _text_of(wild["parent"].get(name), labels), _text_of(clean["parent"].get(name),
                                                                      labels)
        same_parent += w == c
        decided_by_credit += c is None and w is not None
        if w != c and c is not None:
            differences.append(f"parent of {name}: wild {w}, clean {c} "
                               f"({_bodies(wild, clean, name)})")
    same_body = sum(wild["body"].get(name) == clean["body"].get(name) for name in names)
    rows += [f"| body after cleaning, word for word | {same_body}/{len(names)} |",
             f"| story membership (pairs of articles) | {same_story}/{together} |",
             f"| relation of each pair in a story | {same_relation}/{relation_pairs} |",
             f"| provenance parent of each article | {same_parent}/{parents} |",
             f"| (parents found on the wild pile only, from its credits) | "
             f"{decided_by_credit}/{parents} |"]
    rows += [f"- {line}" for line in differences[:60]]
    if len(differences) > 60:
        rows.append(f"- ... and {len(differences) - 60} more")
    return rows


def run() -> list[str]:
    folder, spread = data_dir("wild-dev"), data_dir("spread-dev")
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    records = clean_records(labels, spread)
    clean = analyse_clean(records)
    wild = analyse_wild([folder / record["id"] for record in records])
    return [*compare(wild, clean, [record["id"] for record in records], labels), "",
            *origins_held_out(folder, labels, records), *origins_named(wild, labels)]


def origins_held_out(folder: Path, labels: dict[str, Any], records: list[dict[str, str]]
                     ) -> list[str]:
    """Is the origin named, each pile analysed with the cleaner of the outer fold that held
    it out (piles share no site, so a fold's piles analysed alone are read as in the whole)?"""
    per_fold: list[float] = []
    named: list[str] = []
    missed: list[str] = []
    for piles, furniture in held_out_cleaners():
        if not piles:
            continue
        files = [folder / r["id"] for r in records if labels["files"][r["id"]]["group"] in piles]
        wild = analyse_wild(files, furniture)
        per_fold.append(sum(origin_named(wild, labels, group) for group in piles) / len(piles))
        named.extend(group for group in piles if origin_named(wild, labels, group))
        missed.extend(f"- held out, origin of {group} not named: found "
                      f"{_found_origins(wild, labels, group)}"
                      for group in sorted(piles) if group not in named)
    return [f"Origin named, held out (leave-group-out CV of the cleaner): "
            f"{len(named)}/{len(labels['groups'])} (folds {min(per_fold):.2f}-"
            f"{max(per_fold):.2f})", *missed, "With the shipped cleaner (in-sample):"]


def _bodies(wild: Verdicts, clean: Verdicts, *names: str) -> str:
    """Whether the cleaner gave these articles the clean texts' bodies, word for word; where
    not, the share of the clean body's words kept in order and the wild body's length."""
    notes = []
    for name in names:
        w, c = wild["body"].get(name, ""), clean["body"].get(name, "")
        if w != c:
            kept = difflib.SequenceMatcher(None, c.split(), w.split(), autojunk=False)
            matched = sum(block.size for block in kept.get_matching_blocks())
            notes.append(f"{name} body differs: {matched}/{len(c.split())} clean words kept, "
                         f"{len(w.split()) - matched} other words")
    return "; ".join(notes) or "bodies equal: not the cleaner"


def _text_of(name: str | None, labels: dict[str, Any]) -> str | None:
    """A base and its reprint hold one text: either stands for "the origin's text"."""
    if name is None:
        return None
    label = labels["files"][name]
    return f"{label['group']}: the origin's text" if label["role"] in ("base", "reprint") \
        else name


def _found_origins(wild: Verdicts, labels: dict[str, Any], group: str
                   ) -> list[tuple[str | None, str | None]]:
    files = {label["role"]: name for name, label in labels["files"].items()
             if label["group"] == group}
    found: list[tuple[str | None, str | None]] = wild["origins"].get(
        wild["story"].get(files["reprint"]), [])
    return found


def origin_named(wild: Verdicts, labels: dict[str, Any], group: str) -> bool:
    """The base's page where it is in the pile, else the outlet its reprint credits."""
    info = labels["groups"][group]
    found = _found_origins(wild, labels, group)
    if info["origin_in_pile"]:
        base = next((name for name, label in labels["files"].items()
                     if label["group"] == group and label["role"] == "base"), None)
        return any(article == base for article, _ in found)
    wanted = outlet_key(info["origin_outlet"])
    return any(article is None and outlet_key(outlet) == wanted for article, outlet in found)


def origins_named(wild: Verdicts, labels: dict[str, Any]) -> list[str]:
    """Per pile: is the origin named, the base's page where it is in the pile, else the
    outlet its reprint credits? And does the wild pile name an origin outside it that no
    label gives (a credit line on a page that names another outlet)?"""
    named, missed, others = 0, [], []
    for group, info in sorted(labels["groups"].items()):
        found = _found_origins(wild, labels, group)
        ok = origin_named(wild, labels, group)
        named += ok
        if not ok:
            missed.append(f"- origin of {group} not named: found {found}")
        wanted_outlet = None if info["origin_in_pile"] else outlet_key(info["origin_outlet"])
        extra = sorted({outlet or "" for article, outlet in found
                        if article is None and outlet_key(outlet) != wanted_outlet})
        if extra:
            others.append(f"- {group}: also {', '.join(extra)}")
    return [f"Origin named (the article where it is in the pile, else the credited outlet): "
            f"{named}/{len(labels['groups'])}", *missed,
            f"Stories with an origin outside the pile that no label gives (an outlet a page's "
            f"credit line names; the clean texts carry no credits): "
            f"{len(others)}/{len(labels['groups'])}", *others]


if __name__ == "__main__":
    print("\n".join(run()))
