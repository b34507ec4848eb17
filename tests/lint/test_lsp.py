"""`nogradlint server` end to end: a real LSP client (pytest-lsp) starts the server as a
subprocess and talks to it over stdio, as an editor does. Nothing here calls a handler."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402


SERVER = [sys.executable, "-m", "nogradlint", "server"]

# The cross-file tests' evaluation helper (NG001 in its loop).
from .cli_helpers import REPO  # noqa: E402
from .test_crossfile import EVALUATION  # noqa: E402

# NG001 (unsafe fix: wrap the loop) in `evaluate`, NG006 (safe fix: call it) in `step`.
SOURCE = EVALUATION + '''

def step(model, x):
    with torch.no_grad:
        return model(x)
'''
NG001_LINE, NG006_LINE = 6, 12  # 0-based, as the protocol counts

TRAIN_PROTECTED = '''\
import torch

from .evaluation import evaluate


def fit(model, loader, val_loader):
    with torch.no_grad():
        return evaluate(model, val_loader)
'''


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    # As VS Code does: accept the server's file watchers (pytest-lsp has no handler for it).
    lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)(lambda params: None)
    yield
    await lsp_client.shutdown_session()


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


async def start(client: LanguageClient, root, options=None, configuration=None, capabilities=None) -> None:
    if configuration is not None:
        client.set_configuration(configuration, section="nogradlint")
    await client.initialize_session(types.InitializeParams(
        capabilities=capabilities or client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="proj")],
        initialization_options=options,
    ))


async def diagnostics(client: LanguageClient, uri: str, send) -> list:
    """Send a notification (``send()``) and wait for the diagnostics it publishes for ``uri``."""
    client.diagnostics.pop(uri, None)
    send()
    # `wait_for` starts the waiter as a task: a notification read before that task runs would be
    # missed, so the waiter times out often and the dict is checked again.
    deadline = asyncio.get_running_loop().time() + 60
    while uri not in client.diagnostics:
        try:
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 0.5)
        except asyncio.TimeoutError:
            if asyncio.get_running_loop().time() > deadline:
                raise
    return sorted(client.diagnostics[uri], key=lambda d: (d.range.start.line, d.code))


def open_doc(client: LanguageClient, path, text: str, version: int = 1):
    def send():
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="python", version=version,
                                                 text=text)))
    return send


def change_doc(client: LanguageClient, path, text: str, version: int):
    def send():
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    return send


def codes(diags: list) -> list:
    return [(d.code, d.range.start.line) for d in diags]


def apply(text: str, edits: list) -> str:
    """Apply LSP text edits (ASCII text: UTF-16 units are characters)."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(p):
        return offsets[p.line] + p.character if p.line < len(lines) else len(text)

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


async def actions(client: LanguageClient, path, line: int, diags: list, only=None) -> list:
    where = types.Range(types.Position(line, 0), types.Position(line, 0))
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), range=where,
        context=types.CodeActionContext(diagnostics=[d for d in diags if d.range.start.line == line], only=only)))


@pytest.mark.asyncio
async def test_diagnostics_on_open(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path)
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    assert codes(diags) == [("NG001", NG001_LINE), ("NG006", NG006_LINE)]
    ng001 = diags[0]
    assert ng001.source == "nogradlint"
    assert ng001.severity == types.DiagnosticSeverity.Warning
    assert ng001.range.start.character == 4 and ng001.range.end.line == NG001_LINE + 1
    assert "(unsafe fix available)" in ng001.message
    # The code links to the rule's page (VS Code shows it as a link): the page docs/rules/ holds.
    for diag in diags:
        href = diag.code_description.href
        assert href == f"https://github.com/pytest-nograd/pytest-nograd/blob/main/docs/rules/{diag.code}.md"
        assert os.path.isfile(os.path.join(REPO, *href.split("/blob/main/", 1)[1].split("/")))


