"""Stage 3 of the pipeline: what the code means for grad mode.

- ``names``: import aliases and dotted-name resolution (``T.no_grad`` -> ``torch.no_grad``).
- ``gradmode``: which calls and decorators switch grad mode, and to what.
- ``walker``: one fast pass over the CST that keeps the grad-mode stack and feeds the rules.
- ``positions``: line/column of the few nodes that are reported, computed only when needed.
- ``project``: cross-file facts (which functions only ever run with grad disabled).
"""
