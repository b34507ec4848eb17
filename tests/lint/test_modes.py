"""The mode-switch model (analysis/modes.py): what a helper leaves in eval or train mode, in the
terms of one call of it."""

from __future__ import annotations

import libcst as cst
import pytest

from nogradlint.analysis.modes import final_modes, helper_modes, mode_switches

SET_MODE = (
    "def set_mode(mode, models):\n"
    "    for m in models:\n"
    "        if m is None: continue\n"
    "        if mode == 'train': m.train()\n"
    "        if mode == 'eval': m.eval()\n"
)


def _after(source: str, call: str, method: bool = False, **kw) -> dict:
    module = cst.parse_module(source)
    defs = {s.name.value: s for s in module.body if type(s) is cst.FunctionDef}
    cache: dict = {}

    def resolve(node):
        fn = defs.get(node.func.value) if type(node.func) is cst.Name else None
        if fn is None:
            return None
        if id(fn) not in cache:
            cache[id(fn)] = helper_modes(fn, resolve)
        return cache[id(fn)], False

    parsed = cst.parse_expression(call)
    helper = helper_modes(defs[parsed.func.value], resolve)
    return final_modes(mode_switches(helper, parsed, method, **kw))


@pytest.mark.parametrize("call,expected", [
    ("set_mode('eval', [g, d, None])", {"g": "eval", "d": "eval"}),
    ("set_mode('train', [g, self.d])", {"g": "train", "self.d": "train"}),
    ("set_mode(mode='eval', models=(g,))", {"g": "eval"}),
    ("set_mode(m, [g])", {"g": "eval"}),  # not a string: every switch may run, the last one wins
    ("set_mode('eval', nets)", {}),  # not a list the call spells out
])
def test_string_dispatch_over_a_list_of_models(call, expected):
    assert _after(SET_MODE, call) == expected


def test_switches_through_a_nested_helper_and_else_clauses():
    source = SET_MODE.replace("if mode == 'eval': m.eval()", "else: m.eval()") + (
        "def check(g, d, loader):\n    set_mode('eval', [g, d])\n    return loader\n"
        "def to_train(nets):\n    set_mode('train', nets)\n"
    )
    assert _after(source, "check(gen, disc, val)") == {"gen": "eval", "disc": "eval"}
    assert _after(source, "to_train([gen])") == {"gen": "train"}


def test_a_train_call_on_one_branch_only_does_not_undo_eval():
    source = ("def sample(model, x, restore):\n    model.eval()\n    out = model(x)\n"
              "    if restore:\n        model.train()\n    return out\n"
              "def evaluate(model, x):\n    was = model.training\n    model.eval()\n"
              "    if was:\n        model.train()\n")
    assert _after(source, "sample(net, x, restore)") == {"net": "eval"}
    assert _after(source, "evaluate(net, x)") == {"net": "train"}


def test_a_flag_literal_decides_a_branch_on_that_flag():
    # Beta-VAE's `net_mode(train=False)` ... `net_mode(train=True)`: the call's literal says which
    # side of `if train:` runs, so the second call certainly restores train mode.
    source = ("def net_mode(net, train):\n    if train:\n        net.train()\n    else:\n        net.eval()\n"
              "def sample(model, x, restore):\n    model.eval()\n    out = model(x)\n"
              "    if restore:\n        model.train()\n    return out\n")
    assert _after(source, "net_mode(net, train=False)") == {"net": "eval"}
    assert _after(source, "net_mode(net, True)") == {"net": "train"}
    assert _after(source, "sample(net, x, True)") == {"net": "train"}
    assert _after(source, "sample(net, x, False)") == {"net": "eval"}


def test_globals_only_when_the_helper_does_not_bind_them():
    source = "def validate():\n    model.eval()\n\ndef other():\n    model = make()\n    model.eval()\n"
    assert _after(source, "validate()", module_names=frozenset({"model"})) == {"model": "eval"}
    assert _after(source, "other()", module_names=frozenset({"model"})) == {}
    assert _after(source, "validate()") == {}


def test_a_train_call_after_eval_in_the_same_branch_undoes_it():
    # d2l's evaluate_accuracy: eval and train per batch, both under `isinstance(net, nn.Module)`.
    source = ("def accuracy(loader, net):\n    total = 0\n    for x, y in loader:\n"
              "        if isinstance(net, Module):\n            net.eval()\n"
              "            total += (net(x).argmax(1) == y).sum().item()\n            net.train()\n"
              "        else:\n            total += (net(x).argmax(1) == y).sum().item()\n    return total\n")
    assert _after(source, "accuracy(test_iter, model)") == {"model": "train"}
    # ...but a train call in another branch than the eval still does not
    other = source.replace("            net.train()\n        else:\n", "        else:\n            net.train()\n")
    assert _after(other, "accuracy(test_iter, model)") == {"model": "eval"}
