"""Synthetic news articles for the throughput benchmarks, written by this project.

Article `i` of seed `s` is always the same text, whatever the number generated: each article
draws from its own random generator. Articles are 300-800 words in paragraphs of one to three
sentences, built from the patterns in bench/phrasebook.py. They can be written as JSON lines,
as HTML pages (a site's head, menus, related links and footer around the article), as the text
dumps a crawler saves from such pages, and as a WARC.gz of HTTP responses.
"""

from __future__ import annotations

import html
import io
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench import phrasebook as pb

_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_SPAN_MINUTES = 2 * 365 * 24 * 60
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_OUTLET_SEED = 20_260_301
_OUTLET_COUNT = 24


# -- outlets ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news site: its name, web address, menu and footer."""

    name: str
    domain: str
    sections: tuple[str, ...]

    @property
    def slug(self) -> str:
        return self.domain.split(".")[0]


def _make_outlets() -> tuple[Outlet, ...]:
    rng = random.Random(_OUTLET_SEED)
    places = rng.sample(pb.PLACES, _OUTLET_COUNT)
    outlets = []
    for place in places:
        kind = rng.choice(pb.OUTLET_KINDS)
        sections = tuple(rng.sample(pb.SECTIONS, rng.randint(6, 9)))
        outlets.append(Outlet(f"The {place} {kind}", f"{place.lower()}{kind.lower()}.example",
                              sections))
    return tuple(outlets)


OUTLETS = _make_outlets()


# -- slot values --------------------------------------------------------------------------------


def _count(rng: random.Random) -> str:
    return f"{rng.randint(12, 9_800):,}"


def _money(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"£{rng.randint(12, 480) / 10:.1f}m"
    return f"£{rng.randint(20, 950) * 1_000:,}"


def _percent(rng: random.Random) -> str:
    return f"{rng.randint(2, 60)}%" if rng.random() < 0.6 else f"{rng.randint(11, 99) / 10}%"


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(('a.m.', 'p.m.'))}"


_RANDOM_SLOTS: dict[str, Callable[[random.Random], str]] = {
    "count": _count,
    "money": _money,
    "percent": _percent,
    "clock": _clock,
    "weekday": lambda rng: rng.choice(pb.WEEKDAYS),
    "month": lambda rng: rng.choice(pb.MONTHS),
    "number": lambda rng: rng.choice(pb.NUMBER_WORDS),
    "year": lambda rng: str(rng.randint(2009, 2019)),
    "year2": lambda rng: str(rng.randint(2020, 2024)),
    "score": lambda rng: f"{rng.randint(1, 5)}-{rng.randint(0, 1)}",
    "score_votes": lambda rng: f"{rng.randint(14, 30)} to {rng.randint(2, 13)}",
    "pence": lambda rng: f"{rng.randint(2, 40)}p",
    "age": lambda rng: str(rng.randint(19, 71)),
}


class _Slots(dict[str, str]):
    """The article's cast (its people, places, organisation), with any other slot drawn fresh
    each time a pattern asks for it."""

    def __init__(self, rng: random.Random, cast: dict[str, str]) -> None:
        super().__init__(cast)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        return _RANDOM_SLOTS[key](self.rng)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(pb.FIRST_NAMES)} {rng.choice(pb.SURNAMES)}"


def _cast(rng: random.Random, topic: pb.Topic) -> _Slots:
    place, place2 = rng.sample(pb.PLACES, 2)
    surname, surname2 = rng.sample(pb.SURNAMES, 2)
    names = {"place": place, "place2": place2, "surname": surname, "surname2": surname2}
    group = rng.choice(topic.groups)
    cast = {
        **names,
        "org": rng.choice(topic.orgs).format_map(names),
        "project": rng.choice(topic.projects).format_map(names),
        "group": group,
        "group_cap": group[0].upper() + group[1:],
        "person": _person(rng),
        "person2": _person(rng),
        "role": rng.choice(pb.ROLES),
    }
    return _Slots(rng, cast)