@pytest.mark.asyncio
async def test_no_rule_links_for_a_client_that_does_not_show_them(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    capabilities = client_capabilities("visual-studio-code")
    capabilities.text_document.publish_diagnostics.code_description_support = False
    await start(client, tmp_path, capabilities=capabilities)
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    assert codes(diags) == [("NG001", NG001_LINE), ("NG006", NG006_LINE)]
    assert [d.code_description for d in diags] == [None, None]


@pytest.mark.asyncio
async def test_columns_are_in_the_clients_utf16_units(client, tmp_path):
    text = 'import torch\n\n\ndef f(model):\n    s = "\U0001F600"; torch.no_grad()\n    return model\n'
    path = write(tmp_path / "a.py", text)
    await start(client, tmp_path)
    (diag,) = await diagnostics(client, path.as_uri(), open_doc(client, path, text))
    line = text.splitlines()[4]
    start_char = line.index("torch.no_grad()") + 1  # the emoji is two UTF-16 code units
    assert (diag.code, diag.range.start.line, diag.range.start.character) == ("NG006", 4, start_char)
    assert diag.range.end.character == start_char + len("torch.no_grad()")


@pytest.mark.asyncio
async def test_change_lints_the_unsaved_buffer(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path)
    await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    edited = SOURCE.replace("    with torch.no_grad:", "    with torch.no_grad():")
    diags = await diagnostics(client, path.as_uri(), change_doc(client, path, edited, 2))
    assert codes(diags) == [("NG001", NG001_LINE)]
    assert path.read_text() == SOURCE  # only the buffer changed
    diags = await diagnostics(client, path.as_uri(), change_doc(client, path, "\n\n" + SOURCE, 3))
    assert codes(diags) == [("NG001", NG001_LINE + 2), ("NG006", NG006_LINE + 2)]


@pytest.mark.asyncio
async def test_safe_fix_and_add_noqa(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path)
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    found = await actions(client, path, NG006_LINE, diags)
    # without a kind filter the source action "fix all" comes too (editors show it elsewhere)
    assert [a.title for a in found] == ["Call `torch.no_grad()` (NG006)",
                                        "Disable NG006 for this line (add `# noqa: NG006`)",
                                        "nogradlint: fix all auto-fixable problems"]
    fix, noqa, _ = found
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert fix.diagnostics and fix.diagnostics[0].code == "NG006"
    fixed = apply(SOURCE, fix.edit.changes[path.as_uri()])
    assert fixed == SOURCE.replace("    with torch.no_grad:", "    with torch.no_grad():")
    suppressed = apply(SOURCE, noqa.edit.changes[path.as_uri()])
    assert suppressed == SOURCE.replace("    with torch.no_grad:", "    with torch.no_grad:  # noqa: NG006")
    # The suppressed buffer has no NG006 any more.
    diags = await diagnostics(client, path.as_uri(), change_doc(client, path, suppressed, 2))
    assert codes(diags) == [("NG001", NG001_LINE)]


@pytest.mark.asyncio
async def test_unsafe_fix_is_offered_only_when_enabled_and_marked(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path, options={"unsafeFixes": True})
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    found = await actions(client, path, NG001_LINE, diags)
    unsafe = [a for a in found if "[unsafe]" in a.title]
    assert len(unsafe) == 1 and unsafe[0].title.startswith("Wrap the loop in `torch.no_grad()`")
    assert not unsafe[0].is_preferred
    fixed = apply(SOURCE, unsafe[0].edit.changes[path.as_uri()])
    assert "    with torch.no_grad():\n        for x, y in loader:\n" in fixed
    # fix all: both fixes (unsafe ones are on), one edit, and the result is clean
    (fix_all,) = await actions(client, path, 0, diags, only=[types.CodeActionKind.SourceFixAll])
    assert fix_all.kind == "source.fixAll.nogradlint"
    everything = apply(SOURCE, fix_all.edit.changes[path.as_uri()])
    assert "with torch.no_grad():\n        for x" in everything
    assert "with torch.no_grad():\n        return" in everything
    diags = await diagnostics(client, path.as_uri(), change_doc(client, path, everything, 2))
    assert diags == []


@pytest.mark.asyncio
async def test_unsafe_fixes_are_off_by_default(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path)
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    found = await actions(client, path, NG001_LINE, diags, only=[types.CodeActionKind.QuickFix])
    assert [a.title for a in found] == ["Disable NG001 for this line (add `# noqa: NG001`)"]
    (fix_all,) = await actions(client, path, 0, diags, only=[types.CodeActionKind.SourceFixAll])
    # only the safe NG006 fix
    assert apply(SOURCE, fix_all.edit.changes[path.as_uri()]) == SOURCE.replace(
        "    with torch.no_grad:", "    with torch.no_grad():")


@pytest.mark.asyncio
async def test_hover_explains_the_rule(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path)
    await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=types.Position(NG006_LINE, 10)))
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("# no-op-grad-call (NG006)")
    assert "## Why is this bad?" in hover.contents.value
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), position=types.Position(0, 3)))
    assert nothing is None


@pytest.mark.asyncio
async def test_initialization_options_select_and_ignore(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path, options={"ignore": ["NG001"]})
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    assert codes(diags) == [("NG006", NG006_LINE)]


@pytest.mark.asyncio
async def test_workspace_configuration_overrides_initialization_options(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path, options={"ignore": ["NG001"]}, configuration={"select": ["NG001"], "ignore": []})
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    assert codes(diags) == [("NG001", NG001_LINE)]


