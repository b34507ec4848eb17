#!/usr/bin/env python
"""Generate lint/rules/catalog.py: the built-in rules' metadata as data.

The command reads rule codes, names, messages, documentation and fix kinds from that table, so a
run that lints nothing (every file a cache hit, ``--list-rules``, ``--explain``) imports neither
the rule modules nor libcst. The rule classes stay the single source: after adding or changing a
rule, regenerate the table::

    python scripts/generate_rule_catalog.py            # rewrite lint/rules/catalog.py
    python scripts/generate_rule_catalog.py --check    # exit 1 if the committed table is stale

tests/lint/test_rule_catalog.py runs ``--check``.
"""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, os.pardir, "lint", "rules", "catalog.py")

HEADER = '''"""The built-in rules' metadata (``RuleInfo``), generated from the rule classes by
``python scripts/generate_rule_catalog.py``; do not edit by hand (tests/lint/test_rule_catalog.py
fails when it is stale)."""

from .base import RuleDocs, RuleInfo

BUILTIN = (
'''

_DOC_FIELDS = ("what", "why", "example", "use_instead", "fix_safety")


def catalog_source() -> str:
    from nogradlint.rules.base import RuleInfo
    from nogradlint.rules.builtin import BUILTIN_RULES

    out = [HEADER]
    for info in sorted((RuleInfo.of(rule) for rule in BUILTIN_RULES), key=lambda i: i.code):
        out.append("    RuleInfo(\n")
        for name in ("code", "name", "message"):
            out.append(f"        {name}={getattr(info, name)!r},\n")
        out.append("        docs=RuleDocs(\n")
        for name in _DOC_FIELDS:
            out.append(f"            {name}={getattr(info.docs, name)!r},\n")
        out.append("        ),\n")
        for name in ("fix_applicability", "opt_in", "module", "qualname"):
            out.append(f"        {name}={getattr(info, name)!r},\n")
        out.append("    ),\n")
    out.append(")\n")
    return "".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the table is stale")
    parser.add_argument("--output", default=CATALOG, help="the table's path (default: %(default)s)")
    args = parser.parse_args(argv)
    fresh = catalog_source()
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as fh:
                current = fh.read()
        except OSError:
            current = None
        if current != fresh:
            print(f"{args.output} is stale: run python scripts/generate_rule_catalog.py", file=sys.stderr)
            return 1
        return 0
    with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
