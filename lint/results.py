"""What linting produces, apart from how it is produced: the job for one file, its result, and
the cross-file resolution that turns results into findings.

The cache rebuilds results and the command resolves them without importing the analysis
(``runner``, which imports libcst): a run whose files are all cache hits never parses anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from .analysis.project import FileFacts, ProjectFacts
from .config import Settings
from .rules.base import Finding

UNREADABLE = "NG900"
UNUSED_NOQA = "NG901"


@dataclass(frozen=True)
class LintJob:
    path: str
    display: str
    codes: tuple  # enabled rule codes
    settings: Settings
    module: str = ""
    is_package: bool = False
    text: Optional[str] = None  # standard input, instead of reading ``path``


@dataclass
class FileResult:
    display: str
    findings: list = field(default_factory=list)
    facts: Optional[FileFacts] = None
    parsed: bool = False


class WorkerDied(Exception):
    """A worker process died (killed, out of memory): reported as a usage error, never a hang."""


def resolve(results: Iterable[FileResult], project: Optional[ProjectFacts] = None) -> list:
    """Apply the cross-file facts: keep each conditional finding only if its function runs in
    the mode the finding needs, across the whole project. ``project`` is the solve of a larger
    set of files (the language server keeps one for the workspace and resolves one file)."""
    results = list(results)
    if project is None:
        project = ProjectFacts([r.facts for r in results if r.facts is not None])
    findings = []
    for result in results:
        for f in result.findings:
            if f.condition is not None and not project.holds(f.condition):
                continue
            findings.append(f)
    findings.sort(key=Finding.sort_key)
    return findings
