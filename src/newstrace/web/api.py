"""The JSON API: stories, trace, facts, articles, compare, check and search.

Routes return their JSON themselves (`JSONResponse`): FastAPI's validation and encoding of a
returned dict costs more than building it for a story of a thousand relations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from newstrace.errors import InputError
from newstrace.records import Article
from newstrace.stages.reuse.relate import relation_record
from newstrace.web.service import Service

api_router = APIRouter(prefix="/api")


class CheckText(BaseModel):
    text: str = Field(description="The article's text (or its HTML page, with filename *.html)")
    filename: str | None = Field(None, description="Read as this kind of file (by suffix)")


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def article_json(article: Article, story: str | None = None) -> dict[str, Any]:
    return {"id": article.id, "title": article.title, "outlet": article.outlet,
            "url": article.url, "canonical_url": article.canonical_url,
            "published": article.published, "author": article.author,
            "words": article.words, "story": story, "duplicate_of": article.duplicate_of,
            "cues": [cue.as_dict() for cue in article.cues],
            "removed": [line.as_dict() for line in article.removed], "text": article.text}


@api_router.get("/stories", summary="Every story")
def stories(request: Request) -> JSONResponse:
    """Each story: id, label, articles, first and last publication, origins."""
    return JSONResponse([story.as_dict() for story, _ in _service(request).index()["stories"]])


@api_router.get("/stories/{reference}", summary="One story with its trace")
def story(request: Request, reference: str) -> JSONResponse:
    """REFERENCE: a story id or any reference to one of its articles."""
    record, trace = _service(request).story(reference)
    return JSONResponse({**record.as_dict(), "trace": trace.as_dict()})


@api_router.get("/trace/{reference}", summary="Who copied whom in a story")
def trace(request: Request, reference: str) -> JSONResponse:
    return JSONResponse(_service(request).story(reference)[1].as_dict())


@api_router.get("/facts/{reference}", summary="The facts of a story")
def facts(request: Request, reference: str) -> JSONResponse:
    """Claims, conflicts, altered facts, unsourced additions, altered quotations and
    single-source claims, as `newstrace facts --json` gives them."""
    service = _service(request)
    record, _ = service.story(reference)
    with service.source() as source:
        return JSONResponse(source.facts(record.id))


@api_router.get("/articles/{reference}", summary="One article")
def article(request: Request, reference: str) -> JSONResponse:
    with _service(request).source() as source:
        found = source.article(reference)
        return JSONResponse(article_json(found, source.story_of(found.id)))


@api_router.get("/compare", summary="Compare two stored articles")
def compare(request: Request, a: Annotated[str, Query(description="an article reference")],
            b: Annotated[str, Query(description="an article reference")]) -> JSONResponse:
    """The stored relation and alignment when the pair was related, else a fresh comparison."""
    with _service(request).source() as source:
        first, second = source.article(a), source.article(b)
        stored = source.relation(first.id, second.id)
        if stored is None:
            stored = source.collection.compare(first, second).as_dict()
    return JSONResponse(stored)


@api_router.post("/check", summary="Likely sources of a text")
def check(request: Request, body: CheckText) -> JSONResponse:
    """The collection's likely sources of a text, most covering first, with alignments.
    Offsets of `b` spans index `query.text`."""
    return JSONResponse(_check(_service(request), body.text, body.filename))


@api_router.post("/check/upload", summary="Likely sources of an uploaded file")
def check_upload(request: Request, file: UploadFile) -> JSONResponse:
    data = file.file.read()  # a sync route: the check runs in the thread pool
    return JSONResponse(_check(_service(request), data, file.filename))


def _check(service: Service, data: str | bytes, filename: str | None) -> dict[str, Any]:
    if not (data.strip() if isinstance(data, str) else data):
        raise InputError(filename or "text", "empty", "empty text; send an article's text")
    query = service.read_text(data, filename)
    results = []
    for relation, alignment, source in service.check(query):
        record = relation_record(relation, alignment)
        record.update({"id": source.id, "title": source.title, "outlet": source.outlet,
                       "url": source.url, "query_coverage": relation.scores["coverage_b"],
                       "query_verbatim": relation.scores["verbatim_b"],
                       # the partial reading: the share of the query from this source
                       "derived_share": relation.scores["coverage_b"] if relation.derived
                       else None})
        results.append(record)
    return {"query": {"title": query.title, "text": query.text}, "sources": results}


@api_router.get("/search", summary="Search stories and articles")
def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> JSONResponse:
    found = _service(request).search(q)
    for item in found["articles"]:
        before, match, after = item.pop("snippet")
        item["snippet"] = before + match + after
    return JSONResponse(found)
