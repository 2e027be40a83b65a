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
      || echo "warning: could not install chromium: the PDF rendering test fails without it (PACKET_LS_SKIP_BROWSER_TESTS=1 skips it)"
  fi
fi

echo "== cargo build (release binary for the end-to-end tests)"
cargo build --release --locked

echo "== Python wheel (maturin): built from the release binary, installed into a fresh venv, run"
bash scripts/wheel-test.sh

echo "== cargo package: the crates \`cargo install packet-ls\` gets build from their include lists"
# The three crates of the workspace (core, workspace, the binary), each verified
# against the others as packaged (in target/package; about 100 s on 2 cores).
# Cargo verifies against a local registry of the packaged crates and unpacks
# them under $CARGO_HOME/registry/src/<hash of that registry's path>/, reusing
# an unpacked copy that is already there: a second clone at the same path
# (a CI machine's checkout, /tmp/ci) was verified against the first one's
# sources. Our own crates are in no other registry, so their unpacked copies
# are removed first.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/packet-ls-core-* "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/packet-ls-workspace-*
cargo package --workspace --locked --allow-dirty --quiet
if cargo package --workspace --list --locked --allow-dirty | grep -E '^(tests|fuzz|editors|scripts)/'; then
  echo "cargo package: the files above should not be in the crate (Cargo.toml include)" >&2
  exit 1
fi

echo "== cargo test"
cargo test --locked --workspace --all-targets
cargo test --locked --workspace --doc

echo "== fuzz smoke (libFuzzer, FUZZ_SECONDS per target; docs/reliability.md)"
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
# A fixed seed: the gate runs the same mutations every time (a run that finds
# a crash finds it again, on every machine); exploring goes on by hand with
# other seeds and longer runs (docs/reliability.md, "Fuzzing").
FUZZ_SEED="${FUZZ_SEED:-1}"
if [ "$FUZZ_SECONDS" != 0 ] && rustup run nightly rustc --version >/dev/null 2>&1; then
  command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
  (cd fuzz && cargo +nightly fuzz run -O analyze "$(mktemp -d)" corpus/analyze regressions/analyze -- \
      -max_total_time="$FUZZ_SECONDS" -seed="$FUZZ_SEED" -dict=analyze.dict)
  (cd fuzz && cargo +nightly fuzz run -O edits "$(mktemp -d)" corpus/edits -- -max_total_time="$FUZZ_SECONDS" -seed="$FUZZ_SEED")
else
  echo "no nightly toolchain (or FUZZ_SECONDS=0): the fuzz inputs ran as tests/it/fuzz_replay.rs instead"
fi

echo "== pytest-lsp: the server under recorded real-client capabilities"
bash scripts/lsp-client-tests.sh

echo "== latency harness, short run (every version published; figures: docs/performance.md)"
python3 scripts/latency.py --sizes 300,3000 --edits 40 --memory 3

echo "== editor end-to-end tests"
bash scripts/editor-tests.sh  # editor end-to-end tests: Neovim, Helix, VS Code (code-server + chromium)
