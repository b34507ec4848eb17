"""Session results: collected from test reports, printed as a summary, written as JSON.

Per-test results travel on the ``TestReport`` as a plain-data attribute ``nograd``, so
under pytest-xdist they reach the controller inside the worker's serialized report and
the summary and JSON are the same with ``-n 2`` as without.
"""
from __future__ import annotations

import json
import os
from collections import defaultdict
from typing import Any, Dict, List, Optional

from .findings import KINDS
from .sizes import format_size

SCHEMA_VERSION = 1
TOP_N = 5

JSON_SCHEMA: Dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "tests", "findings", "crashed"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": SCHEMA_VERSION},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["nodeid", "outcome", "measurements", "findings"],
                "additionalProperties": False,
                "properties": {
                    "nodeid": {"type": "string"},
                    "outcome": {"enum": ["passed", "failed", "skipped", "error"]},
                    "measurements": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "peak_bytes": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                            "saved_bytes": {"type": ["integer", "null"], "minimum": 0},
                            "graph_ops": {"type": "integer", "minimum": 0},
                            "largest_allocations": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                    "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
                    "comparisons": {"type": "array", "items": {"$ref": "#/$defs/comparison"}},
                },
            },
        },
        "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
        "crashed": {"type": "array", "items": {"type": "string"}},
    },
    "$defs": {
        "finding": {
            "type": "object",
            "required": ["kind", "message", "nodeid"],
            "additionalProperties": False,
            "properties": {
                "kind": {"enum": list(KINDS)},
                "message": {"type": "string"},
                "filename": {"type": ["string", "null"]},
                "lineno": {"type": ["integer", "null"]},
                "nodeid": {"type": "string"},
                "module": {"type": ["string", "null"]},
                "graph_bytes": {"type": ["integer", "null"], "minimum": 0},
                "test_line": {"type": ["integer", "null"]},
            },
        },
        # One compare_modes / assert_same_predictions call made by the test.
        "comparison": {
            "type": "object",
            "required": ["name", "same_predictions", "modes"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "repeats": {"type": "integer", "minimum": 1},
                "warmup": {"type": "integer", "minimum": 0},
                "cuda_synchronized": {"type": "boolean"},
                "same_predictions": {"type": "boolean"},
                "mode_dependent": {"type": ["string", "null"]},
                "training": {"type": "array", "items": {"type": "string"}},
                "warnings": {"type": "array", "items": {"type": "string"}},
                "filename": {"type": ["string", "null"]},
                "lineno": {"type": ["integer", "null"]},
                "modes": {"type": "array", "items": {
                    "type": "object",
                    "required": ["mode", "seconds", "spread", "peak_bytes", "matches"],
                    "additionalProperties": False,
                    "properties": {
                        "mode": {"enum": ["grad", "no_grad", "inference_mode"]},
                        "seconds": {"type": "number", "minimum": 0},
                        "spread": {"type": "number", "minimum": 0},
                        "ratio": {"type": ["number", "null"]},
                        "peak_bytes": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                        "saved_bytes": {"type": ["integer", "null"], "minimum": 0},
                        "matches": {"type": "boolean"},
                    },
                }},
            },
        },
    },
}


class SessionResults:
    """Every test of the session (with or without findings), in report order."""

    def __init__(self, root: Optional[str] = None) -> None:
        self.root = root
        self.tests: Dict[str, Dict[str, Any]] = {}
        self.crashed: List[str] = []

    def _relative(self, record: Dict[str, Any]) -> Dict[str, Any]:
        # Paths relative to the root directory, like pytest's node ids; a file outside
        # it (an installed library) keeps its absolute path.
        fn = record.get("filename")
        if fn and self.root and os.path.isabs(fn):
            rel = os.path.relpath(fn, self.root)
            if not rel.startswith(".."):
                record = dict(record, filename=rel.replace(os.sep, "/"))
        return record

    def add(self, report: Any) -> None:
        data = getattr(report, "nograd", None) or {}
        entry = self.tests.get(report.nodeid)
        if entry is None:
            entry = self.tests[report.nodeid] = {
                "nodeid": report.nodeid, "outcome": "passed", "measurements": {}, "findings": [],
                "comparisons": []}
        if report.when == "call":
            entry["outcome"] = report.outcome
        elif report.failed:
            entry["outcome"] = "error"
        elif report.skipped:
            entry["outcome"] = "skipped"
        if data.get("measurements"):
            m = data["measurements"]
            if m.get("largest_allocations"):
                m = dict(m, largest_allocations=[self._relative(a) for a in m["largest_allocations"]])
            entry["measurements"] = m
        entry["findings"].extend(self._relative(f) for f in data.get("findings", []))
        entry["comparisons"].extend(self._relative(c) for c in data.get("comparisons", []))

    def findings(self) -> List[Dict[str, Any]]:
        return [f for t in self.tests.values() for f in t["findings"]]

    def to_json(self) -> Dict[str, Any]:
        return {"version": SCHEMA_VERSION, "tests": list(self.tests.values()),
                "findings": self.findings(), "crashed": list(self.crashed)}

    def write_json(self, path: str) -> None:
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, indent=2, sort_keys=True)
        os.replace(tmp, path)  # never leave a half-written report behind

    def summary_lines(self) -> List[str]:
        lines: List[str] = []
        grouped: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
        for f in self.findings():
            grouped[f["kind"]].append(f)
        for kind in KINDS:
            if kind in grouped:
                lines.append(f"{kind}: {len(grouped[kind])}")
                for f in grouped[kind]:
                    where = f" ({f['filename']}:{f['lineno']})" if f.get("filename") and f.get("lineno") else ""
                    lines.append(f"  {f['nodeid']}{where}: {f['message']}")
        measured = [t for t in self.tests.values() if t["measurements"]]
        by_peak = sorted(
            (t for t in measured if t["measurements"].get("peak_bytes")),
            key=lambda t: -max(t["measurements"]["peak_bytes"].values()))[:TOP_N]
        if by_peak:
            lines.append(f"top {len(by_peak)} tests by peak tensor memory:")
            for t in by_peak:
                peaks = ", ".join(f"{d} {format_size(b)}" for d, b in sorted(t["measurements"]["peak_bytes"].items()))
                lines.append(f"  {peaks:<28} {t['nodeid']}")
        by_saved = sorted((t for t in measured if t["measurements"].get("saved_bytes")),
                          key=lambda t: -t["measurements"]["saved_bytes"])[:TOP_N]
        if by_saved:
            lines.append(f"top {len(by_saved)} tests by bytes saved for backward:")
            for t in by_saved:
                lines.append(f"  {format_size(t['measurements']['saved_bytes']):<28} {t['nodeid']}")
        if self.crashed:
            lines.append(f"crashed (no measurements): {len(self.crashed)}")
            lines.extend(f"  {n}" for n in self.crashed)
        return lines
