"""NG014 module-state-keeps-graph."""

from __future__ import annotations

import dataclasses

import libcst as cst

from ..analysis.modes import passed_arguments
from ..analysis.names import dotted, parameter_names, positional_names
from ..analysis.running_averages import blended_terms, helper_blend
from ..analysis.walker import walk_nodes
from ..analysis.tensors import Env, detached_somewhere, names_in
from ..analysis.torch_api import NN_MODULES
from ..fixes.wrap import no_grad_fix, statement_of
from .base import UNSAFE, Condition, Invalid, Rule, RuleDocs

# In-place Tensor methods that blend a new value into a running one (`mul_` then `add_`, `lerp_`).
_DECAYS = frozenset({"mul_", "lerp_"})
_BLENDS = frozenset({"add_", "lerp_", "addcmul_", "sub_"})
# The documentation's example module, up to its running update.
_NORM = (
    "import torch\nfrom torch import nn\n\n\n"
    "class RunningNorm(nn.Module):\n"
    "    def __init__(self, n, momentum=0.1):\n"
    "        super().__init__()\n"
    "        self.momentum = momentum\n"
    "        self.register_buffer(\"running_mean\", torch.zeros(n))\n\n"
    "    def forward(self, x):\n"
    "        mean = x.mean(0)\n"
)


# From a `def forward` line to a line of its body, up to where a gate's match may start. (A code
# line and a blank or comment line never match the same text: overlapping alternatives would
# backtrack exponentially over the blank lines of a file where the gate is outside `forward`.)
_IN_FORWARD = (r"(?m)^(?P<indent>[ \t]*)def[ \t]+forward\b[^\n]*\n"
               r"(?:(?:(?P=indent)[ \t]+[^\s#][^\n]*|[ \t]*(?:#[^\n]*)?)\n)*?(?P=indent)[ \t]+[^\n]*?")


