"""NG005 unscoped-grad-mode-switch."""

from __future__ import annotations

import os
import re
from typing import Optional

import libcst as cst

from ..analysis.gradmode import Mode, grad_api
from ..analysis.names import parameter_names
from ..analysis.patterns import is_test_file
from ..analysis.walker import walk_nodes
from ..fixes.wrap import _PositionState, _offset, locate, statement_of, torch_alias
from .base import UNSAFE, Invalid, Rule, RuleDocs

# inference_mode is left out: its `__enter__()` on a discarded guard ends at once (NG006 reports it).
_SWITCH_APIS = ("no_grad", "enable_grad")
# Methods whose job is to switch state for someone else (a context manager, test set-up),
# with the restore in their counterpart.
_SETUP_METHODS = frozenset(
    {"__enter__", "__exit__", "__aenter__", "__aexit__", "setUp", "tearDown", "setUpClass", "tearDownClass",
     "setup_method", "teardown_method", "setup_class", "teardown_class", "setup_module", "teardown_module",
     "setup", "teardown", "on_train_start", "on_train_end", "on_fit_start", "on_fit_end"}
)


class UnscopedGradModeSwitch(Rule):
    code = "NG005"
    name = "unscoped-grad-mode-switch"
    message = "grad-mode switch is not scoped"
    fix_applicability = UNSAFE
    triggers = (r"set_grad_enabled\s*\(", r"\.__enter__\(")
    docs = RuleDocs(
        what=(
            "Checks for `torch.set_grad_enabled(...)` (any spelling, including `torch._C._set_grad_enabled`), "
            "`torch.no_grad().__enter__()` and `torch.enable_grad().__enter__()` called as a plain "
            "statement inside a function or class body, when the previous state is not restored in a "
            "`finally:` block. A single switch at the top level of a script (module level, or under "
            "`if __name__ == \"__main__\":`) is allowed, but not at the top level of a package's `__init__.py`, "
            "which every import runs (nor in a function it calls there, such as a library's `setup()`); so are "
            "switches in `__enter__`/`__exit__` and test set-up/tear-down methods (`setUp`, `setup_method`, and "
            "`setup`/`teardown` functions of a test module), whose counterpart restores the state, and functions the same "
            "file starts in a thread or process of their own (`Thread(target=worker)`, "
            "`executor.submit(worker, ...)`), or the `run()` of a `threading.Thread` or "
            "`multiprocessing.Process` subclass, since each thread has its own grad mode. A function "
            "whose one job is `torch.set_grad_enabled(<its parameter>)` (a setter such as "
            "`toggle_autodiff(mode)`) is an API for the global mode, not a leak; nor is a function's first "
            "switch turning gradients on (`torch.set_grad_enabled(True)` after a library's loader turned "
            "them off): it sets back the default, with nothing temporary to leak; nor a pair of methods "
            "of one class that only set opposite literal modes (`def eval(self): torch.set_grad_enabled(False); "
            "self.model.eval()` beside `def train(self)` with `True`): an object's documented mode API, whose "
            "counterpart restores it. A script's "
            "`main()` called from its `if __name__ == \"__main__\":` block counts as top level, and so does a "
            "command of a command-line framework the file imports (`@click.command()`, `@cli.command()` on a "
            "click group, `@app.command()` on a typer app): a console script's entry point, run once per process."
        ),
        why=(
            "The grad mode is global, thread-local state. A function that turns it off and back on at its "
            "end leaks the switch when an exception or an early `return` skips the second call: every "
            "caller after it runs without gradients (training silently stops learning), or with them "
            "(evaluation holds every activation in memory). Threads in a data loader or a server each "
            "see their own state, which makes such leaks hard to trace."
        ),
        example=(
            "def evaluate(model, loader):\n"
            "    torch.set_grad_enabled(False)\n"
            "    scores = [score(model(x), y) for x, y in loader]\n"
            "    torch.set_grad_enabled(True)\n"
            "    return scores\n"
        ),
        use_instead=(
            "def evaluate(model, loader):\n"
            "    with torch.set_grad_enabled(False):\n"
            "        scores = [score(model(x), y) for x, y in loader]\n"
            "    return scores\n"
        ),
        fix_safety=(
            "The fix is unsafe. When the switch and its restore are in the same block it turns the pair "
            "into a `with` block around the statements between them; that is what the code meant, but it "
            "changes behaviour: the `with` block restores the state that was in force before (not a "
            "hard-coded `True`), also when an exception or an early `return` leaves the block. A lone "
            "switch without a restore has no automatic fix."
        ),
    )

    VALID = (
        # the body of a thread of its own: grad mode is per thread
        "import threading\nimport torch\nclass Worker(threading.Thread):\n    def run(self):\n"
        "        torch.set_grad_enabled(False)\n        self.out = [self.net(b) for b in self.batches]\n",
        # a setter whose one job is the global mode its caller asks for
        "import torch\nclass Session:\n    def set_autograd(self, enabled):\n        torch.set_grad_enabled(enabled)\n",
        "import torch\ntorch.set_grad_enabled(False)\nmodel = load()\n",
        "import torch\nif __name__ == '__main__':\n    torch.set_grad_enabled(False)\n    main()\n",
        "import torch\ndef f(model, x):\n    prev = torch.is_grad_enabled()\n    torch.set_grad_enabled(False)\n"
        "    try:\n        return model(x)\n    finally:\n        torch.set_grad_enabled(prev)\n",
        "import torch\ndef f(model, x):\n    try:\n        torch.set_grad_enabled(False)\n        return model(x)\n"
        "    finally:\n        torch.set_grad_enabled(True)\n",
        "import torch\ndef f(model, x, train):\n    with torch.set_grad_enabled(train):\n        return model(x)\n",
        "import torch\nclass NoGrad:\n    def __enter__(self):\n        self.prev = torch.is_grad_enabled()\n"
        "        torch.set_grad_enabled(False)\n    def __exit__(self, *exc):\n        torch.set_grad_enabled(self.prev)\n",
        "import torch\nimport unittest\nclass T(unittest.TestCase):\n    def setUp(self):\n"
        "        torch.set_grad_enabled(False)\n    def tearDown(self):\n        torch.set_grad_enabled(True)\n",
        "import torch\nimport pytest\n@pytest.fixture\ndef no_grad_mode():\n    torch.set_grad_enabled(False)\n"
        "    yield\n    torch.set_grad_enabled(True)\n",
        # Not torch's set_grad_enabled.
        "def set_grad_enabled(flag):\n    pass\ndef f():\n    set_grad_enabled(False)\n",
        # Putting back a saved state after code that changed it.
        "import torch\ndef trace(fn, *args):\n    prior = torch.is_grad_enabled()\n    out = fn(*args)\n"
        "    torch.set_grad_enabled(prior)\n    return out\n",
        # A decorator / context-manager class: __exit__ restores.
        "import torch\nclass set_mode:\n    def __init__(self, mode):\n        self.prev = torch.is_grad_enabled()\n"
        "        torch._C._set_grad_enabled(mode)\n    def __enter__(self):\n        pass\n"
        "    def __exit__(self, *exc):\n        torch._C._set_grad_enabled(self.prev)\n",
        # The state is queried, not changed.
        "import torch\ndef f():\n    return torch.is_grad_enabled()\n",
        # An object's mode API: each method only sets a literal mode, the other restores it.
        "import torch\nclass Hub:\n    def train(self):\n        torch.set_grad_enabled(True)\n"
        "        self.model.train()\n\n    def eval(self):\n        torch.set_grad_enabled(False)\n"
        "        self.model.eval()\n",
        # Gradients turned back on after a library's loader turned them off: the default set back.
        "import torch\ndef load(pipeline_cls, path):\n    pipe = pipeline_cls.from_pretrained(path)\n"
        "    torch.set_grad_enabled(True)\n    return pipe\n",
        # A script's entry point: the switch sets the mode of the whole run.
        "import torch\ndef main():\n    model = build()\n    torch.set_grad_enabled(False)\n"
        "    for x in loader:\n        model(x)\n\nif __name__ == '__main__':\n    main()\n",
        # Grad mode is per thread: a worker thread takes over its parent's mode first thing.
        "import threading\nimport torch\ndef run_all(model, inputs):\n    grad_enabled = torch.is_grad_enabled()\n"
        "    results = {}\n    def worker(i, x):\n        torch.set_grad_enabled(grad_enabled)\n"
        "        results[i] = model(x)\n    threads = [threading.Thread(target=worker, args=(i, x))"
        " for i, x in enumerate(inputs)]\n    for t in threads:\n        t.start()\n    for t in threads:\n"
        "        t.join()\n    return results\n",
    )
    INVALID = (
        Invalid(
            "import torch\n\ndef evaluate(model, loader):\n    torch.set_grad_enabled(False)\n"
            "    scores = [model(x) for x in loader]  # forward only\n    torch.set_grad_enabled(True)\n"
            "    return scores\n",
            expected_fix=(
                "import torch\n\ndef evaluate(model, loader):\n    with torch.set_grad_enabled(False):\n"
                "        scores = [model(x) for x in loader]  # forward only\n"
                "    return scores\n"
            ),
        ),
        Invalid(
            "import torch as T\n\nclass Runner:\n    def infer(self, batch):\n        prev = T.is_grad_enabled()\n"
            "        T.set_grad_enabled(False)\n        out = self.model(batch)\n\n        # post-process\n"
            "        if self.softmax:\n            out = out.softmax(-1)\n        T.set_grad_enabled(prev)\n"
            "        return out\n",
            expected_fix=(
                "import torch as T\n\nclass Runner:\n    def infer(self, batch):\n"
                "        with T.set_grad_enabled(False):\n            out = self.model(batch)\n\n"
                "            # post-process\n            if self.softmax:\n                out = out.softmax(-1)\n"
                "        return out\n"
            ),
        ),
        Invalid(
            "import torch\ndef predict(model, x):\n    torch.no_grad().__enter__()\n    return model(x)\n",
        ),
        # the saved state is read again inside the block: its assignment stays
        Invalid(
            "import torch\ndef solve(xs, last):\n    prev = torch.is_grad_enabled()\n    torch.set_grad_enabled(False)\n"
            "    for i, x in enumerate(xs):\n        if i == last:\n            torch.set_grad_enabled(prev)\n"
            "        y = x * 2\n    torch.set_grad_enabled(prev)\n    return y\n",
            expected_fix=(
                "import torch\ndef solve(xs, last):\n    prev = torch.is_grad_enabled()\n"
                "    with torch.set_grad_enabled(False):\n        for i, x in enumerate(xs):\n            if i == last:\n"
                "                torch.set_grad_enabled(prev)\n            y = x * 2\n    return y\n"
            ),
        ),
        Invalid(
            "from torch.autograd import set_grad_enabled\ndef predict(model, x):\n    set_grad_enabled(False)\n"
            "    y = model(x)\n    if y is None:\n        return None\n    set_grad_enabled(True)\n    return y\n",
            expected_fix=(
                "from torch.autograd import set_grad_enabled\ndef predict(model, x):\n"
                "    with set_grad_enabled(False):\n        y = model(x)\n        if y is None:\n"
                "            return None\n    return y\n"
            ),
        ),
        "import torch\nclass Model:\n    torch._C._set_grad_enabled(False)\n",
        Invalid(
            "import torch\ndef embed(model, x):\n    torch._C._set_grad_enabled(False)\n    y = model(x)\n"
            "    torch._C._set_grad_enabled(True)\n    return y\n",
            expected_fix=(
                "import torch\ndef embed(model, x):\n    with torch.set_grad_enabled(False):\n        y = model(x)\n"
                "    return y\n"
            ),
        ),
        "import torch\nimport contextlib\n@contextlib.contextmanager\ndef frozen():\n"
        "    torch.set_grad_enabled(False)\n    yield\n    torch.set_grad_enabled(True)\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._switched: set = set()  # functions whose first switch was seen

    def visit_Expr(self, node: cst.Expr) -> None:
        switch = _switch_call(node.value, self.ctx.aliases)
        if switch is None:
            return
        fn = self.ctx.function
        if fn is None and self.ctx.klass is None and os.path.basename(self.ctx.path) != "__init__.py":
            return  # module level: a script's entry point (a package's `__init__` runs on every import)
        if _restores_saved_state(switch):
            return  # `set_grad_enabled(prev)`: a restore; the switch it undoes is reported, if any
        if fn is not None:
            if fn.klass is not None and "__exit__" in fn.klass.method_names:
                return  # a context manager's own implementation (its __exit__ restores)
            if fn.key in self._switched:
                return  # a later switch in the same function: the restore of the first
            self._switched.add(fn.key)
            if fn.name in _SETUP_METHODS and (fn.klass is not None or is_test_file(
                    self.ctx.path, self.ctx.module_node, self.ctx.aliases)) or _is_fixture(fn.node, self.ctx):
                return  # (a library's own `setup()`, run when it is imported, is no test set-up)
            if _turns_on(switch, self.ctx.aliases):
                # `set_grad_enabled(True)` with no switch off before it: the default mode set back
                # (after a library's loader turned gradients off), no temporary switch to leak.
                return
            if _is_mode_setter(fn.node, switch):
                return  # `def toggle_autodiff(self, mode): torch.set_grad_enabled(mode)`: the switch is its API
            if fn.klass is not None and _paired_setter(fn.node, fn.klass.node, switch, self.ctx.aliases):
                return  # `def eval(self): set_grad_enabled(False)` beside `def train(self): ...(True)`: an API pair
            if fn.mode is not Mode.INHERIT:
                # The body runs inside a grad-mode context manager that restores the caller's
                # mode when it exits, also on an exception: a decorator (`@torch.no_grad()`) or a
                # framework's (Lightning's `validation_step`, an optimizer's `step`).
                return
            if _restored_in_finally(fn.node, node, self.ctx.aliases):
                return
            if fn.name == "run" and fn.klass is not None and fn.klass.derives_from(*_THREAD_CLASSES):
                # `class Worker(Process): def run(self)`: run() is the body of a thread or process
                # of its own, and grad mode is per thread: nothing outside it sees the switch.
                return
            if _runs_in_own_thread(self.ctx.module_node, fn.name):
                return  # grad mode is per thread: setting it first thing in a worker is the idiom
            if fn.klass is None and _is_script_entry_point(self.ctx.module_node, fn.name):
                return  # `def main(): ...` run by `if __name__ == "__main__": main()`: the whole script
            if fn.klass is None and _is_cli_command(fn.node, self.ctx.aliases):
                return  # `@cli.command() def predict(...)`: a console script's command, the whole run
        module = self.ctx.module_node
        code = module.code_for_node(switch)
        fix = self._pair_fix(node, switch) if fn is not None else None
        later = _later_switches(fn.node, node, self.ctx.aliases) if fn is not None else None
        if later == []:
            # Nothing in the function switches back: the mode outlives it on every path.
            leak = f"nothing in `{fn.name}` switches it back, so it stays in force for the caller after it returns"
        elif later and not _turns_on(switch, self.ctx.aliases) and all(
                _turns_on(c, self.ctx.aliases) for c in later):
            # `set_grad_enabled(False) ... set_grad_enabled(True)`: the end turns gradients on
            # whatever the caller had (inside a caller's `no_grad()`, gradients come back on).
            leak = ("the `set_grad_enabled(True)` that ends it turns gradients on even for a caller that had them "
                    "off, and an exception or early return leaks it")
        else:
            leak = "an exception or early return leaks it"
        self.report(
            node,
            f"`{code}` switches grad mode for the whole thread and {leak}; "
            f"use `with {_context_code(switch, module, self.ctx.aliases)}:` or restore it in `finally:`",
            fix=fix,
        )

    # -- the fix -------------------------------------------------------------------------
    def _pair_fix(self, expr: cst.Expr, switch: cst.Call):
        module = self.ctx.module_node
        stmt = self._statement_of(expr)
        if stmt is None:
            return None
        where = locate(module, stmt)
        if where is None:
            return None
        body, index, indent = where
        restore_index = None
        for j in range(index + 1, len(body)):
            candidate = body[j]
            if _is_restore(candidate, self.ctx.aliases):
                restore_index = j
                break
        if restore_index is None or restore_index == index + 1:
            return None
        restore = body[restore_index]
        if restore.trailing_whitespace.comment is not None or any(l.comment for l in restore.leading_lines):
            return None
        context = _context_expr(switch, self.ctx.aliases, module)
        if context is None:
            return None
        inner = list(body[index + 1: restore_index])
        inner[0] = inner[0].with_changes(leading_lines=())
        first = stmt
        # `prev = torch.is_grad_enabled()` right before the switch, used only by the restore.
        # (Kept when anything else reads the name: a second restore inside the block, a later test.)
        if index > 0 and _saves_state(body[index - 1], restore) and not stmt.leading_lines and not _reads_name(
                [*body[index + 1: restore_index], *body[restore_index + 1:]], body[index - 1].body[0].targets[0].target.value):
            first = body[index - 1]
        with_node = cst.With(
            items=[cst.WithItem(item=context)],
            body=cst.IndentedBlock(body=inner, header=stmt.trailing_whitespace),
        )
        state = _PositionState(module, {id(with_node)})
        state.indent_tokens = [indent] if indent else []
        with_node._codegen(state)
        text = "".join(state.tokens)
        line, col, _, _ = state.spans[id(with_node)]
        text = text[_offset(text, line, col):]
        newline = module.default_newline
        if text.endswith(newline):
            text = text[: -len(newline)]
        return self.fix(UNSAFE, "Turn the switch and its restore into a `with` block (assumes nothing between them relies on the mode outliving an exception)").replace_range(
            first, restore, text
        )

    def _statement_of(self, expr: cst.Expr) -> Optional[cst.SimpleStatementLine]:
        line = statement_of(self.ctx.module_node, expr)
        if line is not None and len(line.body) == 1 and line.body[0] is expr:
            return line
        return None


_SWITCH_WORDS = ("set_grad_enabled", "_set_grad_enabled", "__enter__")


def _switch_call(value: cst.BaseExpression, aliases) -> Optional[cst.Call]:
    """The grad-mode call a statement switches with: `set_grad_enabled(x)` or the `no_grad()` of
    `no_grad().__enter__()`."""
    if not type(value) is cst.Call:
        return None
    func = value.func
    # The cheap test first: this runs on every expression statement of a candidate file.
    if type(func) is cst.Attribute:
        if func.attr.value not in _SWITCH_WORDS:
            return None
    elif not (type(func) is cst.Name and aliases.names.get(func.value, "").endswith("set_grad_enabled")):
        return None
    if type(func) is cst.Attribute and func.attr.value == "__enter__" and type(func.value) is cst.Call:
        if grad_api(func.value.func, aliases) in _SWITCH_APIS:
            return value
        return None
    if grad_api(func, aliases) == "set_grad_enabled":
        return value
    return None


def _later_switches(fn: cst.FunctionDef, expr: cst.Expr, aliases) -> list:
    """The grad-mode switches a function makes after ``expr`` (statements, in source order)."""
    out, seen = [], False
    for node in walk_nodes(fn.body):
        if node is expr:
            seen = True
        elif seen and type(node) is cst.Expr:
            switch = _switch_call(node.value, aliases)
            if switch is not None or _is_restore_call(node.value, aliases):
                out.append(switch if switch is not None else node.value)
    return out


def _is_restore_call(value: cst.BaseExpression, aliases) -> bool:
    """`guard.__exit__(None, None, None)`: the mode an `__enter__` saved, put back."""
    return type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value == "__exit__"


def _turns_on(switch: cst.Call, aliases) -> bool:
    """`set_grad_enabled(True)` or `enable_grad().__enter__()`."""
    func = switch.func
    if type(func) is cst.Attribute and func.attr.value == "__enter__":
        return grad_api(func.value.func, aliases) == "enable_grad"
    return bool(switch.args) and type(switch.args[0].value) is cst.Name and switch.args[0].value.value == "True"


def _context_expr(switch: cst.Call, aliases=None, module: Optional[cst.Module] = None) -> Optional[cst.BaseExpression]:
    """The context manager equivalent to a switch: `no_grad()` for `no_grad().__enter__()`,
    `torch.set_grad_enabled(x)` for the `torch._C` functions (which are not context managers)."""
    func = switch.func
    if type(func) is cst.Attribute and func.attr.value == "__enter__":
        return func.value
    qualified = aliases.resolve(func) if aliases is not None else None
    if qualified is not None and qualified.startswith("torch._C."):
        alias = torch_alias(module, (), aliases) if module is not None else None
        if alias is None:
            return None
        return switch.with_changes(func=cst.Attribute(value=cst.Name(alias), attr=cst.Name("set_grad_enabled")))
    return switch


def _context_code(switch: cst.Call, module: cst.Module, aliases=None) -> str:
    expr = _context_expr(switch, aliases, module)
    return module.code_for_node(expr) if expr is not None else "torch.set_grad_enabled(...)"


_SAVED_STATE = re.compile(r"(?:^|_)(?:prev|previous|prior|old|orig|original|saved|was)(?:_|$)", re.I)


def _restores_saved_state(switch: cst.Call) -> bool:
    """`set_grad_enabled(prev)`, `set_grad_enabled(self.prior_mode)`: putting back a saved state."""
    if type(switch.func) is cst.Attribute and switch.func.attr.value == "__enter__" or not switch.args:
        return False
    arg = switch.args[0].value
    name = arg.value if type(arg) is cst.Name else arg.attr.value if type(arg) is cst.Attribute else None
    return name is not None and bool(_SAVED_STATE.search(name))


def _is_restore(stmt: cst.CSTNode, aliases) -> bool:
    if not type(stmt) is cst.SimpleStatementLine or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    if not type(small) is cst.Expr or not type(small.value) is cst.Call:
        return False
    call = small.value
    func = call.func
    if type(func) is cst.Attribute and func.attr.value == "__exit__":
        return True
    return grad_api(func, aliases) == "set_grad_enabled"


def _saves_state(stmt: cst.CSTNode, restore: cst.SimpleStatementLine) -> bool:
    """`prev = torch.is_grad_enabled()` whose name the restore passes back."""
    if not type(stmt) is cst.SimpleStatementLine or len(stmt.body) != 1:
        return False
    assign = stmt.body[0]
    if not type(assign) is cst.Assign or len(assign.targets) != 1:
        return False
    target = assign.targets[0].target
    value = assign.value
    if not (type(target) is cst.Name and type(value) is cst.Call and type(value.func) in (cst.Attribute, cst.Name)):
        return False
    fname = value.func.attr.value if type(value.func) is cst.Attribute else value.func.value
    if fname != "is_grad_enabled":
        return False
    call = restore.body[0].value
    return bool(call.args) and type(call.args[0].value) is cst.Name and call.args[0].value.value == target.value


def _reads_name(statements: list, name: str) -> bool:
    return any(type(n) is cst.Name and n.value == name for stmt in statements for n in walk_nodes(stmt))


def _restored_in_finally(fn: cst.FunctionDef, stmt: cst.Expr, aliases) -> bool:
    """Whether a `try:` in the function restores grad mode in its `finally:`, and the switch is
    inside that `try:` or before it (a candidate-only scan of the function)."""
    for node in walk_nodes(fn.body):
        if type(node) in (cst.Try, cst.TryStar) and node.finalbody is not None:
            if any(_is_restore(s, aliases) or _restores_deep(s, aliases) for s in node.finalbody.body.body):
                return True
    return False


def _restores_deep(stmt: cst.CSTNode, aliases) -> bool:
    for node in walk_nodes(stmt):
        if type(node) is cst.Call:
            func = node.func
            if type(func) is cst.Attribute and func.attr.value == "__exit__":
                return True
            if grad_api(func, aliases) == "set_grad_enabled":
                return True
    return False


_THREAD_STARTERS = frozenset({"submit", "map", "apply_async", "start_new_thread", "run_in_executor"})
# Classes whose subclasses' `run()` is the body of a new thread or process (the standard
# library's protocol; torch.multiprocessing re-exports multiprocessing's).
_THREAD_CLASSES = ("threading.Thread", "multiprocessing.Process", "multiprocessing.context.Process",
                   "multiprocessing.process.BaseProcess", "torch.multiprocessing.Process",
                   "multiprocessing.dummy.Process")


def _runs_in_own_thread(module: cst.Module, name: str) -> bool:
    """Whether this file starts ``name`` in a thread or process of its own
    (`Thread(target=name)`, `executor.submit(name, ...)`): the grad mode it sets is that
    thread's alone and ends with it. Only run for a function about to be reported."""
    for node in walk_nodes(module):
        if not type(node) is cst.Call:
            continue
        for i, arg in enumerate(node.args):
            value = arg.value
            if not (type(value) is cst.Name and value.value == name):
                continue
            if arg.keyword is not None and arg.keyword.value == "target":
                return True
            func = node.func
            attr = func.attr.value if type(func) is cst.Attribute else None
            if arg.keyword is None and attr in _THREAD_STARTERS and i == (1 if attr == "run_in_executor" else 0):
                return True
    return False


def _is_script_entry_point(module: cst.Module, name: str) -> bool:
    """Whether the file's `if __name__ == "__main__":` block calls ``name`` (a script's `main()`:
    a switch there sets the mode of the whole run, like one at module level). Only run for a
    function about to be reported."""
    for stmt in module.body:
        if not type(stmt) is cst.If:
            continue
        test = stmt.test
        if not (type(test) is cst.Comparison and type(test.left) is cst.Name and test.left.value == "__name__"):
            continue
        for node in walk_nodes(stmt.body):
            if type(node) is cst.Call and type(node.func) is cst.Name and node.func.value == name:
                return True
    return False


# Command-line frameworks whose commands are a console script's entry points (one per process).
_CLI_FRAMEWORKS = frozenset({"click", "typer", "rich_click", "cloup"})


def _is_cli_command(fn: cst.FunctionDef, aliases) -> bool:
    """Whether ``fn`` is a command of a command-line framework the file imports: decorated
    `@click.command()`, `@cli.command()` on a group, `@app.command()` on a typer app (a decorator
    whose last name is `command`, in a file that imports click or typer). Like a script's `main()`,
    its switch sets the mode of the whole run."""
    if not any(q.split(".", 1)[0] in _CLI_FRAMEWORKS for q in aliases.names.values()):
        return False
    for decorator in fn.decorators:
        expr = decorator.decorator
        if type(expr) is cst.Call:
            expr = expr.func
        name = expr.attr.value if type(expr) is cst.Attribute else expr.value if type(expr) is cst.Name else ""
        if name == "command":
            return True
    return False


def _is_mode_setter(fn: cst.FunctionDef, switch: cst.Call) -> bool:
    """A function whose one job is the switch, to the mode its caller passes: its last statement
    is `set_grad_enabled(<a parameter>)`, and nothing before it runs a model or a loop (a
    docstring, logging). Setting the global mode is what it is called for."""
    if not switch.args or type(switch.args[0].value) is not cst.Name:
        return False
    if switch.args[0].value.value not in parameter_names(fn):
        return False
    body = fn.body.body if type(fn.body) is cst.IndentedBlock else ()
    if not body or not (type(body[-1]) is cst.SimpleStatementLine and body[-1].body
                        and type(body[-1].body[-1]) is cst.Expr and body[-1].body[-1].value is switch):
        return False
    return all(type(stmt) is cst.SimpleStatementLine for stmt in body)


def _paired_setter(fn: cst.FunctionDef, klass: cst.ClassDef, switch: cst.Call, aliases) -> bool:
    """A method made of simple statements that sets a literal grad mode, in a class with another
    such method that sets the opposite one (`def eval(self): torch.set_grad_enabled(False);
    self.model.eval()` and `def train(self)` with `True`): a documented mode API of the object, the
    counterpart restores what it switches, as `__enter__` / `__exit__` do."""
    mode = _literal_mode(switch, aliases)
    if mode is None or not _simple_setter(fn, aliases):
        return False
    body = klass.body.body if type(klass.body) is cst.IndentedBlock else ()
    for other in body:
        if type(other) is cst.FunctionDef and other is not fn and _simple_setter(other, aliases):
            for line in other.body.body:
                for small in line.body:
                    found = _switch_call(small.value, aliases) if type(small) is cst.Expr else None
                    if found is not None and _literal_mode(found, aliases) == (not mode):
                        return True
    return False


def _literal_mode(switch: cst.Call, aliases) -> Optional[bool]:
    """True / False for `set_grad_enabled(True / False)`, `enable_grad()` / `no_grad()` entered; else None."""
    func = switch.func
    if type(func) is cst.Attribute and func.attr.value == "__enter__" and type(func.value) is cst.Call:
        api = grad_api(func.value.func, aliases)
        return True if api == "enable_grad" else False if api == "no_grad" else None
    if switch.args and type(switch.args[0].value) is cst.Name and switch.args[0].value.value in ("True", "False"):
        return switch.args[0].value.value == "True"
    return None


def _simple_setter(fn: cst.FunctionDef, aliases) -> bool:
    """A body of a docstring, one grad-mode switch and mode switches of models (`self.model.eval()`):
    nothing is computed between the switch and its counterpart."""
    body = fn.body.body if type(fn.body) is cst.IndentedBlock else ()
    switches = 0
    for stmt in body:
        if type(stmt) is not cst.SimpleStatementLine:
            return False
        for small in stmt.body:
            value = small.value if type(small) is cst.Expr else None
            if type(value) is cst.SimpleString:
                continue  # the docstring
            if type(value) is not cst.Call:
                return False
            if _switch_call(value, aliases) is not None:
                switches += 1
            elif not (type(value.func) is cst.Attribute and value.func.attr.value in ("eval", "train", "requires_grad_")):
                return False
    return switches == 1


def _is_fixture(fn: cst.FunctionDef, ctx) -> bool:
    for decorator in fn.decorators:
        expr = decorator.decorator
        if type(expr) is cst.Call:
            expr = expr.func
        name = ctx.aliases.resolve(expr) or ""
        if name.endswith("fixture") or name.endswith("yield_fixture"):
            return True
    return False
