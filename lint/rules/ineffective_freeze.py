"""NG010 ineffective-freeze."""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from ..analysis.conditions import Condition
from ..analysis.freezes import undone_selections
from ..analysis.gradmode import constant_bool
from ..analysis.names import dotted
from ..analysis.network_names import names_network, names_submodule
from ..analysis.tensors import iterates_modules, loop_parameters
from ..analysis.torch_api import NN_MODULES, NN_PARAMETER_CLASSES
from ..analysis.values import SAME_OBJECT_METHODS
from .base import SAFE, UNSAFE, Invalid, Rule, RuleDocs

# Misspellings of `requires_grad` that Python happily stores as a new attribute.
_TYPOS = frozenset({"require_grad", "requires_grads", "require_grads", "requires_gradient", "require_gradient",
                    "requires_grad_"})
# Attribute names that hold a sub-module (`self.layer1`, `model.features`, `model.fc`).
_MODULE_ATTR = re.compile(
    r"^(?:layers?|blocks?|stages?|features|fc|conv|bn|norm|proj|(?:\w+_)?embeddings?|embed_tokens|embed_positions|"
    r"encoders?|decoders?|heads?)\d*$"
)
# Calls that build a module: `nn.Linear(...)`, `torchvision.models.resnet18()`, `X.from_pretrained()`.
_MODULE_FACTORY = re.compile(
    r"^(?:torch\.nn\.(?:modules\.\w+\.)?[A-Z]\w*|torchvision\.models\.[\w.]+|timm\.create_model|"
    r"transformers\.\w+)$"
)
_TENSOR_METHODS = frozenset(
    {"clone", "detach", "to", "cuda", "cpu", "float", "half", "double", "view", "reshape", "unsqueeze", "squeeze",
     "permute", "transpose", "contiguous", "expand", "repeat", "new_zeros", "new_ones", "new_empty", "new_full",
     "new_tensor", "requires_grad_", "t", "flatten", "type_as"}
)
_FACTORY_ROOTS = ("torch", "torchvision", "timm", "transformers")
# torch functions that create a fresh tensor, which requires grad only when asked
# (`requires_grad=True`). `as_tensor` is not one: it returns its argument when that is a tensor.
_TENSOR_FACTORY = re.compile(
    r"^torch\.(?:zeros|ones|empty|full|rand|randn|randint|randperm|eye|arange|range|linspace|logspace|tensor|"
    r"from_numpy|(?:Float|Double|Half|BFloat16|Long|Int|Short|Char|Byte|Bool)?Tensor)(?:_like)?$"
)
# Classes whose instances carry a real `requires_grad` flag.
_TENSOR_CLASSES = NN_PARAMETER_CLASSES | {"torch.Tensor"}


# Methods whose items are (name, object) pairs, and what the object is.
_ITEM_KIND = {"named_parameters": "parameter", "named_modules": "module", "named_children": "module",
              "named_buffers": "buffer"}


def _module_word(name: str) -> bool:
    if len(name) <= 2 or not (name[0].islower() or name[0] == "_"):
        return False
    if _MODULE_ATTR.match(name):
        return True
    if names_network(name) and (name.split("_")[-1] == name or names_network(name.split("_")[-1])):
        return True
    return names_submodule(name)  # lm_head, feature_extractor


# Module methods that return generators, builtins that return one-shot iterators, and builtins
# that run through the iterable they are given.
_GENERATOR_METHODS = frozenset({"parameters", "named_parameters", "buffers", "named_buffers", "children",
                                "named_children", "modules", "named_modules"})
_ONE_SHOT_BUILTINS = frozenset({"filter", "map", "zip", "iter", "reversed", "enumerate"})
_CONSUMING_BUILTINS = frozenset({"list", "tuple", "set", "sorted", "sum", "any", "all", "dict", "max", "min",
                                 "frozenset"})


def _sets_requires_grad(loop: cst.For) -> bool:
    """The loop's body sets `requires_grad` on what it iterates (`p.requires_grad = False`,
    `p.requires_grad_(False)`)."""
    from ..analysis.walker import walk_nodes

    if type(loop.target) is not cst.Name:
        return False
    name = loop.target.value
    for child in walk_nodes(loop.body):
        if type(child) is cst.Assign:
            for target in child.targets:
                t = target.target
                if type(t) is cst.Attribute and t.attr.value == "requires_grad" and dotted(t.value) == name:
                    return True
        elif (type(child) is cst.Call and type(child.func) is cst.Attribute
              and child.func.attr.value == "requires_grad_" and dotted(child.func.value) == name):
            return True
    return False


