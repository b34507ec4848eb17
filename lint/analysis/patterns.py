"""Small, O(1)-per-node recognisers shared by the rules: what a model call, a gradient use,
an optimizer and a test file look like. Nothing here walks a subtree except ``bound_names``,
which only looks at assignment targets."""

from __future__ import annotations

import os
import re
from typing import Iterable, Optional

import libcst as cst

from .names import AliasTable, dotted

# Iterating over these yields a model's parts, not data: a loop over them is not an evaluation
# loop over batches (`for m in model.modules(): validator(m)`).
STRUCTURE_METHODS = frozenset(
    {"modules", "named_modules", "children", "named_children", "parameters", "named_parameters",
     "buffers", "named_buffers"}
)
# High-level predictor objects whose __call__ already disables grad (the only ones the rules
# know; keep this list short and documented in NG001's docs):
# - ultralytics `YOLO(...)` and siblings: Model.__call__ -> predict, which runs under
#   `smart_inference_mode()`;
# - transformers `pipeline(...)`: Pipeline.forward runs the model under no_grad/inference_mode;
# - diffusers `SomePipeline.from_pretrained(...)`: the pipelines' __call__ is `@torch.no_grad()`.
_ULTRALYTICS_PREDICTORS = frozenset({"YOLO", "YOLOWorld", "YOLOE", "RTDETR", "SAM", "FastSAM", "NAS"})
PREDICTOR_WRAPPERS_DOC = (
    "ultralytics `YOLO` / `YOLOWorld` / `YOLOE` / `RTDETR` / `SAM` / `FastSAM` / `NAS`, transformers "
    "`pipeline(...)` and diffusers `*Pipeline.from_pretrained(...)` / `from_single_file(...)`"
)
# Methods that return the same object (or the same kind): `YOLO(w).to(device)`.
_SAME_OBJECT = frozenset({"to", "cuda", "cpu", "eval", "half", "float", "bfloat16", "fuse"})
# Methods of a model that run its forward pass. Library methods that disable grad themselves
# (Hugging Face `generate`, sentence-transformers `encode`, `predict` / `sample` helpers that
# are usually decorated with no_grad) are left out.
FORWARD_METHODS = frozenset(
    {"forward", "forward_features", "forward_head", "extract_features", "decode", "encode_image",
     "encode_text", "__call__"}  # (`self.__call__(*batch)` is `self(*batch)`)
)
# Library entry points that disable grad themselves (transformers' `generate` and `chat` are
# `@torch.no_grad()`, sentence-transformers' `encode` and whisper's `transcribe` run under
# `no_grad` / `inference_mode`): a method of this name on a model whose class is outside the
# project is no forward with grad on. The analysis cannot read those libraries' code, so the name
# is what it has. transformers' `compute_transition_scores` runs no forward at all (it gathers the
# scores `generate` returned).
SELF_DISABLING_METHODS = frozenset({"generate", "chat", "stream_chat", "encode", "transcribe",
                                    "compute_transition_scores"})
# Calls that need gradients: a backward pass, autograd.grad, an optimizer update.
_GRAD_FUNCTIONS = frozenset(
    {"torch.autograd.grad", "torch.autograd.backward", "torch.autograd.functional.jacobian",
     "torch.autograd.functional.hessian", "torch.autograd.functional.vjp", "torch.autograd.functional.jvp",
     "torch.autograd.functional.hvp", "torch.autograd.functional.vhp", "torch.func.grad",
     "torch.func.grad_and_value", "torch.func.vjp", "torch.func.jacrev", "torch.func.jacfwd",
     "torch.func.hessian"}
)
_OPTIMIZER_WORD = re.compile(r"(?:^|_)(?:opt|optim|optimizer|optimiser|optimizers|scaler|sched\w*)\d*(?:_|$)", re.I)
# Helpers whose name says they compute gradients (adversarial attacks, saliency, adaptation).
GRAD_HELPER = re.compile(
    r"attack|pgd|fgsm|fgm|adversar|saliency|grad|explain|attribution|integrated|gradcam|perturb|adapt|tta_step|"
    r"backward|deepdream|invert|optimi[sz]e_input|jacobian|hessian|jvp|vjp|jacrev|jacfwd",
    re.I,
)


def last_part(name: str) -> str:
    return name.rpartition(".")[2]


def same_object_of(value: cst.BaseExpression) -> Optional[str]:
    """``x`` for ``x.to(device)`` / ``x.cuda().eval()``: a value that is ``x`` itself (or its kind)."""
    seen = False
    while type(value) is cst.Call and type(value.func) is cst.Attribute and (
        value.func.attr.value in _SAME_OBJECT
    ):
        value, seen = value.func.value, True
    return dotted(value) if seen else None


def _construction(value: cst.BaseExpression) -> cst.BaseExpression:
    """The call that builds ``value`` under the calls that return the same object
    (`YOLO(w).to(device)` -> `YOLO(w)`)."""
    while type(value) is cst.Call and type(value.func) is cst.Attribute and (
        value.func.attr.value in _SAME_OBJECT and type(value.func.value) is cst.Call
    ):
        value = value.func.value
    return value


