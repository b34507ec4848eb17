"""Hypothesis strategies and checks for the linter's property-based tests (tests/lint/test_fuzz.py).

``torch_programs()`` builds torch-flavoured programs: random nestings of ``for``/``while``/``if``/
``try``/``with`` blocks (every grad-mode spelling, including the buggy ones), decorated functions,
methods and classes, and the statements the rules look at (model calls, ``loss.backward()``,
``optimizer.step()``, ``total += loss``, ``.append(out)``, ``p -= lr * p.grad``, ``.data``,
``requires_grad = False``, ``torch.set_grad_enabled(False)``, ``.eval()``/``.train()``...). Every
program it builds compiles with the running Python (``compile()`` is checked by the tests).

``fix_until_stable()`` applies fixes the way ``nogradlint --fix --unsafe-fixes`` does: lint, apply
one round of non-overlapping fixes, lint again, at most ``cli.MAX_FIX_ROUNDS`` rounds.
"""

from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass, field

import libcst as cst
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from nogradlint import cli
from nogradlint.fixes.apply import choose_fixes, fixed_text, plan_fixes
from nogradlint.runner import lint_text

# -- profiles ---------------------------------------------------------------------------------
# fast: part of every test run, derandomized so CI sees the same programs each time.
# long: NOGRADLINT_FUZZ=long (docs/reliability.md), random seeds, many examples.
FUZZ = os.environ.get("NOGRADLINT_FUZZ", "fast")
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
           HealthCheck.function_scoped_fixture]
settings.register_profile("nogradlint-fast", max_examples=30, deadline=None, derandomize=True,
                          suppress_health_check=_HEALTH, print_blob=True)
settings.register_profile("nogradlint-long", deadline=None, derandomize=False, suppress_health_check=_HEALTH,
                          max_examples=int(os.environ.get("NOGRADLINT_FUZZ_EXAMPLES", "20000")), print_blob=True)


# The long profile stops each property after NOGRADLINT_FUZZ_SECONDS (default 120) with a skip
# that says how many programs passed: `pytest -rs` prints it.
BUDGET_SECONDS = float(os.environ.get("NOGRADLINT_FUZZ_SECONDS", "120"))
COUNTS: dict = {}
_STARTED: dict = {}


def tick(name: str) -> None:
    """Count one example of property ``name``; in the long profile, end the property when its
    time budget is spent (every example before this one passed)."""
    now = time.monotonic()
    started = _STARTED.setdefault(name, now)
    if FUZZ == "long" and now - started > BUDGET_SECONDS:
        import pytest

        pytest.skip(f"long fuzz {name}: {COUNTS.get(name, 0)} programs passed in {now - started:.0f} s")
    COUNTS[name] = COUNTS.get(name, 0) + 1


def profile(fast_examples: int):
    """Settings for one property: ``fast_examples`` in the normal run, the long profile otherwise."""
    if FUZZ == "long":
        return settings(settings.get_profile("nogradlint-long"))
    return settings(settings.get_profile("nogradlint-fast"), max_examples=fast_examples)


# -- torch-flavoured programs -------------------------------------------------------------------

IMPORTS = [
    "import torch",
    "import torch as T",
    "from torch import no_grad as ng",
    "from torch import set_grad_enabled",
    "from torch import inference_mode, enable_grad",
    "import torch.nn as nn",
    "from torch import nn",
    "import functools",
    "import contextlib",
    "import torch.nn.functional as F",
]

WITH_ITEMS = [
    "torch.no_grad()",
    "torch.enable_grad()",
    "T.inference_mode()",
    "torch.inference_mode(False)",
    "inference_mode()",
    "set_grad_enabled(flag)",
    "set_grad_enabled(False)",
    "torch.set_grad_enabled(True)",
    "torch.autograd.set_grad_enabled(training)",
    "ng()",
    "torch.no_grad",  # missing call: NG006 and its fix
    "T.inference_mode",
    "ng",
    "enable_grad",
    "torch.autocast('cpu')",
    "contextlib.nullcontext()",
    "open(path) as fh",
    "torch.no_grad(), open(path) as fh",
    "ng() as guard",
]

DECORATORS = [
    "@torch.no_grad()",
    "@torch.no_grad",
    "@T.inference_mode()",
    "@T.inference_mode",
    "@ng()",
    "@ng",
    "@torch.enable_grad()",
    "@set_grad_enabled(False)",
    "@functools.lru_cache(maxsize=None)",
    "@contextlib.contextmanager",
]

