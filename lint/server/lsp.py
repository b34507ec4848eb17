"""The protocol side of ``nogradlint server`` (pygls): documents in, diagnostics, quick fixes
and rule documentation out. What is found is decided by workspace.py, which the command line's
pipeline does the work for.

Positions: findings count columns in characters (code points); pygls converts them to the
encoding the client negotiated (UTF-16 by default).
"""

from __future__ import annotations

import asyncio
import os
import re
from typing import Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from .. import __version__
from ..config import ConfigError
from ..fixes.apply import plan_fixes
from ..fixes.noqa import suppress_in_source
from ..registry import rule_by_code
from ..rule_docs import rule_markdown, rule_url
from ..rules.base import Finding
from .workspace import CONFIG_NAMES, ClientOptions, Workspace, inside

SOURCE = "nogradlint"
SECTION = "nogradlint"  # the workspace configuration section
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.nogradlint"
MAX_FIX_ROUNDS = 8  # as `nogradlint --fix`: fixes that overlapped are applied in a later round
UNREADABLE, UNUSED_NOQA = "NG900", "NG901"


class NogradServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("nogradlint", __version__)
        self.init_options: dict = {}
        self.config_options: dict = {}
        self.options = ClientOptions()
        self.workspaces: dict[Optional[str], Workspace] = {}  # folder (None: outside any) -> model
        self.published: dict[str, list] = {}  # uri -> findings last published
        # Set once the settings are known (the workspace configuration is asked for after
        # `initialized`): documents opened before that wait, rather than be linted twice.
        self.ready = asyncio.Event()

    # -- settings ------------------------------------------------------------------------------
    def apply_settings(self) -> None:
        """Client settings: initializationOptions, overridden key by key by the workspace
        configuration. A bad setting is reported once and the defaults are used."""
        merged = {**(self.init_options or {}), **(self.config_options or {})}
        try:
            options = ClientOptions.from_json(merged)
        except ConfigError as exc:
            self.error(f"nogradlint: {exc}; using the defaults")
            options = ClientOptions()
        if options != self.options or not self.workspaces:
            self.options = options
            self.workspaces.clear()  # the enabled rules changed: every result is stale

    def error(self, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    # -- workspaces ----------------------------------------------------------------------------
    def folders(self) -> list:
        roots = [to_fs_path(f.uri) for f in self.workspace.folders.values()]
        if not roots and self.workspace.root_path:
            roots = [self.workspace.root_path]
        return [os.path.abspath(r) for r in roots if r]

    def workspace_for(self, path: Optional[str]) -> Workspace:
        """The (indexed) model that holds ``path``; raises ConfigError."""
        root = None
        if path is not None:
            holding = [r for r in self.folders() if inside(path, r)]
            root = max(holding, key=len) if holding else None
        ws = self.workspaces.get(root)
        if ws is None:
            ws = Workspace(root, self.options)
            ws.index()
            if root is not None:  # what the editor shows counts, not what is on disk
                for uri, doc in list(self.workspace.text_documents.items()):
                    doc_path = _path(uri)
                    if doc_path is not None and inside(doc_path, root) and _is_python(doc):
                        ws.update(doc_path, doc.source)
            self.workspaces[root] = ws  # only once indexed: a ConfigError is retried next time
        return ws

    # -- linting -------------------------------------------------------------------------------
    def lint(self, uri: str, text: Optional[str]) -> None:
        """Re-lint one document (``text``: the buffer; None: from disk, e.g. once closed) and
        publish its diagnostics, and those of every other open document that the change of
        cross-file facts affects."""
        path = _path(uri)
        try:
            changed = self.workspace_for(path).update(path or _untitled(uri), text)
        except ConfigError as exc:
            self.publish_error(uri, str(exc))
            return
        if text is not None:
            self.publish(uri, force=True)  # the edited document: always, for its new version
        if changed:
            for other in list(self.workspace.text_documents):
                if other != uri:
                    self.publish(other)

    def findings(self, uri: str) -> list:
        path = _path(uri) or _untitled(uri)
        try:
            return self.workspace_for(_path(uri)).findings(path)
        except ConfigError:
            return []

    def publish(self, uri: str, force: bool = False) -> None:
        if uri not in self.workspace.text_documents or not _is_python(self.workspace.get_text_document(uri)):
            return
        doc = self.workspace.get_text_document(uri)
        findings = self.findings(uri)
        if not force and uri in self.published and findings == self.published[uri]:
            return
        self.published[uri] = findings
        links = self.links_supported()
        diagnostics = [_diagnostic(doc, f, links) for f in findings if f.cell is None]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=doc.version))

    def links_supported(self) -> bool:
        """Whether the client shows a diagnostic's link to its rule's page (LSP 3.16
        ``codeDescription``; a client that does not say so gets none)."""
        publish = getattr(self.client_capabilities.text_document, "publish_diagnostics", None)
        return bool(publish and publish.code_description_support)

    def publish_error(self, uri: str, message: str) -> None:
        """A configuration the file cannot be linted with: one diagnostic at the top."""
        self.published.pop(uri, None)
        where = types.Range(types.Position(0, 0), types.Position(0, 0))
        diagnostic = types.Diagnostic(range=where, message=f"nogradlint cannot lint this file: {message}",
                                      severity=types.DiagnosticSeverity.Error, source=SOURCE)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[diagnostic]))

    def clear(self, uri: str) -> None:
        self.published.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reset(self) -> None:
        """The configuration changed: index again and republish every open document."""
        self.workspaces.clear()
        self.published.clear()
        for uri in list(self.workspace.text_documents):
            try:
                self.workspace_for(_path(uri))
            except ConfigError as exc:
                self.publish_error(uri, str(exc))
                continue
            self.publish(uri, force=True)


