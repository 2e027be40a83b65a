#!/usr/bin/env bash
# pytest-lsp end-to-end tests (tests/pytest_lsp): the built server driven by pygls
# with the recorded capabilities of Neovim 0.10/0.11, VS Code 1.65 and Emacs 29.1,
# every message checked against lsprotocol's types and the client's capabilities.
# Installs pytest-lsp from PyPI into .editor-tests/venv-lsp (git-ignored).
# The server binary: $PACKET_LS_BIN, default target/release/packet-ls.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${PACKET_LS_TOOLS:-$REPO/.editor-tests}/venv-lsp"
export PACKET_LS_BIN="${PACKET_LS_BIN:-$REPO/target/release/packet-ls}"
if [ ! -x "$PACKET_LS_BIN" ]; then
  echo "packet-ls binary not found at $PACKET_LS_BIN (run cargo build --release, or set PACKET_LS_BIN)" >&2
  exit 1
fi
if ! "$VENV/bin/python" -c 'import pytest_lsp' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q 'pytest-lsp==1.0.1'
fi
cd "$REPO"
"$VENV/bin/python" -m pytest -c tests/pytest_lsp/pytest.ini tests/pytest_lsp -q -p no:cacheprovider
