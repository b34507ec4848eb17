"""Rule documentation: the text of ``nogradlint --explain`` and the pages in ``docs/rules/``.

The pages are generated from the rule classes (``code``, ``name``, ``message``, ``docs``), so the
class is the single source. After adding or changing a rule, regenerate them::

    python -m nogradlint.rule_docs docs/rules

``--check`` writes nothing and exits 1 when a page is missing, stale or left over (the test
suite runs the same comparison).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Optional, Sequence

INDEX = "README.md"
# Where the built-in rules' pages (the repository's docs/rules/) are published: the SARIF report's
# helpUri and the language server's diagnostic links.
DOCS_URL = "https://github.com/pytest-nograd/pytest-nograd/blob/main/docs/rules/{code}.md"
_FIX_LINE = {
    "safe": "Fix: safe (applied by `--fix`) where one is available.",
    "unsafe": "Fix: unsafe (applied by `--fix --unsafe-fixes`) where one is available.",
}


def rule_markdown(rule) -> str:
    """The documentation of one rule, in Markdown (also what ``--explain`` prints)."""
    d = rule.docs
    fix = _FIX_LINE.get(rule.fix_applicability or "", "Fix: none.")
    return (
        f"# {rule.name} ({rule.code})\n\n"
        f"Message: {rule.message}\n\n"
        f"{fix}\n\n"
        f"## What it does\n{d.what.strip()}\n\n"
        f"## Why is this bad?\n{d.why.strip()}\n\n"
        f"## Example\n```python\n{d.example.rstrip()}\n```\n\n"
        f"## Use instead\n```python\n{d.use_instead.rstrip()}\n```\n\n"
        f"## Fix safety\n{d.fix_safety.strip()}\n"
    )


def rule_url(rule) -> Optional[str]:
    """The address of a built-in rule's page (``rule``: a ``RuleInfo``); None for a plug-in's rule,
    whose pages are not here."""
    return DOCS_URL.format(code=rule.code) if rule.module.startswith("nogradlint.rules.") else None


def page_name(rule) -> str:
    return f"{rule.code}.md"


def index_markdown(rules) -> str:
    lines = [
        "# Rules",
        "",
        "Generated from the rule classes by `python -m nogradlint.rule_docs docs/rules`; do not edit by hand.",
        "",
        "| Code | Name | Message | Fix |",
        "|---|---|---|---|",
    ]
    for rule in rules:
        fix = rule.fix_applicability or ""
        message = rule.message.replace("|", "\\|")
        lines.append(f"| [{rule.code}]({page_name(rule)}) | {rule.name} | {message} | {fix} |")
    return "\n".join(lines) + "\n"


def builtin_rules() -> list:
    """The rules that ship with nogradlint (plug-ins installed in the environment document
    themselves)."""
    from .rules.builtin import BUILTIN_RULES

    return sorted(BUILTIN_RULES, key=lambda r: r.code)


def expected_pages(rules=None) -> dict:
    """File name -> content of every page of ``docs/rules/``."""
    rules = builtin_rules() if rules is None else list(rules)
    pages = {page_name(rule): rule_markdown(rule) for rule in rules}
    pages[INDEX] = index_markdown(rules)
    return pages


def out_of_sync(directory: str, rules=None) -> list:
    """Human-readable differences between ``directory`` and the generated pages."""
    expected = expected_pages(rules)
    problems = []
    for name, content in sorted(expected.items()):
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                current = fh.read()
        except FileNotFoundError:
            problems.append(f"{path}: missing")
            continue
        if current != content:
            problems.append(f"{path}: out of date")
    if os.path.isdir(directory):
        for name in sorted(os.listdir(directory)):
            if name.endswith(".md") and name not in expected:
                problems.append(f"{os.path.join(directory, name)}: no rule has this page; remove it")
    return problems


def write_pages(directory: str, rules=None) -> list:
    """Write the pages, remove pages of rules that no longer exist; returns the changed files."""
    expected = expected_pages(rules)
    os.makedirs(directory, exist_ok=True)
    changed = []
    for name, content in sorted(expected.items()):
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                if fh.read() == content:
                    continue
        except FileNotFoundError:
            pass
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        changed.append(path)
    for name in sorted(os.listdir(directory)):
        if name.endswith(".md") and name not in expected:
            os.remove(os.path.join(directory, name))
            changed.append(os.path.join(directory, name))
    return changed


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nogradlint.rule_docs",
                                     description="Generate docs/rules/ from the built-in rule classes.")
    parser.add_argument("directory", nargs="?", default=os.path.join("docs", "rules"))
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the pages are out of date")
    args = parser.parse_args(argv)
    if args.check:
        problems = out_of_sync(args.directory)
        for problem in problems:
            print(problem)
        if problems:
            print(f"run `python -m nogradlint.rule_docs {args.directory}` to regenerate", file=sys.stderr)
        return 1 if problems else 0
    for path in write_pages(args.directory):
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