class IneffectiveFreeze(Rule):
    code = "NG010"
    name = "ineffective-freeze"
    message = "this assignment freezes nothing"
    fix_applicability = SAFE
    triggers = (r"\.requires?_grad(?:s|ient|_)?\s*=(?!=)", r"Parameter\(", r"\.requires_grad_\((?:True)?\)")
    docs = RuleDocs(
        what=(
            "Checks for attempts to freeze (or unfreeze) weights that change nothing: a misspelt "
            "attribute (`p.require_grad = False`, `p.requires_grads = False`), and `module.requires_grad = "
            "False` on an `nn.Module`, which only sets a plain Python attribute on the module object. "
            "An attribute is known to hold a module when it is built from one (`self.fc = nn.Linear(...)`, "
            "an `nn.Module` subclass of the file), when some class in the same file assigns a module under "
            "that attribute name (so `trainer.model.outc` is a module when the file has `self.outc = "
            "nn.Conv2d(...)`) and no assignment in the file gives that name a tensor or `nn.Parameter`, or by "
            "a layer-like name (`encoder`, `backbone`, `layer3`); a name is not taken for a module inside an "
            "`isinstance(x, nn.Parameter)` (or `torch.Tensor`) branch, nor when its parameter is annotated as one. "
            "Also a freeze undone later in the same function (`conv.weight.requires_grad = False`, then "
            "`conv.weight = nn.Parameter(w)`: the new parameter requires grad), and "
            "`nn.Parameter(torch.zeros(n, requires_grad=False))`: `nn.Parameter` has its own "
            "`requires_grad`, `True` unless given, whatever the wrapped tensor's flag says. "
            "Also a selection of trainable parameters undone by a blanket unfreeze: a loop over "
            "`named_parameters()` that sets `requires_grad` for some of them (under an `if` on the name, "
            "after `score.requires_grad_(False)`), then `score.requires_grad_(True)` (or a loop setting every "
            "parameter to `True`) in the same block or one inside it, with no training step and no optimizer "
            "built in between, nor a call handed the model that uses gradients (a LoRA set-up turned into "
            "full fine-tuning). "
            "Also a flag assigned only where it already has one value: `if p.requires_grad: "
            "p.requires_grad = trainable` can freeze but never makes a frozen parameter trainable again "
            "(`set_trainable(True)` does nothing), and `if not p.requires_grad: p.requires_grad = flag` never "
            "freezes. "
            "Also a loop that unpacks `named_parameters()` (or `named_modules()`, `named_children()`, "
            "`named_buffers()`) the wrong way round and freezes the name: `for p, n in "
            "model.named_parameters(): p.requires_grad = False` raises AttributeError on the str. "
            "A misspelt `x.require_grad = False` is not reported when `x` was created in the same function "
            "by a torch factory without `requires_grad=True` (`pe = torch.zeros(n, d).float()`, the "
            "positional-encoding idiom): such a tensor never required grad, so the line already does what "
            "it says. The same misspelling with `= True`, or on a parameter or a tensor of unknown origin, "
            "is reported. Also a loop that sets `requires_grad` over a name bound to a one-shot iterator "
            "(`model.parameters()`, `itertools.chain(...)`, a generator expression, `filter` / `map` / "
            "`zip`) after an optimizer constructor, `list(...)` or another loop (in the function or the "
            "one enclosing it) already ran through it: the loop runs zero times."
        ),
        why=(
            "Python stores any attribute you assign, so neither line raises: the parameters keep "
            "`requires_grad=True`, the optimizer keeps updating the layers you meant to freeze, and training "
            "uses the memory and time of full fine-tuning. The mistake is silent until someone notices "
            "the frozen encoder drifted."
        ),
        example=(
            "for p in model.backbone.parameters():\n"
            "    p.require_grad = False\n"
            "\n"
            "model.encoder.requires_grad = False\n"
        ),
        use_instead=(
            "for p in model.backbone.parameters():\n"
            "    p.requires_grad = False\n"
            "\n"
            "model.encoder.requires_grad_(False)\n"
        ),
        fix_safety=(
            "The fix is safe: it renames the misspelt attribute to `requires_grad`, or turns "
            "`module.requires_grad = X` into `module.requires_grad_(X)`. The original line had no effect, "
            "and the fixed line does exactly what it spelled out, so no working behaviour is lost. For "
            "`nn.Parameter(t(..., requires_grad=False))` the fix moves `requires_grad=False` to "
            "`nn.Parameter`; it is unsafe, because the parameter then really stops training, which code "
            "that (knowingly or not) relied on its gradient would notice. Swapping the targets of a "
            "`named_parameters()` loop is unsafe too: the loop ran into an error before, and now freezes "
            "what its test selects, assuming the body reads the other target as the name. Binding a list "
            "instead of a one-shot iterator is unsafe as well: the loop that ran zero times now changes "
            "`requires_grad`, which is what it says, but training that worked without it changes. An undone "
            "selection gets no fix: whether the blanket unfreeze or the selection is the intent, only the "
            "author knows; delete the unfreeze to keep the selection."
        ),
    )

    VALID = (
        # a selection for a first phase, trained, then everything trains in a second phase
        "import torch\ndef fit(model, data):\n    model.requires_grad_(False)\n"
        "    for n, p in model.named_parameters():\n        if 'head' in n:\n            p.requires_grad = True\n"
        "    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad])\n"
        "    model.requires_grad_(True)\n",
        # the selection and the blanket unfreeze are on the two sides of one `if`
        "import torch\ndef adapt(model, lora):\n    if lora:\n        model.requires_grad_(False)\n"
        "        for n, p in model.named_parameters():\n            if 'bias' in n:\n"
        "                p.requires_grad = True\n    else:\n        model.requires_grad_(True)\n",
        # freezing only what is trainable: a constant, which changes what it tests
        "import torch\ndef freeze(model):\n    for p in model.parameters():\n        if p.requires_grad:\n"
        "            p.requires_grad = False\n",
        # A list can be iterated again after the optimizer has read it.
        "import itertools\nimport torch\ndef fit(critic_a, critic_b):\n"
        "    critics = list(itertools.chain(critic_a.parameters(), critic_b.parameters()))\n"
        "    optimizer = torch.optim.Adam(critics, lr=1e-3)\n"
        "    for p in critics:\n        p.requires_grad = False\n    return optimizer\n",
        # Iterated once, by the freezing loop itself.
        "import torch\ndef freeze(model):\n    params = model.backbone.parameters()\n"
        "    for p in params:\n        p.requires_grad = False\n",
        # Items unpacked as (name, parameter): the parameter is frozen.
        "import torch\ndef freeze(model):\n    for n, p in model.named_parameters():\n"
        "        if 'backbone' in n:\n            p.requires_grad = False\n",
        # Tensors and parameters have a real `requires_grad` attribute.
        "import torch\nfor p in model.encoder.parameters():\n    p.requires_grad = False\n",
        "import torch\nmodel.encoder.requires_grad_(False)\nmodel.head.weight.requires_grad = True\n",
        "import torch\nw = torch.zeros(3)\nw.requires_grad = True\n",
        "import torch\nfor name, param in model.named_parameters():\n"
        "    param.requires_grad = name.startswith('head')\n",
        "import torch\nself_pos = model.pos_embed\nmodel.pos_embed.requires_grad = False\n",
        # A configuration attribute passed through a constructor.
        "import torch\nclass Block(torch.nn.Module):\n    def __init__(self, dim, require_grad=True):\n"
        "        super().__init__()\n        self.require_grad = require_grad\n",
        # Tensors named like layers.
        "import torch\ndef table(n, d):\n    norm = torch.ones(n, d) / d\n    norm.requires_grad = False\n"
        "    proj = torch.randn(d, d)\n    proj.requires_grad = True\n    return norm, proj\n",
        # Comparison, not an assignment.
        "import torch\nassert model.requires_grad == False\n",
        # A misspelt freeze of a fresh tensor that never required grad changes nothing.
        "import torch\nfrom torch import nn\nclass PositionalEmbedding(nn.Module):\n"
        "    def __init__(self, d, max_len=512):\n        super().__init__()\n"
        "        pe = torch.zeros(max_len, d).float()\n        pe.require_grad = False\n"
        "        self.register_buffer('pe', pe.unsqueeze(0))\n",
        # An attribute name the file gives a tensor is not a module, wherever it is reached from.
        "import torch\nfrom torch import nn\nclass Scaler(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.gain = nn.Parameter(torch.ones(1))\n\n"
        "class Trainer:\n    def __init__(self, model):\n        self.model = model\n"
        "        self.model.scaler.gain.requires_grad = False\n",
        # nn.Parameter told itself; or a tensor wrapped that is meant to train.
        "import torch\nfrom torch import nn\nw = nn.Parameter(torch.zeros(3), requires_grad=False)\n"
        "v = nn.Parameter(torch.zeros(3, requires_grad=True))\n",
        # A frozen encoder done right.
        "import torch\nfrom torch import nn\n\nclass Classifier(nn.Module):\n"
        "    def __init__(self, encoder, n):\n        super().__init__()\n        self.encoder = encoder\n"
        "        self.encoder.requires_grad_(False)\n        self.head = nn.Linear(512, n)\n",
    )
    INVALID = (
        # a blanket unfreeze after selecting what trains: the selection is lost
        Invalid(
            "import torch\ndef adapt(score, r=4):\n    score.requires_grad_(False)\n"
            "    for name, p in score.named_parameters():\n        if 'bias' in name:\n"
            "            p.requires_grad = True\n    inject_lora(score, r=r)\n    score.requires_grad_(True)\n"
            "    return score\n",
        ),
        Invalid(
            "import itertools\nimport torch\ndef fit(critic_a, critic_b):\n"
            "    critics = itertools.chain(critic_a.parameters(), critic_b.parameters())\n"
            "    optimizer = torch.optim.Adam(critics, lr=1e-3)\n"
            "    for p in critics:\n        p.requires_grad = False\n    return optimizer\n",
            expected_fix="import itertools\nimport torch\ndef fit(critic_a, critic_b):\n"
            "    critics = list(itertools.chain(critic_a.parameters(), critic_b.parameters()))\n"
            "    optimizer = torch.optim.Adam(critics, lr=1e-3)\n"
            "    for p in critics:\n        p.requires_grad = False\n    return optimizer\n",
        ),
        Invalid(
            "import torch\ndef freeze(model):\n    for p, n in model.named_parameters():\n"
            "        if 'backbone' in n:\n            p.requires_grad = False\n",
            expected_fix="import torch\ndef freeze(model):\n    for n, p in model.named_parameters():\n"
            "        if 'backbone' in n:\n            p.requires_grad = False\n",
        ),
        # a thaw that only visits parameters already trainable
        Invalid(
            "import torch\ndef set_trainable(model, trainable=False):\n    for p in model.parameters():\n"
            "        if p.requires_grad:\n            p.requires_grad = trainable\n",
        ),
        # the freeze is undone by a new Parameter, which requires grad
        Invalid(
            "import torch\nfrom torch import nn\nclass L(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.conv = nn.Conv2d(2, 2, 3)\n        self.conv.weight.requires_grad = False\n"
            "        self.conv.weight = nn.Parameter(torch.sign(self.conv.weight))\n",
        ),
        Invalid(
            "import torch\nfor p in model.backbone.parameters():\n    p.require_grad = False\n",
            expected_fix="import torch\nfor p in model.backbone.parameters():\n    p.requires_grad = False\n",
        ),
        Invalid(
            "import torch\nfor p in layer.parameters():\n    p.requires_grads = False  # freeze\n",
            expected_fix="import torch\nfor p in layer.parameters():\n    p.requires_grad = False  # freeze\n",
        ),
        Invalid(
            "import torch\nmodel.encoder.requires_grad = False\n",
            expected_fix="import torch\nmodel.encoder.requires_grad_(False)\n",
        ),
        Invalid(
            "import torchvision\nbackbone = torchvision.models.resnet50(weights=None)\nbackbone.requires_grad = False\n",
            expected_fix=(
                "import torchvision\nbackbone = torchvision.models.resnet50(weights=None)\n"
                "backbone.requires_grad_(False)\n"
            ),
        ),
        Invalid(
            "import torch\nfrom torch import nn\nclass Frozen(nn.Module):\n    def __init__(self):\n"
            "        super().__init__()\n        self.fc = nn.Linear(4, 4)\n        self.requires_grad = False\n",
            expected_fix=(
                "import torch\nfrom torch import nn\nclass Frozen(nn.Module):\n    def __init__(self):\n"
                "        super().__init__()\n        self.fc = nn.Linear(4, 4)\n        self.requires_grad_(False)\n"
            ),
        ),
        Invalid(
            "import torch\nfor child in list(model.children())[:-1]:\n    child.requires_grad = freeze_all\n",
            expected_fix="import torch\nfor child in list(model.children())[:-1]:\n    child.requires_grad_(freeze_all)\n",
        ),
        Invalid(
            "import torch\nfrom torch import nn\nclass PatchEmbed(nn.Module):\n    pass\n\nclass ViT(nn.Module):\n"
            "    def __init__(self):\n        super().__init__()\n        self.patch_embed = PatchEmbed()\n\n"
            "    def freeze_patch_emb(self):\n        self.patch_embed.requires_grad = False\n",
            expected_fix=(
                "import torch\nfrom torch import nn\nclass PatchEmbed(nn.Module):\n    pass\n\nclass ViT(nn.Module):\n"
                "    def __init__(self):\n        super().__init__()\n        self.patch_embed = PatchEmbed()\n\n"
                "    def freeze_patch_emb(self):\n        self.patch_embed.requires_grad_(False)\n"
            ),
        ),
        # An attribute the file builds a module under (`self.outc = OutConv(...)`), reached through another object.
        Invalid(
            "import torch\nfrom torch import nn\nclass Trainer:\n    def __init__(self, model):\n"
            "        self.model = model\n        self.model.outc.requires_grad = False\n\n"
            "class OutConv(nn.Module):\n    pass\n\nclass UNet(nn.Module):\n    def __init__(self):\n"
            "        super().__init__()\n        self.inc = nn.Conv2d(3, 64, 3)\n        self.outc = OutConv()\n",
            expected_fix=(
                "import torch\nfrom torch import nn\nclass Trainer:\n    def __init__(self, model):\n"
                "        self.model = model\n        self.model.outc.requires_grad_(False)\n\n"
                "class OutConv(nn.Module):\n    pass\n\nclass UNet(nn.Module):\n    def __init__(self):\n"
                "        super().__init__()\n        self.inc = nn.Conv2d(3, 64, 3)\n        self.outc = OutConv()\n"
            ),
        ),
        # Misspelt on a tensor that does require grad, or meant to switch grad on.
        Invalid(
            "import torch\nw = torch.randn(4, 4, requires_grad=True)\nw.require_grad = False\n",
            expected_fix="import torch\nw = torch.randn(4, 4, requires_grad=True)\nw.requires_grad = False\n",
        ),
        Invalid(
            "import torch\nscale = torch.ones(1)\nscale.require_grad = True\n",
            expected_fix="import torch\nscale = torch.ones(1)\nscale.requires_grad = True\n",
        ),
        # nn.Parameter ignores the wrapped tensor's flag: it requires grad unless told otherwise.
        Invalid(
            "import torch\nfrom torch import nn\nw = nn.Parameter(torch.zeros(3, 3, requires_grad=False))\n",
            expected_fix="import torch\nfrom torch import nn\nw = nn.Parameter(torch.zeros(3, 3), requires_grad=False)\n",
        ),
        Invalid(
            "import torch\nfrom torch import nn\nproj = nn.Linear(8, 8)\nproj.requires_grad_ = False\n",
            expected_fix="import torch\nfrom torch import nn\nproj = nn.Linear(8, 8)\nproj.requires_grad_(False)\n",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._unfreezes: list = []  # per open function: whether it sets `requires_grad` to True somewhere
        self._modules: set = set()  # names bound to a module (constructor call, loop over .modules())
        self._module_lists: set = set()  # names bound to `list(model.children())` and the like
        self._module_classes: set = set()  # classes of this file that are nn.Modules
        self._module_attrs: dict = {}  # class key -> attributes assigned a module (`self.embed = Embed()`)
        # Names / attributes assigned a tensor (`norm = torch.diag(...)`, `self.proj = nn.Parameter(...)`):
        # whatever they are called, `.requires_grad = ...` on them works.
        self._tensors: set = set()
        self._containers: Optional[set] = None  # _parameter_containers, on first use
        self._tensor_attrs: dict = {}
        # Per function: names (`pe`, `self.pe`) last bound to a fresh factory tensor that does not
        # require grad (`torch.zeros(n, d).float()`): a misspelt `.require_grad = False` on one
        # changes nothing, because the tensor already does not require grad.
        self._fresh: list = [set()]
        # File-wide evidence about attribute names, whatever object holds them: `self.outc =
        # nn.Conv2d(...)` in one class makes `trainer.model.outc` a module elsewhere in the file,
        # unless some assignment gives that name a tensor (`x.outc = nn.Parameter(...)`).
        self._file_module_attrs: set = set()
        self._file_attr_classes: dict = {}  # attribute -> names of the classes called to build it
        self._file_tensor_attrs: set = set()
        self._pending: list = []  # (node, receiver, value): decided at the end of the file
        # Per function: `x.weight.requires_grad = False` statements, by the frozen tensor's dotted name.
        self._frozen_here: list = [{}]
        # `for p, n in model.named_parameters()`: the first target is the name (a str) -> the loop.
        self._item_names: dict = {}
        self._outer_item_names: list = []
        self._swapped_reported: set = set()
        # Per function: name -> [its binding, the call or loop that ran through it first] for names
        # bound to a one-shot iterator (`itertools.chain(a.parameters(), b.parameters())`).
        self._iterators: list = [{}]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._unfreezes.append(False)
        self._iterators.append({})
        self._fresh.append(set())
        self._frozen_here.append({})
        self._outer_item_names.append(self._item_names)
        self._item_names = {}

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._unfreezes.pop():
            self._undone_selections(node)
        self._iterators.pop()
        self._fresh.pop()
        self._frozen_here.pop()
        self._item_names = self._outer_item_names.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self._unfreezes and type(func) is cst.Attribute and func.attr.value == "requires_grad_" \
                and (not node.args or constant_bool(node.args[0].value) is True):
            self._unfreezes[-1] = True  # a blanket unfreeze: _undone_selections has work
        if any(self._iterators):
            self._consumed_by_call(node)
        last = func.value if type(func) is cst.Name else func.attr.value if type(func) is cst.Attribute else ""
        if last == "Parameter":
            self._parameter_of_frozen_tensor(node)
        if not type(func) is cst.Attribute:
            return
        if func.attr.value == "requires_grad_" and type(func.value) is cst.Name and func.value.value in self._item_names:
            self._report_swapped(node, func.value.value)
        if self._fresh[-1] and func.attr.value == "requires_grad_":
            self._fresh[-1].discard(dotted(func.value))
        elif func.attr.value in ("register_buffer", "register_parameter") and node.args and isinstance(
                node.args[0].value, cst.SimpleString):
            self._file_tensor_attrs.add(node.args[0].value.value[1:-1])  # a tensor under that name

    def _freeze_undone(self, node: cst.Assign) -> None:
        """`conv.weight.requires_grad = False`, then `conv.weight = nn.Parameter(w)` in the same
        function: the new parameter requires grad (its own default), so the freeze is lost."""
        if len(node.targets) != 1 or type(node.targets[0].target) is not cst.Attribute:
            return
        target = node.targets[0].target
        frozen = self._frozen_here[-1]
        if target.attr.value == "requires_grad":
            name = dotted(target.value)
            if name is not None and "." in name:
                if constant_bool(node.value) is False:
                    frozen[name] = node
                else:
                    frozen.pop(name, None)
            return
        if not frozen:
            return
        name = dotted(target)
        freeze = frozen.pop(name, None) if name is not None else None
        value = node.value
        if freeze is None or type(value) is not cst.Call or self.ctx.aliases.resolve(value.func) not in NN_PARAMETER_CLASSES:
            return
        if any(a.keyword is not None and a.keyword.value == "requires_grad" for a in value.args) or len(value.args) > 1:
            return  # `nn.Parameter(w, requires_grad=False)`: it decides
        line = self.ctx.module_node.code_for_node(value) if self.ctx.module_node is not None else "nn.Parameter(...)"
        self.report(freeze, f"`{name}.requires_grad = False` is undone later in this function: `{name} = {line}` "
                            "makes a new parameter, which requires grad; pass `requires_grad=False` to it")

    def _undone_selections(self, node: cst.FunctionDef) -> None:
        """`score.requires_grad_(True)` after a loop that froze or unfroze a selection of its
        parameters (freezes.undone_selections): every parameter trains again. Not after a training
        step or an optimizer's construction (a second phase), nor when a call handed the model in
        between uses gradients (the project decides, Condition.grads)."""
        for unfreeze, owner, _, calls in undone_selections(node, self._trains):
            refs = tuple(sorted({ref for ref in (self.ctx.values.ref_of(c.func) for c in calls) if ref is not None},
                                key=repr))
            what = "the loop" if type(unfreeze) is cst.For else f"`{owner}.requires_grad_(True)`"
            self.report(unfreeze, f"{what} makes every parameter of `{owner}` trainable again and undoes the "
                                  "selection of trainable parameters made above it: the whole model trains",
                        condition=Condition("", "", grads=refs) if refs else None)

    def _trains(self, call: cst.Call) -> bool:
        """A training step (`.backward()`, `.step()`, `torch.autograd.grad`) or an optimizer built."""
        func = call.func
        if type(func) is cst.Attribute and func.attr.value in ("backward", "step"):
            return True
        name = self.ctx.aliases.resolve(func) or ""
        return name == "torch.autograd.grad" or name.startswith("torch.optim.") and "lr_scheduler" not in name

    def _guarded_by_own_flag(self, node: cst.Assign) -> None:
        """`if p.requires_grad: p.requires_grad = trainable`: the assignment runs only for parameters
        that already require grad, so passing True makes no frozen parameter trainable again (and
        `if not p.requires_grad: p.requires_grad = flag` never freezes anything)."""
        if len(node.targets) != 1 or not self.ctx.branches:
            return
        target = node.targets[0].target
        if type(target) is not cst.Attribute or target.attr.value != "requires_grad":
            return
        test, negated = self.ctx.branches[-1].condition()
        receiver = dotted(target.value)
        if type(test) is not cst.Attribute or test.attr.value != "requires_grad" or receiver is None \
                or dotted(test.value) != receiver:
            return
        if constant_bool(node.value) is not None:
            return  # a constant says which way it goes (`if p.requires_grad: p.requires_grad = False`)
        shown = self.ctx.module_node.code_for_node(node.value) if self.ctx.module_node is not None else "..."
        if not negated:
            message = (f"`{receiver}.requires_grad = {shown}` runs only where `{receiver}.requires_grad` is already "
                       f"True: it can freeze, but never makes a frozen parameter trainable again; drop the "
                       f"`if {receiver}.requires_grad:` test (or record which parameters were frozen on purpose)")
        else:
            message = (f"`{receiver}.requires_grad = {shown}` runs only where `{receiver}.requires_grad` is already "
                       f"False: it can make parameters trainable, but never freezes one; drop the "
                       f"`if not {receiver}.requires_grad:` test")
        self.report(node, message)

    def _parameter_of_frozen_tensor(self, node: cst.Call) -> None:
        """`nn.Parameter(torch.zeros(n, requires_grad=False))`: the parameter requires grad."""
        aliases = self.ctx.aliases
        qualified = aliases.resolve(node.func)
        if qualified is None and aliases.star_modules and dotted(node.func) == "nn.Parameter":
            # `from .imports import *` re-exporting torch's `nn` (fastai-style projects): the
            # analysis does not follow a project's star re-exports, so the conventional alias decides.
            qualified = "torch.nn.Parameter"
        if qualified not in NN_PARAMETER_CLASSES:
            return
        if len(node.args) != 1 or node.args[0].keyword is not None or type(node.args[0].value) is not cst.Call:
            return  # `requires_grad=` given to Parameter itself (or positionally): it decides
        inner = node.args[0].value
        flag = next((a for a in inner.args if a.keyword is not None and a.keyword.value == "requires_grad"), None)
        if flag is None or constant_bool(flag.value) is not False:
            return
        kept = [a for a in inner.args if a is not flag]
        if kept:
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        moved = cst.Arg(value=cst.Name("False"), keyword=cst.Name("requires_grad"),
                        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                              whitespace_after=cst.SimpleWhitespace("")))
        fixed = node.with_changes(args=[
            node.args[0].with_changes(value=inner.with_changes(args=kept),
                                      comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
            moved,
        ])
        fix = self.fix(UNSAFE, "Pass `requires_grad=False` to `nn.Parameter` (assumes the parameter is "
                               "meant to be frozen, as the inner flag says)").replace(node, fixed)
        self.report(node, "`nn.Parameter(...)` requires grad whatever the wrapped tensor's `requires_grad=False` "
                          "says: pass `requires_grad=False` to `nn.Parameter` itself", fix=fix)

    def leave_Module(self, node: cst.Module) -> None:
        if not self._pending:
            return
        modules = set(self._file_module_attrs)
        for attr, classes in self._file_attr_classes.items():
            if classes & self._module_classes:
                modules.add(attr)
        modules -= self._file_tensor_attrs
        for assign, receiver, value in self._pending:
            if receiver.attr.value in modules:
                self._report_module(assign, receiver, value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        klass = self.ctx.klass
        if klass is not None and (klass.derives_from("Module", "LightningModule") or any(
                b.rpartition(".")[2] in self._module_classes for b in klass.bases)):
            self._module_classes.add(node.name.value)

    # -- one-shot iterators ------------------------------------------------------------------
    def _iterator(self, name: str) -> Optional[list]:
        """The innermost record of ``name`` as a one-shot iterator (a closure sees its function's)."""
        for scope in reversed(self._iterators):
            if name in scope:
                return scope[name]
        return None

    def _one_shot(self, value: cst.BaseExpression) -> bool:
        """A value that can be iterated once: a generator (`m.parameters()`, `(p for p in ...)`),
        `itertools.chain(...)`, `filter` / `map` / `zip` / `iter`."""
        if type(value) is cst.GeneratorExp:
            return True
        if type(value) is not cst.Call:
            return False
        func = value.func
        if type(func) is cst.Attribute and func.attr.value in _GENERATOR_METHODS:
            return True
        resolved = self.ctx.aliases.resolve(func) or ""
        if resolved in ("itertools.chain", "itertools.chain.from_iterable", "itertools.islice"):
            return True
        return type(func) is cst.Name and func.value in _ONE_SHOT_BUILTINS and func.value not in self.ctx.aliases.names

    def _consumed_by_call(self, node: cst.Call) -> None:
        """`Adam(q_params, lr=lr)`, `list(q_params)`: a call that runs through the iterator."""
        func = node.func
        resolved = self.ctx.aliases.resolve(func) or ""
        consumer = resolved.startswith("torch.optim.") or (
            type(func) is cst.Name and func.value in _CONSUMING_BUILTINS and func.value not in self.ctx.aliases.names)
        if not consumer:
            return
        for arg in node.args:
            if arg.keyword is None and not arg.star and type(arg.value) is cst.Name:
                record = self._iterator(arg.value.value)
                if record is not None and record[1] is None:
                    record[1] = node

    def _loop_over_iterator(self, node: cst.For) -> None:
        """`for p in q_params: p.requires_grad = False` after `Adam(q_params)` ran through it: the
        loop runs zero times. Else the loop itself runs through it."""
        record = self._iterator(node.iter.value)
        if record is None:
            return
        if record[1] is None:
            record[1] = node
            return
        if not _sets_requires_grad(node):
            return
        binding, consumer = record
        code = self.ctx.module_node.code_for_node
        name = node.iter.value
        used = f"`{code(consumer).strip()}`" if type(consumer) is cst.Call else "an earlier `for` loop"
        fix = self.fix(UNSAFE, f"Bind a list: `{name} = list(...)` (the loop then changes `requires_grad` as "
                               "written)").replace(binding.value, f"list({code(binding.value)})")
        self.report(
            node,
            f"`{name}` is an iterator that {used} already ran through: this loop runs zero times and "
            f"changes no `requires_grad`; bind a list (`{name} = list(...)`)",
            fix=fix,
        )

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if self._unfreezes and len(node.targets) == 1 and type(node.targets[0].target) is cst.Attribute \
                and node.targets[0].target.attr.value == "requires_grad" and constant_bool(value) is True:
            self._unfreezes[-1] = True  # (in a loop over parameters, maybe a blanket one)
        if len(node.targets) == 1 and type(node.targets[0].target) is cst.Name:
            name = node.targets[0].target.value
            if self._one_shot(value):
                self._iterators[-1][name] = [node, None]
            else:
                self._iterators[-1].pop(name, None)
        self._freeze_undone(node)
        self._guarded_by_own_flag(node)
        for target in node.targets:
            t = target.target
            if (type(t) is cst.Attribute and t.attr.value in ("requires_grad",) + tuple(_TYPOS)
                    and type(t.value) is cst.Name and t.value.value in self._item_names):
                self._report_swapped(node, t.value.value)
                continue
            if type(t) is cst.Name:
                self._item_names.pop(t.value, None)
            if type(t) in (cst.Tuple, cst.List):
                self._unbind(t)
            elif type(t) in (cst.Name, cst.Attribute) and (type(value) is cst.Call or self._fresh[-1]):
                name = dotted(t)
                if name is not None and not (type(t) is cst.Attribute and t.attr.value in _TYPOS):
                    if type(t) is cst.Attribute and t.attr.value == "requires_grad":
                        self._fresh[-1].discard(dotted(t.value))
                    elif self._fresh_without_grad(value):
                        self._fresh[-1].add(name)
                    elif self._fresh[-1]:
                        self._fresh[-1].discard(name)
            if type(t) is cst.Name:
                if self._builds_module(value):
                    self._modules.add(t.value)
                    self._tensors.discard(t.value)
                elif self._tensor_like(value):
                    self._tensors.add(t.value)
                    self._modules.discard(t.value)
                else:
                    self._modules.discard(t.value)
                    self._tensors.discard(t.value)
                if iterates_modules(value):
                    self._module_lists.add(t.value)
                else:
                    self._module_lists.discard(t.value)
            elif type(t) is cst.Attribute:
                self._check(node, t, value)
                if type(value) is cst.Call:
                    if self._builds_module(value):
                        self._file_module_attrs.add(t.attr.value)
                    elif type(value.func) is cst.Name and value.func.value[:1].isupper():
                        # `self.outc = OutConv(...)`: a module when the file defines OutConv as one,
                        # which may come later in the file.
                        self._file_attr_classes.setdefault(t.attr.value, set()).add(value.func.value)
                if self._tensor_like(value):
                    self._file_tensor_attrs.add(t.attr.value)
                if type(t.value) is cst.Name and t.value.value == "self":
                    klass = self._class()
                    if klass is not None:
                        if self._builds_module(value):
                            self._module_attrs.setdefault(klass.key, set()).add(t.attr.value)
                        elif self._tensor_like(value):
                            self._tensor_attrs.setdefault(klass.key, set()).add(t.attr.value)

    def visit_For(self, node: cst.For) -> None:
        if type(node.iter) is cst.Name:
            self._loop_over_iterator(node)
        target = node.target
        self._unbind(target)
        if type(target) in (cst.Tuple, cst.List):
            for element in target.elements:
                if type(element.value) is cst.Name:
                    self._item_names.pop(element.value.value, None)
        elif type(target) is cst.Name:
            self._item_names.pop(target.value, None)
        iterable = node.iter
        if (type(iterable) is cst.Call and type(iterable.func) is cst.Attribute
                and iterable.func.attr.value in _ITEM_KIND and type(target) is cst.Tuple
                and len(target.elements) == 2 and all(type(e.value) is cst.Name for e in target.elements)):
            self._item_names[target.elements[0].value.value] = node
        if iterates_modules(node.iter, self._module_lists):
            if type(target) is cst.Name:
                self._modules.add(target.value)
            elif type(target) is cst.Tuple and len(target.elements) == 2 and type(target.elements[1].value) is cst.Name:
                self._modules.add(target.elements[1].value.value)
        # `for p_teacher in teacher.parameters()`: parameters, whatever their names say.
        self._tensors.update(loop_parameters(target, node.iter, set()))

    def _report_swapped(self, node: cst.CSTNode, name: str) -> None:
        """`for p, n in model.named_parameters(): p.requires_grad = False`: `p` is the name, a str
        (the items are `(name, parameter)`): the line raises AttributeError and freezes nothing."""
        loop = self._item_names[name]
        if id(loop) in self._swapped_reported:
            return
        self._swapped_reported.add(id(loop))
        code = self.ctx.module_node.code_for_node
        first, second = (e.value for e in loop.target.elements)
        method = loop.iter.func.attr.value
        fix = self.fix(UNSAFE, f"Swap the loop targets: `for {second.value}, {first.value} in ...` (assumes the "
                               "body reads the first as the name)").replace(
            loop.target, f"{second.value}, {first.value}")
        self.report(
            node,
            f"`{name}` is the name in `for {code(loop.target)} in {code(loop.iter)}`, which yields (name, "
            f"{_ITEM_KIND[method]}): `{code(node).strip()}` raises AttributeError on a str and "
            f"freezes nothing; swap the loop targets",
            fix=fix,
        )

    def _builds_module(self, value: cst.BaseExpression) -> bool:
        if not type(value) is cst.Call:
            return False
        func = value.func
        if type(func) is cst.Attribute and func.attr.value == "from_pretrained":
            return True
        if type(func) is cst.Attribute and func.attr.value in SAME_OBJECT_METHODS and type(func.value) is cst.Call:
            return self._builds_module(func.value)  # `nn.Linear(4, 1).to(device)`: the same module
        if type(func) is cst.Name and func.value in self._module_classes:
            return True
        root = func
        while type(root) is cst.Attribute:
            root = root.value
        if not type(root) is cst.Name or not self.ctx.aliases.names.get(root.value, "").startswith(_FACTORY_ROOTS):
            return False  # the cheap test first: this runs on every assignment of a call
        qualified = self.ctx.aliases.resolve(func)
        return qualified is not None and qualified not in ("torch.nn.Parameter",) and bool(_MODULE_FACTORY.match(qualified))

    def _tensor_like(self, value: cst.BaseExpression) -> bool:
        """A value that is certainly not a module: a tensor expression, a torch function's result."""
        if isinstance(value, (cst.BinaryOperation, cst.UnaryOperation, cst.Subscript, cst.BaseNumber)):
            return True
        if not type(value) is cst.Call:
            return False
        func = value.func
        if type(func) is cst.Attribute and func.attr.value in _TENSOR_METHODS:
            return True
        root = func
        while type(root) is cst.Attribute:
            root = root.value
        if not type(root) is cst.Name or not self.ctx.aliases.names.get(root.value, "").startswith("torch"):
            return False
        qualified = self.ctx.aliases.resolve(func) or ""
        return qualified.startswith("torch.") and not _MODULE_FACTORY.match(qualified) or qualified in NN_PARAMETER_CLASSES

    def _unbind(self, target: cst.BaseExpression) -> None:
        """Names a tuple target or a loop rebinds no longer hold the fresh tensor."""
        fresh = self._fresh[-1]
        if not fresh:
            return
        if type(target) in (cst.Tuple, cst.List):
            for element in target.elements:
                self._unbind(element.value)
        elif type(target) is cst.StarredElement:
            self._unbind(target.value)
        else:
            fresh.discard(dotted(target))

    def _fresh_without_grad(self, value: cst.BaseExpression) -> bool:
        """``torch.zeros(n, d)``, ``torch.zeros(n, d).float().to(device)``, or a tensor method
        on a name that holds such a tensor, with no ``requires_grad=True`` anywhere."""
        while type(value) is cst.Call:
            func = value.func
            if any(a.keyword is not None and a.keyword.value == "requires_grad" and constant_bool(a.value) is not False
                   for a in value.args):
                return False
            if type(func) is cst.Attribute and func.attr.value in _TENSOR_METHODS and func.attr.value != "requires_grad_":
                value = func.value
                continue
            qualified = self.ctx.aliases.resolve(func)
            return qualified is not None and bool(_TENSOR_FACTORY.match(qualified))
        return type(value) in (cst.Name, cst.Attribute) and dotted(value) in self._fresh[-1]

    def _class(self):
        fn = self.ctx.function
        return fn.klass if fn is not None else self.ctx.klass

    def _check(self, node: cst.Assign, target: cst.Attribute, value: cst.BaseExpression) -> None:
        attr = target.attr.value
        receiver = target.value
        code = self.ctx.module_node.code_for_node
        single = len(node.targets) == 1
        if attr in _TYPOS:
            if type(receiver) is cst.Name and receiver.value == "self" and constant_bool(value) is None:
                return  # `self.require_grad = require_grad`: a setting of the object, not a freeze
            if attr == "requires_grad_":
                fix = self.fix(SAFE, "Call `requires_grad_()`").replace(
                    node, f"{code(receiver)}.requires_grad_({code(value)})"
                ) if single else None
                self.report(node, f"`.requires_grad_ = …` hides the method and freezes nothing; "
                                  f"call `{code(receiver)}.requires_grad_({code(value)})`", fix=fix)
                return
            flag = constant_bool(value)
            if flag is False and dotted(receiver) in self._fresh[-1]:
                return  # a fresh tensor that does not require grad: the misspelt freeze changes nothing
            effect = {False: "nothing is frozen", True: "nothing starts requiring grad"}.get(
                flag, "gradient tracking does not change")
            fix = self.fix(SAFE, "Rename to `requires_grad`").replace(target.attr, cst.Name("requires_grad"))
            self.report(node, f"`.{attr}` is a misspelling of `.requires_grad`: it sets a new attribute, so "
                              f"{effect}; write `.requires_grad`", fix=fix)
            return
        if attr != "requires_grad":
            return
        if not self._is_module(receiver):
            if type(receiver) is cst.Attribute:
                self._pending.append((node, receiver, value))  # a module if the file builds one under that name
            return
        if type(receiver) is cst.Name and receiver.value == "self" and constant_bool(value) is None:
            return  # `self.requires_grad = requires_grad`: a setting of the module, read by its own code
        self._report_module(node, receiver, value)

    def _report_module(self, node: cst.Assign, receiver: cst.BaseExpression, value: cst.BaseExpression) -> None:
        code = self.ctx.module_node.code_for_node
        single = len(node.targets) == 1
        fix = self.fix(SAFE, "Call `requires_grad_()`").replace(
            node, f"{code(receiver)}.requires_grad_({code(value)})"
        ) if single else None
        self.report(
            node,
            f"`{code(receiver)}` is an nn.Module: `.requires_grad = …` sets a plain attribute and freezes "
            f"nothing; call `{code(receiver)}.requires_grad_(…)`",
            fix=fix,
        )

    def _is_module(self, receiver: cst.BaseExpression) -> bool:
        if type(receiver) is cst.Subscript:
            # `model.classifier[6]`: an element of a module container is a module (not of a
            # `ParameterList`: its elements are parameters, whose `requires_grad` is theirs to set).
            base = receiver.value
            return type(base) in (cst.Name, cst.Attribute) and self._is_module(base) \
                and self._last(base) not in self._parameter_containers()
        if type(receiver) is cst.Name:
            name = receiver.value
            if name == "self":
                klass = self._class()
                return klass is not None and klass.name in self._module_classes
            if name in self._modules:
                return True
            # A name is a module by its name only when nothing in the file says otherwise, and only
            # for network words (`model`, `encoder`): `norm`, `proj` or `embedding` are often tensors.
            if name in self._tensors or not _module_word(name) or _MODULE_ATTR.match(name):
                return False
            return self._declared_kind(name) != "tensor"
        if type(receiver) is cst.Attribute:
            base = receiver.value
            if type(base) is cst.Name and base.value == "self":
                klass = self._class()
                if klass is not None:
                    if receiver.attr.value in self._module_attrs.get(klass.key, ()):
                        return True
                    if receiver.attr.value in self._tensor_attrs.get(klass.key, ()):
                        return False
            return _module_word(receiver.attr.value)
        return False

    def _parameter_containers(self) -> set:
        """Names (or last attributes) the file binds to an `nn.ParameterList` / `nn.ParameterDict`."""
        if self._containers is None:
            from ..analysis.walker import walk_nodes

            self._containers = set()
            module = self.ctx.module_node
            for node in walk_nodes(module) if module is not None else ():
                if type(node) is cst.Assign and type(node.value) is cst.Call and self.ctx.aliases.resolve(
                        node.value.func) in ("torch.nn.ParameterList", "torch.nn.ParameterDict"):
                    self._containers.update(self._last(t.target) for t in node.targets)
        return self._containers

    def _declared_kind(self, name: str) -> Optional[str]:
        """What the code itself says a name is where it is frozen: "tensor" or "module" from an
        `isinstance(name, ...)` test of an enclosing `if` / `elif` branch, or from the parameter's
        annotation (`module: nn.Parameter`); None when it says nothing."""
        fn = self.ctx.function
        if fn is None:
            return None
        for branch in self.ctx.branches:
            if not branch.other:
                kind = self._isinstance_kind(branch.test, name)
                if kind is not None:
                    return kind
        for param in (*fn.node.params.posonly_params, *fn.node.params.params, *fn.node.params.kwonly_params):
            if param.name.value == name and param.annotation is not None:
                return self._class_kind(param.annotation.annotation)
        return None

    def _isinstance_kind(self, test: cst.BaseExpression, name: str) -> Optional[str]:
        if not (type(test) is cst.Call and type(test.func) is cst.Name and test.func.value == "isinstance"
                and len(test.args) == 2 and type(test.args[0].value) is cst.Name
                and test.args[0].value.value == name):
            return None
        classes = test.args[1].value
        kinds = {self._class_kind(e.value) for e in classes.elements} if type(classes) is cst.Tuple else {
            self._class_kind(classes)}
        return kinds.pop() if len(kinds) == 1 else None

    def _class_kind(self, expr: cst.BaseExpression) -> Optional[str]:
        qualified = self.ctx.aliases.resolve(expr)
        if qualified in _TENSOR_CLASSES:
            return "tensor"
        if qualified == "torch.nn.Module" or qualified in NN_MODULES:
            return "module"
        return None

    def _last(self, expr: cst.BaseExpression) -> Optional[str]:
        return expr.value if type(expr) is cst.Name else expr.attr.value if type(expr) is cst.Attribute else None
