"""The flags model (analysis/flags.py): which parameters decide whether a function trains, and
which calls turn its gradient use off."""

from __future__ import annotations

import libcst as cst
import pytest

from nogradlint.analysis.flags import function_flags, string_comparison, turned_off


def _function(source: str) -> cst.FunctionDef:
    return cst.parse_module(source).body[0]


def _call(source: str) -> cst.Call:
    return cst.parse_expression(source)


def test_signature_flags_and_their_positions():
    flags = function_flags(_function(
        "def run(model, loader, optimizer=None, lr=0.1, *, train=True, split='train'):\n"
        "    if optimizer is not None:\n        pass\n"), method=False)
    assert flags.positions == {"model": 0, "loader": 1, "optimizer": 2, "train": -1, "split": -1}
    assert flags.none_defaults == {"optimizer"}
    assert flags.tested


def test_a_method_is_called_without_self():
    flags = function_flags(_function("def iteration(self, loader, train=True):\n    return loader\n"), method=True)
    assert flags.positions == {"loader": 0, "train": 1}
    assert not flags.tested  # no `if` tests a flag


@pytest.mark.parametrize("call,used,expected", [
    ("run_epoch(model, val_loader)", {("optimizer", "True")}, ("optimizer", None)),
    ("run_epoch(model, val_loader, None)", {("optimizer", "True")}, ("optimizer", "None")),
    ("run_epoch(model, train_loader, opt)", {("optimizer", "True")}, None),
    ("run_epoch(model, loader, optimizer=opt)", {("optimizer", "True")}, None),
    ("run_epoch(model, loader, **kw)", {("optimizer", "True")}, None),
    ("run_epoch(model, loader, opt, train=False)", {("train", "True")}, ("train", "False")),
    ("run_epoch(model, loader, opt, train=True)", {("train", "True")}, None),
    ("run_epoch(model, loader, opt, split='valid')", {("split", ("==", "train"))}, ("split", "valid")),
    ("run_epoch(model, loader, opt, split='train')", {("split", ("==", "train"))}, None),
    # gradients are used on both sides of `if optimizer is not None:` / `else:`: no call turns them off
    ("run_epoch(model, val_loader)", {("optimizer", "True"), ("optimizer", "False")}, None),
    ("run_epoch(model, val_loader, None)", {("optimizer", "True"), ("optimizer", "False")}, None),
    ("run_epoch(model, loader, opt, train=False)", {("train", "True"), ("train", "False")}, None),
])
def test_calls_that_turn_the_gradient_use_off(call, used, expected):
    flags = function_flags(_function(
        "def run_epoch(model, loader, optimizer=None, train=True, split='train'):\n    pass\n"), method=False)
    assert turned_off(_call(call), flags, used) == expected


def test_string_comparison_either_way_round():
    flags = {"split": 0}
    assert string_comparison(_call("split == 'train'"), flags) == ("split", "==", "train")
    assert string_comparison(_call("'eval' != split"), flags) == ("split", "!=", "eval")
    assert string_comparison(_call("mode == 'train'"), flags) is None
