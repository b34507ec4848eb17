"""The benchmark harness (benchmarks/run.py) must not rot: run its pieces on a few small
generated files. No timing is asserted anywhere (the figures live in docs/benchmarks.md)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("nogradlint_bench_run", os.path.join(ROOT, "benchmarks", "run.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


FILES = {
    "pkg/__init__.py": "",
    "pkg/train.py": (
        "import torch\n\n"
        "def evaluate(model, data):\n"
        "    with torch.no_grad():\n"
        "        return [model(x).detach() for x in data]\n"
    ),
    "pkg/util.py": "def helper(x):\n    return x + 1\n",
}


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_fetch_corpus_unpacks_only_python_files_from_a_cached_wheel(bench, tmp_path):
    dl = tmp_path / "cache" / "dl"
    dl.mkdir(parents=True)
    with zipfile.ZipFile(dl / "fakepkg-1.0-py3-none-any.whl", "w") as zf:
        zf.writestr("fakepkg/__init__.py", "import torch\n")
        zf.writestr("fakepkg/data.txt", "not python\n")
        zf.writestr("fakepkg-1.0.dist-info/METADATA", "Name: fakepkg\n")
    # The wheel is already in dl/, so nothing is downloaded.
    corpus = bench.fetch_corpus(str(tmp_path / "cache"), packages=(("fakepkg", "fakepkg==1.0"),))
    files = bench.python_files(corpus)
    assert [os.path.relpath(f, corpus) for f in files] == [os.path.join("fakepkg", "fakepkg", "__init__.py")]
    assert bench.fetch_corpus(str(tmp_path / "cache"), packages=(("fakepkg", "fakepkg==1.0"),)) == corpus


def test_parse_floors_and_measure(bench, corpus, tmp_path):
    files = bench.python_files(str(corpus))
    assert len(files) == 3
    assert bench.parse_all(files, "libcst") == 0
    assert bench.parse_all(files, "ast") == 0
    filelist = tmp_path / "files.txt"
    filelist.write_text("\n".join(files) + "\n")
    sample = bench.measure([sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "_parse", "ast", str(filelist)])
    assert sample["rc"] == 0, sample["stderr_tail"]
    assert sample["wall"] > 0 and sample["cpu"] >= 0 and sample["maxrss_kb"] > 0
    summary = bench.summarize([sample, dict(sample, wall=sample["wall"] * 2)])
    assert summary["n"] == 2 and summary["wall_min"] <= summary["wall_median"] <= summary["wall_max"]


def test_run_suite_end_to_end_on_small_files(bench, corpus, tmp_path):
    data = bench.run_suite(str(corpus), str(tmp_path / "work"), reps=1, memory_copies=(2,))
    assert data["files"] == 3
    assert data["findings_consistent"]
    assert data["changed_file"] == os.path.join("pkg", "train.py")
    assert {row["copies"] for row in data["memory"]} == {2}
    assert all(row["rc"] in (0, 1) for row in data["memory"])
    names = set(data["results"])
    assert "nogradlint cold --jobs 1" in names and "nogradlint warm, one file changed" in names
    value, target = data["ratios"]["cold --jobs 1 / libcst parse"]
    assert value is not None and target == 1.25
    data["machine"] = bench.machine()
    text = bench.report(data)
    assert "ratios" in text and "peak memory" in text
    assert "nogradlint warm, nothing changed" in data["cache_misses"]
    json.dumps(data)  # what --json writes


def test_startup_benchmark_runs_and_reports_every_ratio():
    spec = importlib.util.spec_from_file_location("nogradlint_bench_startup",
                                                  os.path.join(ROOT, "benchmarks", "startup.py"))
    startup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(startup)
    times = startup.measure(1)
    assert set(times) == {"python -c pass", "nogradlint --version", "nogradlint examples/ (warm cache)"}
    text = startup.report(times)
    assert "nogradlint --version" in text and "<= 4 x" in text and "<= 8 x" in text


def test_version_never_imports_the_linter():
    # `nogradlint --version` answers before libcst, the rules and the reports are imported.
    code = ("import sys\nfrom nogradlint.entry import main\nassert main(['--version']) == 0\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] == 'libcst' or m == 'nogradlint.cli')\n"
            "assert not heavy, heavy\n")
    import subprocess

    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "nogradlint 0.1.0\n"
