"""What the sanitizer reports: the warning category and plain-data findings."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional


class GradModeWarning(UserWarning):
    """A grad-mode problem found at run time by pytest-nograd's sanitizer."""


# Finding kinds, also the keys of the summary and of the JSON report.
LEAK = "grad-mode-leak"
EVAL_GRAPH = "eval-builds-graph"
STEP_WITHOUT_GRAD = "step-without-grad"
KINDS = (LEAK, EVAL_GRAPH, STEP_WITHOUT_GRAD)


@dataclass
class Finding:
    kind: str
    message: str
    filename: Optional[str] = None
    lineno: Optional[int] = None
    nodeid: Optional[str] = None
    # eval-builds-graph only: the module class, the bytes its unused graph kept alive
    # (saved tensors and outputs, parameters excluded) and the line in the test file.
    module: Optional[str] = None
    graph_bytes: Optional[int] = None
    test_line: Optional[int] = None
    # eval-builds-graph and step-without-grad: the project frames of the call (innermost
    # first, {"file", "line", "function"}), the innermost library frame when the call ran
    # inside a library, and how many calls the finding stands for.
    chain: Optional[List[Dict[str, Any]]] = None
    library: Optional[Dict[str, Any]] = None
    count: Optional[int] = None

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)

    def where(self) -> str:
        if self.filename and self.lineno:
            return f"{self.filename}:{self.lineno}"
        return ""


# Shown (and usable in -W / filterwarnings) under its public name.
GradModeWarning.__module__ = "pytest_nograd"