@pytest.mark.asyncio
async def test_changed_configuration_relints_open_documents(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path)
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    assert codes(diags) == [("NG001", NG001_LINE), ("NG006", NG006_LINE)]
    client.set_configuration({"ignore": ["NG006"]}, section="nogradlint")
    # the client only signals the change; the server asks for the new values
    diags = await diagnostics(client, path.as_uri(), lambda: client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings=None)))
    assert codes(diags) == [("NG001", NG001_LINE)]
    # a client that pushes the values with the notification
    diags = await diagnostics(client, path.as_uri(), lambda: client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"nogradlint": {"select": ["NG006"]}})))
    assert codes(diags) == [("NG006", NG006_LINE)]


@pytest.mark.asyncio
async def test_bad_setting_is_one_message_and_defaults_apply(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    await start(client, tmp_path, options={"select": ["NG999"]})
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    assert codes(diags) == [("NG001", NG001_LINE), ("NG006", NG006_LINE)]
    errors = [m.message for m in client.messages if m.type == types.MessageType.Error]
    assert len(errors) == 1 and "NG999" in errors[0] and "\n" not in errors[0]


@pytest.mark.asyncio
async def test_workspace_config_file_is_honoured_and_reread_on_save(client, tmp_path):
    path = write(tmp_path / "pkg" / "a.py", SOURCE)
    other = write(tmp_path / "pkg" / "b.py", SOURCE)
    config = write(tmp_path / "pyproject.toml",
                   '[tool.nogradlint]\nignore = ["NG006"]\nper-file-ignores = { "pkg/b.py" = ["NG001"] }\n')
    await start(client, tmp_path)
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    assert codes(diags) == [("NG001", NG001_LINE)]
    assert await diagnostics(client, other.as_uri(), open_doc(client, other, SOURCE)) == []
    config.write_text('[tool.nogradlint]\nignore = ["NG001"]\n')
    diags = await diagnostics(client, path.as_uri(), lambda: client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=config.as_uri()))))
    assert codes(diags) == [("NG006", NG006_LINE)]


@pytest.mark.asyncio
async def test_bad_config_file_is_a_diagnostic_not_a_crash(client, tmp_path):
    path = write(tmp_path / "a.py", SOURCE)
    write(tmp_path / "pyproject.toml", '[tool.nogradlint]\nselect = "NG001\n')
    await start(client, tmp_path)
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    assert len(diags) == 1 and diags[0].severity == types.DiagnosticSeverity.Error
    assert "invalid TOML" in diags[0].message and "pyproject.toml" in diags[0].message


@pytest.mark.asyncio
async def test_cross_file_facts_from_the_workspace_and_unsaved_buffers(client, tmp_path):
    # `evaluate` is only ever called under no_grad (from train.py, on disk and never opened):
    # its loop is fine. An unsaved buffer that calls it with grad on makes it an NG001.
    write(tmp_path / "app" / "__init__.py", "")
    evaluation = write(tmp_path / "app" / "evaluation.py", EVALUATION)
    write(tmp_path / "app" / "train.py", TRAIN_PROTECTED)
    await start(client, tmp_path)
    assert await diagnostics(client, evaluation.as_uri(), open_doc(client, evaluation, EVALUATION)) == []
    cli = tmp_path / "app" / "cli.py"  # not on disk: a new, unsaved file
    caller = ("import torch\n\nfrom app.evaluation import evaluate\n\n\ndef main(m, loader):\n"
              "    print(evaluate(m, loader))\n\n\n"
              "def predict(m, x):\n    with torch.no_grad():\n        return m(x)\n")
    diags = await diagnostics(client, evaluation.as_uri(), open_doc(client, cli, caller))
    assert codes(diags) == [("NG001", 6)]
    # mid-edit, the caller does not parse: its last call sites still count
    await diagnostics(client, cli.as_uri(), change_doc(client, cli, caller + "def broken(:\n", 2))
    diags = await diagnostics(client, evaluation.as_uri(), change_doc(client, evaluation, EVALUATION + "\n", 2))
    assert codes(diags) == [("NG001", 6)]
    # closing the unsaved file discards it: `evaluate` is protected again
    diags = await diagnostics(client, evaluation.as_uri(), lambda: client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=cli.as_uri()))))
    assert diags == []


