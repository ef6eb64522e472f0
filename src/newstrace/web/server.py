"""The app served by uvicorn in a background thread on a loopback port: for tests, benchmarks
and notebooks (`newstrace serve` runs it in the foreground instead)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from newstrace.web.app import create_app
from newstrace.web.settings import WebSettings


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(settings: WebSettings, host: str = "127.0.0.1", port: int = 0,
            timeout: float = 60.0) -> Iterator[str]:
    """Serve the app until the block ends; yields its base URL (a free port when 0)."""
    port = port or free_port(host)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host=host, port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name="newstrace-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the web app did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
