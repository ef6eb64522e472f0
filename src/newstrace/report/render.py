"""Rendering pages: one Jinja environment with autoescaping on for every template, and the
stylesheet and script inlined into each page under a Content-Security-Policy that allows
exactly those two (by hash) and nothing else: no other script, no inline event handler, no
remote resource. Article strings only ever reach the page through autoescaped expressions."""

from __future__ import annotations

import base64
import hashlib
from functools import cached_property
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from newstrace import __version__
from newstrace.report.links import Links


def _sha256(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


class Renderer:
    """Renders the report's pages for a static folder (`Links(static=True)`) or the web app."""

    def __init__(self, links: Links) -> None:
        self.links = links
        self.env = Environment(loader=PackageLoader("newstrace.report", "templates"),
                               autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(links=links, version=__version__)
        self.env.filters["pct"] = lambda value: f"{float(value):.0%}"

    @cached_property
    def css(self) -> str:
        return _asset("report.css")

    @cached_property
    def js(self) -> str:
        return _asset("report.js")

    @cached_property
    def csp(self) -> str:
        """The policy: the inlined stylesheet and script by hash, images only from data: (the
        legend swatches are CSS), forms only to this origin, nothing framed."""
        return ("default-src 'none'; "
                f"script-src {_sha256(self.js)}; style-src {_sha256(self.css)}; "
                "img-src data:; form-action 'self'; base-uri 'none'")

    def header_csp(self) -> str:
        """The policy as an HTTP header can carry it (frame-ancestors only works there)."""
        return self.csp + "; frame-ancestors 'none'"

    def page(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            css=self.css, js=self.js, csp=self.csp if self.links.static else None, **context)


def _asset(name: str) -> str:
    return (resources.files("newstrace.report") / "static" / name).read_text(encoding="utf-8")
