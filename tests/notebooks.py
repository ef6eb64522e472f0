"""Running the example notebooks headless in a real Jupyter kernel (nbclient, ipykernel) and
rendering them to HTML (nbconvert), for the tests and for docs/notebook.html:

    python tests/notebooks.py examples/newstrace.ipynb docs/notebook.html [executed.ipynb]
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

KERNEL_TIMEOUT = 300  # seconds for one cell: a bound for a hung kernel, not a speed check


def execute(path: Path) -> Any:
    """The notebook at `path`, executed in a fresh python3 kernel started in its folder."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=KERNEL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return notebook


def render(notebook: Any) -> str:
    """An executed notebook as one self-contained HTML page: nbconvert's lab template with
    its CDN scripts (require.js, MathJax, mermaid) left out, so it opens offline."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(mathjax_url="", require_js_url="", mermaid_js_url="",
                            mermaid_layout_elk_js_url="", jquery_url="")
    page, _ = exporter.from_notebook_node(notebook)
    # An empty URL leaves `<script src="">`, which would load the page itself as a script.
    return re.sub(r'<script[^>]*\bsrc=""[^>]*>\s*</script>', "", str(page))


def main(source: str, target: str, executed: str | None = None) -> None:
    """Execute `source`, write its HTML to `target` (and the executed notebook to
    `executed`)."""
    import nbformat

    notebook = execute(Path(source))
    if executed:
        nbformat.write(notebook, executed)
    Path(target).write_text(render(notebook), encoding="utf-8")
    print(target)


def run(source: Path, folder: Path) -> tuple[Any, Path]:
    """`main` in a child process (the kernel client's event loop stays out of the caller's:
    Playwright's sync API refuses to start inside one): the executed notebook and its page."""
    import nbformat

    page, executed = folder / f"{source.stem}.html", folder / source.name
    subprocess.run([sys.executable, __file__, str(source), str(page), str(executed)],
                   check=True, capture_output=True, timeout=KERNEL_TIMEOUT * 2)
    return nbformat.read(executed, as_version=4), page


if __name__ == "__main__":
    main(*sys.argv[1:4])
