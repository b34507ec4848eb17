"""`nogradlint --runtime-evidence FILE`: the tests' run-time evidence (pytest-nograd's
`--nograd-json`, schema version 2) confirms, adds (NG013) and qualifies findings.

These tests write the evidence file the way the plugin does (tests/plugin/test_evidence_e2e.py
makes it with a real pytest run); here each case is pinned down exactly."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib

import jsonschema
import libcst as cst
import pytest

from nogradlint.fixes.apply import choose_fixes, fixed_text
from nogradlint.registry import all_rules
from nogradlint.rules.eval_graph_seen_at_run_time import EXAMPLE_MARK

from .cli_helpers import run_cli, run_main
from .test_outputs import sarif_schema

# A module of the project under test: two NG001 loops (lines 7 and 24) and a forward through an untyped
# receiver (line 16) that no static rule flags; tests/plugin/test_evidence_e2e.py runs the same file.
EVALUATE = (pathlib.Path(__file__).parent.parent / "data" / "evidence" / "evaluate.py").read_text(encoding="utf-8")
TEST_FILE = "def test_eval():\n    pass\n"


def frame(file, line, function):
    return {"file": file, "line": line, "function": function}


def forward(chain, module="Net", grad="enabled", unused=True, nbytes=125829120, calls=4, tests=("t.py::test_a",),
            library=None):
    return {"chain": chain, "library": library, "module": module, "grad": grad, "unused_graph": unused,
            "graph_bytes": nbytes if unused else None, "calls": calls, "tests": list(tests)}


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_evidence(root, forwards, files=("pkg/evaluate.py", "tests/test_e.py"), name="nograd.json", **extra):
    data = {"version": 2, "root": str(root), "files": {f: sha(root / f) for f in files},
            "forwards": forwards, "tests": [], "findings": [], "crashed": [], **extra}
    (root / name).write_text(json.dumps(data), encoding="utf-8")
    return root / name


STANDARD = [
    # the NG001 loop of evaluate(): its forward built a graph nobody used
    forward([frame("pkg/evaluate.py", 8, "evaluate"), frame("tests/test_e.py", 2, "test_eval")],
            tests=("tests/test_e.py::test_eval",)),
    # embed_all(): it returns what it computes, so the static rules cannot tell nothing backpropagates
    forward([frame("pkg/evaluate.py", 16, "embed_all"), frame("tests/test_e.py", 2, "test_embed")],
            module="Encoder", nbytes=4096, calls=3, tests=("tests/test_e.py::test_embed",)),
    # protected_eval(): its callers ran it under no_grad only
    forward([frame("pkg/evaluate.py", 25, "protected_eval"), frame("tests/test_e.py", 2, "test_p")],
            grad="no_grad", unused=False, calls=3, tests=("tests/test_e.py::test_p", "tests/test_e.py::test_q")),
]


@pytest.fixture
def proj(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "pkg" / "evaluate.py").write_text(EVALUATE, encoding="utf-8")
    (tmp_path / "tests" / "test_e.py").write_text(TEST_FILE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def by_line(text: str) -> dict:
    out = {}
    for line in text.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit():
            out[int(parts[1])] = parts[3].strip()
    return out


def test_confirms_adds_and_qualifies(proj, capsys):
    write_evidence(proj, STANDARD)
    plain = run_main(capsys, "--no-cache", "pkg")
    assert sorted(by_line(plain.out)) == [7, 24]  # the static findings: two NG001 loops
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json")
    lines = by_line(r.out)
    assert r.rc == 1 and sorted(lines) == [7, 16, 24], r.out
    assert lines[7].startswith("NG001") and lines[7].endswith(
        "(confirmed by tests/test_e.py::test_eval: 120.0 MiB kept by a graph never used)")
    assert lines[16].startswith("NG013 [*unsafe] `Encoder` in eval mode ran here with gradients enabled in "
                                "tests/test_e.py::test_embed, 3 calls,")
    assert "(4.0 KiB kept alive)" in lines[16]
    assert lines[24].startswith("NG001") and lines[24].endswith(
        "(ran only under no_grad in 2 tests: a caller may protect it)")
    assert r.err == ""


def test_protected_findings_can_be_dropped(proj, capsys):
    write_evidence(proj, STANDARD)
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json",
                 "--runtime-evidence-protected", "drop")
    assert sorted(by_line(r.out)) == [7, 16]
    # the same from the configuration, the evidence path relative to the configuration's folder
    (proj / "pkg" / "pyproject.toml").write_text(
        '[tool.nogradlint]\nruntime-evidence = "../nograd.json"\nruntime-evidence-protected = "drop"\n')
    r = run_main(capsys, "--no-cache", "pkg")
    assert sorted(by_line(r.out)) == [7, 16]


def test_a_forward_run_with_grad_that_was_used_is_neither(proj, capsys):
    # An eval-mode module whose graph a backward pass used (a frozen part of a trained model)
    # confirms nothing and protects nothing.
    write_evidence(proj, [forward([frame("pkg/evaluate.py", 25, "protected_eval")], unused=False)])
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json")
    assert by_line(r.out)[24].endswith("wrap it in `torch.no_grad()`")


def test_stale_evidence_is_ignored_with_one_note(proj, capsys):
    write_evidence(proj, STANDARD)
    # an edit that moves every line down: the recorded lines would now point at other code
    (proj / "pkg" / "evaluate.py").write_text("# a new first line\n" + EVALUATE, encoding="utf-8")
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json")
    assert sorted(by_line(r.out)) == [8, 25]
    assert "confirmed" not in r.out and "NG013" not in r.out
    notes = [line for line in r.err.splitlines() if line]
    assert len(notes) == 1 and "ignored for 1 file changed since the test run (pkg/evaluate.py)" in notes[0]
    # another file's change (the test file) does not make this file's evidence stale
    (proj / "pkg" / "evaluate.py").write_text(EVALUATE, encoding="utf-8")
    (proj / "tests" / "test_e.py").write_text(TEST_FILE + "\n# edited\n", encoding="utf-8")
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json")
    assert sorted(by_line(r.out)) == [7, 16, 24] and r.err == ""


def test_the_report_folder_stands_in_for_a_root_that_does_not_exist(proj, capsys):
    # Evidence made on another machine (a CI artifact): paths are taken from the report's folder.
    write_evidence(proj, STANDARD)
    data = json.loads((proj / "nograd.json").read_text())
    data["root"] = "/nonexistent/checkout"
    (proj / "nograd.json").write_text(json.dumps(data))
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json")
    assert sorted(by_line(r.out)) == [7, 16, 24]


def test_selection_and_noqa_apply_to_ng013(proj, capsys):
    write_evidence(proj, STANDARD)
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--ignore", "NG013")
    assert sorted(by_line(r.out)) == [7, 24]
    text = EVALUATE.replace("f = runner.encoder(b)", "f = runner.encoder(b)  # noqa: NG013")
    (proj / "pkg" / "evaluate.py").write_text(text, encoding="utf-8")
    write_evidence(proj, STANDARD)
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json")
    assert sorted(by_line(r.out)) == [7, 24]


def test_machine_outputs_carry_the_evidence(proj, capsys):
    write_evidence(proj, STANDARD)
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--output-format", "json")
    data = {d["line"]: d for d in json.loads(r.out)}
    assert data[7]["runtime_evidence"] == {"status": "confirmed", "tests": ["tests/test_e.py::test_eval"],
                                           "graph_bytes": 125829120, "calls": 4, "modules": ["Net"],
                                           "grad_modes": ["enabled"]}
    assert data[16]["runtime_evidence"]["status"] == "seen" and data[16]["code"] == "NG013"
    assert data[24]["runtime_evidence"]["status"] == "protected"
    assert data[24]["runtime_evidence"]["tests"] == ["tests/test_e.py::test_p", "tests/test_e.py::test_q"]
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--output-format", "sarif")
    sarif = json.loads(r.out)
    jsonschema.validate(sarif, sarif_schema())
    results = sarif["runs"][0]["results"]
    assert [x["properties"]["runtimeEvidence"]["status"] for x in results] == ["confirmed", "seen", "protected"]
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--output-format", "github")
    assert "confirmed by tests/test_e.py::test_eval" in r.out


def test_statistics_sort_by_bytes_kept(proj, capsys):
    # NG013 keeps more bytes than the one confirmed NG001 here: it comes first, though NG001 has
    # more findings.
    forwards = [dict(STANDARD[0], graph_bytes=1024), dict(STANDARD[1], graph_bytes=10 << 20), STANDARD[2]]
    write_evidence(proj, forwards)
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--statistics")
    rows = r.out.splitlines()
    assert rows[0].split("\t")[:2] == ["    1", "NG013"] and rows[0].endswith("10.0 MiB kept by unused graphs in the tests")
    assert rows[1].split("\t")[:2] == ["    2", "NG001"] and rows[1].endswith("1.0 KiB kept by unused graphs in the tests")
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--statistics",
                 "--output-format", "json")
    assert [(d["code"], d.get("graph_bytes_kept")) for d in json.loads(r.out)] == [("NG013", 10 << 20), ("NG001", 1024)]


def test_ng013_fix_wraps_the_call_and_the_evidence_then_goes_stale(proj):
    write_evidence(proj, STANDARD)
    r = run_cli("--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--fix", "--unsafe-fixes",
                "--select", "NG013", cwd=proj)
    assert r.rc == 0, r.out + r.err
    text = (proj / "pkg" / "evaluate.py").read_text()
    assert "    for b in batches:\n        with torch.no_grad():\n            f = runner.encoder(b)\n" in text
    cst.parse_module(text)
    again = run_cli("--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--select", "NG013", cwd=proj)
    assert again.rc == 0 and "changed since the test run" in again.err


def test_ng013_in_library_code_gets_no_fix(proj, capsys):
    lib = {"file": "/usr/lib/python3/site-packages/captum/attr/_core/ig.py", "line": 40, "function": "attribute"}
    write_evidence(proj, [forward([frame("pkg/evaluate.py", 16, "embed_all")], library=lib)])
    r = run_main(capsys, "--no-cache", "pkg", "--runtime-evidence", "nograd.json", "--select", "NG013")
    line = by_line(r.out)[16]
    assert "inside library code (ig.py:40) called from here" in line and "[*unsafe]" not in line


@pytest.mark.parametrize("content, expected", [
    (None, "nope.json: run-time evidence file not found; run `pytest --nograd-check --nograd-json=FILE`"),
    ("{not json", "bad.json: not a pytest-nograd JSON report (invalid JSON"),
    (json.dumps({"version": 1, "tests": [], "findings": [], "crashed": []}),
     "bad.json: report version 1 holds no run-time evidence (version 2 does)"),
    (json.dumps({"version": 2, "tests": [], "forwards": [{"chain": [], "grad": "sideways"}]}),
     "bad.json: malformed run-time evidence (ValueError: unknown grad mode 'sideways')"),
    (json.dumps([1, 2]), "bad.json: not a pytest-nograd JSON report"),
])
def test_bad_evidence_is_one_line(proj, content, expected):
    name = "nope.json" if content is None else "bad.json"
    if content is not None:
        (proj / name).write_text(content, encoding="utf-8")
    r = run_cli("--no-cache", "pkg", "--runtime-evidence", name, cwd=proj)
    assert r.rc == 2 and r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("nogradlint: error: ") and expected in r.err, r.err
    assert "Traceback" not in r.err


def test_bad_protected_value_in_configuration(proj, capsys):
    (proj / "pyproject.toml").write_text('[tool.nogradlint]\nruntime-evidence-protected = "maybe"\n')
    r = run_main(capsys, "--no-cache", "pkg")
    assert r.rc == 2 and "`runtime-evidence-protected` must be one of 'keep', 'drop', not 'maybe'" in r.err


# -- NG013's documented examples ------------------------------------------------------------


def _example_cases():
    for rule in all_rules():
        if getattr(rule, "needs_runtime_evidence", False):
            for i, example in enumerate(rule.INVALID):
                yield pytest.param(rule, example, id=f"{rule.code}-invalid-{i}")


@pytest.mark.parametrize("rule, example", list(_example_cases()))
def test_runtime_rule_examples(rule, example, tmp_path, monkeypatch, capsys):
    """An INVALID example marks each forward the tests saw with EXAMPLE_MARK; the evidence made
    from the marks gives exactly those findings, and its VALID examples none."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "example.py").write_text(example.code, encoding="utf-8")
    marked = [i for i, line in enumerate(example.code.splitlines(), 1) if EXAMPLE_MARK in line]
    assert marked, "an example of a run-time rule marks the forward the tests saw"
    write_evidence(tmp_path, [forward([frame("example.py", n, "f")]) for n in marked], files=("example.py",))
    r = run_main(capsys, "--no-cache", "example.py", "--runtime-evidence", "nograd.json", "--select", rule.code,
                 "--output-format", "json")
    found = json.loads(r.out)
    assert len(found) == example.count
    if example.expected_fix is None:
        assert all(f["fix"] is None for f in found)
        return
    from nogradlint.evidence.join import join
    from nogradlint.evidence.load import load_evidence

    findings, _ = join([], load_evidence(str(tmp_path / "nograd.json")), {"example.py": "example.py"},
                       enabled=lambda d, c: True)
    fixed = fixed_text(example.code, choose_fixes(findings, unsafe=True))
    assert fixed == example.expected_fix
    cst.parse_module(fixed)


def test_runtime_rule_valid_examples_are_silent_without_evidence(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for rule in all_rules():
        if getattr(rule, "needs_runtime_evidence", False):
            for code in rule.VALID:
                (tmp_path / "example.py").write_text(code, encoding="utf-8")
                write_evidence(tmp_path, [], files=("example.py",))
                r = run_main(capsys, "--no-cache", "example.py", "--runtime-evidence", "nograd.json",
                             "--select", rule.code)
                assert r.rc == 0, r.out
