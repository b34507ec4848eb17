"""docs/rules/ is generated from the rule classes (``python -m nogradlint.rule_docs docs/rules``)
and must be in sync with them; ``--explain`` prints the same text."""

from __future__ import annotations

import os

from nogradlint import rule_docs
from nogradlint.rules.builtin import BUILTIN_RULES

from .cli_helpers import REPO, run_main

DOCS = os.path.join(REPO, "docs", "rules")
REGENERATE = "python -m nogradlint.rule_docs docs/rules"


def test_rule_pages_are_in_sync():
    problems = rule_docs.out_of_sync(DOCS)
    assert not problems, "docs/rules is out of date; run `" + REGENERATE + "`:\n" + "\n".join(problems)


def test_one_page_per_builtin_rule_and_an_index():
    pages = sorted(p for p in os.listdir(DOCS) if p.endswith(".md"))
    assert pages == sorted([f"{r.code}.md" for r in BUILTIN_RULES] + ["README.md"])
    with open(os.path.join(DOCS, "README.md"), encoding="utf-8") as fh:
        index = fh.read()
    for rule in BUILTIN_RULES:
        assert f"| [{rule.code}]({rule.code}.md) | {rule.name} |" in index


def test_explain_prints_the_page(capsys):
    for rule in BUILTIN_RULES:
        r = run_main(capsys, "--explain", rule.code)
        with open(os.path.join(DOCS, f"{rule.code}.md"), encoding="utf-8") as fh:
            assert r.out == fh.read()


def test_page_layout():
    rule = next(r for r in BUILTIN_RULES if r.code == "NG006")
    page = rule_docs.rule_markdown(rule)
    assert page.splitlines()[0] == "# no-op-grad-call (NG006)"
    sections = [line for line in page.splitlines() if line.startswith("## ")]
    assert sections == ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"]
    assert rule.docs.example.rstrip() in page and rule.docs.use_instead.rstrip() in page
    assert "Fix: safe" in page


def test_generator_writes_checks_and_prunes(tmp_path, capsys):
    target = str(tmp_path / "rules")
    assert rule_docs.main([target, "--check"]) == 1  # nothing there yet
    assert "missing" in capsys.readouterr().out
    assert rule_docs.main([target]) == 0
    assert rule_docs.main([target, "--check"]) == 0
    assert sorted(os.listdir(target)) == sorted(os.listdir(DOCS))
    # a stale page, a page for a rule that no longer exists
    with open(os.path.join(target, "NG006.md"), "a", encoding="utf-8") as fh:
        fh.write("hand edit\n")
    with open(os.path.join(target, "NG999.md"), "w", encoding="utf-8") as fh:
        fh.write("# gone\n")
    problems = rule_docs.out_of_sync(target)
    assert any("NG006.md: out of date" in p for p in problems)
    assert any("NG999.md: no rule has this page" in p for p in problems)
    capsys.readouterr()
    assert rule_docs.main([target]) == 0
    out = capsys.readouterr().out
    assert "NG006.md" in out and "NG999.md" in out
    assert rule_docs.out_of_sync(target) == [] and not os.path.exists(os.path.join(target, "NG999.md"))


def test_readme_links_the_rule_pages():
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    assert "docs/rules" in readme and REGENERATE in readme
    for rule in BUILTIN_RULES:  # the README's rules table
        assert f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} " in readme, rule.code


def test_rule_links_point_at_these_pages_and_only_for_builtin_rules():
    # The language server's diagnostic links and SARIF's helpUri: a built-in rule's page here;
    # a plug-in's rules are documented elsewhere, so they get no link to this repository.
    import dataclasses

    from nogradlint.rules.catalog import BUILTIN

    for info in BUILTIN:
        url = rule_docs.rule_url(info)
        assert url == rule_docs.DOCS_URL.format(code=info.code)
        assert os.path.isfile(os.path.join(DOCS, url.rsplit("/", 1)[1]))
    plugin = dataclasses.replace(BUILTIN[0], code="XTR001", module="mylib_rules.plugin")
    assert rule_docs.rule_url(plugin) is None