def predictor_wrapper(value: cst.BaseExpression, aliases: AliasTable) -> bool:
    """Whether ``value`` builds a high-level predictor whose ``__call__`` already disables grad
    (see ``PREDICTOR_WRAPPERS_DOC``): ``YOLO(w)``, ``pipeline("ner")``,
    ``StableDiffusionPipeline.from_pretrained(...).to("cuda")``."""
    value = _construction(value)
    if not type(value) is cst.Call:
        return False
    qualified = aliases.resolve(value.func)
    if qualified is None:
        return False
    package, _, rest = qualified.partition(".")
    last = last_part(qualified)
    if package == "ultralytics":
        return last in _ULTRALYTICS_PREDICTORS
    if package == "transformers":
        return last == "pipeline"
    if package == "diffusers" and last in ("from_pretrained", "from_single_file"):
        klass = last_part(qualified.rpartition(".")[0])
        return klass.endswith("Pipeline") or klass.startswith("AutoPipeline")
    return False


# Classes whose instances are callable but hold no network: tokenizers, processors, vocabularies
# (transformers' AutoTokenizer / BertTokenizerFast / AutoProcessor, sentencepiece's
# SentencePieceProcessor). Built as `Cls(...)` or through a factory (`Cls.from_pretrained(...)`),
# also when the class is held in a variable (`tokenizer_class.from_pretrained(...)`, taken from a
# config table the analysis cannot read: there the class's name is all there is to go on).
_NOT_MODULE_CLASS = re.compile(r"(?:tokeni[sz]er|processor|feature_?extractor|vocab(?:ulary)?)(?:_?fast)?(?:_?cls|_?class)?$", re.I)
_FACTORIES = frozenset({"from_pretrained", "from_config", "from_file", "load", "build", "create"})


def builds_non_module(value: cst.BaseExpression) -> bool:
    """Whether ``value`` constructs an object that is certainly no nn.Module (a tokenizer...)."""
    value = _construction(value)
    if not type(value) is cst.Call:
        return False
    func = value.func
    if type(func) is cst.Attribute and func.attr.value in _FACTORIES:
        func = func.value
    name = dotted(func)
    return name is not None and bool(_NOT_MODULE_CLASS.search(last_part(name)))


# Hugging Face loaders that give back a network in eval mode: transformers' `PreTrainedModel` and
# diffusers' `ModelMixin.from_pretrained` call `model.eval()` before returning it (their
# documentation says so); configurations, schedulers and pipelines are no networks (pipelines:
# predictor_wrapper).
_PRETRAINED_PACKAGES = ("transformers", "diffusers")
_NOT_NETWORK_CLASS = re.compile(r"(?:config|scheduler|pipeline|generationconfig)$", re.I)


def pretrained_in_eval_mode(value: cst.BaseExpression, aliases: AliasTable) -> bool:
    """Whether ``value`` loads a transformers / diffusers network, which comes back in eval mode
    (`AutoencoderKL.from_pretrained(...).to(device)`, `AutoModel.from_pretrained(name)`)."""
    value = _construction(value)
    if type(value) is not cst.Call or type(value.func) is not cst.Attribute or value.func.attr.value != "from_pretrained":
        return False
    qualified = aliases.resolve(value.func.value)
    if qualified is None or qualified.partition(".")[0] not in _PRETRAINED_PACKAGES:
        return False
    klass = last_part(qualified)
    return not (_NOT_MODULE_CLASS.search(klass) or _NOT_NETWORK_CLASS.search(klass)
                or klass.endswith("Pipeline") or klass.startswith("AutoPipeline"))


def is_optimizer_name(name: str) -> bool:
    return bool(_OPTIMIZER_WORD.search(last_part(name)))


def grad_use(call: cst.Call, aliases: AliasTable) -> bool:
    """``x.backward()``, ``torch.autograd.grad(...)``, ``opt.step()``, ``opt.zero_grad()``,
    ``x.requires_grad_()`` and ``requires_grad=True`` arguments; Lightning's
    ``self.manual_backward(loss)`` (a method only a LightningModule has, also through a library's
    subclass of it: scvi's `TrainingPlan`)."""
    func = call.func
    if type(func) is cst.Attribute:
        attr = func.attr.value
        if attr in ("backward", "zero_grad", "retain_grad", "manual_backward"):
            return True
        if attr == "requires_grad_":
            return not call.args or _truthy(call.args[0].value)
        if attr == "step":
            base = dotted(func.value)
            if base is not None and is_optimizer_name(base) and not schedules_learning_rate(func):
                return True
    qualified = aliases.resolve(func)
    if qualified is not None and qualified in _GRAD_FUNCTIONS:
        return True
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in ("requires_grad", "create_graph") and _truthy(arg.value):
            return True
    return False


