"""The shared fix helpers in nogradlint.fixes.wrap: the torch alias, adding `import torch`,
wrapping statements in a `with` block."""

from __future__ import annotations

import pathlib

import libcst as cst
import pytest

from nogradlint.analysis.positions import spans_of
from nogradlint.fixes.apply import apply_edits
from nogradlint.fixes.wrap import add_torch_import, locate, no_grad_fix, torch_alias, wrap_statements
from nogradlint.rules.base import UNSAFE, FixSpec
from nogradlint.runner import _fix


def _apply(source: str, module: cst.Module, spec: FixSpec) -> str:
    nodes = [n for change in spec.changes for n in (change[0] if isinstance(change[0], tuple) else (change[0],))]
    fix = _fix(module, spec, spans_of(module, nodes))
    assert fix is not None
    fixed = apply_edits(source, fix.edits)
    cst.parse_module(fixed)
    compile(fixed, "<fixed>", "exec")
    return fixed


def _find(module: cst.Module, predicate):
    """The first statement (pre-order) for which predicate(code) holds."""
    stack = list(reversed(module.body))
    while stack:
        stmt = stack.pop()
        if predicate(module.code_for_node(stmt.with_changes(leading_lines=())).strip()):
            return stmt
        for suite in _suites(stmt):
            stack.extend(reversed(suite))
    raise AssertionError("statement not found")


def _suites(stmt):
    out = []
    body = getattr(stmt, "body", None)
    if isinstance(body, cst.IndentedBlock):
        out.append(body.body)
    for name in ("orelse", "finalbody"):
        part = getattr(stmt, name, None)
        if part is not None and isinstance(getattr(part, "body", None), cst.IndentedBlock):
            out.append(part.body.body)
    for handler in getattr(stmt, "handlers", ()) or ():
        out.append(handler.body.body)
    return out


def _wrap(source: str, *starts: str) -> str:
    module = cst.parse_module(source)
    stmts = [_find(module, lambda code, s=s: code.startswith(s)) for s in starts]
    spec = FixSpec(UNSAFE, "wrap")
    assert no_grad_fix(spec, module, stmts)
    return _apply(source, module, spec)


def test_existing_alias_is_used_and_no_import_added():
    src = "import torch as T\n\nfor p in params:\n    p -= lr * p.grad\n"
    assert _wrap(src, "p -=") == (
        "import torch as T\n\nfor p in params:\n    with T.no_grad():\n        p -= lr * p.grad\n"
    )


def test_import_torch_submodule_binds_torch():
    src = "import torch.nn\n\ndef f(w):\n    w.add_(1)\n"
    assert _wrap(src, "w.add_") == "import torch.nn\n\ndef f(w):\n    with torch.no_grad():\n        w.add_(1)\n"


def test_import_added_after_docstring_future_and_imports():
    src = (
        '"""Module docs."""\n'
        "from __future__ import annotations\n"
        "import os  # why\n"
        "from torch import nn\n"
        "\n"
        "def step(w, lr):\n"
        "    w -= lr * w.grad\n"
    )
    assert _wrap(src, "w -=") == (
        '"""Module docs."""\n'
        "from __future__ import annotations\n"
        "import os  # why\n"
        "from torch import nn\n"
        "import torch\n"
        "\n"
        "def step(w, lr):\n"
        "    with torch.no_grad():\n"
        "        w -= lr * w.grad\n"
    )


def test_import_added_after_docstring_alone():
    src = '"""Docs."""\n\nw.add_(1)\n'
    assert _wrap(src, "w.add_") == '"""Docs."""\nimport torch\n\nwith torch.no_grad():\n    w.add_(1)\n'


def test_import_added_before_first_statement_and_its_decorators():
    src = "# header comment\n\n@decorate\ndef f(w):\n    w.add_(1)\n"
    assert _wrap(src, "w.add_") == (
        "# header comment\n\nimport torch\n\n@decorate\ndef f(w):\n    with torch.no_grad():\n        w.add_(1)\n"
    )


def test_function_local_import_is_an_alias():
    src = "def f(w):\n    import torch as th\n    w.add_(1)\n"
    module = cst.parse_module(src)
    fn = module.body[0]
    assert torch_alias(module) is None
    assert torch_alias(module, [fn]) == "th"
    spec = FixSpec(UNSAFE, "wrap")
    assert no_grad_fix(spec, module, [fn.body.body[1]], functions=[fn])
    assert _apply(src, module, spec) == "def f(w):\n    import torch as th\n    with th.no_grad():\n        w.add_(1)\n"


def test_several_statements_with_comments_and_blank_lines_keep_every_byte():
    src = (
        "import torch\n"
        "\n"
        "def sgd(params, lr):\n"
        "    # update every parameter\n"
        "    for p in params:   # loop\n"
        "        # plain SGD\n"
        "        p.sub_(lr * p.grad)\n"
        "\n"
        "        # reset\n"
        "        p.grad.zero_()\n"
        "    count += 1  # trailing\n"
        "    return count\n"
    )
    assert _wrap(src, "for p", "count +=") == (
        "import torch\n"
        "\n"
        "def sgd(params, lr):\n"
        "    # update every parameter\n"
        "    with torch.no_grad():\n"
        "        for p in params:   # loop\n"
        "            # plain SGD\n"
        "            p.sub_(lr * p.grad)\n"
        "\n"
        "            # reset\n"
        "            p.grad.zero_()\n"
        "        count += 1  # trailing\n"
        "    return count\n"
    )