# -- sentences and articles ---------------------------------------------------------------------


class _Deck:
    """Patterns dealt without replacement (reshuffled when used up), so an article rarely
    repeats a sentence pattern."""

    def __init__(self, rng: random.Random, patterns: tuple[str, ...]) -> None:
        self._rng = rng
        self._patterns = patterns
        self._left: list[str] = []

    def deal(self) -> str:
        if not self._left:
            self._left = list(self._patterns)
            self._rng.shuffle(self._left)
        return self._left.pop()


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def _clause_sentence(rng: random.Random, slots: _Slots, pattern: str) -> str:
    if rng.random() < 0.3:
        opener = rng.choice(pb.OPENERS).format_map(slots)
        # After an opener the clause goes on in lower case, unless it starts with a name.
        if pattern.startswith("{group_cap}"):
            pattern = "{group}" + pattern.removeprefix("{group_cap}")
        clause = pattern.format_map(slots)
        if not pattern.startswith("{"):
            clause = clause[0].lower() + clause[1:]
        clause = opener + clause
    else:
        clause = pattern.format_map(slots)
    if rng.random() < 0.25:
        clause += rng.choice(pb.CLOSERS).format_map(slots)
    else:
        clause += "."
    return _capitalised(clause)


def _paragraphs(rng: random.Random, slots: _Slots, topic: pb.Topic) -> tuple[str, ...]:
    target = rng.randint(300, 800)
    clauses = _Deck(rng, topic.clauses + pb.GENERAL_CLAUSES)
    quotes = _Deck(rng, pb.QUOTES)
    paragraphs: list[str] = []
    current: list[str] = []
    words = 0
    while words < target:
        if rng.random() < 0.15:
            slots["quote"] = quotes.deal()
            sentence = rng.choice(pb.QUOTE_FRAMES).format_map(slots)
        else:
            sentence = _clause_sentence(rng, slots, clauses.deal())
        current.append(sentence)
        words += sentence.count(" ") + 1
        if len(current) == 3 or rng.random() < 0.45:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return tuple(paragraphs)


def _slug(title: str) -> str:
    return _SLUG_JUNK.sub("-", title.lower()).strip("-")[:70].rstrip("-")


def _headline(rng: random.Random, slots: _Slots, topic: pb.Topic) -> str:
    return _capitalised(rng.choice(topic.headlines).format_map(slots))


@dataclass(frozen=True, slots=True)
class Related:
    """A link in a page's "Related articles" list."""

    title: str
    url: str
    published: datetime


@dataclass(frozen=True)
class SyntheticArticle:
    """One generated article, with what its page needs around it."""

    id: str
    seed: int
    index: int
    outlet: Outlet
    section: str
    title: str
    author: str
    published: datetime
    paragraphs: tuple[str, ...]

    @property
    def url(self) -> str:
        day = self.published.strftime("%Y/%m/%d")
        return (f"https://www.{self.outlet.domain}/{self.section.lower()}/{day}/"
                f"{_slug(self.title)}-{self.index}")

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return sum(paragraph.count(" ") + 1 for paragraph in self.paragraphs)

    @cached_property
    def related(self) -> tuple[Related, ...]:
        """Four to six earlier headlines of the same site (made only for pages)."""
        rng = random.Random(f"related:{self.seed}:{self.index}")
        links = []
        for _ in range(rng.randint(4, 6)):
            topic = rng.choice(pb.TOPICS)
            title = _headline(rng, _cast(rng, topic), topic)
            when = self.published - timedelta(hours=rng.randint(5, 24 * 20))
            url = (f"https://www.{self.outlet.domain}/{topic.section.lower()}/"
                   f"{when:%Y/%m/%d}/{_slug(title)}")
            links.append(Related(title, url, when))
        return tuple(links)


