"""The linter's parse skips libcst's per-node validation: same trees, and validation is back
for every node built afterwards (fixes build nodes and rely on it)."""

from __future__ import annotations

import glob
import os

import libcst as cst
import pytest

from nogradlint.source import parsing
from nogradlint.source.parsing import parse_module

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = sorted(glob.glob(os.path.join(ROOT, "examples", "**", "*.py"), recursive=True)
                 + glob.glob(os.path.join(ROOT, "lint", "**", "*.py"), recursive=True))


def test_the_skip_applies_to_the_installed_libcst():
    # If libcst's __post_init__ ever does more than validate, the module parses as libcst does;
    # this test then fails so that the speed-up is looked at again, not silently lost.
    assert parsing._SKIPPABLE


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: os.path.relpath(p, ROOT))
def test_same_tree_as_libcst(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    fast = parse_module(source)
    assert fast.deep_equals(cst.parse_module(source))
    assert fast.code == source


def test_validation_is_restored_after_a_parse_and_after_a_syntax_error():
    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def f(:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
