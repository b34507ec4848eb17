"""NG901 unused-noqa: a ``# noqa: NGxxx`` that suppresses nothing (ruff's RUF100)."""

from __future__ import annotations

from .base import SAFE, Invalid, Rule, RuleDocs


class UnusedNoqa(Rule):
    code = "NG901"
    name = "unused-noqa"
    message = "unused `noqa` directive"
    # Off unless selected by its full code (or ALL): `select = ["NG"]` does not turn it on.
    opt_in = True
    fix_applicability = SAFE
    triggers = ()  # reported by the engine after the other rules ran, never by a visitor
    docs = RuleDocs(
        what=(
            "Reports `# noqa: NGxxx` comments that suppress nothing: the code is enabled, but no finding "
            "of it is reported on that line. Only codes of registered nogradlint rules that are enabled "
            "in the run are checked (a `# noqa: E501` belongs to another tool), and a bare `# noqa` is "
            "never reported, since other linters read it too. This rule is off unless selected by its "
            "code: `--extend-select NG901`."
        ),
        why=(
            "A suppression outlives the bug it was written for. Once the code is fixed, the stale `noqa` "
            "would silently hide the next real finding on that line."
        ),
        example=(
            "with torch.no_grad():  # noqa: NG006\n"
            "    preds = model(x)\n"
        ),
        use_instead=(
            "with torch.no_grad():\n"
            "    preds = model(x)\n"
        ),
        fix_safety=(
            "The fix is safe: it removes the unused codes from the directive, or the whole directive when "
            "none is used (other text in the comment stays)."
        ),
    )
    VALID = (
        "import torch\ntorch.no_grad()  # noqa: NG006\n",
        "import torch\nwith torch.no_grad():  # noqa\n    pass\n",
        "x = 1  # noqa: E501\n",
    )
    INVALID = (
        Invalid(
            "import torch\nwith torch.no_grad():  # noqa: NG006\n    pass\n",
            expected_fix="import torch\nwith torch.no_grad():\n    pass\n",
        ),
        Invalid(
            "import torch\ntorch.no_grad()  # noqa: NG006, NG001\n",
            expected_fix="import torch\ntorch.no_grad()  # noqa: NG006\n",
        ),
        Invalid(
            "x = 1  # noqa: NG006 -- kept for the old loader\n",
            expected_fix="x = 1  # -- kept for the old loader\n",
        ),
    )
