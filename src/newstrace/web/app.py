"""The FastAPI application: `create_app(settings)`. Pages render the report's templates live;
`/api/...` answers JSON (OpenAPI schema at /openapi.json, readable docs at /docs)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from newstrace import __version__
from newstrace.errors import InputError, NewstraceError, NotFoundError
from newstrace.report.links import Links
from newstrace.report.render import Renderer
from newstrace.web.api import api_router
from newstrace.web.limits import BodyLimit, SecurityHeaders
from newstrace.web.pages import page_router
from newstrace.web.service import Service
from newstrace.web.settings import WebSettings


def create_app(settings: WebSettings) -> FastAPI:
    """The app over the collection in `settings.db` (which must exist)."""
    service = Service(settings)
    renderer = Renderer(Links(static=False))
    app = FastAPI(title="newstrace", version=__version__, docs_url=None, redoc_url=None,
                  description="Stories, provenance, facts, compare and check over a newstrace "
                  "collection. Every article string in a response is untrusted input.")
    app.state.service = service
    app.state.renderer = renderer
    app.include_router(api_router)
    app.include_router(page_router)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and request.url.path != "/openapi.json"

    def error(request: Request, status: int, message: str) -> Response:
        if wants_html(request):
            return HTMLResponse(renderer.page("error.html", status=status, message=message),
                                status_code=status)
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return error(request, 404, str(exc))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return error(request, 422, str(exc))

    @app.exception_handler(NewstraceError)
    async def failed(request: Request, exc: NewstraceError) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_html(request):
            return error(request, 422, "; ".join(
                f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in exc.errors()))
        return JSONResponse({"detail": exc.errors()}, status_code=422)

    @app.exception_handler(404)
    async def missing(request: Request, exc: Exception) -> Response:
        return error(request, 404, getattr(exc, "detail", None) or "no such page")

    # The last added runs first: every response, a refused upload's too, gets the headers.
    app.add_middleware(BodyLimit, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders, csp=renderer.header_csp())
    return app
