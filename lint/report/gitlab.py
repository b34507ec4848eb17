"""GitLab Code Quality: a JSON array of Code Climate issues, shown in merge requests when a CI job
publishes it as ``artifacts: reports: codequality``. The fields are those GitLab reads
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format)."""

from __future__ import annotations

import hashlib
import json
import os



def _relative(path: str) -> str:
    # GitLab resolves paths against the repository root, where the CI job runs.
    if os.path.isabs(path):
        path = os.path.relpath(path)
    return path.replace(os.sep, "/")


def render(findings: list, sources=None) -> str:
    issues, seen = [], {}
    for f in findings:
        where = f"cell {f.cell}, " if f.cell is not None else ""
        path = _relative(f.path)
        # Stable across runs and across edits elsewhere in the file (no line number): GitLab
        # matches the same issue between the base and the merge request by its fingerprint.
        # Identical findings in one file are told apart by their order.
        key = (path, f.code, f.message, f.cell)
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256(json.dumps([*key, seen[key]]).encode("utf-8")).hexdigest()
        issues.append({
            "description": f"{where}{f.code} {f.message}",
            "check_name": f.code,
            "fingerprint": fingerprint,
            "severity": "major",
            "location": {"path": path, "lines": {"begin": f.line, "end": f.end_line}},
        })
    return json.dumps(issues, indent=2) + "\n"