def test_continuation_lines_move_and_multiline_strings_do_not():
    src = (
        "import torch\n"
        "def f(w):\n"
        "    w.copy_(compute(a,\n"
        "                    b))\n"
        '    log("""first\n'
        '  second""")\n'
    )
    assert _wrap(src, "w.copy_", "log(") == (
        "import torch\n"
        "def f(w):\n"
        "    with torch.no_grad():\n"
        "        w.copy_(compute(a,\n"
        "                        b))\n"
        '        log("""first\n'
        '  second""")\n'
    )


def test_tab_indented_file_uses_tabs():
    src = "import torch\nclass M:\n\tdef f(self, w):\n\t\tif w is not None:\n\t\t\tw.add_(1)\n"
    assert _wrap(src, "w.add_") == (
        "import torch\nclass M:\n\tdef f(self, w):\n\t\tif w is not None:\n\t\t\twith torch.no_grad():\n\t\t\t\tw.add_(1)\n"
    )


def test_two_space_file_uses_two_spaces():
    src = "import torch\ndef f(w):\n  if w is not None:\n    w.add_(1)\n"
    assert _wrap(src, "w.add_") == "import torch\ndef f(w):\n  if w is not None:\n    with torch.no_grad():\n      w.add_(1)\n"


def test_crlf_newlines_are_kept():
    src = "import torch\r\ndef f(w):\r\n    w.add_(1)\r\n    return w\r\n"
    assert _wrap(src, "w.add_") == "import torch\r\ndef f(w):\r\n    with torch.no_grad():\r\n        w.add_(1)\r\n    return w\r\n"


def test_crlf_import_added_with_crlf():
    src = "import os\r\nw.add_(1)\r\n"
    assert _wrap(src, "w.add_") == "import os\r\nimport torch\r\nwith torch.no_grad():\r\n    w.add_(1)\r\n"


def test_statement_in_else_and_except_blocks():
    src = (
        "import torch\n"
        "try:\n"
        "    pass\n"
        "except ValueError:\n"
        "    if a:\n"
        "        pass\n"
        "    else:\n"
        "        w.add_(1)\n"
    )
    assert _wrap(src, "w.add_").endswith("    else:\n        with torch.no_grad():\n            w.add_(1)\n")


def test_custom_context_expression():
    src = "import torch\ndef f():\n    torch.set_grad_enabled(False)\n    y = g()\n"
    module = cst.parse_module(src)
    stmt = module.body[1].body.body[1]
    spec = FixSpec(UNSAFE, "wrap")
    assert wrap_statements(spec, module, [stmt], "torch.enable_grad()")
    assert _apply(src, module, spec).endswith("    with torch.enable_grad():\n        y = g()\n")


def test_statement_on_the_loop_line_cannot_be_wrapped():
    src = "import torch\nfor p in ps: p.add_(1)\n"
    module = cst.parse_module(src)
    inner = module.body[1].body.body[0]
    assert locate(module, inner) is None
    assert not no_grad_fix(FixSpec(UNSAFE, "wrap"), module, [inner])


def test_statements_that_are_not_consecutive_are_refused():
    src = "import torch\na.add_(1)\nb = 2\nc.add_(1)\n"
    module = cst.parse_module(src)
    spec = FixSpec(UNSAFE, "wrap")
    assert not wrap_statements(spec, module, [module.body[1], module.body[3]], "torch.no_grad()")
    assert spec.changes == []


def test_add_torch_import_to_empty_module():
    module = cst.parse_module("")
    spec = add_torch_import(FixSpec(UNSAFE, "import"), module)
    assert _apply("", module, spec) == "import torch\n"


@pytest.mark.parametrize(
    "source,alias",
    [
        ("import torch\n", "torch"),
        ("import torch as T\n", "T"),
        ("import numpy as np\n", None),
        ("from torch import nn\n", None),
        ("import torch.nn as nn\n", None),
        ("try:\n    import torch\nexcept ImportError:\n    torch = None\n", "torch"),
    ],
)
def test_torch_alias(source, alias):
    assert torch_alias(cst.parse_module(source)) == alias


SHADOWED = '''\
def evaluate_all(model, loader, report):
    model.eval()
    outs = []
    for x in loader:
        outs.append(model(x).argmax(1).tolist())
    if report:
        import torch
        print(torch.__version__)
    return outs


def evaluate_local(model, loader):
    import torch
    model.eval()
    outs = []
    for x in loader:
        outs.append(model(x).argmax(1).tolist())
    return outs
'''