class ModuleStateKeepsGraph(Rule):
    code = "NG014"
    name = "module-state-keeps-graph"
    message = "a running statistic of the module is updated in `forward` from tensors with autograd history"
    fix_applicability = UNSAFE
    # Prefilters only (the decision is the value model's): a running update names its attribute
    # twice on one statement (`self.m = d * self.m + ...`, also over one continued line), or
    # blends in place (`self.m.mul_(d).add_(...)`, `self.m.lerp_(x, w)`, `self.m[:] = ...`), also with
    # the value in parentheses on the next line.
    # A tuple target ending in an attribute, bound to a call of a name that is passed the same
    # attribute: a statistic blended by a function of the file (`y, self.m = blend(x, self.m)`).
    # Each only on a line of a `forward`'s body (the lines after `def forward` indented deeper than
    # it, blank and comment lines aside): the confirm, searched only where the gate matched.
    triggers = tuple((gate, _IN_FORWARD + gate) for gate in (
        r"self\.(?P<a>\w+)(?:\[[^\]\n]*\])?\s*=[^\n]*\bself\.(?P=a)\b",
        r"self\.(?P<a>\w+)(?:\[[^\]\n]*\])?\s*=[^\n]*(?:\\|\()[ \t]*(?:#[^\n]*)?\n[^\n]*\bself\.(?P=a)\b",
        r"self\.\w+\.(?:mul_|lerp_)\(",
        r",\s*self\.(?P<a>\w+)\s*=\s*\w+\((?:[^()]|\([^()]*\))*\bself\.(?P=a)\b",
    ))
    docs = RuleDocs(
        what=(
            "Checks the `forward` of an `nn.Module` for a running statistic kept on the module and updated "
            "from the forward's tensors with gradients enabled: an exponential moving average "
            "(`self.running_mean = m * mean + (1 - m) * self.running_mean`), or the same in place "
            "(`self.running_mean.mul_(1 - m).add_(m * mean)`, `self.center.lerp_(mean, m)`, "
            "`self.running_mean[:] = m * mean + (1 - m) * self.running_mean`, one column at a time: "
            "`self.covar[:, 0] = m * crr + (1 - m) * self.covar[:, 0]`), or by a function of the file that "
            "blends what the forward passes it and returns it for the forward to store "
            "(`y, self.moving_mean = batch_norm(x, self.moving_mean, m)`, where `batch_norm` computes "
            "`moving_mean = (1 - m) * moving_mean + m * mean` from its input: no fix is offered there, the "
            "statement also binds the output the loss needs), in a module whose class derives from "
            "`nn.Module` directly or through a base class of the same file. The new term is "
            "computed from the forward's inputs (which carry the graph of the layers before) and the module's "
            "parameters, as the value model follows them; an update under `torch.no_grad()`, of a detached "
            "value, or of a Python number is not reported. A sum (`self.aux_loss = self.aux_loss + loss`) is "
            "not reported either: it is often collected on purpose for the step's backward, nor is an "
            "update from a value the forward detaches on some path (`if not self.differentiable: x = "
            "x.detach()`): the author chose where the graph goes. Nor is the state of a recurrence: an attribute "
            "the forward reads again after the update (its output is computed through it) and that the forward "
            "itself sets afresh, not from itself, directly or through a method of its class it calls (a spiking "
            "neuron's membrane potential, `self.v = 0.9 * self.v + x` then `self.s = spike(self.v)`, with `if "
            "first: self.reset(x)` setting `self.v = torch.zeros_like(x)` for each sequence): backpropagation "
            "through time needs its graph."
        ),
        why=(
            "The attribute outlives the call. Each update makes the new value a function of the old one, so the "
            "autograd graph of every forward since the module was built stays chained to it: memory grows with "
            "every batch, and a backward through the statistic fails with \"Trying to backward through the "
            "graph a second time\". Batch-norm variants, EMA codebooks (VQ-VAE) and teacher centres (DINO) "
            "update these statistics under `torch.no_grad()` for this reason."
        ),
        example=_NORM + "        self.running_mean = self.momentum * mean + (1 - self.momentum) * self.running_mean\n"
        "        return x - mean\n",
        use_instead=_NORM + "        with torch.no_grad():\n"
        "            self.running_mean = self.momentum * mean + (1 - self.momentum) * self.running_mean\n"
        "        return x - mean\n",
        fix_safety=(
            "The fix wraps the updating statement in `with torch.no_grad():` (adding `import torch` when the "
            "module has none). It is unsafe: it assumes no loss is meant to backpropagate through the running "
            "statistic itself; the forward's output and its gradients are unchanged."
        ),
    )
    VALID = (
        # Detached unless the module is built to be differentiable: the author chose.
        "import torch\nfrom torch import nn\nclass Avg(nn.Module):\n    def forward(self, x):\n"
        "        if not self.differentiable:\n            x = x.detach()\n"
        "        self.avg = 0.9 * self.avg + 0.1 * x\n        return self.avg\n",
        # Updated under no_grad.
        "import torch\nfrom torch import nn\nclass Norm(nn.Module):\n    def forward(self, x):\n"
        "        mean = x.mean(0)\n        with torch.no_grad():\n"
        "            self.running = 0.9 * self.running + 0.1 * mean\n        return x - mean\n",
        # The statistic detached earlier in the call: only this call's graph is kept, never chained.
        "import torch\nfrom torch import nn\nclass Norm(nn.Module):\n    def forward(self, x):\n"
        "        if self.training:\n            self.running = self.running.detach()\n"
        "            self.running = 0.9 * self.running + 0.1 * x.mean(0)\n        return x\n",
        # A detached term.
        "import torch\nfrom torch import nn\nclass Norm(nn.Module):\n    def forward(self, x):\n"
        "        self.running.mul_(0.9).add_(0.1 * x.mean(0).detach())\n        return x\n",
        # A sum collected for the step's loss, not a running average.
        "import torch\nfrom torch import nn\nclass Gate(nn.Module):\n    def forward(self, x):\n"
        "        self.aux_loss = self.aux_loss + x.pow(2).mean()\n        return x\n",
        # Written through `.data`: an alias outside autograd (an EMA codebook), no graph is kept.
        "import torch\nfrom torch import nn\nclass Codebook(nn.Module):\n    def forward(self, x):\n"
        "        self.embed_avg.data.mul_(0.99).add_(x.t() @ x, alpha=0.01)\n        return x\n",
        # A Python number.
        "import torch\nfrom torch import nn\nclass Counter(nn.Module):\n    def forward(self, x):\n"
        "        self.seen = 0.9 * self.seen + 0.1 * x.shape[0]\n        return x\n",
        # The state of a recurrence (a spiking neuron's membrane potential): the call's output is
        # computed from it, and `reset` starts it afresh for each sequence (BPTT needs its graph).
        "import torch\nfrom torch import nn\nclass LIF(nn.Module):\n    def reset(self, x):\n"
        "        self.v = torch.zeros_like(x)\n\n    def forward(self, x, first=False):\n"
        "        if first:\n            self.reset(x)\n"
        "        self.v = 0.9 * self.v + x\n        self.s = torch.sigmoid(self.v - 1.0)\n        return self.s\n",
        # Not a module: a plain object's method.
        "import torch\nclass Meter:\n    def forward(self, x):\n"
        "        self.avg = 0.9 * self.avg + 0.1 * x.mean()\n",
    )
    INVALID = (
        Invalid(
            "import torch\nfrom torch import nn\nclass Norm(nn.Module):\n    def forward(self, x):\n"
            "        mean = x.mean(0)\n        self.running = 0.9 * self.running + 0.1 * mean\n        return x - mean\n",
            expected_fix=(
                "import torch\nfrom torch import nn\nclass Norm(nn.Module):\n    def forward(self, x):\n"
                "        mean = x.mean(0)\n        with torch.no_grad():\n"
                "            self.running = 0.9 * self.running + 0.1 * mean\n        return x - mean\n"
            ),
        ),
        "import torch\nfrom torch import nn\nclass Center(nn.Module):\n    def forward(self, x):\n"
        "        self.center.mul_(0.9).add_(x.mean(0), alpha=0.1)\n        return x - self.center\n",
        "import torch\nfrom torch import nn\nclass Center(nn.Module):\n    def forward(self, x):\n"
        "        self.center.lerp_(x.mean(0), 0.1)\n        return x - self.center\n",
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # Per open function: None outside an nn.Module's forward, else (env, updates found).
        self._forwards: list = []
        self._functions: dict = {}  # the file's module-level functions by name
        # `y, self.m = blend(x, self.m)` in a forward: (statement, call, [(position, target)], env,
        # condition), decided when the file is read (the helper may come after the class).
        self._through_helpers: list = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        fn, klass = self.ctx.function, self.ctx.klass
        if fn is not None and fn.klass is None and len(self.ctx.functions) == 1:
            self._functions[node.name.value] = node
        if node.name.value == "forward" and klass is not None and fn is not None and fn.klass is klass and (
                klass.derives_from("Module") or any(b in NN_MODULES for b in klass.bases)):
            env = Env()
            params = positional_names(node)[1:]
            # The inputs of a module inside a network carry the graph of the layers before it.
            env.backward_names = set(params)
            # Attributes this call has already set afresh (`self.loss = F.cross_entropy(...)` as a
            # statement of the body itself): blending into them later blends this call's value.
            self._forwards.append((env, [], set(), node))
        else:
            self._forwards.append(None)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        current = self._forwards.pop()
        if current is None:
            return
        env, updates, _, _ = current
        values = self.ctx.values
        for statement, target, terms, condition in updates:
            if any(detached_somewhere(name, env) for term in terms for name in names_in(term)):
                continue  # `if not self.differentiable: x = x.detach()`: the author chose where a graph goes
            graph: object = False
            for term in terms:
                found = values.graph(term, env)
                if found is True:
                    graph = True
                    break
                if found:
                    graph = tuple(graph or ()) + found
            if not graph:
                continue
            if _recurrent_state(node, statement, target, self.ctx.klass):
                continue
            if graph is not True:
                condition = dataclasses.replace(condition, returns=graph) if condition else Condition("", "", returns=graph)
            self.report(
                statement,
                f"`{target}` is a running statistic updated in `forward` from tensors with autograd history: "
                "every call's graph stays chained to it; update it under `torch.no_grad()` (or from `.detach()`-ed "
                "values)",
                fix=self._fix(statement, node),
                condition=condition or None,
            )

    def visit_Assign(self, node: cst.Assign) -> None:
        current = self._forwards[-1] if self._forwards else None
        if current is None:
            return
        for target in node.targets:
            current[0].assign(target.target, node.value)
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        if type(target) in (cst.Tuple, cst.List) and type(node.value) is cst.Call and type(node.value.func) is cst.Name:
            stored = [(i, dotted(e.value)) for i, e in enumerate(target.elements) if type(e.value) is cst.Attribute]
            stored = [(i, name) for i, name in stored if name is not None and name.startswith("self.")]
            condition = self.ctx.condition_for("enabled") if stored else False
            if condition is not False:
                statement = statement_of(self.ctx.module_node, node) if self.ctx.module_node is not None else None
                self._through_helpers.append((statement or node, node.value, stored, current[0], condition))
            return
        if type(target) is cst.Subscript:
            target = target.value  # `self.m[:] = d * self.m + (1 - d) * new`: written in place
        if type(target) is not cst.Attribute or target.attr.value == "data":
            return  # (`self.m.data = ...` replaces the storage; autograd never sees it)
        name = dotted(target)
        if name is None or not name.startswith("self."):
            return
        value = node.value
        if type(value) is cst.Call and type(value.func) is cst.Attribute and value.func.attr.value == "detach" \
                and dotted(value.func.value) == name:
            # `self.m = self.m.detach()` before the blend (on some path, as `detached_somewhere`):
            # no earlier call's graph is left in it to chain to.
            current[2].add(name)
            return
        terms = blended_terms(value, name)
        if terms:
            self._update(node, name, terms)
        elif type(node.targets[0].target) is cst.Attribute and self._top_level(node, current[3]) and not any(
                dotted(n) == name for n in walk_nodes(node.value) if type(n) is cst.Attribute):
            current[2].add(name)

    def _top_level(self, node: cst.CSTNode, fn: cst.FunctionDef) -> bool:
        """Whether ``node`` is a statement of ``fn``'s body itself (run on every call, in order)."""
        module = self.ctx.module_node
        statement = statement_of(module, node) if module is not None else None
        return statement is not None and type(fn.body) is cst.IndentedBlock and any(
            s is statement for s in fn.body.body)

    def leave_Module(self, node: cst.Module) -> None:
        values = self.ctx.values
        for statement, call, stored, env, condition in self._through_helpers:
            helper = self._functions.get(call.func.value)
            if helper is None:
                continue
            for position, target in stored:
                blend = helper_blend(helper, position)
                if blend is None:
                    continue
                param, terms, helper_env = blend
                passed = passed_arguments(positional_names(helper), call)
                if param not in passed or dotted(passed[param]) != target:
                    continue  # the helper blends what the call passes, not the stored statistic
                # The helper's parameters hold what the call passes: those with a graph carry one.
                params = parameter_names(helper)
                helper_env.backward_names = {name for name, arg in passed.items()
                                             if name in params and values.graph(arg, env) is True}
                if any(detached_somewhere(n, helper_env) for term in terms for n in names_in(term)):
                    continue
                if not any(values.graph(term, helper_env) is True for term in terms):
                    continue
                # No fix: the statement also binds what the helper computes for the loss.
                self.report(
                    statement,
                    f"`{target}` is a running statistic updated in `forward` (by `{call.func.value}()`) from tensors "
                    "with autograd history: every call's graph stays chained to it; blend it under "
                    "`torch.no_grad()` (or from `.detach()`-ed values)",
                    condition=condition or None,
                )
                break

    def visit_Call(self, node: cst.Call) -> None:
        current = self._forwards[-1] if self._forwards else None
        func = node.func
        if current is None or type(func) is not cst.Attribute or func.attr.value not in _BLENDS:
            return
        # `self.m.mul_(d).add_(new)` or `self.m.lerp_(new, w)`: the receiver chain starts at `self.m`
        # and decays it first (a bare `self.m.add_(x)` is a sum).
        receiver, decayed = func.value, func.attr.value == "lerp_"
        while type(receiver) is cst.Call and type(receiver.func) is cst.Attribute:
            decayed = decayed or receiver.func.attr.value in _DECAYS
            receiver = receiver.func.value
        if type(receiver) is cst.Attribute and receiver.attr.value == "data":
            # `self.m.data.mul_(d).add_(new)`: `.data` is an alias outside autograd, writes into it
            # never get a graph (unlike `.grad`, a plain tensor that an in-place add of a graph joins).
            return
        name = dotted(receiver) if type(receiver) is cst.Attribute else None
        if decayed and name is not None and name.startswith("self.") and node.args:
            self._update(node, name, [node.args[0].value])

    def _update(self, node: cst.CSTNode, target: str, terms: list) -> None:
        if target in self._forwards[-1][2]:
            return  # blends what this call computed, not what an earlier call left
        condition = self.ctx.condition_for("enabled")
        if condition is False:
            return
        statement = statement_of(self.ctx.module_node, node) if self.ctx.module_node is not None else None
        self._forwards[-1][1].append((statement or node, target, terms, condition))

    def _fix(self, statement: cst.CSTNode, fn: cst.FunctionDef):
        module = self.ctx.module_node
        if module is None or not isinstance(statement, cst.SimpleStatementLine):
            return None
        spec = self.fix(UNSAFE, "Update the statistic under `torch.no_grad()` (assumes no loss backpropagates "
                                "through it)")
        functions = [f.node for f in self.ctx.functions] + [fn]
        return spec if no_grad_fix(spec, module, [statement], functions, aliases=self.ctx.aliases) else None


def _recurrent_state(fn: cst.FunctionDef, statement: cst.CSTNode, target: str, klass) -> bool:
    """Whether the blended attribute is the state of a recurrence rather than a statistic: the
    forward reads it again after the update (`self.v = (1 - self.s) * self.v + x`, then
    `self.s = spike(self.v)`: what the call computes goes through it, and backpropagation through
    time needs its graph), and the forward sets it afresh, itself or through a method of its class it
    calls, not from itself (`if first: self.reset(x)`, with `self.v = torch.zeros_like(x)`), so the
    chain lasts one sequence."""
    inside = {id(n) for n in walk_nodes(statement)}
    parents = _parents(fn.body)
    stores: set = set()
    seen = read = False
    for n in walk_nodes(fn.body):
        if n is statement:
            seen = True
        t = type(n)
        if t is cst.Assign or t is cst.AnnAssign or t is cst.AugAssign:
            for target_node in ([e.target for e in n.targets] if t is cst.Assign else [n.target]):
                stores.add(id(target_node))
        elif seen and t is cst.Attribute and id(n) not in inside and id(n) not in stores and dotted(n) == target \
                and not _other_branch(n, statement, parents):
            read = True
            break
    if not read or klass is None:
        return False
    # The fresh start must be the forward's own (on some branch: `if first: self.reset(x)`), or in a
    # method it calls: a statistic that `__init__` or a `reset_running_stats()` for the callers
    # starts afresh is still chained across calls.
    called = {n.func.attr.value for n in walk_nodes(fn.body) if type(n) is cst.Call and type(n.func) is cst.Attribute
              and type(n.func.value) is cst.Name and n.func.value.value == "self"}
    bodies = [fn.body] + [m.body for m in (klass.method_def(name) for name in called) if m is not None]
    for body in bodies:
        for n in walk_nodes(body):
            if type(n) is cst.Assign and len(n.targets) == 1 and dotted(n.targets[0].target) == target \
                    and not any(type(m) is cst.Attribute and dotted(m) == target for m in walk_nodes(n.value)):
                return True
    return False


def _parents(body: cst.CSTNode) -> dict:
    """id(node) -> its parent, for the nodes of ``body``."""
    from ..analysis.walker import iter_children

    out: dict = {}
    stack = [body]
    while stack:
        node = stack.pop()
        for child in iter_children(node):
            out[id(child)] = node
            stack.append(child)
    return out


def _other_branch(read: cst.CSTNode, statement: cst.CSTNode, parents: dict) -> bool:
    """Whether ``read`` is on the other side of an `if` from ``statement`` (`if self.training:` the
    update, `else:` the read of the statistic): it never runs after it in the same call."""
    ancestors = []
    node = statement
    while id(node) in parents:
        node = parents[id(node)]
        ancestors.append(node)
    chain = {id(a): i for i, a in enumerate(ancestors)}
    child, node = read, parents.get(id(read))
    while node is not None and id(node) not in chain:
        child, node = node, parents.get(id(node))
    if node is None or type(node) is not cst.If:
        return False
    update_side = ancestors[chain[id(node)] - 1] if chain[id(node)] > 0 else statement
    return child is not update_side and {type(child), type(update_side)} <= {cst.IndentedBlock, cst.Else, cst.If}

