"""Small input files the tests write: pages, dumps, feeds and archives of invented stories."""

from __future__ import annotations

import gzip
import html
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAGRAPHS = [
    "Engineers in Port Ellery began draining the flooded Carrow tunnel on Monday, three days "
    "after a burst water main closed the city's busiest road link to traffic.",
    "The tunnel carries about 48,000 vehicles a day, and the closure has added up to an hour "
    "to journeys across the estuary, the city transport office said.",
    "“We expect the water to be gone by Wednesday night, but the electrics will need a full "
    "inspection before we can let a single car through,” said chief engineer Mara Quist.",
    "Repairs are expected to cost at least 2.5 million crowns, and the city will ask the "
    "national road agency to cover part of the bill, officials said.",
]
# A long section menu: the body starts far down the page.
SECTIONS = ("Home", "World", "Business", "Markets", "Opinion", "Weather", "Sport", "Culture",
            "Travel", "Science", "Health", "Technology", "Video", "Podcasts", "Puzzles", "Local")
# A last paragraph dense in names and figures, its full stop lost.
LAST_WITHOUT_STOP = ("The tunnel's owner, Port Ellery Transport, said 14 pumps moved 9,000 cubic "
                     "metres on Tuesday and 11,500 on Wednesday, and that the inspection by Carrow "
                     "Electrics and the Norland Safety Board would start on Thursday")


def story(seed: int) -> list[str]:
    """The paragraphs, made distinct per seed so different pages hold different text."""
    return [p.replace("Carrow", f"Carrow-{seed}") for p in PARAGRAPHS]


def html_page(paragraphs: list[str], *, title: str = "Carrow tunnel flooded",
              url: str | None = None, canonical: str | None = None,
              site: str = "Port Ellery Post", published: str = "2026-04-06T09:30:00+02:00",
              charset: str | None = None) -> str:
    head = [f"<title>{html.escape(title)} | {html.escape(site)}</title>",
            f'<meta property="og:title" content="{html.escape(title)}">',
            f'<meta property="og:site_name" content="{html.escape(site)}">',
            f'<meta property="article:published_time" content="{published}">']
    if charset:
        head.insert(0, f'<meta charset="{charset}">')
    if url:
        head.append(f'<meta property="og:url" content="{url}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return ("<!DOCTYPE html><html lang=\"en\"><head>" + "".join(head) + "</head><body>"
            "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
            f"<article><h1>{html.escape(title)}</h1>{body}</article>"
            "<footer><p>© 2026 Port Ellery Post</p></footer></body></html>")


def text_dump(paragraphs: list[str], *, title: str = "Carrow tunnel flooded") -> str:
    return "\n".join(["Port Ellery Post", "Home", "News", "Sport", "Subscribe", title,
                      "6 April 2026", *paragraphs, "Share this article", "Related Articles",
                      "Ferry fares to rise in May", "5 April 2026",
                      "© 2026 Port Ellery Post. All rights reserved."])


def jsonl(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def rss(items: list[tuple[str, str, list[str]]]) -> str:
    """An RSS 2.0 feed; items are (title, link, paragraphs)."""
    entries = "".join(
        f"<item><title>{html.escape(title)}</title><link>{link}</link><guid>{link}</guid>"
        "<pubDate>Mon, 06 Apr 2026 10:00:00 +0200</pubDate><content:encoded><![CDATA["
        + "".join(f"<p>{p}</p>" for p in paragraphs) + "]]></content:encoded></item>"
        for title, link, paragraphs in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<title>Estuary Echo</title><link>https://echo.example/</link>"
            f"<description>News</description>{entries}</channel></rss>")


def atom(entries: list[tuple[str, str, list[str]]]) -> str:
    body = "".join(
        f"<entry><title>{html.escape(title)}</title><link href=\"{link}\"/><id>{link}</id>"
        "<updated>2026-04-06T08:00:00Z</updated><content type=\"html\">"
        + html.escape("".join(f"<p>{p}</p>" for p in paragraphs)) + "</content></entry>"
        for title, link, paragraphs in entries)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Delta Dispatch</title><id>urn:delta</id>{body}</feed>")


def warc(pages: list[tuple[str, str]], *, compress: bool = True) -> bytes:
    """A WARC of HTML responses (url, html), with a request record and an image between."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for url, page in pages:
        writer.write_record(writer.create_warc_record(url, "request",
                                                      payload=io.BytesIO(b"GET / HTTP/1.1\r\n")))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(page.encode("utf-8")), http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url + ".png", "response", payload=io.BytesIO(b"\x89PNG" + bytes(200)),
            http_headers=image))
    return buffer.getvalue()


def gz(data: str | bytes) -> bytes:
    return gzip.compress(data.encode("utf-8") if isinstance(data, str) else data)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def crawled_dump(paragraphs: list[str], *, site: str = "Harbour Ledger",
                 title: str = "Carrow tunnel flooded",
                 byline: str = "By News Desk | June 2, 2025",
                 teaser: list[str] | None = None, teaser_at: int = -1,
                 credit: list[str] | None = None,
                 masthead_noise: tuple[str, ...] = ("Home", "World", "Business"),
                 copyright_line: bool = True) -> str:
    """A crawler's dump of a reprint page: masthead and menus, the headline and a byline,
    the body with `teaser` lines before its paragraph `teaser_at` (the last by default), the
    `credit` lines after it, a related-stories box and the footer."""
    body = list(paragraphs[:teaser_at]) + list(teaser or []) + paragraphs[teaser_at:]
    footer = [f"© 2025 {site}. All rights reserved."] if copyright_line else []
    return "\n".join([site, *masthead_noise, "Subscribe", title, byline, *body, *(credit or []),
                      "Share this article", "Related Articles", "Ferry fares to rise in May",
                      "May 30, 2025", "Council budget passes after long night", "May 29, 2025",
                      "Contact us", "Privacy policy", *footer])
