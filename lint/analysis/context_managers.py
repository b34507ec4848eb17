"""Which of a file's own context managers may switch grad mode: a fact for the walker and the project.

`with utils.eval_mode(agent): action = agent.act(obs)`: a context manager named like a grad
switch may disable grad, so the walker runs its body in an unknown mode. When the project
defines it (a class with `__enter__`, a `@contextmanager` function) and its code calls no grad
API (`eval_mode` only calls `model.train(False)`), the body runs in the mode around it, and a
loop there that runs a model with grad on is reported after all (Condition.contexts).

A class counts as switching grad when any of its methods calls a grad API (`torch.no_grad()`,
`set_grad_enabled`, ...), a generator function when its body does: both are small, and a grad
switch anywhere in them is reason enough to keep the unknown mode.
"""

from __future__ import annotations

import libcst as cst

from .gradmode import grad_api
from .names import dotted

_CONTEXT_DECORATORS = frozenset({"contextmanager", "asynccontextmanager"})


def context_managers(module: cst.Module, aliases, module_name: str) -> tuple:
    """(names, facts): the names of the file's `@contextmanager` functions (module level and
    methods) whose body calls a grad API, which the walker treats as grad switches within the file;
    and key -> whether it may switch grad, for those functions and for the module-level classes
    that define `__enter__` (the project's ``context_managers`` fact)."""
    prefix = module_name + "." if module_name else ""
    names: set = set()
    facts: dict = {}
    for stmt in module.body:
        if type(stmt) is cst.FunctionDef:
            _function(stmt, prefix, aliases, names, facts)
        elif type(stmt) is cst.ClassDef and type(stmt.body) is cst.IndentedBlock:
            key = prefix + stmt.name.value
            methods = [s for s in stmt.body.body if type(s) is cst.FunctionDef]
            for method in methods:
                _function(method, key + ".", aliases, names, facts)
            if any(m.name.value in ("__enter__", "__aenter__") for m in methods):
                facts[key] = _switches(stmt, aliases)
    return frozenset(names), facts


def _function(node: cst.FunctionDef, prefix: str, aliases, names: set, facts: dict) -> None:
    for decorator in node.decorators:
        name = dotted(decorator.decorator)
        if name is not None and name.rpartition(".")[2] in _CONTEXT_DECORATORS:
            switches = _switches(node, aliases)
            facts[prefix + node.name.value] = switches
            if switches:
                names.add(node.name.value)
            return


def _switches(node: cst.CSTNode, aliases) -> bool:
    """Whether any call in ``node`` (decorators included) is a grad API."""
    from .walker import walk_nodes  # (the walker imports this module)

    return any(type(n) is cst.Call and grad_api(n.func, aliases) is not None for n in walk_nodes(node))