SIMPLE = [
    "out = model(x)",
    "out = self.model(x)",
    "loss = criterion(model(x), y)",
    "loss = loss_fn(out, y)",
    "loss.backward()",
    "loss.backward(retain_graph=True)",
    "optimizer.step()",
    "optimizer.step(closure)",
    "optimizer.zero_grad()",
    "scheduler.step()",
    "total += loss",
    "total += loss.item()",
    "total_loss = total_loss + loss",
    "losses.append(out)",
    "losses.append(loss)",
    "preds.append(out.argmax(1))",
    "outputs.append(out.detach())",
    "p -= lr * p.grad",
    "p.data -= lr * p.grad",
    "p.data.add_(p.grad, alpha=-lr)",
    "w = model.weight.data",
    "p.grad = None",
    "p.requires_grad = False",
    "model.weight.requires_grad = False",
    "model.requires_grad = False",
    "model.requires_grad_(False)",
    "torch.set_grad_enabled(False)",
    "torch.set_grad_enabled(True)",
    "set_grad_enabled(flag)",
    "torch.no_grad()",
    "T.inference_mode()",
    "ng()",
    "x.detach()",
    "x = x.detach()",
    "hidden = hidden.detach()",
    "model.eval()",
    "model.train()",
    "self.eval()",
    "model.train(mode)",
    "grads = torch.autograd.grad(loss, params)",
    "closure = lambda: criterion(model(x), y)",
    "guard = torch.no_grad()",
    "guard.__enter__()",
    "cache[key] = out",
    "x, y = batch",
    "pass",
    "y = x * 2 if flag else x",
    "acc = (out.argmax(1) == y).float().mean()",
    "print(f'loss {loss:.3f}')",
    "loss = closure()",
    "loss = closure() if closure is not None else None",
    "correct += (out.argmax(1) == y).sum().item()",
    "preds = [model(x) for x in loader]",
    "h = model.conv(x).data",
    "out = F.linear(x, model.weight.data)",
    "loss = criterion(out.data, y)",
    "evaluate(model, x)",
    "validate(model, loader)",
    "train_step(model, x)",
    "opt.step()",
    "model.load_state_dict(state)",
    "ema.update(model)",
]

LOOP_ONLY = ["break", "continue"]
FUNCTION_ONLY = ["return out", "return loss", "return", "yield out", "return total / len(loader)"]
METHOD_ONLY = ["self.cache = out", "self.last = loss", "return self.model(x)", "out = super().forward(x)",
               "super().__init__()", "self.fc = nn.Linear(4, 2)", "self.weight = nn.Parameter(torch.randn(2))",
               "return F.linear(x, self.weight.data)", "yield self.model(x)", "self.model.eval()",
               "self.model.train()", "self.evaluate(loader)", "return self.fc(x)"]

FOR_HEADERS = ["for x, y in loader:", "for batch in loader:", "for p in model.parameters():",
               "for i in range(epochs):", "for name, p in model.named_parameters():"]
WHILE_HEADERS = ["while step < steps:", "while True:", "while not done:"]
IF_HEADERS = ["if flag:", "if training:", "if p.grad is None:", "if i % 10 == 0:"]
FUNC_NAMES = ["evaluate", "train_step", "validate", "predict", "run", "update", "fit", "helper"]
METHOD_NAMES = ["__init__", "forward", "training_step", "validation_step", "test_step", "evaluate", "predict",
                "train_epoch", "step", "on_validation_epoch_end", "fit"]
CLASS_BASES = ["nn.Module", "torch.nn.Module", "LightningModule", "pl.LightningModule", "torch.optim.Optimizer",
               "object", ""]


@dataclass(frozen=True)
class Where:
    in_function: bool = False
    in_method: bool = False
    in_loop: bool = False
    depth: int = 0


def _indent(lines: list[str], level: int = 1) -> list[str]:
    return ["    " * level + line if line else line for line in lines]


@st.composite
def _block(draw, where: Where, max_statements: int = 4) -> list[str]:
    n = draw(st.integers(1, max_statements))
    lines: list[str] = []
    for _ in range(n):
        lines.extend(draw(_statement(where)))
    return lines


