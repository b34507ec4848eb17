"""Reading ``--nograd-json`` (schema version 2) into plain records, and telling which of its
files still hold the code the tests ran.

Paths in the file are relative to pytest's root directory (``root``). When that folder does
not exist here (the report was made on another machine, or in another checkout), they are
taken relative to the report's own folder, which is where ``--nograd-json=nograd.json`` puts
it when pytest runs from the project root.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Optional

from ..config import ConfigError

SCHEMA_VERSION = 2
GRAD_MODES = ("enabled", "no_grad", "inference_mode")


class EvidenceError(ConfigError):
    """A run-time evidence file that cannot be used (one line for the user)."""


@dataclass(frozen=True)
class Frame:
    path: str  # absolute, normalised
    line: int
    function: str


@dataclass(frozen=True)
class Forward:
    """One outermost forward of a module in eval mode, as the tests ran it."""

    chain: tuple  # project Frames, innermost first
    library: Optional[Frame]
    module: str
    grad: str  # one of GRAD_MODES
    unused_graph: bool
    graph_bytes: Optional[int]
    calls: int
    tests: tuple


@dataclass
class RuntimeEvidence:
    source: str  # the report's path, as given
    root: str
    hashes: dict  # absolute path -> sha256 recorded at the test run
    forwards: list = field(default_factory=list)
    stale: set = field(default_factory=set)  # absolute paths whose code changed since

    def check_files(self, paths, texts: Optional[dict] = None) -> None:
        """Mark which of ``paths`` (absolute, normalised: the linted files, the only ones a record
        is matched in) no longer match the report. ``texts`` maps an absolute path to the text an
        editor holds for it (unsaved changes count as changes)."""
        self.stale = set()
        for path in paths:
            digest = self.hashes.get(path)
            if digest is None:
                continue
            text = (texts or {}).get(path)
            try:
                data = text.encode("utf-8") if text is not None else _read(path)
            except OSError:
                self.stale.add(path)
                continue
            if hashlib.sha256(data).hexdigest() != digest:
                self.stale.add(path)

    def fresh(self, path: str) -> bool:
        """Whether a file's lines still are those the tests ran: a frame in a changed file is
        never used (a moved line would be misapplied to the code now there)."""
        return path in self.hashes and path not in self.stale


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def normal(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def load_evidence(path: str) -> RuntimeEvidence:
    """The report at ``path``, or an EvidenceError naming it and what to do."""
    hint = "run `pytest --nograd-check --nograd-json=FILE` to write one"
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read().decode("utf-8"))
    except FileNotFoundError:
        raise EvidenceError(f"{path}: run-time evidence file not found; {hint}") from None
    except OSError as exc:
        raise EvidenceError(f"{path}: cannot read run-time evidence: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise EvidenceError(f"{path}: not a pytest-nograd JSON report (invalid JSON: {exc}); {hint}") from None
    if not isinstance(data, dict) or "version" not in data or "tests" not in data:
        raise EvidenceError(f"{path}: not a pytest-nograd JSON report; {hint}")
    if data["version"] != SCHEMA_VERSION or "forwards" not in data:
        raise EvidenceError(
            f"{path}: report version {data['version']!r} holds no run-time evidence (version {SCHEMA_VERSION} "
            "does); rerun the tests with this release's pytest-nograd and --nograd-check")
    try:
        return _parse(data, path)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EvidenceError(f"{path}: malformed run-time evidence ({type(exc).__name__}: {exc}); {hint}") from None


def _parse(data: dict, path: str) -> RuntimeEvidence:
    root = data.get("root") or ""
    if not (isinstance(root, str) and os.path.isdir(root)):
        root = os.path.dirname(os.path.abspath(path))

    def where(name: str) -> str:
        return normal(name if os.path.isabs(name) else os.path.join(root, name))

    def frame(item) -> Frame:
        return Frame(where(str(item["file"])), int(item["line"]), str(item.get("function") or ""))

    hashes = {where(name): str(digest) for name, digest in dict(data.get("files") or {}).items()}
    forwards = []
    for item in data["forwards"]:
        grad = item["grad"]
        if grad not in GRAD_MODES:
            raise ValueError(f"unknown grad mode {grad!r}")
        chain = tuple(frame(f) for f in item["chain"])
        if not chain:
            continue
        library = item.get("library")
        nbytes = item.get("graph_bytes")
        forwards.append(Forward(chain, frame(library) if library else None, str(item.get("module") or "?"), grad,
                                bool(item.get("unused_graph")), int(nbytes) if nbytes is not None else None,
                                int(item.get("calls") or 0), tuple(str(t) for t in item.get("tests") or ())))
    return RuntimeEvidence(path, root, hashes, forwards)
