"""``nogradlint server``: a language server (LSP over standard input and output).

pygls is an optional dependency (``pip install 'pytest-nograd[lsp]'``): the linter itself
never imports it.
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

USAGE = "usage: nogradlint server [--stdio]"


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[2:] if argv is None else argv)
    if args in (["-h"], ["--help"]):
        print(f"{USAGE}\n\nRun the nogradlint language server over standard input and output "
              "(for editors; see docs/editors.md).")
        return 0
    # Editor clients (vscode-languageclient) add --stdio; it is the only transport.
    unknown = [a for a in args if a != "--stdio"]
    if unknown:
        print(f"nogradlint: error: `server` takes no argument {unknown[0]!r} ({USAGE})", file=sys.stderr)
        return 2
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print("nogradlint: error: the language server needs pygls; install it with "
              "`pip install 'pytest-nograd[lsp]'`", file=sys.stderr)
        return 2
    from .lsp import serve

    serve()
    return 0