@pytest.mark.asyncio
async def test_save_publishes_and_files_changed_on_disk_are_noticed(client, tmp_path):
    write(tmp_path / "app" / "__init__.py", "")
    evaluation = write(tmp_path / "app" / "evaluation.py", EVALUATION)
    train = write(tmp_path / "app" / "train.py", TRAIN_PROTECTED)
    await start(client, tmp_path)
    assert await diagnostics(client, evaluation.as_uri(), open_doc(client, evaluation, EVALUATION)) == []
    diags = await diagnostics(client, evaluation.as_uri(), lambda: client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=evaluation.as_uri()))))
    assert diags == []
    # a checkout replaces train.py on disk (it is not open): the editor's file watcher says so
    train.write_text("from app.evaluation import evaluate\n\n\ndef fit(m, loader):\n    return evaluate(m, loader)\n")
    changed = types.FileEvent(uri=train.as_uri(), type=types.FileChangeType.Changed)
    diags = await diagnostics(client, evaluation.as_uri(), lambda: client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[changed])))
    assert codes(diags) == [("NG001", 6)]
    # then a checkout deletes it and adds other.py, which calls `evaluate` under no_grad only:
    # clean again, which it is only if the deleted file's unprotected call is forgotten
    train.unlink()
    other = write(tmp_path / "app" / "other.py", TRAIN_PROTECTED)
    events = [types.FileEvent(uri=train.as_uri(), type=types.FileChangeType.Deleted),
              types.FileEvent(uri=other.as_uri(), type=types.FileChangeType.Created)]
    diags = await diagnostics(client, evaluation.as_uri(), lambda: client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=events)))
    assert diags == []


@pytest.mark.asyncio
async def test_files_outside_the_workspace_and_unsaved_buffers_are_linted_alone(client, tmp_path):
    root = tmp_path / "ws"
    write(root / "app" / "__init__.py", "")
    write(root / "app" / "train.py", TRAIN_PROTECTED)
    await start(client, root)
    outside = write(tmp_path / "elsewhere" / "evaluation.py", EVALUATION)
    diags = await diagnostics(client, outside.as_uri(), open_doc(client, outside, EVALUATION))
    assert codes(diags) == [("NG001", 6)]  # no caller protects it: it is its own project

    def open_untitled(uri: str, text: str):
        return lambda: client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))

    diags = await diagnostics(client, "untitled:Untitled-1", open_untitled("untitled:Untitled-1", SOURCE))
    assert codes(diags) == [("NG001", NG001_LINE), ("NG006", NG006_LINE)]
    # a second unsaved buffer is a file of its own: the first one's findings stay
    assert await diagnostics(client, "untitled:Untitled-2", open_untitled("untitled:Untitled-2", "x = 1\n")) == []
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri="untitled:Untitled-1"), position=types.Position(NG006_LINE, 10)))
    assert hover is not None and "(NG006)" in hover.contents.value


def test_without_pygls_the_command_says_what_to_install():
    hide = "import sys; sys.modules['pygls'] = None; from nogradlint.cli import main; sys.exit(main(['server']))"
    proc = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == ("nogradlint: error: the language server needs pygls; install it with "
                           "`pip install 'pytest-nograd[lsp]'`\n")
    assert proc.stdout == ""


def test_unknown_server_argument_is_a_usage_error():
    proc = subprocess.run(SERVER + ["--tcp"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "'--tcp'" in proc.stderr and "Traceback" not in proc.stderr


def test_relint_benchmark_runs(tmp_path):
    """benchmarks/lsp_relint.py must not rot: both measurements on a few generated files."""
    script = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "lsp_relint.py")
    proc = subprocess.run([sys.executable, script, "--files", "6", "--edits", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("workspace: 5 Python files")
    for name in ("server (stdio, subprocess)", "engine (in process)"):
        assert f"{name}: cold lint of the workspace" in proc.stdout
    assert proc.stdout.count("x cold") == 4


@pytest.mark.asyncio
async def test_runtime_evidence_confirms_with_the_bytes_until_the_buffer_changes(client, tmp_path):
    from .test_runtime_evidence import forward, frame, write_evidence

    path = write(tmp_path / "a.py", SOURCE)
    write(tmp_path / "pyproject.toml", '[tool.nogradlint]\nruntime-evidence = "nograd.json"\n')
    loop_body = NG001_LINE + 2  # 1-based: the forward inside the reported loop
    write_evidence(tmp_path, [forward([frame("a.py", loop_body, "evaluate")], tests=("tests/test_a.py::test_eval",))],
                   files=("a.py",))
    await start(client, tmp_path)
    diags = await diagnostics(client, path.as_uri(), open_doc(client, path, SOURCE))
    ng001 = next(d for d in diags if d.code == "NG001")
    assert "(confirmed by tests/test_a.py::test_eval: 120.0 MiB kept by a graph never used)" in ng001.message
    # An unsaved edit makes the evidence stale for this buffer: the plain finding again.
    edited = "# edited\n" + SOURCE
    diags = await diagnostics(client, path.as_uri(), change_doc(client, path, edited, 2))
    ng001 = next(d for d in diags if d.code == "NG001")
    assert "confirmed" not in ng001.message
