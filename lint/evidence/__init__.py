"""Run-time evidence: what pytest-nograd's sanitizer saw the tests run (``pytest --nograd-check
--nograd-json=FILE``), joined with the static findings (``--runtime-evidence FILE``).

It sits between the rules and the report: ``load`` reads and checks the file, ``join``
confirms, adds (NG013) and qualifies findings. The Python ``ast`` places an NG013 finding;
libcst is imported only to build its fix.
"""
