#!/usr/bin/env bash
# Runs every test of packet-ls: the Rust tests (unit, snapshot, CLI and LSP
# end-to-end against the built binary) and the editor end-to-end tests.
# Installs what it needs from the package registries. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo build (release binary for the end-to-end tests)"
cargo build --release --locked

echo "== cargo test"
cargo test --locked --all-targets
cargo test --locked --doc
bash scripts/editor-tests.sh  # editor end-to-end tests: Neovim, Helix, VS Code (code-server + chromium)
