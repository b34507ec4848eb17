"""Generate lint/analysis/framework_hooks.json: which framework hooks run without grad.

Frameworks call some of a user's methods and functions inside their own `torch.no_grad()` /
`inference_mode()`: Lightning's evaluation and prediction loops run every `validation_*`,
`test_*` and `predict_*` step and hook that way, and ignite's `create_supervised_evaluator`
runs its callables inside `torch.no_grad()`. This script reads those facts from the frameworks'
own sources with `ast` (it never imports them, so it needs neither torch nor the framework to
run), checks the evidence that the loops really disable grad, and writes one entry per source:

    python scripts/generate_framework_hooks.py WHEEL_OR_SITE_PACKAGES_DIR [...] [--check]

A source is a wheel (`lightning-2.6.6-py3-none-any.whl`, `pytorch_lightning-1.9.5-...whl`,
`pytorch_ignite-0.5.5-...whl`) or a directory holding the installed package. `--check` exits 1
when the committed data differs from what the sources give (tests/lint/test_framework_hooks.py
runs it for the frameworks installed in the test environment).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import zipfile

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lint", "analysis",
                    "framework_hooks.json")
_STAGES = ("validation", "test", "predict")
# Classes whose methods are the hooks a LightningModule (or a Callback) may override.
_HOOK_CLASSES = ("LightningModule", "ModelHooks", "Callback")


class SourceError(Exception):
    """A source that is not what the script knows how to read: the message says why."""


class _Package:
    """The files of one package, from a wheel or a directory, by their path inside it."""

    def __init__(self, location: str) -> None:
        self.location = location
        if zipfile.is_zipfile(location):
            self._zip = zipfile.ZipFile(location)
            self.names = self._zip.namelist()
        elif os.path.isdir(location):
            self._zip = None
            self.names = [os.path.relpath(os.path.join(root, f), location).replace(os.sep, "/")
                          for root, _, files in os.walk(location) for f in files if f.endswith((".py", "METADATA"))]
        else:
            raise SourceError(f"{location}: not a wheel nor a directory")

    def read(self, name: str) -> str:
        if self._zip is not None:
            return self._zip.read(name).decode("utf-8")
        with open(os.path.join(self.location, name), encoding="utf-8") as fh:
            return fh.read()

    def find(self, suffix: str) -> list:
        return sorted(n for n in self.names if n.endswith(suffix))

    def version(self, distribution: str) -> str:
        """The version from the package's METADATA (a wheel's .dist-info, or site-packages')."""
        pattern = re.compile(rf"^{re.escape(distribution).replace('_', '[-_]')}-[^/]+\.dist-info/METADATA$", re.I)
        for name in self.names:
            if pattern.match(name):
                match = re.search(r"^Version: (\S+)$", self.read(name), re.M)
                if match:
                    return match.group(1)
        raise SourceError(f"{self.location}: no {distribution} METADATA with a version")


def _methods(tree: ast.Module, classes: tuple) -> dict:
    return {node.name: [m.name for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))]
            for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and node.name in classes}


def _freezers(tree: ast.Module, cls: str) -> list:
    """The methods of class ``cls`` that take no argument and set `requires_grad = False` on every
    parameter of the object (`for param in self.parameters(): param.requires_grad = False`):
    Lightning's `freeze()`."""
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef) or node.name != cls:
            continue
        for method in node.body:
            if not isinstance(method, ast.FunctionDef) or len(method.args.args) != 1 or method.args.vararg:
                continue
            for loop in ast.walk(method):
                if isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) \
                        and ast.unparse(loop.iter) == "self.parameters()" and any(
                            isinstance(s, ast.Assign) and ast.unparse(s.targets[0]) == f"{loop.target.id}.requires_grad"
                            and isinstance(s.value, ast.Constant) and s.value.value is False for s in loop.body):
                    out.append(method.name)
                    break
    return sorted(out)


def _disables_grad(source: str) -> bool:
    return bool(re.search(r"\bno_grad\b|\binference_mode\b", source))


