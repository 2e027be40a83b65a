"""packet-ls against the recorded capabilities of real editors (pytest-lsp ships
those of Neovim 0.10 and 0.11, VS Code 1.65 and Emacs 29.1), through pygls: every
message is (de)serialised with lsprotocol's types and checked against what the
client said it supports (LspSpecificationWarning is an error, see pytest.ini).

The checker's own JSON output (`packet-ls check --format json`) is the oracle
for the diagnostics. Run by scripts/lsp-client-tests.sh; PACKET_LS_BIN names the
binary (default target/release/packet-ls).
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("PACKET_LS_BIN", str(REPO / "target" / "release" / "packet-ls"))
CLIENTS = ["neovim@v0.11.0", "neovim@v0.10.0", "visual-studio-code", "emacs"]


def value(x) -> str:
    return getattr(x, "value", x)


def encoding_of(caps: types.ClientCapabilities) -> str:
    """What the server should pick: UTF-8 when offered, else the first of UTF-16/32, else UTF-16."""
    offered = [value(k) for k in ((caps.general and caps.general.position_encodings) or [])]
    if "utf-8" in offered:
        return "utf-8"
    return next((k for k in offered if k in ("utf-16", "utf-32")), "utf-16")


@pytest_lsp.fixture(params=CLIENTS, config=ClientServerConfig(server_command=[BIN, "server"]))
async def client(request, lsp_client: LanguageClient, tmp_path_factory):
    work = tmp_path_factory.mktemp("ws")
    shutil.copy(REPO / "examples" / "draft.packet.md", work / "draft.packet.md")
    caps = client_capabilities(request.param)
    registrations: list[types.Registration] = []

    # The server registers its packet.toml watcher dynamically where the client allows it.
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def _register(params: types.RegistrationParams):
        registrations.extend(params.registrations)

    lsp_client.registrations = registrations
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=work.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=work.as_uri(), name="ws")],
            initialization_options={"debounceMs": 0},
        )
    )
    lsp_client.packet_dir = work
    lsp_client.init_result = result
    lsp_client.client_name = request.param
    yield
    await lsp_client.shutdown_session()


def cli_diagnostics(path: pathlib.Path) -> list[tuple]:
    out = subprocess.run([BIN, "check", "--format", "json", str(path)], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)[0]
    return sorted(
        (d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"], d["severity"], d["message"])
        for d in report["diagnostics"]
    )


async def wait_until(client: LanguageClient, done, timeout: float = 20.0):
    """Waits for published diagnostics until `done()` holds (fails after `timeout` seconds)."""

    async def loop():
        while not done():
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(loop(), timeout)


def lsp_keys(diags) -> list[tuple]:
    return sorted((d.code, d.range.start.line, d.range.start.character, int(d.severity), d.message) for d in diags)


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Applies edits whose positions are plain ASCII columns (the draft is ASCII)."""
    lines = text.split("\n")
    starts = [0]
    for l in lines[:-1]:
        starts.append(starts[-1] + len(l) + 1)

    def off(p: types.Position) -> int:
        return starts[p.line] + p.character if p.line < len(starts) else len(text)

    for e in sorted(edits, key=lambda e: (off(e.range.start), off(e.range.end)), reverse=True):
        text = text[: off(e.range.start)] + e.new_text + text[off(e.range.end) :]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    edit = action.edit
    if edit.document_changes:
        return [e for dc in edit.document_changes if dc.text_document.uri == uri for e in dc.edits]
    return list(edit.changes[uri])


async def open_draft(client: LanguageClient):
    path = client.packet_dir / "draft.packet.md"
    uri = path.as_uri()
    text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text))
    )
    await wait_until(client, lambda: uri in client.diagnostics)
    return path, uri, text


