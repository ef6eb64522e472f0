"""What the web app's pages and API do, apart from HTTP: one collection per request (SQLite
connections are cheap; the sentence encoder is loaded once and shared), the story index cached
until the store changes, search, and checking a pasted or uploaded text."""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from newstrace.collection import Collection
from newstrace.errors import InputError, NotFoundError, StaleResultsError
from newstrace.records import Alignment, Article, Relation, Skip, Story, Trace
from newstrace.report.model import display_name
from newstrace.report.source import ReportSource
from newstrace.stages.reuse.embed import SentenceEncoder, load_encoder
from newstrace.web.settings import WebSettings

STORY_CACHE = 64
Slot = tuple[str, tuple[int, ...]]  # what is cached, and the store state it was built in
T = TypeVar("T")
UPLOAD_SUFFIXES = {".html", ".htm", ".xhtml", ".txt", ".json", ".jsonl", ".xml", ".rss"}
StoryList = list[tuple[Story, Trace]]


class Service:
    def __init__(self, settings: WebSettings) -> None:
        if not Path(settings.db).exists():
            raise NotFoundError(f"{settings.db}: no such collection; create it with "
                                f"`newstrace analyze PATH --db {settings.db}`")
        self.settings = settings
        self.encoder: SentenceEncoder | None = load_encoder() if settings.paraphrase else None
        self._lock = threading.Lock()
        self._indexes: OrderedDict[Slot, dict[str, Any]] = OrderedDict()
        self._stories: OrderedDict[Slot, tuple[Story, Trace]] = OrderedDict()
        self._pages: OrderedDict[Slot, str] = OrderedDict()
        self._building: dict[Slot, threading.Lock] = {}
        # A collection the app keeps open only to see changes (`data_version`).
        self._watch = Collection(settings.db, paraphrase=False, readonly=True)
        # Relations or stories of another version of newstrace: refused, unless the settings
        # allow them (then `stale` says what is out of date, for the one who started the app).
        self.stale = self._watch.stale_message()
        if self.stale is not None and not settings.allow_stale:
            self._watch.close()
            raise StaleResultsError(f"{self.stale}; or serve them as they are with "
                                    "--allow-stale")

    @contextmanager
    def source(self) -> Iterator[ReportSource]:
        collection = Collection(self.settings.db, paraphrase=self.encoder is not None,
                                encoder=self.encoder)
        try:
            yield ReportSource(collection)
        finally:
            collection.close()

    def _version(self) -> tuple[int, ...]:
        """Changes whenever another connection commits to the store: SQLite's data_version
        on a connection the app keeps open. (File stamps would not do: the WAL file goes
        away whenever the last connection closes, which each request's own connection
        does.)"""
        with self._lock:
            return (self._watch.data_version(),)

    def index(self) -> dict[str, Any]:
        """Stories with traces, display names and conflict counts; cached per store state."""
        return self._cached(self._indexes, ("index", self._version()), self._build_index,
                            keep=1)

    def _build_index(self) -> dict[str, Any]:
        with self.source() as source:
            traced = source.traced_stories()
            ids = [a for story, _ in traced for a in story.articles]
            names = {a_id: display_name(a) for a_id, a in source.articles(ids).items()}
            conflicts = source.conflict_counts(story for story, _ in traced)
        return {"stories": traced, "names": names, "conflicts": conflicts}

    def story(self, reference: str) -> tuple[Story, Trace]:
        """A story and its trace, kept (for the STORY_CACHE most recent) until the store
        changes: a trace reads every stored relation among the story's members."""
        with self.source() as source:
            story_id = source.story_id(reference)
            return self._cached(self._stories, (story_id, self._version()),
                                lambda: source.story(story_id))

    def page(self, key: str, build: Callable[[], str]) -> str:
        """A rendered page, built once per store state (a story page of a thousand relations
        takes a second to render); the STORY_CACHE most recent are kept."""
        return self._cached(self._pages, (key, self._version()), build)

    def _cached(self, cache: OrderedDict[Slot, T], slot: Slot, build: Callable[[], T],
                keep: int = STORY_CACHE) -> T:
        """`cache[slot]`, built once: requests arriving while it is being built wait for it
        rather than build it again (four at once would each take four times as long); the
        `keep` most recent are kept."""
        with self._lock:
            if slot in cache:
                cache.move_to_end(slot)
                return cache[slot]
            building = self._building.setdefault(slot, threading.Lock())
        with building:
            with self._lock:
                if slot in cache:
                    return cache[slot]
            found = build()
            with self._lock:
                cache[slot] = found
                self._building.pop(slot, None)
                while len(cache) > keep:
                    cache.popitem(last=False)
        return found

    def search(self, query: str) -> dict[str, list[dict[str, Any]]]:
        """Stories whose label, and articles whose title, outlet or text, contain `query`."""
        needle = " ".join(query.split()).lower()
        if not needle:
            return {"stories": [], "articles": []}
        index = self.index()
        stories = [{"id": s.id, "label": s.label, "size": s.size}
                   for s, _ in index["stories"] if needle in s.label.lower()]
        with self.source() as source:
            articles = source.collection.search(needle, self.settings.search_limit)
        return {"stories": stories[: self.settings.search_limit], "articles": articles}

    def read_text(self, text: str | bytes, filename: str | None = None) -> Article:
        """The article in a pasted text or an uploaded file (read as newstrace reads files,
        by its suffix; pasted text as a text dump). Raises InputError when there is none."""
        suffix = Path(filename or "").suffix.lower()
        suffix = suffix if suffix in UPLOAD_SUFFIXES else ".txt"
        data = text.encode("utf-8") if isinstance(text, str) else text
        with tempfile.TemporaryDirectory(prefix="newstrace-check-") as folder:
            path = Path(folder) / f"checked{suffix}"
            path.write_bytes(data)
            skips: list[Skip] = []
            with self.source() as source:
                found = source.collection.read([str(path)], on_skip=skips.append)
        if not found:
            why = skips[0].message if skips else "no article text found in it"
            raise InputError(filename or "the pasted text", "no-article-text",
                             f"{why}; paste the article's text or upload its HTML page")
        return found[0]

    def check(self, query: Article) -> list[tuple[Relation, Alignment, Article]]:
        with self.source() as source:
            found = source.collection.check(query, self.settings.check_limit)
        return [(result.relation, result.alignment, result.a) for result in found]

