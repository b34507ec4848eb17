"""SARIF 2.1.0, for code-scanning upload (validated against the official schema in the tests)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..rule_docs import DOCS_URL
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule_descriptor(rule) -> dict:
    docs = rule.docs
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": docs.what},
        "help": {
            "text": f"{docs.what}\n\nWhy is this bad?\n{docs.why}",
            "markdown": f"## What it does\n{docs.what}\n\n## Why is this bad?\n{docs.why}\n\n"
            f"## Example\n```python\n{docs.example}```\n\n## Use instead\n```python\n{docs.use_instead}```\n",
        },
        "helpUri": DOCS_URL.format(code=rule.code),
        "defaultConfiguration": {"level": "error" if rule.code == "NG900" else "warning"},
        "properties": {"tags": ["pytorch", "autograd"]},
    }


def _uri(path: str) -> str:
    """A URI reference: relative paths stay relative (resolved against the checkout by code
    scanning), with spaces and other reserved characters percent-encoded."""
    return quote(Path(path).as_posix()) if not os.path.isabs(path) else Path(path).as_uri()


def render(findings: list, sources=None, rules=None) -> str:
    from ..registry import rule_catalog

    rules = list(rules if rules is not None else rule_catalog())
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for f in findings:
        region = {
            "startLine": f.line,
            "startColumn": f.column,
            "endLine": f.end_line,
            "endColumn": f.end_column,
        }
        result = {
            "ruleId": f.code,
            "level": "error" if f.code == "NG900" else "warning",
            "message": {"text": f.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}, "region": region}}
            ],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.cell is not None:
            result["properties"] = {"cell": f.cell}
            result["locations"][0]["message"] = {"text": f"cell {f.cell}"}
        if f.observed is not None:  # what the tests showed (--runtime-evidence)
            result.setdefault("properties", {})["runtimeEvidence"] = f.observed.to_json()
        if f.fix is not None:
            result["fixes"] = [
                {
                    "description": {"text": f.fix.message},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": _uri(f.path)},
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": e.line,
                                        "startColumn": e.column,
                                        "endLine": e.end_line,
                                        "endColumn": e.end_column,
                                    },
                                    "insertedContent": {"text": e.content},
                                }
                                for e in f.fix.edits
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nogradlint",
                        "version": __version__,
                        "informationUri": "https://github.com/pytest-nograd/pytest-nograd",
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                # Columns count characters (code points), as in every other output format.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
