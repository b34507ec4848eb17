"""Stage 1 of the pipeline: which files to lint.

Directories are walked for ``.py`` and ``.ipynb`` files, skipping the default and configured
excludes and what ``.gitignore`` files ignore. A file named on the command line is always
linted, whatever the excludes say.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from dataclasses import dataclass
from typing import Iterator, Optional

SOURCE_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class SourceFile:
    path: str  # filesystem path
    display: str  # as the user wrote it (relative stays relative)
    explicit: bool  # named on the command line


class GitIgnore:
    """The patterns of one .gitignore file (the subset of gitignore(5) real repositories use:
    globs, ``**``, a leading ``/`` anchor, a trailing ``/`` for directories, ``!`` negation)."""

    def __init__(self, base: str, lines: list[str]) -> None:
        self.base = base
        self.rules: list[tuple[re.Pattern, bool, bool]] = []  # (regex, negated, dir_only)
        for raw in lines:
            line = raw.rstrip("\n").rstrip("\r")
            if not line or line.startswith("#"):
                continue
            line = re.sub(r"(?<!\\)\s+$", "", line)
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            if line.startswith("\\"):
                line = line[1:]
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            if not line:
                continue
            anchored = "/" in line
            line = line.lstrip("/")
            self.rules.append((_gitglob_to_regex(line, anchored), negated, dir_only))

    @classmethod
    def load(cls, directory: str) -> Optional["GitIgnore"]:
        path = os.path.join(directory, ".gitignore")
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                return cls(directory, fh.readlines())
        except OSError:
            return None

    def match(self, relpath: str, is_dir: bool) -> Optional[bool]:
        """True: ignored; False: re-included by a negation; None: no opinion."""
        result = None
        for regex, negated, dir_only in self.rules:
            if dir_only and not is_dir:
                continue
            if regex.match(relpath):
                result = not negated
        return result


def _gitglob_to_regex(pattern: str, anchored: bool) -> re.Pattern:
    i, out = 0, []
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif c == "*":
            if pattern.startswith("**", i):
                out.append(".*")
                i += 2
            else:
                out.append("[^/]*")
                i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        elif c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + "".join(out) + "$")


class Excluder:
    def __init__(self, patterns: tuple, root: str) -> None:
        self.root = os.path.abspath(root)
        self.names = [p for p in patterns if "/" not in p]
        self.paths = [p.rstrip("/") for p in patterns if "/" in p]

    def excluded(self, path: str) -> bool:
        name = os.path.basename(path)
        if any(fnmatch.fnmatchcase(name, p) for p in self.names):
            return True
        if self.paths:
            rel = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
            return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(rel, p + "/*") for p in self.paths)
        return False


def is_python_script(path: str) -> bool:
    """A file without a source suffix that is Python all the same: a ``#!...python`` script
    (pre-commit passes those to the hook as Python files)."""
    try:
        with open(path, "rb") as fh:
            first = fh.readline(200)
    except OSError:
        return False
    return first.startswith(b"#!") and b"python" in first


def not_python(path: str) -> bool:
    """An existing regular file named on the command line that is neither a source file nor a
    Python script (README.md, setup.cfg): skipped with a note instead of reported as a syntax
    error. A path that does not exist is still linted, to be reported as NG900."""
    if path.endswith(SOURCE_SUFFIXES + (".pyi", ".pyw")) or not os.path.isfile(path):
        return False
    return not is_python_script(path)


def discover(paths: list[str], exclude: tuple, root: str, respect_gitignore: bool = True,
             force_exclude: bool = False, skipped: Optional[list] = None) -> Iterator[SourceFile]:
    """Yield each source file once. Unreadable directories and broken links are skipped; so are
    files named explicitly that are not Python (``not_python``), which go to ``skipped``."""
    excluder = Excluder(exclude, root)
    seen: set = set()
    for given in paths:
        if not os.path.isdir(given):
            # Named explicitly: always linted (missing files become NG900 diagnostics).
            if force_exclude and _force_excluded(given, excluder, respect_gitignore):
                continue
            if not_python(given):
                if skipped is not None:
                    skipped.append(given)
                continue
            key = os.path.realpath(given)
            if key not in seen:
                seen.add(key)
                yield SourceFile(given, _display(given), True)
            continue
        yield from _walk(given, excluder, respect_gitignore, seen)


def excluded_within(path: str, excluder: "Excluder") -> bool:
    """Whether ``path`` or a folder it lies in, below the excluder's root, is excluded: a file
    found by walking a folder, under a nested configuration with its own excludes."""
    return any(excluder.excluded(p) for p in _ancestors(path, excluder.root))


def _ancestors(path: str, root: str) -> list:
    """``path`` and its parent folders, innermost first, up to (not including) ``root``, or
    up to the first component as written when ``path`` lies outside ``root``."""
    absolute = os.path.abspath(path)
    top = os.path.abspath(root)
    if not (absolute + os.sep).startswith(top.rstrip(os.sep) + os.sep):
        top = os.path.abspath(os.path.normpath(path).split(os.sep)[0] or os.sep)
        top = os.path.dirname(top)
    out = []
    current = absolute
    while current != top and os.path.dirname(current) != current:
        out.append(current)
        current = os.path.dirname(current)
    return out


def _force_excluded(path: str, excluder: Excluder, respect_gitignore: bool) -> bool:
    """``--force-exclude``: a file named on the command line is skipped when it, or a folder
    it lies in, is excluded (by the exclude globs or, if respected, by ``.gitignore``)."""
    chain = _ancestors(path, excluder.root)
    if any(excluder.excluded(p) for p in chain):
        return True
    if not respect_gitignore:
        return False
    directory = os.path.dirname(os.path.abspath(path))
    ignores = _gitignores_above(directory)
    own = GitIgnore.load(directory)
    if own is not None:
        ignores.append(own)
    for i, p in enumerate([os.path.abspath(path)] + [os.path.dirname(c) for c in _ancestors(path, "/")]):
        applicable = [gi for gi in ignores if p != gi.base and p.startswith(gi.base.rstrip(os.sep) + os.sep)]
        if not applicable:
            break
        if _ignored(applicable, p, is_dir=i > 0):
            return True
    return False


def _display(path: str) -> str:
    return os.path.normpath(path) if path not in ("-",) else path


def _gitignores_above(directory: str) -> list:
    """The .gitignore files between the repository root and ``directory`` (exclusive)."""
    found = []
    current = os.path.abspath(directory)
    while True:
        parent = os.path.dirname(current)
        if os.path.isdir(os.path.join(current, ".git")) or parent == current:
            break
        current = parent
        gi = GitIgnore.load(current)
        if gi is not None:
            found.append(gi)
        if os.path.isdir(os.path.join(current, ".git")):
            break
    found.reverse()
    return found


def _ignored(ignores: list, path: str, is_dir: bool) -> bool:
    result = None
    for gi in ignores:
        rel = os.path.relpath(path, gi.base).replace(os.sep, "/")
        verdict = gi.match(rel, is_dir)
        if verdict is not None:
            result = verdict
    return bool(result)


def _walk(top: str, excluder: Excluder, respect_gitignore: bool, seen: set) -> Iterator[SourceFile]:
    ignores = _gitignores_above(top) if respect_gitignore else []
    visited_dirs: set = set()

    def visit(directory: str, ignores: list) -> Iterator[SourceFile]:
        real = os.path.realpath(directory)
        if real in visited_dirs:  # a symlink loop
            return
        visited_dirs.add(real)
        if respect_gitignore:
            gi = GitIgnore.load(directory)
            if gi is not None:
                ignores = ignores + [gi]
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = entry.path
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                continue
            if excluder.excluded(path):
                continue
            if respect_gitignore and ignores and _ignored(ignores, os.path.abspath(path), is_dir):
                continue
            if is_dir:
                yield from visit(path, ignores)
            elif is_file and path.endswith(SOURCE_SUFFIXES):
                try:
                    if not stat.S_ISREG(os.stat(path).st_mode):
                        continue
                except OSError:
                    continue
                key = os.path.realpath(path)
                if key in seen:
                    continue
                seen.add(key)
                yield SourceFile(path, _display(path), False)

    yield from visit(top, ignores)


_VERSIONED = re.compile(r"^([A-Za-z_][\w.-]*?)-v?\d[\w.+-]*$")


def _import_name(directory: str) -> str:
    """The name a package folder is imported by when its own name cannot be (`funasr-1.4.16`,
    an unpacked sdist renamed with its version): the code inside imports it as `funasr`, so its
    modules are named that way; any other folder name is kept as it is."""
    match = _VERSIONED.match(directory)
    if match is not None:
        name = match.group(1).replace("-", "_").replace(".", "_")
        if name.isidentifier():
            return name
    return directory


def module_name(path: str) -> tuple[str, bool]:
    """Dotted module name from the package structure (``__init__.py`` files), and whether
    the file is a package's ``__init__``."""
    abspath = os.path.abspath(path)
    directory, filename = os.path.split(abspath)
    stem = filename.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = [] if is_package else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, pkg = os.path.split(directory)
        parts.append(pkg)
        if not pkg:
            break
    if parts and not parts[-1].isidentifier():
        parts[-1] = _import_name(parts[-1])
    parts.reverse()
    return ".".join(p for p in parts if p) or stem, is_package
