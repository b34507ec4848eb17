"""pytest-nograd: run-time grad-mode checks for PyTorch test suites."""