def lightning(package: _Package, root: str) -> dict:
    """`root`: "lightning/pytorch" (Lightning 2.x) or "pytorch_lightning" (1.x and 2.x)."""
    hooks: set = set()
    defined: dict = {}
    freezers: list = []
    for suffix in (f"{root}/core/module.py", f"{root}/core/hooks.py", f"{root}/callbacks/callback.py"):
        names = package.find(suffix)
        if not names:
            raise SourceError(f"{package.location}: no {suffix}")
        tree = ast.parse(package.read(names[0]))
        for cls, methods in _methods(tree, _HOOK_CLASSES).items():
            defined.setdefault(cls, set()).update(methods)
        freezers += _freezers(tree, "LightningModule")
    for cls in _HOOK_CLASSES:
        for name in defined.get(cls, ()):
            if any(stage in name for stage in _STAGES) and not name.endswith("_dataloader"):
                hooks.add(name)
    # The evidence that those hooks run without grad: the evaluation and prediction loops (2.x)
    # or the trainer's evaluation context (1.x) use no_grad / inference_mode.
    evidence = [n for n in package.names if n.startswith(f"{root}/loops/") and n.endswith(".py")
                and ("evaluation" in n or "prediction" in n)]
    evidence += package.find(f"{root}/loops/utilities.py") + package.find(f"{root}/trainer/trainer.py")
    if not any(_disables_grad(package.read(n)) for n in evidence):
        raise SourceError(f"{package.location}: no no_grad / inference_mode in the evaluation loops")
    markers = sorted(m for m in ("training_step", "configure_optimizers") if m in defined.get("LightningModule", ()))
    if len(markers) != 2:
        raise SourceError(f"{package.location}: LightningModule lacks training_step / configure_optimizers")
    return {"no_grad_hooks": sorted(hooks), "markers": markers, "freezers": sorted(freezers)}


def ignite(package: _Package) -> dict:
    names = package.find("ignite/engine/__init__.py")
    if not names:
        raise SourceError(f"{package.location}: no ignite/engine/__init__.py")
    tree = ast.parse(package.read(names[0]))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    # The evaluation steps run their callables inside `with torch.no_grad():`; a public factory
    # that builds an engine from one of them runs them the same way.
    steps = {name for name, fn in functions.items() if any(
        isinstance(n, ast.With) and any(_disables_grad(ast.unparse(i.context_expr)) for i in n.items)
        for n in ast.walk(fn))}
    if not steps:
        raise SourceError(f"{package.location}: no evaluation step under no_grad in ignite.engine")
    factories = {name for name, fn in functions.items() if not name.startswith("_") and any(
        isinstance(n, ast.Name) and n.id in steps for n in ast.walk(fn))}
    keywords = set()
    for name in steps:
        fn = functions[name]
        for arg in (*fn.args.args, *fn.args.kwonlyargs):
            if arg.annotation is not None and "Callable" in ast.unparse(arg.annotation):
                keywords.add(arg.arg)
    return {"evaluators": sorted(steps | factories), "callback_keywords": sorted(keywords),
            "engines": _ignite_engines(package)}


def _calls_with_grad(node: ast.AST, callee: str) -> bool:
    """Whether ``node``'s code calls ``callee`` outside every `with` that disables grad."""
    if isinstance(node, ast.With) and any(_disables_grad(ast.unparse(i.context_expr)) for i in node.items):
        return False
    if isinstance(node, ast.Call) and ast.unparse(node.func) == callee:
        return True
    return any(_calls_with_grad(child, callee) for child in ast.iter_child_nodes(node))


def _ignite_engines(package: _Package) -> list:
    """The engine classes of `ignite.engine` that run the `process_function` they are built with
    once per batch, with grad as the caller left it (`self._process_function(self, batch)` under
    no `no_grad`): `Engine(step).run(loader)` is a loop whose body is `step`. Subclasses of such a
    class (`DeterministicEngine`) run it the same way."""
    classes: dict = {}  # class name -> (its bases' names, whether its own code calls the function with grad on)
    for name in package.find(".py"):
        if "ignite/engine/" not in name:
            continue
        for node in ast.parse(package.read(name)).body:
            if not isinstance(node, ast.ClassDef):
                continue
            calls = _calls_with_grad(node, "self._process_function")
            inits = [m for m in node.body if isinstance(m, ast.FunctionDef) and m.name == "__init__"]
            takes = bool(inits) and any(a.arg == "process_function" for a in inits[0].args.args)
            classes[node.name] = ([ast.unparse(b).rpartition(".")[2] for b in node.bases], calls, takes)

    def runs(name: str, depth: int = 0) -> bool:
        bases, calls, _ = classes[name]
        return calls or depth < 8 and any(runs(b, depth + 1) for b in bases if b in classes)

    found = sorted(n for n, (_, _, takes) in classes.items() if takes and runs(n))
    if not found:
        raise SourceError(f"{package.location}: no engine class in ignite.engine runs its process_function")
    return found


