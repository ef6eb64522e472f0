"""Collections the report and web tests share: the example story analysed, its facts in the
facts contract's shape (written here by hand from examples/README.md, standing in for the
facts stage), and a story whose every field carries hostile markup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, articles_by_label
from newstrace import Collection
from newstrace.records import Article

# Each of these must reach the page as text and never run.
HOSTILE_TITLE = '<script>alert("title")</script><img src=x onerror=alert("img")> Dam breach'
HOSTILE_OUTLET = '<img src=x onerror=alert("outlet")>Evil "Outlet" <b>'
HOSTILE_URL = 'javascript:alert("url")'
HOSTILE_LINES = [
    "The dam at Lake Orvel breached on Tuesday night, flooding 40 homes in the village of "
    "Strandby, the regional water board said.",
    '</textarea><script>alert("body")</script> Rescuers used boats to reach 120 residents '
    "who were trapped on upper floors.",
    '<svg onload=alert("svg")> Officials said the breach was 25 metres wide and that the '
    'reservoir level fell by 3 metres overnight. "><b onmouseover=alert("hover")>bold',
    "{{ 7 * 7 }} {% raw %} <div><p>unclosed markup and an </ul> stray end tag; the board "
    "said repairs would cost about 8 million crowns.",
    "“We are checking every home along the river,” said fire chief Anna Lind <a href="
    '"javascript:alert(\'link\')">click</a>.',
]


def hostile_records() -> list[dict[str, Any]]:
    """An original, a word-for-word copy and a copy with one changed figure, all hostile."""
    body = "\n\n".join(HOSTILE_LINES)
    altered = body.replace("40 homes", "400 homes")
    return [
        {"id": "orig", "url": HOSTILE_URL, "title": HOSTILE_TITLE, "outlet": HOSTILE_OUTLET,
         "published": "2026-05-05T08:00:00Z", "text": body},
        {"id": "copy", "url": "https://copy.example/dam?a=<script>", "title": HOSTILE_TITLE
         + " (copy)", "outlet": "Copy <i>Daily</i>", "published": "2026-05-05T10:00:00Z",
         "text": body},
        {"id": "spun", "url": "data:text/html,<script>alert('data')</script>",
         "title": "Dam <b onclick=alert(1)>breach</b>", "outlet": "Spin & Co",
         "published": "2026-05-05T12:00:00Z", "text": altered},
    ]


def _dump(title: str, lines: list[str], outlet: str) -> str:
    """A crawler's text dump: menu, title, date line, body, attribution, footer."""
    return "\n".join(["Home | News | <a href=javascript:alert('menu')>Sport</a>", title,
                      "5 May 2026, 09:00", *lines,
                      f"This article first appeared on <script>alert('cue')</script> {outlet}.",
                      f"© 2026 {outlet}"]) + "\n"


def write_hostile(folder: Path) -> list[Path]:
    """JSON lines whose metadata is hostile, and two text dumps (an original and a copy
    with one changed figure) whose bodies are, in folders of their own (sites)."""
    jsonl = folder / "hostile.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in hostile_records()) + "\n",
                     encoding="utf-8")
    paths = [jsonl]
    for name, lines in (("evil", HOSTILE_LINES),
                        ("copier", [line.replace("25 metres", "52 metres")
                                    for line in HOSTILE_LINES])):
        site = folder / name
        site.mkdir()
        path = site / f"{name}.txt"
        path.write_text(_dump(HOSTILE_TITLE, lines, f"Evil <b>{name}</b>"), encoding="utf-8")
        paths.append(path)
    return paths


def _span(article: Article, text: str) -> list[int]:
    start = article.text.index(text)
    return [start, start + len(text)]


def example_facts(db: Path) -> dict[str, Any]:
    """The example story's facts as the facts stage is to report them (contract shape)."""
    with Collection(db, paraphrase=False) as collection:
        found = articles_by_label(collection.store)
        story = collection.story(found["alpinepress-original"].id).id
    original, rewrite = found["alpinepress-original"], found["buzzfeedly-rewrite"]
    vrb, radio = found["mountain-independent"], found["radio-independent"]
    added = ["Experts have long warned that climate change is making such slides more "
             "frequent across the region.",
             "Locals say the line has been unsafe for years and that repeated warnings were "
             "ignored."]
    source_value = "4 kilometres"
    target_value = "14 kilometres"
    source_sentence = next(original.text[s.start:s.end] for s in original.sentences
                           if source_value in original.text[s.start:s.end])
    target_sentence = next(rewrite.text[s.start:s.end] for s in rewrite.sentences
                           if target_value in rewrite.text[s.start:s.end])
    vrb_text = next(t for t in ("38 residents", "38") if t in vrb.text)
    radio_text = next(t for t in ("Around 60 residents", "around 60") if t in radio.text)
    return {
        "story": story,
        "claims": [],
        "conflicts": [{"subject": "residents of Pralunga evacuated", "kind": "quantity",
                       "values": [{"value": "38", "articles": [vrb.id], "texts": [vrb_text]},
                                  {"value": "around 60", "articles": [radio.id],
                                   "texts": [radio_text]}]}],
        "altered_facts": [{"source": original.id, "target": rewrite.id, "kind": "quantity",
                           "from": "about 4 kilometres", "to": "about 14 kilometres",
                           "source_sentence": source_sentence,
                           "target_sentence": target_sentence,
                           "source_span": _span(original, source_value),
                           "target_span": _span(rewrite, target_value)}],
        "additions": [{"article": rewrite.id, "source": [original.id], "text": text,
                       "span": _span(rewrite, text)} for text in added],
        "altered_quotes": [{"speaker": "Tomas Reinholt", "versions": [
            {"text": "We will not reopen the line until the geologists tell us the slope is "
                     "safe,", "articles": [original.id], "spans": {}},
            {"text": "We will not reopen the line until the geologists tell us the slope is "
                     "safe.", "articles": [vrb.id], "spans": {}}]}],
        "single_source": [],
        "summary": {"claims": 0, "conflicts": 1, "altered_facts": 1, "additions": 2,
                    "altered_quotes": 1, "single_source": 0},
    }


class _Facts:
    def __init__(self, found: dict[str, Any]) -> None:
        self.found = found

    def as_dict(self) -> dict[str, Any]:
        return self.found


class FactsCollection(Collection):
    """A collection whose `facts` answers with a fixed dict for one story, as the facts
    branch's `Collection.facts` will (the report reaches it through the same attribute)."""

    def __init__(self, path: str | Path, known: dict[str, dict[str, Any]],
                 **options: Any) -> None:
        super().__init__(path, **options)
        self.known = known

    def facts(self, reference: str) -> _Facts:
        story = self.story(reference).id
        return _Facts(self.known.get(story, {**_EMPTY, "story": story}))


_EMPTY: dict[str, Any] = {"claims": [], "conflicts": [], "altered_facts": [], "additions": [],
                          "altered_quotes": [], "single_source": [], "summary": {}}


def analysed(folder: Path, *paths: Path, paraphrase: bool = True) -> Path:
    db = folder / "collection.db"
    with Collection(db, paraphrase=paraphrase) as collection:
        collection.add([str(p) for p in paths])
    return db


def example_paths() -> list[Path]:
    return [EXAMPLES / "articles"]
