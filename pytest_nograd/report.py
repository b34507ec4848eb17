"""Session results: collected from test reports, printed as a summary, written as JSON.

Per-test results travel on the ``TestReport`` as a plain-data attribute ``nograd``, so
under pytest-xdist they reach the controller inside the worker's serialized report and
the summary and JSON are the same with ``-n 2`` as without.

Schema version 2 adds the run-time evidence the linter reads (``nogradlint
--runtime-evidence``): ``forwards``, the sanitizer's per-test forward records of eval-mode
modules merged over the session and sorted (so the file does not depend on test order or
on xdist), ``files``, the sha256 of every project file a chain names (so the linter can
tell whether a file changed since the run), and ``root``, what the paths are relative to.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from typing import Any, Dict, List, Optional, Tuple

from .findings import KINDS
from .sizes import format_size

SCHEMA_VERSION = 2
TOP_N = 5

JSON_SCHEMA: Dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "root", "tests", "findings", "crashed", "forwards", "files"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": SCHEMA_VERSION},
        "root": {"type": "string", "minLength": 1},
        "files": {"type": "object", "additionalProperties": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
        "forwards": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["chain", "library", "module", "grad", "unused_graph", "graph_bytes", "calls", "tests"],
                "additionalProperties": False,
                "properties": {
                    "chain": {"$ref": "#/$defs/chain", "minItems": 1},
                    "library": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/frame"}]},
                    "module": {"type": "string"},
                    "grad": {"enum": ["enabled", "no_grad", "inference_mode"]},
                    "unused_graph": {"type": "boolean"},
                    "graph_bytes": {"type": ["integer", "null"], "minimum": 0},
                    "calls": {"type": "integer", "minimum": 1},
                    "tests": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                },
            },
        },
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
                "chain": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/chain"}]},
                "library": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/frame"}]},
                "count": {"type": ["integer", "null"], "minimum": 1},
            },
        },
        "frame": {
            "type": "object",
            "required": ["file", "line", "function"],
            "additionalProperties": False,
            "properties": {"file": {"type": "string"}, "line": {"type": "integer"}, "function": {"type": "string"}},
        },
        "chain": {"type": "array", "items": {"$ref": "#/$defs/frame"}, "maxItems": 8},
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

# A forward record is one per (chain, module, grad, unused_graph) over the session.
_ForwardKey = Tuple[Tuple[Tuple[str, int, str], ...], str, str, bool]


class SessionResults:
    """Every test of the session (with or without findings): in report order for the
    summary, by node id in the JSON."""

    def __init__(self, root: Optional[str] = None) -> None:
        self.root = root
        self.tests: Dict[str, Dict[str, Any]] = {}
        self.crashed: List[str] = []
        # key -> {"library", "graph_bytes", "calls", "tests"} (tests a set until written)
        self._forwards: Dict[_ForwardKey, Dict[str, Any]] = {}

    def _path(self, fn: str) -> str:
        # Paths relative to the root directory, like pytest's node ids; a file outside
        # it (an installed library) keeps its absolute path.
        if fn and self.root and os.path.isabs(fn):
            try:
                rel = os.path.relpath(fn, self.root)
            except ValueError:  # another drive (Windows)
                return fn
            if not rel.startswith(".."):
                return rel.replace(os.sep, "/")
        return fn

    def _frame(self, frame: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
        return None if frame is None else dict(frame, file=self._path(frame["file"]))

    def _relative(self, record: Dict[str, Any]) -> Dict[str, Any]:
        """A finding, comparison or allocation with its paths made root-relative."""
        record = dict(record)
        if record.get("filename"):
            record["filename"] = self._path(record["filename"])
        if record.get("chain") is not None:
            record["chain"] = [self._frame(f) for f in record["chain"]]
        if record.get("library") is not None:
            record["library"] = self._frame(record["library"])
        return record

    def _add_forward(self, nodeid: str, record: Dict[str, Any]) -> None:
        chain = tuple((self._path(f["file"]), f["line"], f["function"]) for f in record["chain"])
        key = (chain, record["module"], record["grad"], bool(record["unused_graph"]))
        library = self._frame(record.get("library"))
        entry = self._forwards.get(key)
        if entry is None:
            entry = self._forwards[key] = {"library": library, "graph_bytes": None, "calls": 0, "tests": set()}
        elif library is not None and (entry["library"] is None or _frame_order(library) < _frame_order(entry["library"])):
            entry["library"] = library  # the same chain reached through two library lines: keep one, always the same
        nbytes = record.get("graph_bytes")
        if nbytes is not None and (entry["graph_bytes"] is None or nbytes > entry["graph_bytes"]):
            entry["graph_bytes"] = nbytes
        entry["calls"] += int(record.get("calls") or 0)
        entry["tests"].add(nodeid)

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
        for record in data.get("forwards", ()):
            self._add_forward(report.nodeid, record)

    def findings(self) -> List[Dict[str, Any]]:
        return [f for t in self.tests.values() for f in t["findings"]]

    def forwards(self) -> List[Dict[str, Any]]:
        """The session's forward records, sorted by chain, module, grad, unused_graph."""
        out = []
        for (chain, module, grad, unused), entry in sorted(self._forwards.items(), key=lambda kv: kv[0]):
            out.append({"chain": [{"file": f, "line": line, "function": fn} for f, line, fn in chain],
                        "library": entry["library"], "module": module, "grad": grad, "unused_graph": unused,
                        "graph_bytes": entry["graph_bytes"], "calls": entry["calls"],
                        "tests": sorted(entry["tests"])})
        return out

    def file_digests(self, forwards: List[Dict[str, Any]], findings: List[Dict[str, Any]]) -> Dict[str, str]:
        """sha256 of every project file (inside root) a chain names. A file that cannot be
        read any more is left out: the linter then has nothing to check it against."""
        names = {f["file"] for rec in forwards + findings for f in (rec.get("chain") or ())}
        root = self.root or os.getcwd()
        digests: Dict[str, str] = {}
        for name in sorted(names):
            if os.path.isabs(name):
                continue  # outside root
            try:
                with open(os.path.join(root, name), "rb") as fh:
                    digests[name] = hashlib.sha256(fh.read()).hexdigest()
            except OSError:
                continue
        return digests

    def to_json(self) -> Dict[str, Any]:
        # Tests by node id, not in the order they reported: xdist workers finish in any
        # order, and the file must be the same with -n 0 and -n 2.
        tests = [self.tests[nodeid] for nodeid in sorted(self.tests)]
        findings = [f for t in tests for f in t["findings"]]
        forwards = self.forwards()
        return {"version": SCHEMA_VERSION, "root": os.path.abspath(self.root or os.getcwd()),
                "tests": tests, "findings": findings, "crashed": sorted(self.crashed),
                "forwards": forwards, "files": self.file_digests(forwards, findings)}

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


def _frame_order(frame: Dict[str, Any]) -> Tuple[str, int, str]:
    return (frame["file"], frame["line"], frame["function"])
