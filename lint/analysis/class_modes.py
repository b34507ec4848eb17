"""Which classes of a file behave differently in train and eval mode: a class fact for the project.

`model.eval()` matters only for a model with layers that read the mode: dropout, batch norm (torch's
classes whose output differs between the modes, ``torch_api.MODE_DEPENDENT_MODULES``), or a
`forward` that reads `self.training` itself. A model's class often lives in another file than the
loop that runs it (`models.py`, `train.py`), and that file may never be parsed (no rule's trigger
matches it), so the fact is read from the text of every file: per class, whether its own code
builds such a layer, and the classes it builds or derives from, by name. ``ProjectFacts`` follows
those names across the project.
"""

from __future__ import annotations

import re
from typing import Optional

from .python_api import CONTAINER_TYPES, PLAIN_TYPES
from .torch_api import MODE_DEPENDENT_MODULES

_CLASS_LINE = re.compile(r"^([ \t]*)class[ \t]+([A-Za-z_]\w*)[ \t]*(?:\(([^)]*)\))?[ \t]*:", re.M)
# A layer that reads the mode, built by its torch name (`nn.Dropout(`, `BatchNorm2d(`), a `forward`
# that reads the flag itself, running statistics asked for, or a dropout rate set to something
# other than a literal zero (`nn.LSTM(..., dropout=dropout)`, `def __init__(self, dropout=0.1)` when
# the code reads the parameter: _sets_dropout).
# (Each part starts with its literal and checks the word boundary after it: re scans fast for a
# literal or a set of first letters, not for a leading `\b`, and every class body of every file is
# searched.)
_OWN_PARTS = (
    ("", re.compile(r"(?:" + "|".join(sorted(n.rpartition(".")[2] for n in MODE_DEPENDENT_MODULES))
                    + r")\s*\(")),
    ("self.training", re.compile(r"self\.training\b(?<!\wself\.training)")),
    ("track_running_stats", re.compile(r"track_running_stats\s*=\s*True")),
    ("drop", re.compile(r"drop(?<!\wdrop)(?!_last)\w*\s*=\s*(?!0(?:\.0*)?\s*[,)\n]|0\.?\s*$|None\b|False\b)")),
)
_OWN_WORDS = ("ropout", "Norm", "RReLU", "Transformer", "training", "drop", "running_stats")
_CALLED_CLASS = re.compile(r"[A-Z](?<!\w[A-Z])\w*(?=\s*\()")


def _builds_own(body: str) -> bool:
    """Whether a class body builds a layer that reads the mode, reads `self.training`, asks for
    running statistics or sets a non-zero dropout rate."""
    layer = _OWN_PARTS[0][1]
    for match in layer.finditer(body):
        start = match.start()
        if start == 0 or not (body[start - 1].isalnum() or body[start - 1] == "_"):
            return True
    return any(word in body and (pattern.search(body) is not None if word != "drop" else _sets_dropout(body, pattern))
               for word, pattern in _OWN_PARTS[1:])


# The end of a `def` line's signature (`):` or `) -> T:`), and a read of a name (not an attribute
# of that name, nor a keyword `name=` a call passes).
_SIGNATURE_END = re.compile(r"\)[ \t]*(?:->[^:\n]*)?:")


def _sets_dropout(body: str, pattern: re.Pattern) -> bool:
    """A dropout rate other than a literal zero: passed to a call (`nn.LSTM(..., dropout=0.3)`), or
    the default of a parameter the code then reads (`def __init__(self, dropout=0.1)` with
    `nn.Dropout(dropout)`); a parameter nothing reads drops nothing."""
    for match in pattern.finditer(body):
        start = match.start()
        signature = body.rfind("def ", 0, start)
        if signature < 0 or _SIGNATURE_END.search(body, signature, start) is not None:
            return True  # not in a signature: a call's keyword, or an assignment
        name = match.group(0).partition("=")[0].strip()
        end = _SIGNATURE_END.search(body, start)
        if end is None:
            return True
        for read in re.finditer(r"(?<![\w.])%s\b(?![ \t]*=[^=])" % re.escape(name), body[end.end():]):
            line = body[body.rfind("\n", 0, end.end() + read.start()) + 1:end.end() + read.start()]
            if "#" not in line:  # (a comment names it, no code reads it)
                return True
    return False
_BASE = re.compile(r"[A-Za-z_][\w.]*")
_ENDS: dict = {}  # indent -> the regex of a line that closes a body at that indent


def _body_end(text: str, start: int, indent: int) -> int:
    pattern = _ENDS.get(indent)
    if pattern is None:
        # A line of code (not blank, not a comment, not a bracket closing a continued line)
        # indented no deeper than the class line. (Written from its newline, not `^` with re.M:
        # the engine then scans for a literal, several times faster over every body of every file.)
        pattern = _ENDS[indent] = re.compile(r"\n[ \t]{0,%d}(?=[^\s#)\]}])" % indent)
    match = pattern.search(text, start - 1)
    return match.start() + 1 if match is not None else len(text)