def mmengine(package: _Package) -> dict:
    """OpenMMLab's runner: `ValLoop.run_iter` / `TestLoop.run_iter` run under `@torch.no_grad()` and
    call `self.runner.model.val_step(...)` / `test_step(...)`; `BaseModel` runs those steps as
    `self._run_forward(data, mode='predict')`, i.e. the model's `forward(mode='predict')`, which
    OpenMMLab models dispatch to their `predict` method. The hooks: the steps and the modes they run;
    the markers: every mode a step runs (`loss` for `train_step` too), which a model defines as methods."""
    loops = package.find("mmengine/runner/loops.py")
    base = package.find("mmengine/model/base_model/base_model.py")
    if not loops or not base:
        raise SourceError(f"{package.location}: no mmengine/runner/loops.py or base_model.py")
    steps: set = set()
    for node in ast.walk(ast.parse(package.read(loops[0]))):
        if isinstance(node, ast.FunctionDef) and node.name == "run_iter" and any(
                _disables_grad(ast.unparse(d)) for d in node.decorator_list):
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and \
                        ast.unparse(call.func.value) == "self.runner.model":
                    steps.add(call.func.attr)
    if not steps:
        raise SourceError(f"{package.location}: no run_iter under no_grad calling the model")
    modes: dict = {}  # step -> the modes it runs
    for node in ast.walk(ast.parse(package.read(base[0]))):
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_step"):
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and ast.unparse(call.func) == "self._run_forward":
                    modes.setdefault(node.name, set()).update(
                        k.value.value for k in call.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant))
    evaluation = {mode for step in steps for mode in modes.get(step, ())}
    if not evaluation:
        raise SourceError(f"{package.location}: BaseModel's evaluation steps run no forward mode")
    return {"no_grad_hooks": sorted(steps | evaluation), "markers": sorted({m for ms in modes.values() for m in ms})}


def read_source(location: str) -> tuple:
    """(key, entry) for one wheel or installed-package directory."""
    package = _Package(location)
    if package.find("lightning/pytorch/core/module.py"):
        return f"lightning=={package.version('lightning')}", lightning(package, "lightning/pytorch")
    if package.find("pytorch_lightning/core/module.py"):
        return f"pytorch_lightning=={package.version('pytorch_lightning')}", lightning(package, "pytorch_lightning")
    if package.find("ignite/engine/__init__.py"):
        return f"pytorch_ignite=={package.version('pytorch_ignite')}", ignite(package)
    if package.find("mmengine/runner/loops.py"):
        return f"mmengine=={package.version('mmengine')}", mmengine(package)
    raise SourceError(f"{location}: neither Lightning, ignite nor mmengine")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="wheels or directories holding the installed packages")
    parser.add_argument("--check", action="store_true", help="compare with the committed data instead of writing")
    args = parser.parse_args(argv)
    with open(DATA, encoding="utf-8") as fh:
        data = json.load(fh)
    try:
        entries = dict(read_source(s) for s in args.sources)
    except SourceError as exc:
        print(f"generate_framework_hooks: error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = [key for key, entry in entries.items() if data["sources"].get(key) != entry]
        for key in stale:
            print(f"generate_framework_hooks: {os.path.relpath(DATA)} is stale for {key}; run "
                  f"`python scripts/generate_framework_hooks.py <its wheel or site-packages>`", file=sys.stderr)
        return 1 if stale else 0
    data["sources"].update(entries)
    with open(DATA, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"wrote {os.path.relpath(DATA)}: {', '.join(sorted(entries))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
