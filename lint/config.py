"""Configuration: ``[tool.nogradlint]`` in pyproject.toml, then the command line.

Precedence: defaults < configuration file < command line. Every key is validated; an unknown
key or a bad value is a ``ConfigError`` naming the key and the file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import Any, Optional

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib  # type: ignore[no-redef]


class ConfigError(Exception):
    """A one-line, user-facing configuration problem."""


DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "build", "dist", "__pycache__",
    "node_modules", "site-packages", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".nogradlint_cache", ".ipynb_checkpoints", ".eggs", "*.egg-info",
)

# Function names that mark evaluation and training code (NG001, NG002); users extend them.
DEFAULT_EVAL_PATTERNS = (
    r"eval(uate|uation)?", r"valid(ate|ation)?", r"val", r"test", r"predict(ion)?s?",
    r"infer(ence)?", r"score", r"run_(eval|validation|test|inference)",
)
DEFAULT_TRAIN_PATTERNS = (r"train", r"train_step", r"training_step", r"train_one_epoch", r"fit", r"train_epoch")


@dataclass(frozen=True)
class Settings:
    select: tuple = ("NG",)
    ignore: tuple = ()
    extend_select: tuple = ()
    exclude: tuple = DEFAULT_EXCLUDE
    extend_exclude: tuple = ()
    per_file_ignores: tuple = ()  # ((glob, (codes...)), ...)
    respect_gitignore: bool = True
    cache_dir: str = ".nogradlint_cache"
    grad_disabled_hooks: tuple = ()
    eval_function_patterns: tuple = ()
    train_function_patterns: tuple = ()
    # Where the configuration came from; relative globs are anchored there.
    root: str = "."
    source: Optional[str] = None

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def eval_name_re(self) -> "re.Pattern":
        return _name_regex(DEFAULT_EVAL_PATTERNS + self.eval_function_patterns)

    @property
    def train_name_re(self) -> "re.Pattern":
        return _name_regex(DEFAULT_TRAIN_PATTERNS + self.train_function_patterns)

    def fingerprint(self) -> str:
        """Everything that changes findings, for the cache key."""
        return repr((self.select, self.ignore, self.extend_select, self.per_file_ignores,
                     self.grad_disabled_hooks, self.eval_function_patterns, self.train_function_patterns))


_NAME_RE_CACHE: dict = {}


def _name_regex(patterns: tuple) -> "re.Pattern":
    compiled = _NAME_RE_CACHE.get(patterns)
    if compiled is None:
        # A name matches when one of its underscore-separated words (or the whole) matches:
        # evaluate, run_validation, val_epoch, test_model, predict_batch.
        body = "|".join(f"(?:{p})" for p in patterns)
        compiled = _NAME_RE_CACHE[patterns] = re.compile(rf"^(?:_*)(?:{body})(?:_|$)|_(?:{body})(?:_|$)", re.I)
    return compiled


_KEY_TYPES = {
    "select": "codes",
    "ignore": "codes",
    "extend-select": "codes",
    "exclude": "strings",
    "extend-exclude": "strings",
    "per-file-ignores": "per-file",
    "respect-gitignore": "bool",
    "cache-dir": "string",
    "grad-disabled-hooks": "dotted",
    "eval-function-patterns": "regexes",
    "train-function-patterns": "regexes",
}
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
_CODE_PREFIX = re.compile(r"^[A-Z]{1,4}\d{0,3}$|^ALL$")


def find_config(start: str) -> Optional[str]:
    """The nearest pyproject.toml with a [tool.nogradlint] table, from ``start`` upwards."""
    current = os.path.abspath(start)
    if not os.path.isdir(current):  # a file, or a name that does not exist (--stdin-filename)
        current = os.path.dirname(current)
    while True:
        candidate = os.path.join(current, "pyproject.toml")
        if os.path.isfile(candidate):
            try:
                with open(candidate, "rb") as fh:
                    data = tomllib.load(fh)
            except OSError:
                data = {}
            except tomllib.TOMLDecodeError as exc:
                # It may hold our settings: running without them would silently change results.
                raise ConfigError(f"{candidate}: invalid TOML: {exc}") from None
            if isinstance(data.get("tool"), dict) and "nogradlint" in data["tool"]:
                return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def load_settings(path: Optional[str], *, explicit: bool = False) -> Settings:
    """Settings from a pyproject.toml (``[tool.nogradlint]``) or a nogradlint.toml (top level)."""
    if path is None:
        return Settings()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("nogradlint")
        if table is None:
            if explicit:
                raise ConfigError(f"{path}: no [tool.nogradlint] table")
            table = {}
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.nogradlint] must be a table")
    return settings_from_table(table, path)


def settings_from_table(table: dict, path: str) -> Settings:
    values: dict[str, Any] = {}
    for key, value in table.items():
        kind = _KEY_TYPES.get(key)
        if kind is None:
            known = ", ".join(sorted(_KEY_TYPES))
            raise ConfigError(f"{path}: unknown key `{key}` in [tool.nogradlint] (known keys: {known})")
        values[key.replace("-", "_")] = _validate(key, kind, value, path)
    return Settings(**values, root=os.path.dirname(os.path.abspath(path)), source=path)


def _validate(key: str, kind: str, value: Any, path: str) -> Any:
    where = f"{path}: `{key}`"
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}")
        return value
    if kind == "string":
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where} must be a non-empty string, not {value!r}")
        return value
    if kind == "per-file":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of glob = [codes], not {value!r}")
        pairs = []
        for glob, codes in value.items():
            if not isinstance(codes, list):
                raise ConfigError(f"{where} entry {glob!r} must be a list of rule codes, not {codes!r}")
            pairs.append((glob, validate_codes(codes, f"{where} entry {glob!r}")))
        return tuple(pairs)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings, not {value!r}")
    if kind == "codes":
        return validate_codes(value, where)
    if kind == "dotted":
        for name in value:
            if not _DOTTED.match(name):
                raise ConfigError(f"{where}: {name!r} is not a dotted name (like \"mylib.Trainer.eval_step\")")
    if kind == "regexes":
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{where}: {pattern!r} is not a valid regular expression ({exc})") from None
    return tuple(value)


def validate_codes(codes: Any, where: str) -> tuple:
    if isinstance(codes, str):
        codes = [c for c in re.split(r"[,\s]+", codes) if c]
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ConfigError(f"{where} must be a list of rule codes, not {codes!r}")
    codes = [c.upper() for c in codes]  # `ng001` is NG001, on the command line and in files alike
    for code in codes:
        if not _CODE_PREFIX.match(code):
            raise ConfigError(f"{where}: {code!r} is not a rule code or prefix (like NG001 or NG)")
    return tuple(codes)


def parse_cli_codes(text: str, option: str) -> tuple:
    return validate_codes(text, option)


def check_known_codes(settings: Settings, known, cli: Optional[dict] = None) -> None:
    """Every code or prefix in the settings names a registered rule. The error names the
    configuration key and file (or the command-line option) it came from."""

    def unknown(values) -> Optional[str]:
        for sel in values:
            if sel != "ALL" and not any(code.startswith(sel) for code in known):
                return sel
        return None

    hint = "see `nogradlint --list-rules`"
    for key in ("select", "ignore", "extend-select"):
        bad = unknown(getattr(settings, key.replace("-", "_")))
        if bad is not None:
            raise ConfigError(f"{settings.source}: `{key}`: unknown rule code or prefix {bad!r}; {hint}")
    for glob, codes in settings.per_file_ignores:
        bad = unknown(codes)
        if bad is not None:
            raise ConfigError(
                f"{settings.source}: `per-file-ignores` entry {glob!r}: unknown rule code or prefix {bad!r}; {hint}"
            )
    for option, values in (cli or {}).items():
        bad = unknown(values or ())
        if bad is not None:
            raise ConfigError(f"{option}: unknown rule code or prefix {bad!r}; {hint}")