def make_article(seed: int, index: int) -> SyntheticArticle:
    """Article `index` of the stream for `seed`."""
    rng = random.Random(seed * 1_000_003 + index)
    topic = rng.choice(pb.TOPICS)
    slots = _cast(rng, topic)
    outlet = rng.choice(OUTLETS)
    section = topic.section if topic.section in outlet.sections else outlet.sections[0]
    published = _EPOCH + timedelta(minutes=rng.randrange(_SPAN_MINUTES))
    return SyntheticArticle(
        id=f"syn-{seed}-{index:07d}",
        seed=seed,
        index=index,
        outlet=outlet,
        section=section,
        title=_headline(rng, slots, topic),
        author=_person(rng),
        published=published,
        paragraphs=_paragraphs(rng, slots, topic),
    )


def articles(count: int, seed: int = 0) -> Iterator[SyntheticArticle]:
    """The first `count` articles of the stream for `seed`."""
    for index in range(count):
        yield make_article(seed, index)


# -- renderings ---------------------------------------------------------------------------------


def json_record(article: SyntheticArticle) -> dict[str, str]:
    return {"id": article.id, "url": article.url, "title": article.title,
            "outlet": article.outlet.name, "published": article.published.isoformat(),
            "text": article.text}


def _brand(outlet: Outlet) -> str:
    """The outlet's name without its article, as in "Get the Kelby Herald briefing"."""
    return outlet.name.removeprefix("The ")


def _nav(outlet: Outlet) -> str:
    items = "".join(f'<li><a href="/{name.lower()}/">{name}</a></li>' for name in outlet.sections)
    return f'<nav class="main-menu"><ul><li><a href="/">Home</a></li>{items}</ul></nav>'


def _related_html(article: SyntheticArticle) -> str:
    items = "".join(
        f'<li><a href="{link.url}">{html.escape(link.title)}</a> '
        f'<time datetime="{link.published.isoformat()}">{link.published:%-d %B %Y}</time></li>'
        for link in article.related)
    return f'<aside class="related"><h2>Related articles</h2><ul>{items}</ul></aside>'


def _footer_html(article: SyntheticArticle) -> str:
    links = "".join(f'<li><a href="/{_slug(name)}/">{name}</a></li>' for name in pb.FOOTER_LINKS)
    return (f'<footer class="site-footer"><p class="newsletter">Get the {_brand(article.outlet)} '
            f'morning briefing in your inbox</p><a class="button" href="/newsletters/">Sign up</a>'
            f'<ul class="footer-links">{links}</ul><p class="copyright">© '
            f'{article.published.year} {article.outlet.name}. All rights reserved.</p></footer>')


def _head_html(article: SyntheticArticle) -> str:
    title = html.escape(article.title)
    outlet = html.escape(article.outlet.name)
    published = article.published.isoformat()
    return (
        f'<head>\n<meta charset="utf-8">\n<title>{title} | {outlet}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="canonical" href="{article.url}">\n'
        f'<meta property="og:type" content="article">\n'
        f'<meta property="og:url" content="{article.url}">\n'
        f'<meta property="og:site_name" content="{outlet}">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta name="author" content="{html.escape(article.author)}">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<meta property="article:section" content="{article.section}">\n'
        f'<link rel="stylesheet" href="https://static.{article.outlet.domain}/css/site.css">\n'
        f'<script src="https://static.{article.outlet.domain}/js/site.js" defer></script>\n'
        f"</head>"
    )


