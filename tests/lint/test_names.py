"""Names and literals read without libcst's slow paths (analysis/names.py)."""

from __future__ import annotations

import gc

import libcst as cst
import pytest

from nogradlint.analysis.names import string_value


@pytest.mark.parametrize("source", ['"train"', "'valid'", "''", '"a\\nb"', 'r"x\\d"', '"""doc"""',
                                    "f'{x}'"[1:], "'it\\'s'"])
def test_string_value_matches_python(source):
    node = cst.parse_expression(source)
    assert string_value(node) == node.evaluated_value


def test_bytes_literal_is_text_that_never_equals_a_str_key():
    # lerobot's `metadata[b'reward_model_path'].decode()` once crashed the analysis (bytes where a
    # key's text was expected); `d[b'k']` and `d['k']` are different slots.
    node = cst.parse_expression("b'raw'")
    assert string_value(node) == "b'raw'" != string_value(cst.parse_expression("'raw'"))


def test_plain_strings_leave_no_cyclic_garbage():
    # `evaluated_value` runs ast.literal_eval, whose helpers form a reference cycle per call;
    # the linter reads thousands of keys per file and frees each file's tree by reference counting.
    nodes = [cst.parse_expression(f'"key{i}"') for i in range(50)]
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        for node in nodes:
            string_value(node)
        gc.collect()
        assert gc.garbage == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_a_linted_file_leaves_no_cycles_holding_its_tree():
    # The runner frees each file's syntax tree by reference counting (one young collection per
    # file then finds almost nothing): a cycle through the walker, the value model or a rule's
    # state would keep the whole tree alive until a full collection.
    from nogradlint.runner import lint_text

    source = (
        "import torch\nimport torch.nn.functional as F\nfrom torch import nn\n\n\n"
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(4, 2)\n        self.act = nn.ReLU()\n        self.head = None\n\n"
        "    def forward(self, x):\n        return self.act(self.fc(x))\n\n\n"
        "def run_epoch(net, loader, optimizer=None):\n    total = 0.0\n    for x, y in loader:\n"
        "        loss = F.cross_entropy(net(x), y)\n        if optimizer is not None:\n"
        "            optimizer.zero_grad()\n            loss.backward()\n            optimizer.step()\n"
        "        total += loss.item()\n    last = total\n    return last\n\n\n"
        "def evaluate(net, loader):\n    net.eval()\n    return [net(x).argmax(1) for x, _ in loader]\n\n\n"
        "def collect(model, loader):\n    hits = 0\n    for x, y in loader:\n"
        "        hits += (model(x).argmax(1) == y).sum().item()\n    return hits\n"
    )
    lint_text(source, path="warmup.py")  # imports and caches made once, before the count
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        findings = lint_text(source, path="model.py")
        gc.collect()
        held = [o for o in gc.garbage if type(o).__module__.startswith(("libcst", "nogradlint"))]
        assert held == [], sorted({type(o).__qualname__ for o in held})
        assert findings  # the file was analysed, not skipped
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def test_a_bytes_key_read_from_a_call_lints():
    # The shape of the file that crashed: a function returning `mapping[b'key'].decode()`.
    from nogradlint.runner import lint_text

    source = ("import torch\n\n\ndef path_from(metadata):\n    try:\n        if metadata and b'k' in metadata:\n"
              "            return metadata[b'k'].decode()\n    except Exception:\n        return None\n\n\n"
              "def run(model, frames):\n    out = {}\n    for i in frames:\n        with torch.no_grad():\n"
              "            out[i] = model(i)\n    return out, path_from(None)\n")
    assert lint_text(source, path="weights.py") == []
