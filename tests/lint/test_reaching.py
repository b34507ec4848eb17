"""Reaching definitions (analysis/reaching.py): which assignment each read of a name sees."""

from __future__ import annotations

import libcst as cst

from nogradlint.analysis.reaching import ALL, ReachingDefinitions
from nogradlint.analysis.walker import walk_nodes


def _analyse(source: str):
    module = cst.parse_module(source)
    fn = next(s for s in module.body if type(s) is cst.FunctionDef)
    return fn, ReachingDefinitions(fn)


def _seen(fn, reaching, line_text: str, name: str) -> set:
    """The source lines of the assignments a read of ``name`` in the statement ``line_text`` sees."""
    module = cst.Module(body=[])
    statements = {id(n): module.code_for_node(n).strip() for n in walk_nodes(fn)
                  if isinstance(n, (cst.Assign, cst.AugAssign, cst.For, cst.FunctionDef))}
    for node in walk_nodes(fn):
        if type(node) is cst.SimpleStatementLine and module.code_for_node(node).strip() == line_text:
            reads = [n for n in walk_nodes(node) if type(n) is cst.Name and n.value == name and id(n) in reaching.reads]
            defs = reaching.reads[id(reads[-1])]
            if defs is ALL:
                return {"ALL"}
            return {statements.get(d[1], "?").splitlines()[0] for d in defs}
    raise AssertionError(line_text)


def test_a_name_bound_again_in_the_next_iteration_hides_the_test_forward():
    fn, reaching = _analyse(
        "def train(net, batches, test):\n"
        "    for i, x in batches:\n"
        "        out = net(x)\n"
        "        loss = out.sum()\n"
        "        loss.backward()\n"
        "        if i % 10 == 0:\n"
        "            out = net(test)\n"
        "            print(out.sum())\n")
    assert reaching.supported
    assert _seen(fn, reaching, "loss = out.sum()", "out") == {"out = net(x)"}
    assert _seen(fn, reaching, "print(out.sum())", "out") == {"out = net(test)"}


def test_a_value_carried_around_the_loop_reaches_the_next_iteration():
    fn, reaching = _analyse(
        "def run(cell, xs, h):\n"
        "    for x in xs:\n"
        "        y = cell(x, h)\n"
        "        h = y * 2\n"
        "    return h\n")
    assert _seen(fn, reaching, "y = cell(x, h)", "h") == {"def run(cell, xs, h):", "h = y * 2"}
    assert _seen(fn, reaching, "return h", "h") == {"def run(cell, xs, h):", "h = y * 2"}


def test_branches_join_and_closures_see_everything():
    fn, reaching = _analyse(
        "def f(a):\n"
        "    if a:\n"
        "        b = 1\n"
        "    else:\n"
        "        b = 2\n"
        "    c = b\n"
        "    g = lambda: b\n"
        "    return c\n")
    assert _seen(fn, reaching, "c = b", "b") == {"b = 1", "b = 2"}
    assert _seen(fn, reaching, "g = lambda: b", "b") == {"ALL"}


def test_a_walrus_is_not_followed():
    _, reaching = _analyse("def f(xs):\n    if (n := len(xs)) > 1:\n        return n\n")
    assert not reaching.supported


def test_a_list_comprehension_reads_the_definitions_that_reach_it():
    # The training step's comprehension runs at once, on this iteration's `losses`; the evaluation
    # loop's `losses` further down never reaches it. A generator may run later: it sees every one.
    fn, reaching = _analyse(
        "def run(net, train, val, opt):\n"
        "    for epoch in range(3):\n"
        "        for x in train:\n"
        "            losses = net(x)\n"
        "            loss = sum([losses[i] * 0.5 for i in range(len(losses))])\n"
        "            lazy = (l for l in losses)\n"
        "            loss.backward()\n"
        "        for x in val:\n"
        "            losses = net(x)\n"
    )
    assert _seen(fn, reaching, "loss = sum([losses[i] * 0.5 for i in range(len(losses))])", "losses") == {
        "losses = net(x)"}
    sites = [n for n in walk_nodes(fn) if type(n) is cst.Name and n.value == "losses" and id(n) in reaching.reads]
    comprehension_read = next(n for n in sites if reaching.reads[id(n)] is not ALL)
    assert len(reaching.reads[id(comprehension_read)]) == 1
    lazy = [n for n in walk_nodes(fn) if type(n) is cst.GeneratorExp][0]
    assert all(reaching.reads[id(n)] is ALL for n in walk_nodes(lazy) if type(n) is cst.Name and id(n) in reaching.reads)