def schedules_learning_rate(func: cst.BaseExpression) -> bool:
    """`scheduler.step()`, `lr_sched.step(val_loss)`: a learning-rate schedule moves on; nothing is
    trained and no gradient is read (`ReduceLROnPlateau` takes the validation loss, a number). By
    name: the object usually comes from a factory (`build_scheduler(cfg, opt)`) whose class the
    value model cannot see."""
    return (type(func) is cst.Attribute and func.attr.value == "step"
            and "sched" in (last_part(dotted(func.value) or "") or "").lower())


def _truthy(expr: cst.BaseExpression) -> bool:
    return not (type(expr) is cst.Name and expr.value in ("False", "None"))


def bound_names(target: cst.BaseExpression, out: set) -> None:
    """Names bound by an assignment / loop target (``x``, ``(a, b)``, ``*rest``)."""
    if type(target) is cst.Name:
        out.add(target.value)
    elif type(target) in (cst.Tuple, cst.List):
        for element in target.elements:
            bound_names(element.value, out)
    elif type(target) is cst.StarredElement:
        bound_names(target.value, out)


def comprehension_fors(for_in: cst.CompFor) -> list:
    """The `for` parts of a comprehension, outermost first."""
    out = []
    while for_in is not None:
        out.append(for_in)
        for_in = for_in.inner_for_in
    return out


def expr_names(expr: cst.BaseExpression, limit: int = 200) -> set:
    """The plain names read in a (small) expression, e.g. the arguments of one call."""
    out = set()
    stack = [expr]
    seen = 0
    while stack and seen < limit:
        node = stack.pop()
        seen += 1
        if type(node) is cst.Name:
            out.add(node.value)
        elif type(node) is cst.Attribute:
            stack.append(node.value)
        elif type(node) is cst.Call:
            stack.append(node.func)
            stack.extend(a.value for a in node.args)
        elif type(node) is cst.Subscript:
            stack.append(node.value)
            for element in node.slice:
                inner = element.slice
                if type(inner) is cst.Index:
                    stack.append(inner.value)
                else:  # `tokens[:, :i]`: the bounds a loop moves
                    stack.extend(b for b in (inner.lower, inner.upper, inner.step) if b is not None)
        elif type(node) is cst.BinaryOperation:
            stack.extend((node.left, node.right))
        elif type(node) is cst.UnaryOperation:
            stack.append(node.expression)
        elif type(node) in (cst.Tuple, cst.List, cst.Set):
            stack.extend(e.value for e in node.elements)
        elif type(node) is cst.Dict:
            for element in node.elements:
                if type(element) is cst.DictElement:
                    stack.extend((element.key, element.value))
                elif type(element) is cst.StarredDictElement:
                    stack.append(element.value)
        elif type(node) in (cst.StarredElement,):
            stack.append(node.value)
        elif type(node) is cst.IfExp:
            stack.extend((node.body, node.test, node.orelse))
        elif type(node) is cst.Comparison:
            stack.append(node.left)
            stack.extend(c.comparator for c in node.comparisons)
        elif type(node) in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
            # `model([x[0] for x in batch])`: what the comprehension iterates is read (its
            # element reads names it binds itself, which are no data of an enclosing loop).
            comp = node.for_in
            while comp is not None:
                stack.append(comp.iter)
                comp = comp.inner_for_in
    return out


def is_test_file(path: str, module: Optional[cst.Module] = None, aliases=None) -> bool:
    """Test modules (pytest / unittest): their functions are tests, not evaluation code. The file
    name is not enough (`tools/test_net.py` is an evaluation script): the module must also hold
    tests, a `test_*` function or a `Test*` class, or import pytest / unittest."""
    base = os.path.basename(path)
    if base == "conftest.py":
        return True
    imports_tests = aliases is not None and any(
        v.partition(".")[0] in ("pytest", "unittest") for v in aliases.names.values())
    if not (base.startswith("test_") or base.endswith("_test.py") or base == "tests.py"):
        # A test suite's shared helpers (`tests/testing_common.py`, whose `_test_merge_layers`
        # every test class calls): in a `tests` folder, and importing pytest or unittest.
        folders = os.path.normpath(os.path.dirname(path)).split(os.sep)
        return imports_tests and any(f in ("tests", "test") for f in folders)
    if module is None:
        return True
    if imports_tests:
        return True
    for statement in module.body:
        if type(statement) is cst.FunctionDef and statement.name.value.startswith("test_"):
            return True
        if type(statement) is cst.ClassDef and statement.name.value.startswith("Test"):
            return True
    return False


def model_receiver(func: cst.BaseExpression) -> Optional[str]:
    """The dotted model a call runs: ``model`` for ``model(x)`` and ``model.forward(x)``."""
    if type(func) is cst.Attribute and func.attr.value in FORWARD_METHODS:
        return dotted(func.value)
    return dotted(func)


def related(a: str, b: str) -> bool:
    """One dotted name is the other or a part of it (`self` / `self.model`, `model` / `model.head`):
    what is done to one is done to the other."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def prefixes(name: str) -> Iterable[str]:
    """``a.b.c`` -> ``a.b.c``, ``a.b``, ``a``."""
    while name:
        yield name
        name = name.rpartition(".")[0]