def _fixed_and_run(tmp_path, capsys, name: str, source: str) -> tuple:
    """Apply NG001's unsafe fixes to ``source`` through the CLI, then run the fixed file: (its
    text, the namespace it defined)."""
    from .cli_helpers import run_main

    path = tmp_path / name
    path.write_text(source)
    run_main(capsys, "--no-cache", "--fix", "--unsafe-fixes", "--select", "NG001", str(path))
    fixed = path.read_text()
    namespace: dict = {}
    exec(compile(fixed, str(path), "exec"), namespace)
    return fixed, namespace


def test_no_wrap_where_a_later_local_import_makes_torch_unbound(tmp_path, capsys):
    # autogluon's fit helper: `import torch` further down the function makes `torch` a local,
    # so `with torch.no_grad():` above it would raise UnboundLocalError. Only the second
    # function, whose import comes first, is fixed; the fixed file runs on a real model.
    torch = pytest.importorskip("torch")
    fixed, namespace = _fixed_and_run(tmp_path, capsys, "evaluation.py", SHADOWED)
    assert fixed.split("def evaluate_local")[0] == SHADOWED.split("def evaluate_local")[0]
    assert "    with torch.no_grad():\n        for x in loader:" in fixed.split("def evaluate_local")[1]
    model, loader = torch.nn.Linear(3, 2), [torch.randn(4, 3)]
    assert namespace["evaluate_all"](model, loader, False) == namespace["evaluate_local"](model, loader)


SCRIPT_FORWARD = (
    "import torch\n\n"
    "torch.manual_seed(0)\n"
    "net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Dropout(0.5))\n"
    "net.eval()\n"
    "image = torch.randn(1, 3)\n"
    "pred = net(image)\n"
    "mask = pred.argmax(1).tolist()\n"
)


def test_a_script_forward_in_eval_mode_is_wrapped_and_then_runs(tmp_path, capsys):
    # NVIDIA semantic-segmentation's demo: a module-level forward of an eval-mode network whose
    # result is only read; the unsafe fix wraps that statement in `torch.no_grad()`, and the fixed
    # script runs and records no graph.
    torch = pytest.importorskip("torch")
    from .cli_helpers import run_main

    before: dict = {}
    exec(compile(SCRIPT_FORWARD, "demo.py", "exec"), before)
    assert before["pred"].requires_grad
    path = tmp_path / "demo.py"
    path.write_text(SCRIPT_FORWARD)
    run_main(capsys, "--no-cache", "--fix", "--unsafe-fixes", "--select", "NG001", str(path))
    fixed = path.read_text()
    assert "with torch.no_grad():\n    pred = net(image)\n" in fixed
    namespace: dict = {}
    exec(compile(fixed, str(path), "exec"), namespace)
    assert torch.is_tensor(namespace["pred"]) and not namespace["pred"].requires_grad
    assert namespace["mask"] == before["mask"]


IMPORTED_IN_INIT = '''import math


class Classifier:
    def __init__(self):
        import torch
        self.model = torch.nn.Linear(4, 3)

    def predict(self, chunks):
        out = []
        for c in chunks:
            out.extend(self.model(c).softmax(dim=1)[:, 1].detach().tolist())
        return out
'''


def test_import_in_another_method_binds_nothing_for_the_fix(tmp_path, capsys):
    # ktrain's zero-shot classifier imports torch in `__init__` only: `with torch.no_grad():` in
    # `predict` needs a module-level `import torch` (the fixed file used to raise NameError).
    torch = pytest.importorskip("torch")
    fixed, namespace = _fixed_and_run(tmp_path, capsys, "zero_shot.py", IMPORTED_IN_INIT)
    assert fixed.startswith("import math\nimport torch\n")
    assert "        with torch.no_grad():\n            for c in chunks:" in fixed
    assert len(namespace["Classifier"]().predict([torch.randn(2, 4)])) == 2


_SPAN_SOURCES = [
    "import torch\r\nx = 1  # a comment\r\n\r\n@torch.no_grad()\r\ndef f(a,\r\n      b):\r\n    return (a +\r\n            b)\r\n",
    "class A:\n    '''doc\n    string'''\n\n    def g(self):\n        if self:\n            pass\n        else:\n\n            return [i for i in\n                    range(3)]\n",
    "x = 1\ry = 2\rz = f(x,\r  y)\r",
    "def h():\n\tfor i in range(3):\n\t\tprint(i); print(i)\n",
]


@pytest.mark.parametrize("source", _SPAN_SOURCES + [pathlib.Path(__file__).read_text(encoding="utf-8")],
                         ids=["crlf", "nested", "cr", "tabs", "this-file"])
def test_spans_of_matches_libcst_positions(source):
    """The positions pass reports every node where libcst's own PositionProvider puts it, for any
    selection of nodes (one node, or all of them), with every kind of line ending."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    expected = {id(node): (p.start.line, p.start.column, p.end.line, p.end.column) for node, p in positions.items()}
    nodes = [node for node in positions if not isinstance(node, cst.Module)]
    spans = spans_of(wrapper.module, nodes)
    assert {id(n): spans.get(id(n)) for n in nodes} == {id(n): expected[id(n)] for n in nodes}
    for node in nodes[:: max(1, len(nodes) // 40)]:
        assert spans_of(wrapper.module, [node])[id(node)] == expected[id(node)]
