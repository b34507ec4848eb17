"""Byte sizes with units, as accepted by markers, ini and CLI options."""
from __future__ import annotations

import re
from typing import Union

UNITS = {
    "": 1,
    "B": 1,
    "kB": 1000,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "TB": 1000**4,
    "KiB": 1024,
    "MiB": 1024**2,
    "GiB": 1024**3,
    "TiB": 1024**4,
}

_SIZE_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([A-Za-z]*)\s*$")


def parse_size(value: Union[int, float, str]) -> int:
    """Return ``value`` in bytes; raise ValueError with the reason when malformed."""
    if isinstance(value, bool):  # bool is an int subclass; True bytes is surely a mistake
        raise ValueError(f"{value!r} is not a size")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"size must not be negative, got {value!r}")
        return value
    if isinstance(value, float):
        if value != value or value < 0 or value == float("inf"):
            raise ValueError(f"size must be a finite non-negative number, got {value!r}")
        return int(round(value))
    if not isinstance(value, str):
        raise ValueError(f"size must be an int (bytes) or a string such as '512 MiB', got {value!r}")
    if value.strip().startswith("-"):
        raise ValueError(f"size must not be negative, got {value!r}")
    m = _SIZE_RE.match(value)
    if not m:
        raise ValueError(f"cannot parse size {value!r} (expected e.g. 1024, '64 KiB', '1.5GB')")
    number, unit = m.groups()
    if unit not in UNITS:
        raise ValueError(
            f"unknown unit {unit!r} in size {value!r} (use B, kB, MB, GB, KiB, MiB or GiB)"
        )
    return int(round(float(number) * UNITS[unit]))


def format_size(n: int) -> str:
    """Human-readable binary size, exact bytes kept for small values."""
    sign = "-" if n < 0 else ""
    n = abs(n)
    if n < 1024:
        return f"{sign}{n} B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        n /= 1024
        if n < 1024 or unit == "TiB":
            return f"{sign}{n:.1f} {unit}"
    raise AssertionError("unreachable")
