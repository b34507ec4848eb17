"""A finding's message is one line, also when a rule quotes the source of a multi-line
expression: every output format (concise, text, GitHub annotations) prints one line per finding."""

from __future__ import annotations

import json
import re

import libcst as cst
import pytest

from nogradlint.rules.base import Invalid, Rule, RuleDocs, one_line

from .cli_helpers import rule_registered, run_main, write

# Built-in rules whose messages quote a multi-line receiver: NG004 (line 5) and NG010 (line 11).
MULTI_LINE_SOURCE = (
    "import torch\n"                                   # 1
    "\n"                                               # 2
    "\n"                                               # 3
    "def edit(model, delta):\n"                        # 4
    "    model.encoder.layer[\n"                       # 5
    "        3\n"                                      # 6
    "    ].output.dense.weight.add_(delta)\n"          # 7
    "\n"                                               # 8
    "\n"                                               # 9
    "def freeze(model):\n"                             # 10
    "    (model\n"                                     # 11
    "        .encoder).requires_grad = False\n"        # 12
)


class QuoteCall(Rule):
    """A test-only rule that quotes every call's source verbatim, as a plugin might."""

    code = "TST002"
    name = "quote-call"
    message = "a call"
    triggers = (r"\(",)
    docs = RuleDocs(what="Quotes calls.", why="Tests one-line messages.", example="f(1)\n", use_instead="g(1)\n")
    VALID = ("x = 1\n",)
    INVALID = (Invalid("f(1)\n"),)

    def visit_Call(self, node: cst.Call) -> None:
        self.report(node, f"call `{self.ctx.module_node.code_for_node(node)}`\n    (quoted)")


@pytest.fixture
def quote_rule(monkeypatch):
    with rule_registered(monkeypatch, QuoteCall) as rule:
        yield rule


def _finding_lines(out: str, path: str) -> list:
    """The concise output's finding lines; fails on any other line before the summary."""
    lines = []
    for line in out.splitlines():
        if not line.strip() or line.startswith(("Found ", "[*]", "All checks passed")) or re.match(r"^\d+ (more )?fixable", line):
            continue
        assert line.startswith(path + ":"), f"a finding spans several lines:\n{out}"
        assert re.match(r"^.+:\d+:\d+: [A-Z]+\d{3} ", line), line
        lines.append(line)
    return lines


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("plain", "plain"),
        ("in `foo(\n    a,\n    b,\n)` here", "in `foo(a, b,)` here"),
        ("`x\n    .y\n    .z()` is", "`x.y.z()` is"),
        ("`m[\n  0\n]`\r\n  end", "`m[0]` end"),
        ("`a + \\\n    b` c", "`a + b` c"),
        ("first\n  second\n", "first second"),
    ],
)
def test_one_line(message, expected):
    assert one_line(message) == expected


def test_builtin_messages_quoting_multi_line_code_are_one_line(tmp_path, capsys):
    path = write(tmp_path / "multi.py", MULTI_LINE_SOURCE)
    concise = run_main(capsys, "--no-cache", "--output-format", "concise", path)
    lines = _finding_lines(concise.out, path)
    findings = json.loads(run_main(capsys, "--no-cache", "--output-format", "json", path).out)
    assert len(lines) == len(findings)
    assert {(f["code"], f["line"]) for f in findings} >= {("NG004", 5), ("NG010", 11)}
    for finding in findings:
        assert "\n" not in finding["message"] and "\r" not in finding["message"]
    assert any("`model.encoder.layer[3].output.dense.weight`" in line for line in lines), concise.out
    assert any("`(model.encoder)`" in line for line in lines), concise.out


def test_any_rules_message_is_made_one_line(tmp_path, capsys, quote_rule):
    path = write(tmp_path / "calls.py", "result = compute(\n    first,\n    second,\n)\n")
    concise = run_main(capsys, "--no-cache", "--output-format", "concise", "--select", "TST002", path)
    lines = _finding_lines(concise.out, path)
    assert len(lines) == 1
    assert lines[0].endswith("TST002 call `compute(first, second,)` (quoted)"), lines[0]


class CallsWhereTrained(QuoteCall):
    """A test-only rule that walks only files that train (`Rule.requires`)."""

    code = "TST003"
    name = "calls-where-trained"
    requires = ("backward(",)


def test_a_rule_walks_only_files_holding_a_word_it_requires(tmp_path, capsys, monkeypatch):
    with rule_registered(monkeypatch, CallsWhereTrained):
        plain = write(tmp_path / "plain.py", "import torch\nwith torch.no_grad():\n    y = compute(1)\n")
        trains = write(tmp_path / "trains.py", "import torch\nwith torch.no_grad():\n    y = compute(1)\ny.backward()\n")
        out = run_main(capsys, "--no-cache", "--output-format", "concise", "--select", "TST003", plain, trains).out
    assert "plain.py" not in out
    assert "trains.py:3:9: TST003" in out, out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # nothing switches back: the mode outlives the function on every path
        ("    torch.set_grad_enabled(False)\n    return model(x)\n",
         "nothing in `predict` switches it back, so it stays in force for the caller after it returns"),
        # a hard-coded restore turns gradients on inside a caller's no_grad
        ("    torch.set_grad_enabled(False)\n    y = model(x)\n    torch.set_grad_enabled(True)\n    return y\n",
         "the `set_grad_enabled(True)` that ends it turns gradients on even for a caller that had them off"),
        # a restore of the saved state leaks only on an exception or an early return
        ("    prev = torch.is_grad_enabled()\n    torch.set_grad_enabled(False)\n    y = model(x)\n"
         "    if y is None:\n        return None\n    torch.set_grad_enabled(prev)\n    return y\n",
         "an exception or early return leaks it"),
    ],
)
def test_unscoped_switch_message_says_how_the_mode_leaks(tmp_path, capsys, body, expected):
    path = write(tmp_path / "switch.py", "import torch\n\n\ndef predict(model, x):\n" + body)
    out = run_main(capsys, "--no-cache", "--output-format", "concise", "--select", "NG005", path).out
    assert expected in out, out


@pytest.mark.parametrize(
    ("init", "expected", "absent"),
    [
        # the constructor measures the features before it switches the model to eval mode
        ("        self.size = self._features_size()\n        self.model.eval()\n",
         "from `__init__` before `__init__` puts it in eval mode", "which its class's `__init__` put in eval mode"),
        # switched first: every call of the method runs the model in eval mode
        ("        self.model.eval()\n        self.size = self._features_size()\n",
         "put in eval mode, with gradients enabled", "before `__init__` puts it"),
    ],
)
def test_eval_mode_claim_follows_the_order_of_the_constructor(tmp_path, capsys, init, expected, absent):
    source = ("import torch\n\n\nclass Extractor:\n    def __init__(self, model):\n        self.model = model\n"
              + init + "\n    def _features_size(self):\n        dummy = torch.zeros(1, 3, 224, 224)\n"
              "        return self.model(dummy).shape[-1]\n")
    path = write(tmp_path / "extractor.py", source)
    out = run_main(capsys, "--no-cache", "--output-format", "concise", "--select", "NG001", path).out
    assert expected in out and absent not in out, out
