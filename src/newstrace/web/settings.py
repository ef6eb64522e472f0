"""The web app's settings, in one small record."""

from __future__ import annotations

from dataclasses import dataclass

from newstrace.units import MB


@dataclass(frozen=True, slots=True)
class WebSettings:
    db: str
    max_upload_bytes: int = 2 * MB  # a request body larger than this is refused (413)
    paraphrase: bool = True  # load the sentence encoder once, for check and compare
    check_limit: int = 10  # sources listed for a checked text
    search_limit: int = 50
    # Serve a store whose relations or stories other code computed (else refused, naming the
    # fix: the app's readers would see another version's results with no sign of it).
    allow_stale: bool = False
