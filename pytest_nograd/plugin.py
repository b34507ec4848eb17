"""pytest entry point (pytest11) for pytest-nograd."""
