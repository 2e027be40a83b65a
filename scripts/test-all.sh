#!/usr/bin/env bash
# Runs every test of packet-ls: the Rust tests (unit, snapshot, CLI and LSP
# end-to-end against the built binary) and the editor end-to-end tests.
# Installs what it needs from the package registries. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Debian chromium and poppler-utils (the bundle's PDF rendering test)"
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  if command -v apt-get >/dev/null 2>&1; then
    ($SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils) \
      || echo "warning: could not install chromium; the PDF rendering test will be skipped"
  fi
fi

echo "== cargo build (release binary for the end-to-end tests)"
cargo build --release --locked

echo "== cargo test"
cargo test --locked --all-targets
cargo test --locked --doc