@st.composite
def _statement(draw, where: Where) -> list[str]:
    kinds = ["simple"] * 6
    if where.depth < 4:
        kinds += ["for", "while", "if", "with", "with", "try", "def"]
        if not where.in_function:
            kinds += ["class"]
    if where.in_loop:
        kinds.append("loop_only")
    if where.in_function:
        kinds.append("function_only")
    if where.in_method:
        kinds.append("method_only")
    kind = draw(st.sampled_from(kinds))
    inner = Where(where.in_function, where.in_method, where.in_loop, where.depth + 1)
    if kind == "simple":
        return [draw(st.sampled_from(SIMPLE))]
    if kind == "loop_only":
        return [draw(st.sampled_from(LOOP_ONLY))]
    if kind == "function_only":
        return [draw(st.sampled_from(FUNCTION_ONLY))]
    if kind == "method_only":
        return [draw(st.sampled_from(METHOD_ONLY))]
    if kind in ("for", "while"):
        header = draw(st.sampled_from(FOR_HEADERS if kind == "for" else WHILE_HEADERS))
        loop = Where(where.in_function, where.in_method, True, where.depth + 1)
        out = [header] + _indent(draw(_block(loop)))
        if draw(st.integers(0, 5)) == 0:
            out += ["else:"] + _indent(draw(_block(inner, 2)))
        return out
    if kind == "if":
        out = [draw(st.sampled_from(IF_HEADERS))] + _indent(draw(_block(inner)))
        if draw(st.booleans()):
            out += ["else:"] + _indent(draw(_block(inner, 2)))
        return out
    if kind == "with":
        items = draw(st.lists(st.sampled_from(WITH_ITEMS), min_size=1, max_size=2))
        return [f"with {', '.join(items)}:"] + _indent(draw(_block(inner)))
    if kind == "try":
        out = ["try:"] + _indent(draw(_block(inner, 3)))
        out += ["except Exception:"] + _indent(draw(_block(inner, 2)))
        if draw(st.booleans()):
            out += ["finally:"] + _indent(draw(_block(inner, 2)))
        return out
    if kind == "def":
        decorators = draw(st.lists(st.sampled_from(DECORATORS), max_size=2))
        name = draw(st.sampled_from(FUNC_NAMES))
        body_where = Where(True, False, False, where.depth + 1)
        header = f"def {name}(model, x=None, y=None, loader=(), lr=0.1, closure=None):"
        return decorators + [header] + _indent(draw(_block(body_where)))
    # class
    base = draw(st.sampled_from(CLASS_BASES))
    name = draw(st.sampled_from(["Net", "Model", "Lit", "Evaluator"]))
    lines = [f"class {name}({base}):" if base else f"class {name}:"]
    methods = draw(st.lists(st.sampled_from(METHOD_NAMES), min_size=1, max_size=3, unique=True))
    body: list[str] = []
    for m in methods:
        decorators = draw(st.lists(st.sampled_from(DECORATORS), max_size=1))
        method_where = Where(True, True, False, where.depth + 1)
        body += decorators + [f"def {m}(self, x=None, y=None, loader=(), closure=None):"] + _indent(draw(_block(method_where)))
    if draw(st.booleans()):
        body = ["attr = None"] + body
    return lines + _indent(body)


@st.composite
def torch_programs(draw) -> str:
    """A torch-flavoured program that compiles (``compile(..., 'exec')``)."""
    imports = draw(st.lists(st.sampled_from(IMPORTS), min_size=0, max_size=len(IMPORTS), unique=True))
    body = draw(_block(Where(), max_statements=6))
    newline = draw(st.sampled_from(["\n"] * 8 + ["\r\n"]))
    return newline.join(imports + body) + newline


# -- the properties -----------------------------------------------------------------------------


def compiles(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<fuzz>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def libcst_parses(source: str) -> bool:
    try:
        cst.parse_module(source)
    except cst.ParserSyntaxError:
        return False
    return True


@dataclass
class FixRun:
    rounds: int
    text: str
    findings: list
    rejected: list = field(default_factory=list)


def fix_until_stable(source: str, path: str = "fuzz.py") -> FixRun:
    """``--fix --unsafe-fixes`` in-process, round by round, as ``cli._apply_fixes`` does.
    Checks on the way that every round's text parses, and that ``fixed_text`` (the public
    one-call API) gives the same text as the fix plan."""
    text = source
    rejected: list = []
    for rounds in range(cli.MAX_FIX_ROUNDS):
        findings = lint_text(text, path=path)
        if not choose_fixes(findings, unsafe=True):
            return FixRun(rounds, text, findings, rejected)
        plan = plan_fixes(text, findings, unsafe=True)
        rejected.extend(plan.rejected)
        assert fixed_text(text, choose_fixes(findings, unsafe=True)) == plan.new
        if not plan.changed:
            return FixRun(rounds, text, findings, rejected)
        assert libcst_parses(plan.new), f"round {rounds + 1} of fixes broke the code:\n{plan.new}"
        text = plan.new
    return FixRun(cli.MAX_FIX_ROUNDS, text, lint_text(text, path=path), rejected)
