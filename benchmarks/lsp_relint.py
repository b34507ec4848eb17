#!/usr/bin/env python
"""The language server's re-lint cost (issue 11): re-linting one changed file of a workspace of
about 700 files, as a ratio to a cold lint of the whole workspace, both measured in one run.

    python benchmarks/lsp_relint.py                 # 700 generated files, 5 edits of each kind
    python benchmarks/lsp_relint.py --files 300 --edits 3
    python benchmarks/lsp_relint.py --corpus DIR    # a real tree instead of generated files

Two measurements, side by side:

* server: ``nogradlint server`` in a subprocess, driven over stdio by a pygls client. Cold is
  the time from opening the first file (the server indexes the workspace then, no cache) to
  its diagnostics; a re-lint is the time from a ``didChange`` of that file to its new
  diagnostics. JSON-RPC and the child process are included.
* engine: the same through ``nogradlint.server.workspace.Workspace`` in this process
  (``index()`` against ``update()`` + ``findings()``), without the protocol.

Each kind of edit is measured: a comment appended (the file's cross-file facts stay the same,
so the project solve is reused) and a new call site (facts change: the solve over every file
is redone; the worst case, and the figure the claim is about). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

MODULE = '''\
"""Generated module {i} of a training package."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from {pkg}.mod{other} import evaluate_{other}, Block{other}


class Block{i}(nn.Module):
    def __init__(self, width={width}):
        super().__init__()
        self.fc1 = nn.Linear(width, width * 2)
        self.fc2 = nn.Linear(width * 2, width)
        self.norm = nn.LayerNorm(width)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x):
        h = F.gelu(self.fc1(self.norm(x)))
        return x + self.dropout(self.fc2(h))


class Model{i}(nn.Module):
    def __init__(self, depth={depth}, width={width}):
        super().__init__()
        self.blocks = nn.ModuleList([Block{i}(width) for _ in range(depth)])
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.head(x)


def make_optimizer_{i}(model, lr={lr}):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if name.endswith("bias") or "norm" in name else decay).append(p)
    return torch.optim.AdamW([{{"params": decay, "weight_decay": 0.01}},
                              {{"params": no_decay, "weight_decay": 0.0}}], lr=lr)


def cosine_{i}(step, total, base={lr}):
    return base * 0.5 * (1.0 + math.cos(math.pi * step / max(1, total)))


def train_epoch_{i}(model, loader, optimizer, epoch):
    model.train()
    running = 0.0
    for step, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        for group in optimizer.param_groups:
            group["lr"] = cosine_{i}(step, len(loader))
        optimizer.step()
        running += loss.item()
    return running / max(1, len(loader))


def evaluate_{i}(model, loader):
    model.eval()
    correct = total = 0
    for x, y in loader:
        pred = model(x).argmax(dim=-1)
        correct += (pred == y).sum().item()
        total += y.numel()
    return correct / max(1, total)


def fit_{i}(model, loader, val_loader, epochs={epochs}):
    optimizer = make_optimizer_{i}(model)
    history = []
    for epoch in range(epochs):
        loss = train_epoch_{i}(model, loader, optimizer, epoch)
        with torch.no_grad():
            accuracy = evaluate_{other}(model, val_loader)
        history.append((loss, accuracy))
    return history


def summarize_{i}(history):
    best = max(history, key=lambda item: item[1]) if history else (math.inf, 0.0)
    lines = [f"epoch {{n}}: loss {{loss:.4f}} accuracy {{acc:.3f}}" for n, (loss, acc) in enumerate(history)]
    lines.append(f"best accuracy {{best[1]:.3f}}")
    return "\\n".join(lines)


def ema_update_{i}(ema, model, decay=0.999):
    with torch.no_grad():
        for e, p in zip(ema.parameters(), model.parameters()):
            e.mul_(decay).add_(p, alpha=1 - decay)


def features_{i}(model, loader):
    outputs = []
    with torch.inference_mode():
        for x, _ in loader:
            outputs.append(model.blocks[0](x).mean(dim=0))
    return torch.stack(outputs)
