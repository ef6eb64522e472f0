"""The HTML pages of the web app: the report's pages, live, plus search and check."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from newstrace.errors import InputError, NotFoundError
from newstrace.report.links import Links
from newstrace.report.model import article_page, edge_page, index_page, story_page
from newstrace.report.render import Renderer
from newstrace.stages.reuse.relate import relation_record
from newstrace.units import megabytes
from newstrace.web.service import Service

page_router = APIRouter(include_in_schema=False)


def _parts(request: Request) -> tuple[Service, Renderer, Links]:
    renderer: Renderer = request.app.state.renderer
    return request.app.state.service, renderer, renderer.links


def _html(renderer: Renderer, template: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(renderer.page(template, **context))


@page_router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    service, renderer, links = _parts(request)
    found = service.index()
    return _html(renderer, "index.html", page=index_page(
        found["stories"], found["names"], found["conflicts"], links))


@page_router.get("/story/{reference}", response_class=HTMLResponse)
def story(request: Request, reference: str) -> HTMLResponse:
    service, renderer, links = _parts(request)
    record, trace = service.story(reference)

    def build() -> str:
        with service.source() as source:
            articles = source.articles(record.articles)
            facts = source.facts(record.id)
            relations = source.relations_among(record.articles)
        return renderer.page("story.html", page=story_page(record, trace, articles, facts,
                                                          links, links.edge, relations))

    return HTMLResponse(service.page(f"story:{record.id}", build))


@page_router.get("/edge/{source_id}/{target_id}", response_class=HTMLResponse)
def edge(request: Request, source_id: str, target_id: str) -> HTMLResponse:
    """Two articles side by side: the stored alignment when the pair was related, else a
    fresh comparison."""
    service, renderer, links = _parts(request)
    with service.source() as source:
        left, right = source.article(source_id), source.article(target_id)
        record = source.relation(left.id, right.id)
        if record is None:
            record = source.collection.compare(left, right).as_dict()
        story_id = source.story_of(right.id) or source.story_of(left.id)
        facts = source.facts(story_id) if story_id else None
    story, trace = service.story(story_id) if story_id else (None, None)
    found = next((e.as_dict() for e in trace.edges
                  if {e.source, e.target} == {left.id, right.id}), None) if trace else None
    view = edge_page(left, right, record, facts, links, edge=found,
                     story=(story.id, story.label) if story else None)
    return _html(renderer, "edge.html", view=view)


@page_router.get("/article/{reference}", response_class=HTMLResponse)
def article(request: Request, reference: str) -> HTMLResponse:
    service, renderer, links = _parts(request)
    with service.source() as source:
        found = source.article(reference)
        story_id = source.story_of(found.id)
    return _html(renderer, "article.html", page=article_page(found, story_id, links))


@page_router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "") -> HTMLResponse:
    service, renderer, _ = _parts(request)
    return _html(renderer, "search.html", query=q, found=service.search(q[:200]))


@page_router.get("/check", response_class=HTMLResponse)
def check_form(request: Request) -> HTMLResponse:
    service, renderer, _ = _parts(request)
    return _html(renderer, "check.html", results=None, error=None, text="",
                 limit=megabytes(service.settings.max_upload_bytes))


@page_router.post("/check", response_class=HTMLResponse)
def check(request: Request, text: Annotated[str, Form()] = "",
          file: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
    """A sync route: the check runs in the thread pool, not on the event loop."""
    service, renderer, links = _parts(request)
    data: str | bytes = text
    name = None
    if file is not None and file.filename:
        data = file.file.read()
        name = file.filename
    try:
        if not (data.strip() if isinstance(data, str) else data):
            raise InputError("the form", "empty", "paste an article's text or choose a file")
        query = service.read_text(data, name)
        found = service.check(query)
    except (InputError, NotFoundError) as problem:
        response = _html(renderer, "check.html", results=None, error=str(problem), text=text,
                         limit=megabytes(service.settings.max_upload_bytes))
        response.status_code = 422
        return response
    results = []
    for number, (relation, alignment, source) in enumerate(found, start=1):
        view = edge_page(source, query, relation_record(relation, alignment), None, links,
                         prefix=f"c{number}")
        view.right.name, view.right.href = "Your text", "#text"
        results.append({"relation": relation, "source": source, "view": view,
                        "href": links.article(source.id)})
    return _html(renderer, "check.html", results=results, error=None, text=text,
                 limit=megabytes(service.settings.max_upload_bytes))


@page_router.get("/favicon.ico")
def favicon() -> Response:
    """No icon (browsers ask for one; a 404 would be noise in their consoles)."""
    return Response(status_code=204)


@page_router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """The API's reference, rendered from its OpenAPI schema (no CDN, no script)."""
    _, renderer, _ = _parts(request)
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {})
            operations.append({
                "method": method.upper(), "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"],
                                "required": p.get("required", False),
                                "type": p.get("schema", {}).get("type", ""),
                                "description": p.get("description", "")}
                               for p in operation.get("parameters", [])],
                "body": sorted(body)})
    return _html(renderer, "docs.html", operations=operations, title=schema["info"]["title"],
                 description=schema["info"].get("description", ""))