# --------------------------------------------------------------------------------------------
# positions and diagnostics


def _path(uri: str) -> Optional[str]:
    return to_fs_path(uri) if uri.startswith("file:") else None


def _untitled(uri: str) -> str:
    # A buffer never saved has no path: one made from its URI keeps two such buffers apart,
    # and the .py ending makes it Python source to the runner.
    return os.path.abspath(re.sub(r"\W", "_", uri) + ".py")


def _is_python(doc: TextDocument) -> bool:
    # Files and never-saved buffers; not notebook cells, which are not files of their own.
    if not doc.uri.startswith(("file:", "untitled:")):
        return False
    return doc.language_id == "python" or doc.uri.endswith((".py", ".pyi"))


def _range(doc: TextDocument, line: int, column: int, end_line: int, end_column: int) -> types.Range:
    """1-based line and column (characters) -> the client's 0-based units."""
    start = ServerTextPosition(line - 1, column - 1)
    end = ServerTextPosition(end_line - 1, end_column - 1)
    return doc.range_to_client_units(ServerTextRange(start, end))


def _diagnostic(doc: TextDocument, f: Finding, links: bool = False) -> types.Diagnostic:
    severity = types.DiagnosticSeverity.Error if f.code == UNREADABLE else types.DiagnosticSeverity.Warning
    tags = [types.DiagnosticTag.Unnecessary] if f.code == UNUSED_NOQA else None
    message = f.message
    if f.fix is not None and f.fix.applicability != "safe":
        message += " (unsafe fix available)"
    return types.Diagnostic(range=_range(doc, f.line, f.column, f.end_line, f.end_column), message=message,
                            severity=severity, code=f.code, source=SOURCE, tags=tags,
                            code_description=_code_description(f.code) if links else None)


def _code_description(code: str) -> Optional[types.CodeDescription]:
    """The link to the rule's page in docs/rules/ (what the editor opens from the code)."""
    rule = rule_by_code(code)
    url = rule_url(rule) if rule is not None else None
    return types.CodeDescription(href=url) if url else None


def _edit(doc: TextDocument, new: str) -> list:
    """One edit for the span where ``new`` differs from the document (not the whole file:
    the editor keeps the cursor and the undo step small)."""
    old = doc.source
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    where = types.Range(doc.client_position_at_offset(start), doc.client_position_at_offset(end_old))
    return [types.TextEdit(range=where, new_text=new[start:end_new])]


