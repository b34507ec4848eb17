"""Packaging: every folder of lint/ ships, and a real wheel of the distribution, installed into a
fresh virtual environment without torch, gives a working ``nogradlint`` that never imports torch.

The wheel is built once per run (``pip wheel --no-deps`` with build isolation, from a copy of
the sources so the shared checkout gets no build/ folder) and installed with
``pip install --no-deps``. The new environment has no system site-packages; the linter's own
dependencies (libcst, pluggy and what they need) are made visible to it through a ``.pth`` file
that points at links to exactly those distributions of the current environment, so the test
needs no network and torch is absent there.
"""

from __future__ import annotations

import glob
import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

from .cli_helpers import REPO

LINTER_DEPS = ("libcst", "pluggy")


def pyproject() -> dict:
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as fh:
        return tomllib.load(fh)


def test_every_lint_folder_is_a_listed_package():
    setuptools = pyproject()["tool"]["setuptools"]
    assert setuptools["package-dir"]["nogradlint"] == "lint"
    listed = set(setuptools["packages"])
    lint = os.path.join(REPO, "lint")
    found = set()
    for directory, dirs, files in os.walk(lint):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        if "__init__.py" in files:
            rel = os.path.relpath(directory, lint)
            found.add("nogradlint" if rel == "." else "nogradlint." + rel.replace(os.sep, "."))
    missing = sorted(found - listed)
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {missing}"
    assert not any(p == "lint" or p.startswith("lint.") for p in listed)
    stale = sorted(p for p in listed if p.startswith("nogradlint") and p not in found)
    assert not stale, f"listed but not a package folder: {stale}"


def test_dependencies_exclude_torch():
    project = pyproject()["project"]
    deps = project["dependencies"]
    names = [re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0].lower() for d in deps]
    # The runtime set of the design card; tomli only stands in for tomllib before Python 3.11.
    assert sorted(n for n in names if n != "tomli") == ["libcst", "pluggy", "pytest"]
    assert all("python_version < '3.11'" in d for d in deps if d.lower().startswith("tomli"))
    assert "torch==2.13.0" in project["optional-dependencies"]["test"]
    assert project["scripts"]["nogradlint"] == "nogradlint.entry:main"
    assert project["entry-points"]["pytest11"] == {"nograd": "pytest_nograd.plugin"}


def _link_distributions(names, target: str) -> None:
    """Links in ``target`` to the files of these distributions and their dependencies."""
    todo, done = list(names), set()
    while todo:
        name = todo.pop()
        key = name.lower().replace("_", "-")
        if key in done:
            continue
        done.add(key)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # an optional dependency for another Python version
        for req in dist.requires or ():
            if "extra ==" in req:
                continue
            todo.append(re.split(r"[<>=!~ \[;(]", req, maxsplit=1)[0])
        base = str(dist.locate_file(""))
        tops = {str(f).split("/")[0] for f in dist.files or () if not str(f).startswith("..")}
        for top in tops:
            src = os.path.join(base, top)
            dst = os.path.join(target, top)
            if os.path.exists(src) and not os.path.exists(dst) and top not in ("bin", "__pycache__"):
                os.symlink(src, dst)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python, nogradlint script) of a fresh venv with the built wheel installed."""
    work = tmp_path_factory.mktemp("packaging")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "CHANGELOG.md", "lint", "pytest_nograd"):
        path = os.path.join(REPO, name)
        if os.path.isdir(path):
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif os.path.exists(path):
            shutil.copy(path, src / name)
    wheels = work / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), f"./{src.name}"],
                           cwd=work, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-3000:]
    (wheel,) = glob.glob(str(wheels / "*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    deps = work / "deps"
    deps.mkdir()
    _link_distributions(LINTER_DEPS, str(deps))
    (site,) = glob.glob(str(venv / "lib" / "python*" / "site-packages"))
    with open(os.path.join(site, "linter-deps.pth"), "w") as fh:
        fh.write(str(deps) + "\n")
    examples = work / "run" / "examples"
    shutil.copytree(os.path.join(REPO, "examples"), examples)
    return {"python": python, "script": str(venv / "bin" / "nogradlint"), "wheel": wheel, "cwd": str(work / "run")}


def test_wheel_contents(installed):
    with zipfile.ZipFile(installed["wheel"]) as zf:
        names = zf.namelist()
        tops = {n.split("/")[0] for n in names}
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(meta).decode()
        entry_points = zf.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "lint" not in tops  # lint/ installs as nogradlint, never as a package called lint
    assert {"nogradlint", "pytest_nograd"} <= tops
    for path in glob.glob(os.path.join(REPO, "lint", "**", "*.py"), recursive=True):
        rel = "nogradlint/" + os.path.relpath(path, os.path.join(REPO, "lint")).replace(os.sep, "/")
        assert rel in names, f"{rel} is not in the wheel"
    requires = sorted(line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:"))
    plain = [r for r in requires if "extra ==" not in r and 'python_version < "3.11"' not in r]
    assert sorted(re.split(r"[<>=!~ ]", r)[0] for r in plain) == ["libcst", "pluggy", "pytest"]
    assert all("torch" not in r for r in plain)
    assert "nogradlint = nogradlint.entry:main" in entry_points
    assert "[pytest11]" in entry_points and "nograd = pytest_nograd.plugin" in entry_points


def test_installed_command_on_examples_without_torch(installed):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    probe = subprocess.run([installed["python"], "-c", "import importlib.util as u; print(u.find_spec('torch'))"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert probe.stdout.strip() == "None", "torch must be absent from the fresh environment"
    r = subprocess.run([installed["script"], "examples/"], cwd=installed["cwd"], capture_output=True, text=True,
                       env=env, timeout=300)
    assert r.returncode == 1, (r.stdout[-2000:], r.stderr[-2000:])
    assert "Traceback" not in r.stderr and r.stderr == ""
    assert re.search(r"^Found \d+ errors?\.$", r.stdout, re.M)
    assert "examples/image_classifier/train.py:" in r.stdout
    assert "examples/evaluate_checkpoint.ipynb:cell " in r.stdout
    assert " NG900 " not in r.stdout
    version = subprocess.run([installed["python"], "-m", "nogradlint", "--version"], capture_output=True, text=True,
                             env=env, timeout=60)
    assert version.stdout.startswith("nogradlint ")


def test_torch_is_never_imported_even_when_installed(tmp_path):
    """In this environment torch IS installed: a full run must still not import it."""
    shutil.copytree(os.path.join(REPO, "examples"), tmp_path / "examples")
    script = (
        "import sys\n"
        "from nogradlint.cli import main\n"
        "rc = main(['--no-cache', '--jobs', '1', 'examples/'])\n"
        "rc2 = main(['--no-cache', '--output-format', 'sarif', '-o', 'out.sarif', 'examples/'])\n"
        "main(['--list-rules']); main(['--explain', 'NG006'])\n"
        "loaded = sorted(m for m in sys.modules if m == 'torch' or m.startswith('torch.'))\n"
        "print('RESULT', rc, rc2, loaded)\n"
    )
    r = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert importlib.util.find_spec("torch") is not None  # the check means something here
    assert r.stdout.strip().splitlines()[-1] == "RESULT 1 1 []", r.stdout[-2000:] + r.stderr[-2000:]