# `self.encoder = Encoder(...)`, `self.head = nn.Linear(...)`: an attribute a class builds from a class.
_PART = re.compile(r"self\.(\w+)[ \t]*=[ \t]*(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*[ \t]*\(")
# `self.tokenizer = init_tokenizer()`: any other attribute it assigns (data, no method of the class).
_ASSIGNED = re.compile(r"self\.(\w+)[ \t]*=(?!=)")


# A field a class body declares with an annotation (`metrics: dict[str, float] = ...`), at the
# body's own indentation (keyed by it: a method's annotated locals are deeper), written as a type
# is (a docstring's `metrics: what was measured` is prose, not a declaration).
_FIELDS: dict = {}
_PROPERTIES: dict = {}  # indent -> the regex of a property with a return annotation
_BODY_INDENT = re.compile(r"\n([ \t]+)(?=[^\s#])")
_TYPE_WORD = re.compile(r"[A-Za-z_][\w.]*")
_NOT_FIELDS = frozenset({"else", "try", "finally", "match", "case", "lambda"})


# What a field's annotation declares (the kinds ``ProjectFacts._field_fact`` reads): Python values
# only, a Python container (or None) that may hold tensors, or anything else (a tensor, unknown).
PLAIN_FIELD, CONTAINER_FIELD, OTHER_FIELD = "plain", "container", "other"


def annotation_kind(annotation: str) -> str:
    """What an annotation declares, as written (the text form of ``values.plain_annotation`` and
    ``_container_annotation``, for every file, parsed or not): `float`, `dict[str, float]` and
    `Optional[List[int]]` are Python values; `Dict[str, Tensor]` and `Optional[List[Tensor]]`
    containers; `torch.Tensor`, `Any` or a class something else."""
    words = [w.rpartition(".")[2] for w in _TYPE_WORD.findall(annotation)]
    if any(w in PLAIN_TYPES for w in words) and all(w in PLAIN_TYPES or w in CONTAINER_TYPES for w in words):
        return PLAIN_FIELD
    outer = words[1:2] if words[:1] == ["Optional"] else words[:1]
    if outer and outer[0] in CONTAINER_TYPES and outer[0] not in ("Optional", "Union") and "|" not in annotation:
        return CONTAINER_FIELD
    return OTHER_FIELD


def merged_field(first: str, second: str) -> str:
    """Two declarations of one field name: Python values only if both are; no tensor itself if
    neither is anything else."""
    if first == second:
        return first
    return OTHER_FIELD if OTHER_FIELD in (first, second) else CONTAINER_FIELD


def _declared_fields(body: str, fields: dict) -> None:
    """Fill ``fields`` (name -> what its declarations so far say it holds, ``merged_field``)
    with the annotated fields of a class body."""
    indent = _BODY_INDENT.match(body) if body.startswith("\n") else _BODY_INDENT.search(body)
    if indent is None:
        return
    pattern = _FIELDS.get(indent.group(1))
    if pattern is None:
        pattern = _FIELDS[indent.group(1)] = re.compile(
            r"\n%s([A-Za-z_]\w*)[ \t]*:(?!=)[ \t]*((?:[\w.\[\]\"']|, ?| ?\| ?)+)[ \t]*(?=[=#\n])"
            % re.escape(indent.group(1)))
    found = [(m.group(1), m.group(2)) for m in pattern.finditer(body) if m.group(1) not in _NOT_FIELDS]
    if "property" in body:
        # A property is read as a field: `@property def num_tokens(self) -> int:` holds what it returns.
        properties = _PROPERTIES.get(indent.group(1))
        if properties is None:
            properties = _PROPERTIES[indent.group(1)] = re.compile(
                r"\n%s@(?:functools\.)?(?:cached_)?property[ \t]*\n%sdef[ \t]+(\w+)[ \t]*\([ \t]*self[ \t]*\)"
                r"[ \t]*->[ \t]*([^:\n]+):" % (re.escape(indent.group(1)), re.escape(indent.group(1))))
        found.extend((m.group(1), m.group(2)) for m in properties.finditer(body))
    for name, annotation in found:
        kind = annotation_kind(annotation)
        fields[name] = merged_field(fields[name], kind) if name in fields else kind


