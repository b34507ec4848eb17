"""NG900 unreadable-file: the engine's diagnostic for files it cannot lint."""

from __future__ import annotations

from .base import Rule, RuleDocs


class UnreadableFile(Rule):
    code = "NG900"
    name = "unreadable-file"
    message = "file cannot be linted"
    triggers = ()  # reported by the engine itself, never by a visitor
    docs = RuleDocs(
        what=(
            "Reports a file that nogradlint cannot read or parse: a syntax error, bytes that are not "
            "valid in the file's encoding (PEP 263 coding cookies are honoured), NUL bytes, a file that "
            "cannot be read, code nested too deeply to analyse, a notebook that is not valid JSON, or a file "
            "of more than 5 million characters (generated code; for a notebook, the characters of its code "
            "cells count, not its outputs). An internal error of nogradlint while analysing a file is "
            "reported the same way, with the error, instead of ending the run."
        ),
        why=(
            "A file the linter cannot read is a file it cannot check. Saying so, with the reason, is "
            "better than silently passing it; the other files are still linted."
        ),
        example="def broken(:\n    pass\n",
        use_instead="def fixed():\n    pass\n",
    )
    INVALID = ("def broken(:\n    pass\n",)
    VALID = ("def fine():\n    pass\n",)
