"""Python's own API as data, as ``torch_api`` is torch's (no libcst: the cross-file facts read it
on a cache hit)."""

# Methods every dict, list, set or str has (`x.update(...)`, `xs.append(...)`, `s.split()`): a call
# through a receiver of unknown class by one of these names is most likely Python's own, not a
# project method of that name.
CONTAINER_METHODS = frozenset(n for t in (dict, list, set, str) for n in dir(t) if not n.startswith("_"))