def mode_layers(module: str, text: str, parts: Optional[dict] = None, fields: Optional[dict] = None) -> dict:
    """Class key -> (whether its own code builds a layer that reads the mode, the capitalised names
    it calls (the classes it may build), its bases as written). Nested classes are keyed under
    their enclosing class's key; a class defined in a function is keyed as if at module level
    (its name is what another class builds it by). ``parts``, when given, is filled with class key
    -> the attributes its code builds from a class (`self.text_encoder = BertModel(...)`: a
    submodule), then, marked `~`, those it assigns anything else (`self.tokenizer =
    init_tokenizer()`: an attribute, no method, but not known to be a submodule). ``fields``, when
    given, is filled with the fields class bodies declare with an annotation -> what those
    declarations say they hold (`metrics: dict[str, float]`: Python values; annotation_kind)."""
    out: dict = {}
    opened: list = []  # (indent, key) of the classes around the current one
    # (A file without classes may still hold a factory: _factories below.)
    for match in _CLASS_LINE.finditer(text) if "class" in text else ():
        indent = len(match.group(1).expandtabs())
        while opened and opened[-1][0] >= indent:
            opened.pop()
        name = match.group(2)
        parent = opened[-1][1] if opened else module
        key = f"{parent}.{name}" if parent else name
        body = text[match.end():_body_end(text, match.end() + 1, len(match.group(1)))]
        bases = tuple(b for b in _BASE.findall(match.group(3) or "") if b not in ("object", "metaclass"))
        calls = tuple(sorted(set(_CALLED_CLASS.findall(body)) - {name}))
        # (The literals first: most class bodies hold none of them.)
        own = any(word in body for word in _OWN_WORDS) and _builds_own(body)
        if own or calls or bases:
            out[key] = (own, calls, bases)
        if fields is not None and ":" in body:
            _declared_fields(body, fields)
        if parts is not None and calls and "self." in body:
            built = set(_PART.findall(body))
            other = set(_ASSIGNED.findall(body)) - built
            if built or other:
                parts[key] = tuple(sorted(built)) + tuple(sorted("~" + name for name in other))
        opened.append((indent, key))
    _factories(module, text, out)
    return out


# A module-level function named in lower case (`def vgg19(...):`), the way a project builds its
# models by a factory.
_DEF_LINE = re.compile(r"^def[ \t]+([a-z_]\w*)[ \t]*\(", re.M)


def _factories(module: str, text: str, out: dict) -> None:
    """Module-level functions that build and return a model (`def vgg19(): model = VGG(...); ...;
    return model`), keyed like a class (`module.vgg19`): what they return reads the mode as the
    classes they build do. One that calls `.eval()` (or `.train(False)`) may return the model in
    eval mode and is left out, as is one that returns nothing."""
    for match in _DEF_LINE.finditer(text):
        body = text[match.end():_body_end(text, match.end() + 1, 0)]
        if "return" not in body or ".eval(" in body or ".train(False" in body:
            continue
        calls = tuple(sorted(set(_CALLED_CLASS.findall(body))))
        own = any(word in body for word in _OWN_WORDS) and _builds_own(body)
        if calls or own:
            key = f"{module}.{match.group(1)}" if module else match.group(1)
            out.setdefault(key, (own, calls, ()))


def text_facts(module: str, text: str) -> dict:
    """The class and builder facts read from a file's text, parsed or not, as the FileFacts fields
    of the same names: `mode_layers` (with `module_parts` and `fields`, filled by the same pass over
    its class bodies) and `weight_loaders`."""
    parts: dict = {}
    fields: dict = {}
    return {"mode_layers": mode_layers(module, text, parts, fields), "weight_loaders": weight_loaders(module, text),
            "module_parts": parts, "fields": fields}


# A call of a lower-case name (a function, by name): `load_checkpoint(model, path)`.
_CALLED_FUNCTION = re.compile(r"(?<![\w.])[a-z_]\w*(?=\s*\()")


def weight_loaders(module: str, text: str) -> dict:
    """Module-level function key -> (whether its own code loads weights into a module: a
    `.load_state_dict(` call, the lower-case functions it calls by name): the functions that load
    what they build or are handed, through the helpers they call (`blip_retrieval` calling
    `load_checkpoint(model, pretrained)`, which calls `model.load_state_dict(...)`); followed by
    name across the project (``ProjectFacts.loads_weights``). Only functions that load, or that
    build (call a capitalised name) or mention loading and return something, are kept: those are
    the ones a model can come back from loaded."""
    if "load" not in text:
        return {}
    out: dict = {}
    for match in _DEF_LINE.finditer(text):
        body = text[match.end():_body_end(text, match.end() + 1, 0)]
        own = ".load_state_dict(" in body
        if not own and ("load" not in body and _CALLED_CLASS.search(body) is None or "return" not in body):
            continue  # neither loads nor builds and returns what a helper of its may load
        calls = () if own else tuple(sorted(set(_CALLED_FUNCTION.findall(body)) - {match.group(1)}))
        if own or calls:
            out[f"{module}.{match.group(1)}" if module else match.group(1)] = (own, calls)
    return out
