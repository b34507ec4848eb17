"""pluggy hook specifications: how rules reach nogradlint.

Built-in rules use the same hook as third-party packages. A package registers its rules by
exposing a module under the ``nogradlint`` entry-point group::

    [project.entry-points.nogradlint]
    mylib = "mylib_nogradlint.plugin"

and implementing the hook in that module::

    from nogradlint import hookimpl

    @hookimpl
    def nogradlint_rules():
        return [MyRule]
"""

from __future__ import annotations

import pluggy

PROJECT = "nogradlint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def nogradlint_rules():
    """Return a list of ``nogradlint.Rule`` subclasses."""