async def test_negotiation_and_diagnostics_match_the_checker(client: LanguageClient):
    caps = client.init_result.capabilities
    assert value(caps.position_encoding) == encoding_of(client.capabilities)
    # Neovim 0.11 and Emacs 29 offer UTF-8 (Emacs lists UTF-32 first); Neovim 0.10 only
    # UTF-16; VS Code 1.65 nothing, which means UTF-16.
    utf8 = client.client_name in ("neovim@v0.11.0", "emacs")
    assert value(caps.position_encoding) == ("utf-8" if utf8 else "utf-16")
    # The packet.toml watcher is registered exactly where the client allows dynamic registration.
    ws = client.capabilities.workspace
    dynamic = bool(ws and ws.did_change_watched_files and ws.did_change_watched_files.dynamic_registration)
    await open_draft(client)
    assert [r.method for r in client.registrations] == (["workspace/didChangeWatchedFiles"] if dynamic else [])
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    path = client.packet_dir / "draft.packet.md"
    uri = path.as_uri()
    assert lsp_keys(client.diagnostics[uri]) == cli_diagnostics(path)
    assert all(d.source == "packet-ls" for d in client.diagnostics[uri])
    assert any(d.code == "heading-near-miss" for d in client.diagnostics[uri])


async def test_quick_fix_inserts_the_missing_section(client: LanguageClient):
    path, uri, text = await open_draft(client)
    diag = next(d for d in client.diagnostics[uri] if d.code == "missing-section" and "Cross-Functional" in d.message)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag], only=[types.CodeActionKind.QuickFix]),
        )
    )
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.title == 'Insert section "Cross-Functional Collaboration"')
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred is True
    assert [d.message for d in fix.diagnostics] == [diag.message]
    fixed = apply(text, edits_of(fix, uri))
    assert "\n# Cross-Functional Collaboration\n" in fixed
    # Insert-only: every original line survives, in order.
    rest = iter(fixed.split("\n"))
    assert all(any(l == r for r in rest) for l in text.split("\n"))
    # Re-checked after the edit (a full-text change), the diagnostic is gone and
    # the result equals the checker's on the same text.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    # Wait until the published set no longer holds the fixed diagnostic.
    await wait_until(client, lambda: not any(d.message == diag.message for d in client.diagnostics[uri]))
    path.write_text(fixed)
    assert lsp_keys(client.diagnostics[uri]) == cli_diagnostics(path)


async def test_editor_features_deserialise_and_respect_capabilities(client: LanguageClient):
    _, uri, _ = await open_draft(client)
    doc = types.TextDocumentIdentifier(uri=uri)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
    assert [s.name for s in symbols][:2] == ["Overview", "Selected Projects and Initiatives"]
    assert [c.name for c in symbols[1].children] == ["Search relevance", "<Initiative 2>"]
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc))
    assert (folds[0].start_line, folds[0].end_line) == (0, 4)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=doc, position=types.Position(line=12, character=3))
    )
    assert hover.contents.value.startswith("**Selected Projects and Initiatives**\n\nAt least two projects")
    lens = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc))
    assert lens[0].command.title == "5/9 sections · 0/2 initiatives complete · mentoring 1/3 · letter kinds 0/3 · sponsor's letter missing"
    fix_all = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc,
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert [a.title for a in fix_all] == ["Insert all missing sections"]
    assert fix_all[0].kind == "source.fixAll.packet-ls"



async def test_packet_toml_change_reaches_open_packets(client: LanguageClient):
    """With a file watcher (VS Code, Emacs) the client reports the change; without
    one (Neovim) saving packet.toml in the editor does it."""
    _, uri, _ = await open_draft(client)
    assert any(d.code == "heading-near-miss" for d in client.diagnostics[uri])
    toml = client.packet_dir / "packet.toml"
    toml.write_text('[rules]\nheading-near-miss = "off"\n')
    if client.registrations:
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=toml.as_uri(), type=types.FileChangeType.Created)])
        )
    else:
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=toml.as_uri(), language_id="toml", version=1, text=toml.read_text())
            )
        )
        client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=toml.as_uri())))
    await wait_until(client, lambda: not any(d.code == "heading-near-miss" for d in client.diagnostics[uri]))
    assert any(d.code == "missing-section" for d in client.diagnostics[uri])


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