'''


def generate(root: str, files: int, seed: int = 0) -> list:
    """A package of ``files`` modules (about 120 lines each), every one importing another:
    cross-file call sites the server's project solve has to combine."""
    rng = random.Random(seed)
    pkg = "trainpkg"
    os.makedirs(os.path.join(root, pkg), exist_ok=True)
    with open(os.path.join(root, pkg, "__init__.py"), "w") as fh:
        fh.write("")
    paths = []
    for i in range(files - 1):
        path = os.path.join(root, pkg, f"mod{i}.py")
        with open(path, "w") as fh:
            fh.write(MODULE.format(i=i, pkg=pkg, other=rng.randrange(files - 1), width=rng.choice((64, 128, 256)),
                                   depth=rng.randint(2, 8), lr=rng.choice((1e-3, 3e-4, 1e-4)),
                                   epochs=rng.randint(1, 20)))
        paths.append(path)
    with open(os.path.join(root, "pyproject.toml"), "w") as fh:
        fh.write("[project]\nname = 'trainpkg'\n\n[tool.nogradlint]\n")
    return paths


def edits(text: str, n: int) -> dict:
    """``n`` edited texts of each kind (each differs from the one before, so no result can be
    reused by accident)."""
    comment = [text + f"# edit {k}\n" for k in range(n)]
    # A new caller, with grad on, of a function of the file (its evaluation function where it
    # has one): the file's facts change, and so may other files' findings.
    found = re.search(r"^def (evaluate_\w+)\(", text, re.M) or re.search(r"^def (\w+)\(", text, re.M)
    callee = found.group(1) if found else "print"
    call = [text + f"\n\ndef report_{k}(model, loader):\n    return {callee}(model, loader)\n" for k in range(n)]
    return {"comment (facts unchanged)": comment, "new call site (facts changed)": call}


# --------------------------------------------------------------------------------------------
# engine


def bench_engine(root: str, target: str, n: int) -> dict:
    from nogradlint.runner import lint_text
    from nogradlint.server.workspace import Workspace

    lint_text("import torch\nwith torch.no_grad():\n    pass\n")  # imports and rule registry, not timed
    t0 = time.perf_counter()
    ws = Workspace(root, use_cache=False)
    ws.index()
    ws.update(target, None)
    ws.findings(target)
    cold = time.perf_counter() - t0
    with open(target, encoding="utf-8") as fh:
        text = fh.read()
    out = {"cold": cold}
    for kind, texts in edits(text, n).items():
        times = []
        for new in texts:
            t0 = time.perf_counter()
            ws.update(target, new)
            ws.findings(target)
            times.append(time.perf_counter() - t0)
        out[kind] = times
    return out


# --------------------------------------------------------------------------------------------
# server, over stdio


async def _bench_server(root: str, target: str, n: int) -> dict:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("nogradlint-bench", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diagnostics(params):
        published.put_nowait(params)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def _register(params):
        return None

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def _configuration(params):
        return [None for _ in params.items]

    uri = "file://" + os.path.abspath(target)

    async def wait(version: int) -> float:
        while True:
            params = await asyncio.wait_for(published.get(), 600)
            if params.uri == uri and params.version == version:
                return time.perf_counter()

    await client.start_io(sys.executable, "-m", "nogradlint", "server")
    try:
        root_uri = "file://" + os.path.abspath(root)
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=root_uri,
            workspace_folders=[types.WorkspaceFolder(uri=root_uri, name="bench")]))
        client.initialized(types.InitializedParams())
        await asyncio.sleep(3)  # let the server finish importing before the clock starts
        with open(target, encoding="utf-8") as fh:
            text = fh.read()
        t0 = time.perf_counter()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
        out = {"cold": await wait(1) - t0}
        version = 1
        for kind, texts in edits(text, n).items():
            times = []
            for new in texts:
                version += 1
                t0 = time.perf_counter()
                client.text_document_did_change(types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=new)]))
                times.append(await wait(version) - t0)
            out[kind] = times
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    return out


def bench_server(root: str, target: str, n: int) -> dict:
    return asyncio.run(_bench_server(root, target, n))


# --------------------------------------------------------------------------------------------


def report(name: str, data: dict) -> str:
    cold = data["cold"]
    lines = [f"{name}: cold lint of the workspace {cold:.2f} s"]
    for kind, times in data.items():
        if kind == "cold":
            continue
        median = statistics.median(times)
        lines.append(f"  re-lint one file, {kind}: median {median * 1000:.0f} ms "
                     f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, n={len(times)}) "
                     f"= {median / cold:.4f} x cold")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=700, help="generated modules (default 700)")
    parser.add_argument("--edits", type=int, default=5, help="edits of each kind (default 5)")
    parser.add_argument("--corpus", metavar="DIR", help="lint a copy of this tree instead of generated files")
    parser.add_argument("--only", choices=("server", "engine"), help="run one of the two measurements")
    args = parser.parse_args(argv)
    if args.files < 2 or args.edits < 1:
        parser.error("--files must be at least 2 and --edits at least 1")
    with tempfile.TemporaryDirectory(prefix="nogradlint-lsp-bench-") as tmp:
        root = os.path.join(tmp, "ws")
        if args.corpus:
            if not os.path.isdir(args.corpus):
                parser.error(f"--corpus {args.corpus}: no such folder")
            shutil.copytree(args.corpus, root)
            paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".py"))
            target = max(paths[:50], key=os.path.getsize)
        else:
            paths = generate(root, args.files)
            target = paths[len(paths) // 2]
        print(f"workspace: {len(paths)} Python files; the edited file: {os.path.relpath(target, root)}", flush=True)
        if args.only != "engine":
            print(report("server (stdio, subprocess)", bench_server(root, target, args.edits)), flush=True)
            shutil.rmtree(os.path.join(root, ".nogradlint_cache"), ignore_errors=True)
        if args.only != "server":
            print(report("engine (in process)", bench_engine(root, target, args.edits)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
