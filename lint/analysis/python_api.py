"""Python's own API as data, as ``torch_api`` is torch's (no libcst: the cross-file facts read it
on a cache hit)."""

# Methods every dict, list, set or str has (`x.update(...)`, `xs.append(...)`, `s.split()`): a call
# through a receiver of unknown class by one of these names is most likely Python's own, not a
# project method of that name.
CONTAINER_METHODS = frozenset(n for t in (dict, list, set, str) for n in dir(t) if not n.startswith("_"))

# Annotations of Python values that are no tensor: numbers, strings, bools, None.
PLAIN_TYPES = frozenset({"int", "float", "bool", "str", "complex", "bytes", "None", "NoneType"})
# Generic containers and unions whose arguments say what they hold (`Dict[str, float]`, `float | None`).
CONTAINER_TYPES = frozenset({"Dict", "dict", "List", "list", "Tuple", "tuple", "Set", "set", "FrozenSet",
                             "frozenset", "Mapping", "MutableMapping", "Sequence", "Iterable", "Optional",
                             "Union", "DefaultDict", "defaultdict", "OrderedDict", "Counter"})