def _action(doc: TextDocument, title: str, kind: str, new: str, diagnostics=None,
            preferred: Optional[bool] = None) -> types.CodeAction:
    edit = types.WorkspaceEdit(changes={doc.uri: _edit(doc, new)})
    return types.CodeAction(title=title, kind=kind, diagnostics=diagnostics, edit=edit, is_preferred=preferred)


# --------------------------------------------------------------------------------------------
# features

server = NogradServer()


@server.feature(types.INITIALIZE)
def _initialize(ls: NogradServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    # ruff-style clients nest the settings under "settings"
    if isinstance(options, dict) and isinstance(options.get("settings"), dict):
        options = options["settings"]
    ls.init_options = options if isinstance(options, dict) else {}


@server.feature(types.INITIALIZED)
async def _initialized(ls: NogradServer, params: types.InitializedParams) -> None:
    try:
        await _pull_configuration(ls)
        ls.apply_settings()
    finally:
        ls.ready.set()
    watch = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if watch and watch.dynamic_registration:
        # Files changed outside the editor (a checkout, a formatter) and configuration files.
        watchers = [types.FileSystemWatcher(glob_pattern=g) for g in ("**/*.py", *(f"**/{n}" for n in CONFIG_NAMES))]
        registration = types.Registration(
            id="nogradlint-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception:  # the client refused: files changed outside the editor go unnoticed
            ls.window_log_message(types.LogMessageParams(
                type=types.MessageType.Warning, message="nogradlint: the client did not accept file watchers"))


async def _pull_configuration(ls: NogradServer) -> None:
    workspace = ls.client_capabilities.workspace
    if not (workspace and workspace.configuration):
        return
    try:
        result = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)]))
    except Exception as exc:  # a client that fails the request: keep the initialization options
        ls.error(f"nogradlint: cannot read the workspace configuration: {exc}")
        return
    value = result[0] if result else None
    ls.config_options = value if isinstance(value, dict) else {}


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def _configuration_changed(ls: NogradServer, params: types.DidChangeConfigurationParams) -> None:
    pushed = params.settings.get(SECTION) if isinstance(params.settings, dict) else None
    if isinstance(pushed, dict):
        ls.config_options = pushed
    else:  # clients that only signal the change: ask for the values
        await _pull_configuration(ls)
    before = ls.options
    ls.apply_settings()
    if ls.options != before:
        ls.reset()


