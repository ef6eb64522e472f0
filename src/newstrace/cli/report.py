"""The report commands: `report` (a static HTML report) and `serve` (the local web app)."""

from __future__ import annotations

import ipaddress
import webbrowser
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from newstrace.cli.options import allow_stale_option, db_option, require_current
from newstrace.cli.progress import stderr
from newstrace.collection import Collection
from newstrace.errors import NewstraceError
from newstrace.records import Story, Trace
from newstrace.report import ReportSource, ReportSummary, write_report
from newstrace.units import MB


def write_html_report(collection: Collection, out: str, stories: list[str] | None = None,
                      traced: list[tuple[Story, Trace]] | None = None, *,
                      facts: Mapping[str, dict[str, Any]] | None = None,
                      quiet: bool = False) -> ReportSummary:
    """Write the report to `out` and say where it is (shared with `analyze --out`, which
    has `traced` stories and some `facts` already)."""
    summary = write_report(ReportSource(collection, facts), out, stories, traced)
    if quiet:
        return summary
    index = Path(out) / "index.html"
    stderr.print(f"report: {summary.stories} stories, {summary.pages} pages "
                 f"({summary.bytes / MB:.1f} MB) in {summary.seconds:.1f} s: {index}",
                 highlight=False, markup=False)
    return summary


def register(cli: click.Group) -> None:
    """Add `report` and `serve` to the `newstrace` group."""

    @cli.command()
    @click.argument("stories", nargs=-1)
    @click.option("--all", "everything", is_flag=True, help="Every story (the default when "
                  "no STORY is named).")
    @click.option("--out", required=True, type=click.Path(file_okay=False),
                  help="Folder to write the report to (created when missing).")
    @db_option
    @click.option("--open", "open_browser", is_flag=True, help="Open the index in a browser.")
    @allow_stale_option
    @click.pass_context
    def report(context: click.Context, stories: tuple[str, ...], everything: bool, out: str,
               db: str, open_browser: bool, allow_stale: bool) -> None:
        """Write a self-contained HTML report: a story index, each story's family tree,
        timeline and facts, its relations side by side, every article.

        STORY: story ids or references to any of their articles. Pages open from disk: no
        network, no CDN."""
        if stories and everything:
            raise click.UsageError("name STORY ids or give --all, not both")
        if not Path(db).exists():
            raise click.ClickException(f"{db}: no such collection; create it with "
                                       f"`newstrace analyze PATH --db {db}`")
        try:
            with Collection(db, paraphrase=False) as collection:
                require_current(collection, allow_stale)
                summary = write_html_report(collection, out, list(stories) or None,
                                            quiet=context.obj["quiet"])
        except NewstraceError as error:
            raise click.ClickException(str(error)) from error
        click.echo(str(Path(summary.folder) / "index.html"))
        if open_browser:
            webbrowser.open((Path(summary.folder) / "index.html").resolve().as_uri())

    @cli.command()
    @db_option
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Address to listen on; loopback unless you mean to share it.")
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
    @click.option("--max-upload", type=click.FloatRange(min=0.01), default=2.0,
                  show_default=True, help="Largest request body accepted (a checked text or "
                  "file), in MB; larger ones get 413.")
    @click.option("--no-paraphrase", is_flag=True, help="Verbatim evidence only in check and "
                  "compare (no sentence encoder loaded).")
    @allow_stale_option
    def serve(db: str, host: str, port: int, max_upload: float, no_paraphrase: bool,
              allow_stale: bool) -> None:
        """Run the local web app: stories, side-by-side views, search, "check a text" and a
        JSON API (docs at /docs). Never fetches a URL. A store whose relations or stories
        another version of newstrace computed is refused unless --allow-stale: the app's
        readers never see the terminal."""
        from newstrace.web import require_web

        try:
            require_web()
        except NewstraceError as error:
            raise click.ClickException(str(error)) from error
        import uvicorn

        from newstrace.web.app import create_app
        from newstrace.web.settings import WebSettings

        if not _loopback(host):
            stderr.print(f"[yellow]warning:[/] listening on {host}: anyone who can reach this "
                         "address can read the collection", highlight=False)
        settings = WebSettings(db=db, max_upload_bytes=int(max_upload * MB),
                               paraphrase=not no_paraphrase, allow_stale=allow_stale)
        try:
            app = create_app(settings)
        except NewstraceError as error:
            raise click.ClickException(str(error)) from error
        if app.state.service.stale is not None:
            stderr.print(f"[yellow]warning:[/] {escape(app.state.service.stale)}",
                         highlight=False)
        stderr.print(f"newstrace: http://{host}:{port}/ (API docs at /docs; Ctrl-C stops)",
                     highlight=False, markup=False)
        uvicorn.run(app, host=host, port=port, log_level="warning")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
