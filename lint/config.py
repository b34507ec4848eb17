"""Configuration: ``[tool.nogradlint]`` in pyproject.toml (or the top level of ``nogradlint.toml``
/ ``.nogradlint.toml``), then the command line.

Precedence: defaults < configuration file < command line. Every key is validated; an unknown
key or a bad value is a ``ConfigError`` naming the key and the file. As in ruff, each file takes
the nearest configuration from its own folder upwards (``SettingsResolver``), so the result for
a file does not depend on the other paths given or their order.
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
    r"eval(uate|uation)?", r"valid(ate|ation)?", r"val", r"test(ing)?", r"predict(ion)?s?",
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
    # `pytest --nograd-check --nograd-json` output to join with the findings (evidence/), and
    # what to do with an NG001 whose forwards ran only with grad disabled ("keep" or "drop").
    runtime_evidence: Optional[str] = None
    runtime_evidence_protected: str = "keep"
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


def def_name_trigger(patterns: tuple) -> str:
    """A prefilter regex for a `def` whose name ``_name_regex(patterns)`` matches: one of its
    underscore-separated words is one of the patterns (starting with the literal `def`, so that re
    keeps its fast scan)."""
    return rf"def\s+(?:\w*_)?(?i:{_alternatives(patterns)})(?:_\w*)?\s*\("


def _alternatives(patterns: tuple) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _name_regex(patterns: tuple) -> "re.Pattern":
    compiled = _NAME_RE_CACHE.get(patterns)
    if compiled is None:
        # A name matches when one of its underscore-separated words (or the whole) matches:
        # evaluate, run_validation, val_epoch, test_model, predict_batch.
        body = _alternatives(patterns)
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
    "runtime-evidence": "path",
    "runtime-evidence-protected": ("keep", "drop"),
}
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
_CODE_PREFIX = re.compile(r"^[A-Z]{1,4}\d{0,3}$|^ALL$")


# In one folder, as ruff orders .ruff.toml, ruff.toml and pyproject.toml.
CONFIG_FILES = (".nogradlint.toml", "nogradlint.toml")


def find_config(start: str) -> Optional[str]:
    """The nearest .nogradlint.toml, nogradlint.toml, or pyproject.toml with a [tool.nogradlint]
    table, from ``start`` upwards."""
    current = os.path.abspath(start)
    if not os.path.isdir(current):  # a file, or a name that does not exist (--stdin-filename)
        current = os.path.dirname(current)
    while True:
        for name in CONFIG_FILES:
            if os.path.isfile(os.path.join(current, name)):
                return os.path.join(current, name)
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
    if isinstance(kind, tuple):
        if value not in kind:
            raise ConfigError(f"{where} must be one of {', '.join(repr(k) for k in kind)}, not {value!r}")
        return value
    if kind == "path":  # relative to the configuration file's folder, as ruff anchors paths
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where} must be a non-empty string (a file path), not {value!r}")
        return os.path.join(os.path.dirname(os.path.abspath(path)), os.path.expanduser(value))
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


class SettingsResolver:
    """Each file's settings: with ``isolated`` or ``config`` the same for every file; otherwise
    the nearest configuration of the file's own folder (``find_config``). Each configuration file
    is read and checked (``check``) once; ``overrides`` (the command line) apply on top."""

    def __init__(self, *, isolated: bool = False, config: Optional[str] = None,
                 overrides: Optional[dict] = None, check=None) -> None:
        self._overrides = overrides or {}
        self._check = check
        self._by_config: dict = {}
        self._by_folder: dict = {}
        self._fixed: Optional[Settings] = None
        if isolated:
            self._fixed = self._finish(Settings())
        elif config:
            self._fixed = self._finish(load_settings(config, explicit=True))

    def _finish(self, settings: Settings) -> Settings:
        if self._check is not None:
            self._check(settings)
        return settings.with_overrides(**self._overrides)

    def config_for(self, path: str) -> Optional[str]:
        if self._fixed is not None:
            return self._fixed.source
        folder = os.path.abspath(path)
        if not os.path.isdir(folder):
            folder = os.path.dirname(folder)
        if folder not in self._by_folder:
            self._by_folder[folder] = find_config(folder)
        return self._by_folder[folder]

    def for_path(self, path: str) -> Settings:
        if self._fixed is not None:
            return self._fixed
        config = self.config_for(path)
        if config not in self._by_config:
            self._by_config[config] = self._finish(load_settings(config))
        return self._by_config[config]


def describe(settings: Settings) -> str:
    """The settings as ``key = value`` lines in TOML syntax, with the configuration's key names
    (``--show-settings``)."""
    import json

    out = []
    for key in _KEY_TYPES:
        value = getattr(settings, key.replace("-", "_"))
        if value is None:  # TOML has no null: say it is unset
            out.append(f"# {key} is not set\n")
            continue
        if key == "per-file-ignores":
            text = "{ " + ", ".join(f"{json.dumps(glob)} = {json.dumps(list(codes))}" for glob, codes in value) + " }"
            text = "{}" if not value else text
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, tuple):
            text = json.dumps(list(value))
        else:
            text = json.dumps(value)
        out.append(f"{key} = {text}\n")
    return "".join(out)
