"""The fix machinery: before/after text, idempotence, parse check, line endings, encodings,
permissions, atomic writes and failing writes, ``--diff``."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys

import libcst as cst
import pytest

from nogradlint import cli
from nogradlint.registry import all_rules
from nogradlint.fixes import apply as apply_mod
from nogradlint.fixes.apply import apply_edits, plan_fixes
from nogradlint.rules.base import Edit, Finding, Fix
from nogradlint.runner import lint_text

BUGGY = "import torch\nwith torch.no_grad:\n    y = model(x)\n"
FIXED = "import torch\nwith torch.no_grad():\n    y = model(x)\n"


def run_cli(*args, cwd=None, stdin=None):
    proc = subprocess.run([sys.executable, "-m", "nogradlint", "--no-cache", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def main_inprocess(capsys, *args):
    code = cli.main(["--no-cache", "--jobs", "1", *args])
    out, err = capsys.readouterr()
    return code, out, err


def codes(path, code="NG006"):
    rc, out, _ = run_cli("--output-format", "concise", "--select", code, str(path))
    return [line for line in out.splitlines() if f" {code}" in line]


# -- before/after ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "before,after",
    [
        (BUGGY, FIXED),
        ("import torch as T\nwith T.inference_mode:  # eval\n    y = m(x)\n",
         "import torch as T\nwith T.inference_mode():  # eval\n    y = m(x)\n"),
        ("from torch import no_grad, enable_grad\nwith no_grad, enable_grad:\n    pass\n",
         "from torch import no_grad, enable_grad\nwith no_grad(), enable_grad():\n    pass\n"),
        ("import torch\n\n\ndef f(m, x):\n    with (\n        torch.no_grad\n    ):\n        return m(x)\n",
         "import torch\n\n\ndef f(m, x):\n    with (\n        torch.no_grad()\n    ):\n        return m(x)\n"),
    ],
)
def test_fix_before_after_idempotent_and_gone(tmp_path, before, after):
    path = tmp_path / "m.py"
    path.write_text(before)
    rc, out, err = run_cli("--fix", str(path))
    assert path.read_text() == after
    assert rc == 0, (out, err)
    assert re.search(r"^Found (\d+) errors? \(\1 fixed, 0 remaining\)\.$", out, re.M), out
    cst.parse_module(path.read_text())
    # fixing twice changes nothing the second time
    stamp = path.stat().st_mtime_ns
    rc, out, err = run_cli("--fix", str(path))
    assert rc == 0 and "fixed" not in out and "Fixed" not in err
    assert path.read_text() == after and path.stat().st_mtime_ns == stamp
    # the fixed findings are gone on re-lint
    assert codes(path) == []


def test_unfixable_findings_remain_and_exit_1(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("import torch\ntorch.no_grad()\nwith torch.no_grad:\n    pass\n")
    rc, out, err = run_cli("--fix", str(path))
    assert path.read_text() == "import torch\ntorch.no_grad()\nwith torch.no_grad():\n    pass\n"
    assert rc == 1
    assert "m.py:2:1: NG006" in out and ":3:" not in out
    assert out.endswith("Found 2 errors (1 fixed, 1 remaining).\n")


# -- line endings, encodings, permissions -------------------------------------------------------


def test_crlf_stays_crlf(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(BUGGY.replace("\n", "\r\n").encode())
    rc, _, _ = run_cli("--fix", str(path))
    assert rc == 0
    assert path.read_bytes() == FIXED.replace("\n", "\r\n").encode()


def test_inserted_line_breaks_follow_the_file(tmp_path):
    text = "a = 1\r\nb = 2\r\n"
    edit = Edit(2, 1, 2, 1, "with x:\n    pass\n")
    assert apply_edits(text, [edit]) == "a = 1\r\nwith x:\r\n    pass\r\nb = 2\r\n"
    assert apply_edits("a = 1\nb = 2\n", [edit]) == "a = 1\nwith x:\n    pass\nb = 2\n"


def test_bom_is_kept(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(b"\xef\xbb\xbf" + BUGGY.encode())
    assert run_cli("--fix", str(path))[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()


def test_coding_cookie_encoding_is_kept(tmp_path):
    path = tmp_path / "m.py"
    before = "# -*- coding: latin-1 -*-\n" + BUGGY + "s = 'café'\n"
    path.write_bytes(before.encode("latin-1"))
    assert run_cli("--fix", str(path))[0] == 0
    assert path.read_bytes() == ("# -*- coding: latin-1 -*-\n" + FIXED + "s = 'café'\n").encode("latin-1")


def test_permissions_are_kept_and_no_temp_file_left(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(BUGGY)
    os.chmod(path, 0o751)
    assert run_cli("--fix", str(path))[0] == 0
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]


def test_symlink_stays_a_link_and_target_is_fixed(tmp_path):
    target = tmp_path / "real.py"
    target.write_text(BUGGY)
    link = tmp_path / "link.py"
    link.symlink_to(target)
    assert run_cli("--fix", str(link))[0] == 0
    assert link.is_symlink()
    assert target.read_text() == FIXED


# -- --diff ------------------------------------------------------------------------------------


def test_diff_writes_nothing_and_exits_1(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(BUGGY)
    stamp = path.stat().st_mtime_ns
    rc, out, err = run_cli("--diff", str(path))
    assert rc == 1
    assert "-with torch.no_grad:\n+with torch.no_grad():\n" in out
    assert path.read_text() == BUGGY and path.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]
    # with --fix as well, --diff still writes nothing
    rc, out, _ = run_cli("--diff", "--fix", str(path))
    assert rc == 1 and path.read_text() == BUGGY


def test_diff_exits_0_when_nothing_would_change(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(FIXED + "torch.no_grad()\n")  # a finding without a fix
    rc, out, _ = run_cli("--diff", str(path))
    assert rc == 0 and out == ""


def test_stdin_fix_prints_the_fixed_source():
    rc, out, _ = run_cli("--fix", "--stdin-filename", "x.py", "-", stdin=BUGGY.encode())
    assert out == FIXED and rc == 0


# -- a fixed file always parses ------------------------------------------------------------------


def _finding(line, col, end_line, end_col, content, code="NG006", cell=None):
    return Finding(code, "n", "m", "m.py", line, col, end_line, end_col,
                   fix=Fix("safe", "fix", (Edit(line, col, end_line, end_col, content),)), cell=cell)


def test_fix_whose_result_does_not_parse_is_rejected_and_others_applied():
    text = "a = 1\nb = 2\n"
    good = _finding(1, 5, 1, 6, "10")
    bad = _finding(2, 5, 2, 6, "(")
    result = plan_fixes(text, [good, bad], unsafe=False)
    assert result.new == "a = 10\nb = 2\n"
    assert result.applied == [good]
    assert [(f, "parse" in reason) for f, reason in result.rejected] == [(bad, True)]


def test_fixes_that_break_only_together_are_not_all_applied():
    # A and B each keep the file parsing, together they put a statement between `if` and `else`
    text = "if a:\n    pass\nx = 1\nz = 2\n"
    a = _finding(2, 5, 2, 9, "pass\ny = 0")
    b = _finding(3, 1, 3, 6, "else:\n    x = 1")
    c = _finding(4, 5, 4, 6, "3")
    for f in (a, b, c):
        cst.parse_module(apply_edits(text, f.fix.edits))
    result = plan_fixes(text, [a, b, c], unsafe=False)
    assert result.new == "if a:\n    pass\ny = 0\nx = 1\nz = 3\n"
    assert result.applied == [a, c]
    assert [f for f, _ in result.rejected] == [b]
    cst.parse_module(result.new)


def test_result_must_pass_cpythons_compiler_too():
    # libcst parses `break` anywhere; CPython's compiler rejects it outside a loop
    text = "for x in y:\n    pass\nz = 1\nw = 2\n"
    bad = _finding(3, 1, 3, 6, "break")
    cst.parse_module(apply_edits(text, bad.fix.edits))
    result = plan_fixes(text, [bad, _finding(4, 5, 4, 6, "3")], unsafe=False)
    assert result.new == "for x in y:\n    pass\nz = 1\nw = 3\n"
    assert [f for f, _ in result.rejected] == [bad] and "'break' outside loop" in result.rejected[0][1]


def test_syntax_this_python_cannot_parse_does_not_block_fixes():
    # top-level `await` (notebooks, or newer syntax): CPython's parser rejects the original,
    # so only libcst judges the fix
    text = "await setup()\nx = 1\n"
    result = plan_fixes(text, [_finding(2, 5, 2, 6, "2")], unsafe=False)
    assert result.new == "await setup()\nx = 2\n" and not result.rejected


def test_a_file_that_did_not_parse_is_not_blamed_on_the_fix():
    # positions outside the file are rejected, never a crash
    result = plan_fixes("x = 1\n", [_finding(5, 1, 5, 2, "y")], unsafe=False)
    assert result.new == "x = 1\n" and "outside" in result.rejected[0][1]


def test_cli_reports_unparsable_fix_in_one_line_and_leaves_file(tmp_path, capsys, monkeypatch):
    from nogradlint import runner

    real = runner._fix

    def broken(module, spec, spans):
        fix = real(module, spec, spans)
        return Fix(fix.applicability, fix.message, tuple(Edit(e.line, e.column, e.end_line, e.end_column,
                                                              e.content + "((") for e in fix.edits))

    monkeypatch.setattr(runner, "_fix", broken)
    bad = tmp_path / "bad.py"
    bad.write_text(BUGGY)
    rc, out, err = main_inprocess(capsys, "--fix", str(bad))
    assert bad.read_text() == BUGGY
    assert rc == 2
    errors = [line for line in err.splitlines() if line.startswith("nogradlint: error:")]
    assert len(errors) == 1 and "bad.py:2:6: NG006 fix not applied: the result would not parse" in errors[0]
    assert "Traceback" not in err
    assert "bad.py:2:6: NG006" in out  # the finding is still reported
    # --diff reports it the same way and shows no diff
    rc, out, err = main_inprocess(capsys, "--diff", str(bad))
    assert rc == 2 and "+++" not in out and "would not parse" in err


# -- atomic writes: failures leave the original intact ------------------------------------------


def _two_files(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text(BUGGY)
    b.write_text(BUGGY.replace("y =", "z ="))
    return a, b


def _assert_failed_cleanly(tmp_path, rc, err, a, before):
    assert rc == 2
    assert a.read_text() == before
    lines = [line for line in err.splitlines() if line.strip()]
    assert any(line.startswith("nogradlint: error:") and "a.py" in line and "unchanged" in line for line in lines)
    assert "Traceback" not in err
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failing_rename_leaves_original(tmp_path, capsys, monkeypatch):
    a, b = _two_files(tmp_path)
    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):
        if str(dst).endswith("a.py"):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(apply_mod.os, "replace", failing_replace)
    rc, out, err = main_inprocess(capsys, "--fix", str(a), str(b))
    _assert_failed_cleanly(tmp_path, rc, err, a, BUGGY)
    assert b.read_text() == FIXED.replace("y =", "z =")  # the other file is still fixed


def test_full_disk_during_write_leaves_original(tmp_path, capsys, monkeypatch):
    a, _ = _two_files(tmp_path)

    def full_disk(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(apply_mod.os, "fsync", full_disk)
    rc, out, err = main_inprocess(capsys, "--fix", str(a))
    _assert_failed_cleanly(tmp_path, rc, err, a, BUGGY)
    assert "No space left on device" in err


def test_failing_temp_file_creation_leaves_original(tmp_path, capsys, monkeypatch):
    a, _ = _two_files(tmp_path)

    def no_temp(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(apply_mod.tempfile, "mkstemp", no_temp)
    rc, out, err = main_inprocess(capsys, "--fix", str(a))
    _assert_failed_cleanly(tmp_path, rc, err, a, BUGGY)


def test_read_only_file_is_not_written(tmp_path):
    a, b = _two_files(tmp_path)
    os.chmod(a, 0o444)
    try:
        rc, out, err = run_cli("--fix", str(a), str(b))
        assert rc == 2
        assert a.read_text() == BUGGY
        assert stat.S_IMODE(a.stat().st_mode) == 0o444
        assert b.read_text() == FIXED.replace("y =", "z =")
        errors = [line for line in err.splitlines() if line.startswith("nogradlint: error:")]
        assert len(errors) == 1 and "read-only" in errors[0]
        assert "Traceback" not in err
    finally:
        os.chmod(a, 0o644)


def test_unencodable_fix_is_an_error_not_a_crash(tmp_path, capsys):
    path = tmp_path / "m.py"
    path.write_bytes(b"# -*- coding: ascii -*-\nx = 1\n")
    with pytest.raises(apply_mod.FixError, match="cannot be encoded as ascii"):
        apply_mod.write_atomic(str(path), "# -*- coding: ascii -*-\nx = 'é'\n", "ascii")
    assert path.read_bytes() == b"# -*- coding: ascii -*-\nx = 1\n"


# -- the other rules' fixes, as they land -------------------------------------------------------


def _fixable_examples():
    from nogradlint.rules.base import Invalid

    for rule in all_rules():
        for i, example in enumerate(rule.INVALID):
            if isinstance(example, Invalid) and example.expected_fix is not None:
                yield pytest.param(rule.code, rule.fix_applicability, example, id=f"{rule.code}-{i}")


@pytest.mark.parametrize("code,applicability,example", list(_fixable_examples()))
def test_every_rule_fix_through_the_cli(tmp_path, capsys, code, applicability, example):
    """Each rule's documented fix, applied by the CLI (in process) to a CRLF file: the expected
    text (with CRLF kept), parses, a second run changes nothing and the finding is gone."""
    path = tmp_path / "example.py"
    path.write_bytes(example.code.replace("\n", "\r\n").encode())
    # A rule may offer safe fixes for some forms and unsafe ones for others (NG006): ask the finding.
    unsafe = any(f.fix is not None and f.fix.applicability != "safe"
                 for f in lint_text(example.code, path="example.py", codes=[code]))
    flags = ["--fix", "--select", code] + (["--unsafe-fixes"] if unsafe else [])
    if any(getattr(r, "needs_runtime_evidence", False) for r in all_rules() if r.code == code):
        # A run-time rule's example marks the forward the tests saw: make that evidence.
        from .test_runtime_evidence import EXAMPLE_MARK, forward, frame, write_evidence

        lines = [n for n, line in enumerate(example.code.splitlines(), 1) if EXAMPLE_MARK in line]
        evidence = write_evidence(tmp_path, [forward([frame("example.py", n, "f")]) for n in lines],
                                  files=("example.py",))
        flags += ["--unsafe-fixes", "--runtime-evidence", str(evidence)]
    rc, out, err = main_inprocess(capsys, *flags, str(path))
    assert "nogradlint: error" not in err, err
    assert path.read_bytes() == example.expected_fix.replace("\n", "\r\n").encode()
    cst.parse_module(path.read_text())
    stamp = path.stat().st_mtime_ns
    main_inprocess(capsys, *flags, str(path))
    assert path.stat().st_mtime_ns == stamp
    remaining = [f for f in lint_text(example.expected_fix, path="example.py", codes=[code])
                 if f.code == code and f.fix is not None]
    assert remaining == []


def test_discarded_detach_gets_no_rebinding_fix_when_later_lines_change_the_object():
    # `p = p.detach()` would make the freeze below act on a detached copy: the teacher's real
    # parameters would stay trainable (mmpretrain's CAE, seen in a blind review).
    source = (
        "import torch\n"
        "def copy_teacher(student, teacher):\n"
        "    for p_s, p_t in zip(student.parameters(), teacher.parameters()):\n"
        "        p_t.detach()\n"
        "        p_t.data.copy_(p_s.data)\n"
        "        p_t.requires_grad = False\n"
    )
    findings = [f for f in lint_text(source, path="t.py") if f.code == "NG006"]
    assert len(findings) == 1 and findings[0].fix is None
    # Without such lines the unsafe assign-back fix is offered.
    plain = "import torch\ndef step(h, x):\n    h.detach()\n    return h + x\n"
    findings = [f for f in lint_text(plain, path="t.py") if f.code == "NG006"]
    assert len(findings) == 1 and findings[0].fix is not None


def test_no_no_grad_fix_around_a_statement_that_trains():
    # A comprehension that keeps only detached values is reported in a training function, but the
    # statement holding it also computes the loss: `no_grad` around it would make `backward()` raise.
    source = (
        "import torch\nimport torch.nn.functional as F\n\n\n"
        "def fit(model, optimizer, loader, anchors):\n"
        "    for x, y in loader:\n"
        "        loss = F.cross_entropy(model(x), y) + torch.stack([model(a).detach() for a in anchors]).mean()\n"
        "        optimizer.zero_grad()\n        loss.backward()\n        optimizer.step()\n\n\n"
        "def fit_and_score(model, optimizer, loader, anchors):\n"
        "    for x, y in loader:\n"
        "        F.cross_entropy(model(x), y).backward()\n        optimizer.step()\n"
        "        score = torch.stack([model(a).detach() for a in anchors]).mean()\n"
    )
    findings = {f.line: f for f in lint_text(source, path="t.py", codes=["NG001"])}
    assert sorted(findings) == [7, 17]
    assert findings[7].fix is None
    assert findings[17].fix is not None and "no_grad" in findings[17].fix.message


def test_a_function_with_several_forwards_is_decorated_not_wrapped_statement_by_statement(tmp_path):
    # An agent's `policy_value` runs its network on the GPU branch and again on the CPU branch
    # (AlphaZero_Gomoku), and a scorer runs two embeddings and reads a third's weight (pykeen's
    # `Model.predict`): wrapping the reported statement left the others recording a graph. One
    # finding per function, and its fix decorates the function, so no path records a graph.
    torch = pytest.importorskip("torch")
    source = (
        "import torch\nimport torch.nn as nn\n\n\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n"
        "    def forward(self, x):\n        return self.fc(x)\n\n\n"
        "class PolicyValueNet:\n"
        "    def __init__(self, use_gpu=False):\n"
        "        self.use_gpu = use_gpu\n        self.policy_value_net = Net()\n"
        "        self.optimizer = torch.optim.Adam(self.policy_value_net.parameters())\n\n"
        "    def policy_value(self, state_batch):\n"
        "        if self.use_gpu:\n"
        "            out = self.policy_value_net(torch.FloatTensor(state_batch).cuda())\n"
        "            return out.data.cpu()\n"
        "        else:\n"
        "            out = self.policy_value_net(torch.FloatTensor(state_batch))\n"
        "            return out.data\n\n"
        "    def train_step(self, state_batch, target):\n"
        "        loss = ((self.policy_value_net(torch.FloatTensor(state_batch)) - target) ** 2).mean()\n"
        "        self.optimizer.zero_grad()\n        loss.backward()\n        self.optimizer.step()\n\n\n"
        "class Scorer(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n"
        "        self.entities = nn.Embedding(5, 8)\n        self.relations = nn.Embedding(5, 8)\n\n"
        "    def predict(self, batch):\n"
        "        self.eval()\n"
        "        h = self.entities(batch[:, 0])\n"
        "        r = self.relations(batch[:, 1])\n"
        "        return (h * r) @ self.entities.weight.T\n"
    )
    findings = [f for f in lint_text(source, path="agent.py") if f.code == "NG001"]
    assert [f.line for f in findings] == [22, 43]
    assert all(f.fix is not None and f.fix.message.startswith("Decorate the function") for f in findings)
    fixed = apply_edits(apply_edits(source, findings[1].fix.edits), findings[0].fix.edits)
    assert fixed.count("@torch.no_grad()") == 2
    namespace: dict = {}
    exec(compile(fixed, "agent.py", "exec"), namespace)
    agent = namespace["PolicyValueNet"]()
    seen = []
    agent.policy_value_net.register_forward_hook(lambda m, i, o: seen.append(o.requires_grad))
    assert agent.policy_value([[0.0] * 4]).shape == (1, 2)
    assert seen == [False]
    scores = namespace["Scorer"]().predict(torch.zeros((1, 2), dtype=torch.long))
    assert scores.shape == (1, 5) and not scores.requires_grad
    assert not [f for f in lint_text(fixed, path="agent.py") if f.code == "NG001"]
