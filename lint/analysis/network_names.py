"""The one vocabulary of words that name a network (``model``, ``self.net``, ``encoder_q``,
``netG``) and of the words that make a name something else (``load_model``, ``model_cls``).

Names are the analysis's last resort: the value model (values.py) decides from what a value
was built as, what a call returns and what a class is; this module is read only where nothing
at all is known about a value (an untyped parameter, an attribute of an object the project
does not build), and then a fact always outweighs it."""

from __future__ import annotations

import re
from functools import lru_cache

# A word of a name that names a network. Single letters (`G(z)`, `D(x)`) count only as a whole name.
_NETWORK_WORD = re.compile(
    r"^(?:\w*model|\w*net|net[gd]|network|module|encoder|decoder|backbone|classifier|generator|"
    r"discriminator|disc|gen|g|d|policy|actor|critic|qf|teacher|student|ema|detector|segmenter|transformer|"
    r"vae|autoencoder|predictor|regressor|mlp|cnn|rnn|lstm|gru|bert|gpt|vit|unet|llm|lm|clf|agent)s?\d*$",
    re.I,
)
# A word that makes the name a function that handles models, not a model:
# load_model, build_model, reset_modules, fuse_model, get_backbone, llm_evaluate_pair.
_VERB = frozenset(
    {"get", "load", "build", "create", "make", "reset", "fuse", "init", "initialize", "save", "update",
     "compute", "prepare", "convert", "wrap", "unwrap", "copy", "set", "setup", "apply", "register", "replace",
     "freeze", "unfreeze", "to", "move", "swap", "find", "export", "trace", "compile", "script", "quantize",
     "prune", "count", "print", "log", "summarize", "check", "validate", "evaluate", "eval", "train", "test",
     "run", "call", "is", "has", "named", "parameters", "state", "zero", "clip", "sync", "broadcast",
     "resolve", "lookup"}
)
# The head (last word) of a name that is a function object or a class, not a network, whatever
# network word comes before it: sub_module_validator, model_resolver, encoder_factory, model_cls.
_NOT_NETWORK_HEAD = frozenset(
    {"validator", "resolver", "checker", "builder", "factory", "loader", "getter", "setter", "converter",
     "initializer", "initialiser", "registry", "saver", "exporter", "logger", "hook", "hooks", "callback",
     "cls", "class",
     # what describes or comes out of a network, not the network: model_name, model_info (a hub
     # API's method), encoder_outputs, model_state, model_kwargs
     "info", "name", "names", "path", "paths", "dir", "file", "files", "id", "ids", "type", "types",
     "config", "cfg", "kwargs", "args", "size", "dim", "version", "url", "output", "outputs", "state",
     "dict", "params", "weights", "list", "index", "idx", "count"}
)
# Sub-modules of a model, by the words their attributes are usually named with. After
# `model.eval()`, `model.feature_extractor(x)` / `model.features(x)` is a forward pass of part of
# the model that was just put in eval mode.
SUBMODULE_WORD = re.compile(
    r"^(?:\w*extractor|features|embedder|embedders|trunk|head|heads|neck|stem|tower|projector|pooler|"
    r"fc|body|layer)\d*$",
    re.I,
)


def _words(name: str) -> list:
    return [w for w in name.rpartition(".")[2].split("_") if w]


@lru_cache(maxsize=4096)
def names_network(name: str) -> bool:
    """Whether a (dotted) name's last part names a network: ``model``, ``self.net``, ``encoder_q``,
    ``netG``, ``G``; not ``load_model``, ``model_cls``, ``x_d``."""
    last = name.rpartition(".")[2]
    words = _words(last)
    if not words or any(w.lower() in _VERB for w in words):
        return False  # a function that handles a model: load_model, llm_evaluate_pair
    if words[-1].lower() in _NOT_NETWORK_HEAD:
        return False  # the name's head is not a network: sub_module_validator, encoder_factory
    if _NETWORK_WORD.match(last):
        return True
    return len(words) > 1 and any(len(w) > 1 and _NETWORK_WORD.match(w) for w in words)


def names_submodule(attr: str) -> bool:
    """Whether an attribute name names a part of a model (``feature_extractor``, ``head``, ``fc2``)."""
    words = _words(attr)
    if not words or any(w.lower() in _VERB for w in words) or words[-1].lower() in _NOT_NETWORK_HEAD:
        return False
    return bool(SUBMODULE_WORD.match(words[-1]))
