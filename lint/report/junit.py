"""JUnit XML (as ruff writes it): one ``<testsuite>`` per file, one failed ``<testcase>`` per
finding, for CI systems that show test reports (GitLab ``artifacts: reports: junit``, Jenkins,
Azure Pipelines). A run without findings is one passing test case, so the report is never empty."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from .location import where


def render(findings: list, sources=None) -> str:
    root = ET.Element("testsuites", name="nogradlint", tests=str(max(len(findings), 1)),
                      failures=str(len(findings)), errors="0")
    by_file: dict = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name="nogradlint", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name="nogradlint", classname="nogradlint")
    for path, items in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(items)), failures=str(len(items)),
                              errors="0")
        for f in items:
            case = ET.SubElement(suite, "testcase", name=f"nogradlint.{f.code}", classname=path,
                                 file=path, line=str(f.line))
            failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
            failure.text = f"{where(f)}: {f.code} {f.message}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
