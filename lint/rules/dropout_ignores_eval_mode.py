"""NG016 dropout-ignores-eval-mode."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from ..analysis.names import decorated_with, dotted, positional_names, self_attribute
from ..analysis.plain_module_lists import plain_module_lists
from ..analysis.torch_api import (DROPOUT_P_FUNCTIONS, MODE_DEPENDENT_MODULES, MODE_STATELESS_MODULES,
                                  TRAINING_DEFAULT_FUNCTIONS)
from ..analysis.walker import walk_nodes
from .base import UNSAFE, Condition, Invalid, Rule, RuleDocs

# `scaled_dot_product_attention(query, key, value, attn_mask, dropout_p, ...)`: where `dropout_p`
# may be passed by position.
_DROPOUT_P_POSITION = 4
# The last names of what the rule looks for (checked before resolving a callee).
_LAST_NAMES = frozenset(q.rpartition(".")[2] for q in (*TRAINING_DEFAULT_FUNCTIONS, *DROPOUT_P_FUNCTIONS,
                                                       *MODE_STATELESS_MODULES))
# The list methods `nn.ModuleList` has too.
_MODULE_LIST_METHODS = frozenset({"append", "extend", "insert", "pop"})
# Tacotron 2's decoder prenet keeps its dropout at inference by design (the paper's choice, for
# output variation): a class named so is taken at its word, the one name this rule reads.
_PRENET = re.compile(r"pre_?net", re.I)


class DropoutIgnoresEvalMode(Rule):
    code = "NG016"
    name = "dropout-ignores-eval-mode"
    message = "dropout here ignores `model.eval()`; tie it to `self.training`"
    # (gate, confirm): a call of a functional dropout without a `training` argument before its first
    # `)`, a dropout module called where it is built, or attention given a dropout probability.
    # (Each gate starts with its literal, for re's fast scan.)
    triggers = ((r"ropout", r"(?<!self)\.dropout[123]?d?\((?![^)]*training)|Dropout\w*\([^()]*\)\s*\("
                 r"|self\.\w+\s*=\s*\[\s*\]|\[\s*(?:nn\.)?\w*Dropout\w*\("),
                (r"scaled_dot_product_attention", r"scaled_dot_product_attention\((?![^)]*training)"),
                r"multi_head_attention_forward\(",
                (r"RReLU\(", r"RReLU\([^()]*\)\s*\("))
    fix_applicability = UNSAFE
    docs = RuleDocs(
        what=(
            "Checks, in the methods of an `nn.Module`, for dropout that does not follow the module's "
            "train/eval mode: a call of `F.dropout` (`dropout1d`/`2d`/`3d`, "
            "`F.multi_head_attention_forward`) without a `training` argument, whose default is True; "
            "`F.scaled_dot_product_attention` given a `dropout_p` that is not tied to `self.training` "
            "(a literal, an attribute, a local bound to one); a dropout module built and called in one "
            "expression (`nn.Dropout(0.5)(x)`), which is always in training mode; and modules that behave "
            "differently in eval mode (torch's dropout and batch norm layers, or a class of the project that "
            "builds or reads one) kept in a plain list that `__init__` builds and a method calls or iterates "
            "(`self.dropout_list = []`, then `self.dropout_list.append(DropoutWrapper(p))`), when nothing "
            "hands the list to `nn.ModuleList` or rebinds it (looked for in files that mention dropout). Calls under `if "
            "self.training:`, calls whose `training` or `dropout_p` argument reads `training`, and a probability "
            "the function sets to 0 under a test of a training flag are not reported; an explicit `training=True` "
            "is taken as deliberate (Monte Carlo dropout), and so is any dropout of a class named like Tacotron 2's "
            "prenet, which keeps dropout at inference by design. Which functions default to training and which drop out whatever the mode comes from "
            "torch itself (`scripts/generate_torch_api.py`)."
        ),
        why=(
            "`model.eval()` only flips the `training` flag of the module and its submodules. The "
            "functional dropouts do not read that flag: `F.dropout(x, 0.5)` zeroes half of the "
            "activations during evaluation and inference too, so predictions are noisy, validation scores "
            "are lower than the model deserves and change from run to run, with no error. "
            "`scaled_dot_product_attention` applies its `dropout_p` in every mode, and a module built "
            "inside `forward` is not a submodule, so `eval()` never reaches it; nor does it reach modules "
            "held in a plain Python list, which `nn.Module` does not register (nor do `.to()`, "
            "`parameters()` and `state_dict()`)."
        ),
        example=(
            "class Classifier(nn.Module):\n"
            "    def __init__(self, dim, classes):\n"
            "        super().__init__()\n"
            "        self.fc = nn.Linear(dim, classes)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.fc(F.dropout(x, p=0.5))\n"
        ),
        use_instead=(
            "class Classifier(nn.Module):\n"
            "    def __init__(self, dim, classes):\n"
            "        super().__init__()\n"
            "        self.fc = nn.Linear(dim, classes)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.fc(F.dropout(x, p=0.5, training=self.training))\n"
        ),
        fix_safety=(
            "The fix passes `training=self.training` to a functional dropout, or writes `dropout_p` as "
            "`(p if self.training else 0.0)`. It is unsafe because it changes what the module computes in "
            "eval mode: that is its purpose, but code that relied on dropout during evaluation (Monte Carlo "
            "estimates without an explicit `training=True`) changes its results. A dropout module built "
            "inside `forward` gets no fix: it belongs in `__init__`. A plain list becomes an `nn.ModuleList` "
            "(only when every element is a torch.nn layer or a module class of the file, and the class calls no "
            "list method `nn.ModuleList` lacks): the modules' parameters and buffers then join the "
            "`state_dict()`, so a checkpoint saved before loads with `strict=True` no more."
        ),
    )

    VALID = (
        "import torch.nn.functional as F\nfrom torch import nn\nclass Net(nn.Module):\n"
        "    def forward(self, x):\n        return F.dropout(x, 0.5, self.training)\n",
        "import torch.nn.functional as F\nfrom torch import nn\nclass Net(nn.Module):\n"
        "    def forward(self, x):\n        if self.training:\n            x = F.dropout(x, p=0.2)\n        return x\n",
        # explicit: Monte Carlo dropout on purpose
        "import torch.nn.functional as F\nfrom torch import nn\nclass Prenet(nn.Module):\n"
        "    def forward(self, x):\n        return F.dropout(x, 0.5, training=True)\n",
        # attention dropout tied to the mode through a local
        "import torch.nn.functional as F\nfrom torch import nn\nclass Attn(nn.Module):\n"
        "    def __init__(self, p):\n        super().__init__()\n        self.p = p\n\n"
        "    def forward(self, q, k, v):\n        p = self.p if self.training else 0.0\n"
        "        return F.scaled_dot_product_attention(q, k, v, dropout_p=p)\n",
        # Tacotron 2's prenet keeps dropout at inference by design
        "import torch.nn.functional as F\nfrom torch import nn\nclass Prenet(nn.Module):\n"
        "    def forward(self, x):\n        return F.dropout(x, 0.5)\n",
        # the probability follows the mode through a local
        "import torch.nn.functional as F\nfrom torch import nn\nclass Attn(nn.Module):\n"
        "    def forward(self, w):\n        dropout_p = self.p if self.training else 0.0\n"
        "        if dropout_p > 0:\n            w = F.dropout(w, p=dropout_p)\n        return w\n",
        # the probability is zeroed outside training first (functional dropout and attention alike)
        "import torch.nn.functional as F\nfrom torch import nn\nclass Attn(nn.Module):\n"
        "    def forward(self, q, k, v):\n        p = self.p\n        if not self.training:\n            p = 0.0\n"
        "        return F.scaled_dot_product_attention(q, k, v, dropout_p=p)\n",
        "import torch.nn.functional as F\nfrom torch import nn\nclass Attn(nn.Module):\n"
        "    def attend(self, w, dropout_p, training=True):\n        if not training:\n            dropout_p = 0.0\n"
        "        return F.dropout(w, p=dropout_p)\n",
        # a class method: `cls.training` is no mode (a fix passing it would raise)
        "import torch.nn.functional as F\nfrom torch import nn\nclass Net(nn.Module):\n    @classmethod\n"
        "    def augment(cls, x):\n        return F.dropout(x, 0.1)\n",
        # the list is registered after all
        "from torch import nn\nclass Heads(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n"
        "        self.drops = [nn.Dropout(0.1) for _ in range(n)]\n        self.drops = nn.ModuleList(self.drops)\n\n"
        "    def forward(self, x, task):\n        return self.drops[task](x)\n",
        # a function of no module: its caller decides
        "import torch.nn.functional as F\ndef augment(x, p):\n    return F.dropout(x, p)\n",
        # the probability is the caller's
        "import torch.nn.functional as F\nfrom torch import nn\nclass Attn(nn.Module):\n"
        "    def forward(self, q, k, v, dropout_p=0.0):\n"
        "        return F.scaled_dot_product_attention(q, k, v, dropout_p=dropout_p)\n",
    )
    INVALID = (
        Invalid(
            "import torch.nn.functional as F\nfrom torch import nn\nclass Net(nn.Module):\n"
            "    def forward(self, x):\n        return F.dropout(x, p=0.5)\n",
            expected_fix="import torch.nn.functional as F\nfrom torch import nn\nclass Net(nn.Module):\n"
            "    def forward(self, x):\n        return F.dropout(x, p=0.5, training=self.training)\n",
        ),
        "import torch\nclass Net(torch.nn.Module):\n    def forward(self, x):\n"
        "        return torch.nn.functional.dropout2d(x, 0.1)\n",
        Invalid(
            "import torch.nn.functional as F\nfrom torch import nn\nclass Attn(nn.Module):\n"
            "    def forward(self, q, k, v):\n"
            "        return F.scaled_dot_product_attention(q, k, v, dropout_p=0.1)\n",
            expected_fix="import torch.nn.functional as F\nfrom torch import nn\nclass Attn(nn.Module):\n"
            "    def forward(self, q, k, v):\n"
            "        return F.scaled_dot_product_attention(q, k, v, dropout_p=(0.1 if self.training else 0.0))\n",
        ),
        Invalid(
            "from torch import nn\nclass Head(nn.Module):\n    def forward(self, x):\n"
            "        return nn.Dropout(p=0.5)(x)\n",
            no_fix=True,
        ),
        # dropout modules in a plain list: not submodules
        Invalid(
            "from torch import nn\nclass Heads(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n"
            "        self.drops = []\n        for _ in range(n):\n            self.drops.append(nn.Dropout(0.1))\n\n"
            "    def forward(self, x, task):\n        return self.drops[task](x)\n",
            expected_fix="from torch import nn\nclass Heads(nn.Module):\n    def __init__(self, n):\n"
            "        super().__init__()\n        self.drops = nn.ModuleList()\n        for _ in range(n):\n"
            "            self.drops.append(nn.Dropout(0.1))\n\n"
            "    def forward(self, x, task):\n        return self.drops[task](x)\n",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._receivers: list[Optional[str]] = []  # per open function: `self`'s name in a module's method
        self._list_classes: set = set()  # id() of the classes whose `__init__` binds `self.<attr>` to a list

    def visit_Assign(self, node: cst.Assign) -> None:
        # `self.drops = []` in a module's `__init__`: the class is looked at when it ends (most
        # classes bind no list, and reading a whole class costs).
        if type(node.value) in (cst.List, cst.ListComp):
            fn = self.ctx.function
            if fn is not None and fn.name == "__init__" and fn.klass is not None \
                    and any(self_attribute(t.target) for t in node.targets):
                self._list_classes.add(id(fn.klass.node))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        klass = self.ctx.klass
        if id(node) not in self._list_classes or klass is None or klass.node is not node \
                or not klass.derives_from("Module", "LightningModule"):
            return
        for found in plain_module_lists(node):
            self._plain_list(found)

    def _plain_list(self, found) -> None:
        """`self.drops = []` filled with dropout modules: `eval()` never reaches them."""
        resolve = self.ctx.aliases.resolve_dotted
        qualified = [resolve(c) or c for c in found.constructors]
        others = tuple(q for q in qualified if not q.startswith("torch."))
        if any(q in MODE_DEPENDENT_MODULES for q in qualified):
            condition = None  # `nn.Dropout`, `nn.BatchNorm1d` (torch's API data)
        elif others:
            # A class of the project: whether it reads the mode is the project's to say.
            condition = Condition("", "", mode_classes=others)
        else:
            return  # torch layers that compute alike in both modes
        shown = ", ".join(f"`{c.rpartition('.')[2]}`" for c in found.constructors)
        value = found.assign.value
        fix = None
        container = self._module_list_name()
        module = self.ctx.module_node
        # The fix only where `nn.ModuleList` takes every element (it raises on an object that is no
        # module) and has every list method the class calls (no `index`, `remove`, `sort`...).
        infos = self.ctx.class_infos
        modules_only = all(q.startswith("torch.nn.") or c in infos and infos[c].derives_from("Module")
                           for c, q in zip(found.constructors, qualified))
        if container is not None and module is not None and modules_only and found.methods <= _MODULE_LIST_METHODS:
            inner = "" if type(value) is cst.List and not value.elements else module.code_for_node(value)
            fix = self.fix(UNSAFE, "Hold them in an `nn.ModuleList` (their parameters and buffers join the "
                                   "module's `state_dict()`: a checkpoint saved before has no keys for them)"
                           ).replace(value, f"{container}({inner})")
        self.report(found.assign, f"`self.{found.attr}` is a plain list of {shown} modules: `model.eval()` never "
                                  "reaches them (nor `.to()` or `state_dict()`), so they keep behaving as in "
                                  f"training; make it `{container or 'nn.ModuleList'}(...)`", fix=fix,
                    condition=condition)

    def _module_list_name(self) -> Optional[str]:
        """How this file writes `torch.nn.ModuleList` (`nn.ModuleList`, `torch.nn.ModuleList`), or None."""
        names = self.ctx.aliases.names
        for local, target in names.items():
            if target == "torch.nn":
                return f"{local}.ModuleList"
        for local, target in names.items():
            if target == "torch":
                return f"{local}.nn.ModuleList"
        return None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        fn = self.ctx.function
        receiver = None
        if fn is not None and fn.klass is not None and fn.klass.derives_from("Module", "LightningModule") \
                and not decorated_with(node, "staticmethod", "classmethod") \
                and not _PRENET.search(fn.klass.name):
            params = positional_names(node)
            receiver = params[0] if params else None
        self._receivers.append(receiver)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._receivers.pop()

    def visit_Call(self, node: cst.Call) -> None:
        receiver = self._receivers[-1] if self._receivers else None
        if receiver is None:
            return
        func = node.func
        # The callee's last name first: most calls are none of these, and resolving costs more.
        callee = func.func if type(func) is cst.Call else func
        last = callee.attr.value if type(callee) is cst.Attribute else callee.value if type(callee) is cst.Name \
            else None
        if last not in _LAST_NAMES or any(_reads_training(b.test) for b in self.ctx.branches):
            return
        if type(func) is cst.Call:
            built = self.ctx.aliases.resolve(func.func) if type(func.func) in (cst.Name, cst.Attribute) else None
            if built in MODE_STATELESS_MODULES:
                self.report(node, f"`{built.rpartition('.')[2]}` built inside a method is no submodule: "
                                  "`model.eval()` never reaches it, so it drops out in eval mode too; build it "
                                  "in `__init__`")
            return
        if type(func) not in (cst.Name, cst.Attribute):
            return
        qualified = self.ctx.aliases.resolve(func)
        if qualified in TRAINING_DEFAULT_FUNCTIONS:
            self._training_default(node, qualified, receiver)
        elif qualified in DROPOUT_P_FUNCTIONS:
            self._dropout_p(node, qualified, receiver)

    def _training_default(self, node: cst.Call, qualified: str, receiver: str) -> None:
        position = TRAINING_DEFAULT_FUNCTIONS[qualified]
        args = node.args
        if any(a.star for a in args) or any(a.keyword is not None and a.keyword.value == "training" for a in args) \
                or sum(1 for a in args if a.keyword is None) > position:
            return  # passed (even `training=True`: deliberate), or unknown through `*args`
        p = next((a.value for a in args if a.keyword is not None and a.keyword.value == "p"),
                 args[1].value if len(args) > 1 and args[1].keyword is None else None)
        if p is not None and self._tied_to_mode(p):
            return  # `if not training: dropout_p = 0.0` (or `p = self.p if self.training else 0.0`) first
        arg = cst.Arg(value=cst.Attribute(cst.Name(receiver), cst.Name("training")), keyword=cst.Name("training"),
                      equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                            whitespace_after=cst.SimpleWhitespace("")))
        listed = list(args)
        if listed and listed[-1].comma is cst.MaybeSentinel.DEFAULT:
            listed[-1] = listed[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        fix = self.fix(UNSAFE, f"Pass `training={receiver}.training` (changes what eval mode computes: no "
                               "more dropout there)").replace(node, node.with_changes(args=[*listed, arg]))
        name = qualified.rpartition(".")[2]
        self.report(node, f"`{name}` keeps dropping out after `model.eval()`: its `training` argument defaults "
                          f"to True; pass `training={receiver}.training`", fix=fix)

    def _dropout_p(self, node: cst.Call, qualified: str, receiver: str) -> None:
        arg = next((a for a in node.args if a.keyword is not None and a.keyword.value == "dropout_p"), None)
        if arg is None:
            positional = [a for a in node.args if a.keyword is None]
            if any(a.star for a in node.args) or len(positional) <= _DROPOUT_P_POSITION:
                return  # the default, 0.0, or unknown through `*args`
            arg = positional[_DROPOUT_P_POSITION]
        value = arg.value
        if _zero(value) or self._tied_to_mode(value) or not self._fixed_probability(value):
            return
        shown = self.ctx.module_node.code_for_node(value) if self.ctx.module_node is not None else None
        fix = None
        if shown is not None and "\n" not in shown:
            fix = self.fix(UNSAFE, "Drop out only in training mode (changes what eval mode computes)").replace(
                value, f"({shown} if {receiver}.training else 0.0)")
        name = qualified.rpartition(".")[2]
        self.report(node, f"`{name}` applies `dropout_p` in eval mode too; pass "
                          f"`dropout_p={shown or 'p'} if {receiver}.training else 0.0`", fix=fix)

    def _tied_to_mode(self, p: cst.BaseExpression) -> bool:
        """A dropout probability that follows the mode: it reads a training flag, or names a local
        bound to one that does, or rebound under a test of one."""
        if _reads_training(p):
            return True
        if type(p) is not cst.Name:
            return False
        env = self.ctx.env_now()
        bound = env.values.get(p.value) if env is not None else None
        return any(v is not None and _reads_training(v) for v in bound or ()) or self._zeroed_out_of_training(p.value)

    def _zeroed_out_of_training(self, name: str) -> bool:
        """Whether the function rebinds ``name`` under a test that reads a training flag."""
        fn = self.ctx.function
        if fn is None:
            return False
        for node in walk_nodes(fn.node.body):
            if type(node) is cst.If and _reads_training(node.test) and any(
                    type(n) is cst.Assign and any(type(t.target) is cst.Name and t.target.value == name
                                                  for t in n.targets) for n in walk_nodes(node)):
                return True
        return False

    def _fixed_probability(self, value: cst.BaseExpression) -> bool:
        """A probability the module fixes itself: a literal, an attribute of its object, or a local
        bound only to those (a parameter of the method is its caller's to set per mode)."""
        t = type(value)
        if t in (cst.Float, cst.Integer):
            return True
        if t is cst.Attribute:
            return dotted(value) is not None
        if t is cst.Name:
            env = self.ctx.env_now()
            bound = env.values.get(value.value) if env is not None else None
            return bool(bound) and all(b is not None and not _reads_training(b) and type(b) is not cst.Name
                                       and self._fixed_probability(b) for b in bound)
        return False


def _reads_training(expr: cst.BaseExpression) -> bool:
    """Whether an expression reads a `training` flag (`self.training`, `training`, `not self.training`)."""
    return any((type(n) is cst.Attribute and n.attr.value == "training")
               or (type(n) is cst.Name and n.value in ("training", "is_training", "train"))
               for n in walk_nodes(expr))


def _zero(value: cst.BaseExpression) -> bool:
    if type(value) not in (cst.Float, cst.Integer):
        return False
    try:
        return float(value.value.replace("_", "")) == 0.0
    except ValueError:  # `0x0`, `0o0`
        return int(value.value, 0) == 0
