"""A reading taken on a background thread while a benchmark runs (peak memory, a process
tree's CPU): one `with` block starts and stops it."""

from __future__ import annotations

import threading
from typing import Self


class Sampler:
    """Calls `sample` every `interval` seconds between `__enter__` and `__exit__`."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()
