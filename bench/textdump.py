"""A naive HTML-to-text conversion: every block of the page on its own line, menus, footers
and all, as a crawler that saves "the text of the page" produces it. Used to make realistic
text dumps for the furniture-removal benchmark."""

from __future__ import annotations

import lxml.html
from lxml import etree

_DROP = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
_BLOCKS = frozenset((
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "li", "ul",
    "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th",
    "blockquote", "pre", "figure", "figcaption", "form", "br", "hr", "address", "details",
    "summary", "button", "option", "label",
))


def naive_text_dump(html: str) -> str:
    """Every text node of the page, a line break at each block boundary."""
    tree = lxml.html.document_fromstring(html)
    etree.strip_elements(tree, *_DROP, with_tail=False)
    etree.strip_elements(tree, etree.Comment, with_tail=False)
    parts: list[str] = []
    _walk(tree, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in _BLOCKS
    if block:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")
