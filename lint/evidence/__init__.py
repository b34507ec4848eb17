"""Run-time evidence: what pytest-nograd's sanitizer saw the tests run (``pytest --nograd-check
--nograd-json=FILE``), joined with the static findings (``--runtime-evidence FILE``).

It sits between the rules and the report: ``load`` reads and checks the file, ``join``
confirms, adds (NG013) and qualifies findings. Nothing here imports libcst; the Python
``ast`` is enough to place a finding and to decide whether a fix is offered.
"""
