"""The `nogradlint` command's entry point.

It answers ``--version`` before importing the linter: ``nogradlint.cli`` imports libcst, the rules
and the report formats, most of the command's start-up time. Everything else goes to ``cli.main``.
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

from . import __version__


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--version"]:
        print(f"nogradlint {__version__}")
        return 0
    from .cli import main as cli_main

    return cli_main(argv)