def page_html(article: SyntheticArticle) -> str:
    """The article's web page, as its outlet would serve it."""
    outlet = html.escape(article.outlet.name)
    body = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in article.paragraphs)
    stamp = f"{article.published:%-d %B %Y, %H:%M}"
    return (
        f'<!DOCTYPE html>\n<html lang="en-GB">\n{_head_html(article)}\n<body>\n'
        f'<div class="cookie-banner"><p>We use cookies to give you the best experience on our '
        f'website.</p><button>Accept cookies</button></div>\n'
        f'<header class="masthead"><a class="brand" href="/">{outlet}</a>'
        f'<a href="/subscribe/">Subscribe</a> <a href="/login/">Sign in</a>\n{_nav(article.outlet)}'
        f'</header>\n<main>\n<article>\n<h1>{html.escape(article.title)}</h1>\n'
        f'<p class="byline">By {html.escape(article.author)} | <time datetime='
        f'"{article.published.isoformat()}">{stamp}</time></p>\n'
        f'<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>\n'
        f'<div class="article-body">\n{body}\n</div>\n</article>\n{_related_html(article)}\n'
        f"</main>\n{_footer_html(article)}\n</body>\n</html>\n"
    )


def text_dump(article: SyntheticArticle) -> str:
    """The page's text as a crawler saves it: one block a line, furniture and all."""
    outlet = article.outlet
    lines = [outlet.name, "Home", *outlet.sections, "Subscribe", "Sign in",
             "We use cookies to give you the best experience on our website.", "Accept cookies",
             article.title, f"{article.published:%-d %B %Y, %H:%M}", f"By {article.author}",
             "Share this article", *article.paragraphs, "Share this article",
             "Related articles"]
    for link in article.related:
        lines += [link.title, f"{link.published:%-d %B %Y}"]
    lines += [f"Get the {_brand(outlet)} morning briefing in your inbox", "Sign up",
              f"© {article.published.year} {outlet.name}. All rights reserved.",
              *pb.FOOTER_LINKS]
    return "\n".join(lines) + "\n"


# -- writers ------------------------------------------------------------------------------------


def write_jsonl(path: Path, count: int, seed: int = 0) -> Path:
    """`count` articles as JSON lines (id, url, title, outlet, published, text)."""
    with open(path, "w", encoding="utf-8") as out:
        for article in articles(count, seed):
            out.write(json.dumps(json_record(article), ensure_ascii=False))
            out.write("\n")
    return path


def _write_pages(folder: Path, count: int, seed: int, suffix: str,
                 render: Callable[[SyntheticArticle], str]) -> Path:
    """One file per article, in a folder per outlet (a crawler saves one site a folder)."""
    for article in articles(count, seed):
        site = folder / article.outlet.slug
        site.mkdir(parents=True, exist_ok=True)
        (site / f"{article.id}{suffix}").write_text(render(article), encoding="utf-8")
    return folder


def write_html(folder: Path, count: int, seed: int = 0) -> Path:
    """`count` HTML pages under `folder`."""
    return _write_pages(folder, count, seed, ".html", page_html)


def write_text_dumps(folder: Path, count: int, seed: int = 0) -> Path:
    """`count` text dumps under `folder`."""
    return _write_pages(folder, count, seed, ".txt", text_dump)


def _http_headers(body: bytes) -> StatusAndHeaders:
    return StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                       ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")


def _request_headers(article: SyntheticArticle) -> StatusAndHeaders:
    path = article.url.split(article.outlet.domain, 1)[1]
    return StatusAndHeaders(f"GET {path} HTTP/1.1",
                            [("Host", f"www.{article.outlet.domain}"),
                             ("User-Agent", "newstrace-bench/1.0")],
                            is_http_request=True)


def write_warc(path: Path, count: int, seed: int = 0) -> Path:
    """`count` pages as a WARC.gz: a request and an HTML response record for each, captured
    a few hours after publication."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for article in articles(count, seed):
            body = page_html(article).encode("utf-8")
            captured = article.published + timedelta(hours=3)
            stamp = captured.strftime("%Y-%m-%dT%H:%M:%SZ")
            request = writer.create_warc_record(
                article.url, "request", http_headers=_request_headers(article),
                warc_headers_dict={"WARC-Date": stamp})
            response = writer.create_warc_record(
                article.url, "response", payload=io.BytesIO(body),
                http_headers=_http_headers(body), warc_headers_dict={"WARC-Date": stamp})
            writer.write_request_response_pair(request, response)
    return path