async def _lint_buffer(ls: NogradServer, uri: str) -> None:
    """Lint the document's unsaved text, once the workspace index is ready."""
    await ls.ready.wait()
    doc = ls.workspace.get_text_document(uri)
    if _is_python(doc):
        ls.lint(doc.uri, doc.source)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def _did_open(ls: NogradServer, params: types.DidOpenTextDocumentParams) -> None:
    await _lint_buffer(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def _did_change(ls: NogradServer, params: types.DidChangeTextDocumentParams) -> None:
    await _lint_buffer(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def _did_save(ls: NogradServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if os.path.basename(_path(uri) or "") in CONFIG_NAMES:
        ls.reset()
        return
    doc = ls.workspace.get_text_document(uri)
    if _is_python(doc):
        ls.lint(uri, doc.source)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: NogradServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.clear(uri)
    if _path(uri) is not None and uri.endswith((".py", ".pyi")):
        ls.lint(uri, None)  # unsaved edits are gone: the file counts as it is on disk again


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _watched_files(ls: NogradServer, params: types.DidChangeWatchedFilesParams) -> None:
    if any(os.path.basename(_path(c.uri) or "") in CONFIG_NAMES for c in params.changes):
        ls.reset()
        return
    for change in params.changes:
        if change.uri in ls.workspace.text_documents:
            continue  # the editor's buffer, not the disk, is what counts for an open file
        ls.lint(change.uri, None)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def _hover(ls: NogradServer, params: types.HoverParams) -> Optional[types.Hover]:
    """The rule's documentation (what `--explain` prints) over a finding."""
    doc = ls.workspace.get_text_document(params.text_document.uri)
    where = doc.position_from_client_units(params.position)
    here = [f for f in ls.published.get(doc.uri, ()) if _covers(f, where.line + 1, where.character + 1)]
    pages = []
    for code in dict.fromkeys(f.code for f in here):
        rule = rule_by_code(code)
        if rule is not None:
            pages.append(rule_markdown(rule))
    if not pages:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n---\n\n".join(pages)))


def _covers(f: Finding, line: int, column: int) -> bool:
    if f.cell is not None or not f.line <= line <= f.end_line:
        return False
    if f.line == f.end_line and f.column == f.end_column:  # an empty range: its whole line
        return True
    return (line, column) >= (f.line, f.column) and (line, column) <= (f.end_line, f.end_column)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False),
)
def _code_action(ls: NogradServer, params: types.CodeActionParams) -> list:
    doc = ls.workspace.get_text_document(params.text_document.uri)
    if not _is_python(doc):
        return []
    only = params.context.only

    def wanted(kind: str) -> bool:
        return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)

    findings = ls.published.get(doc.uri, [])
    actions = []
    if wanted(types.CodeActionKind.QuickFix):
        selected = doc.range_from_client_units(params.range)
        first, last = selected.start.line + 1, selected.end.line + 1
        sent = {(d.code, d.range.start.line, d.range.start.character): d for d in params.context.diagnostics}
        for f in findings:
            if f.cell is None and f.line <= last and f.end_line >= first:
                start = _range(doc, f.line, f.column, f.end_line, f.end_column).start
                diagnostic = sent.get((f.code, start.line, start.character))
                actions.extend(_quick_fixes(ls, doc, f, [diagnostic] if diagnostic else None))
    # Editors ask for actions at every cursor move: "fix all" (a lint per round) is computed
    # only when some finding has a fix it may apply.
    if wanted(FIX_ALL_KIND) and any(_may_fix(ls, f) for f in findings):
        fixed = _fix_all(ls, doc)
        if fixed is not None:
            actions.append(_action(doc, "nogradlint: fix all auto-fixable problems", FIX_ALL_KIND, fixed))
    return actions


def _may_fix(ls: NogradServer, f: Finding) -> bool:
    return f.cell is None and f.fix is not None and (f.fix.applicability == "safe" or ls.options.unsafe_fixes)


def _quick_fixes(ls: NogradServer, doc: TextDocument, f: Finding, diagnostics) -> list:
    actions = []
    unsafe = f.fix is not None and f.fix.applicability != "safe"
    if _may_fix(ls, f):
        # The same checks as --fix: the result must still parse, or the fix is not offered.
        result = plan_fixes(doc.source, [f], unsafe=True)
        if result.changed and result.applied:
            title = f"{f.fix.message} ({f.code})" + (" [unsafe]" if unsafe else "")
            actions.append(_action(doc, title, types.CodeActionKind.QuickFix, result.new, diagnostics,
                                   preferred=not unsafe))
    if f.code not in (UNREADABLE, UNUSED_NOQA):
        new, refused = suppress_in_source(doc.source, {f.line: {f.code}})
        if not refused and new != doc.source:
            actions.append(_action(doc, f"Disable {f.code} for this line (add `# noqa: {f.code}`)",
                                   types.CodeActionKind.QuickFix, new, diagnostics))
    return actions


def _fix_all(ls: NogradServer, doc: TextDocument) -> Optional[str]:
    """Every applicable fix, in rounds, each round linted again (as `nogradlint --fix`)."""
    path = _path(doc.uri) or _untitled(doc.uri)
    try:
        ws = ls.workspace_for(_path(doc.uri))
    except ConfigError:
        return None
    text = doc.source
    findings = ls.published.get(doc.uri, [])
    for _ in range(MAX_FIX_ROUNDS):
        result = plan_fixes(text, [f for f in findings if f.cell is None], ls.options.unsafe_fixes)
        if not result.changed:
            break
        text = result.new
        findings = ws.preview(path, text)
    return text if text != doc.source else None


def serve() -> None:
    server.start_io()
