#!/usr/bin/env bash
# Runs e2e.lua in a real headless Neovim against the built server, on a copy of
# examples/draft.packet.md in a scratch folder (the quick fix edits only the buffer).
#   NVIM=nvim PACKET_LS_BIN=target/release/packet-ls bash editors/neovim/test/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
NVIM="${NVIM:-nvim}"
case "$NVIM" in */*) NVIM="$(cd "$(dirname "$NVIM")" && pwd)/$(basename "$NVIM")" ;; esac
export PACKET_LS_BIN="$(realpath "${PACKET_LS_BIN:-$repo/target/release/packet-ls}")"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/work" "$scratch/xdg/config" "$scratch/xdg/data" "$scratch/xdg/state" "$scratch/xdg/cache"
cp "$repo/examples/draft.packet.md" "$scratch/work/draft.packet.md"
export PACKET_FILE="$scratch/work/draft.packet.md"
export NEOVIM_CONFIG_DIR="$repo/editors/neovim"
export XDG_CONFIG_HOME="$scratch/xdg/config" XDG_DATA_HOME="$scratch/xdg/data" \
  XDG_STATE_HOME="$scratch/xdg/state" XDG_CACHE_HOME="$scratch/xdg/cache"
cd "$scratch/work"
status=0
timeout 120 "$NVIM" --headless --clean -S "$here/e2e.lua" || status=$?
if [ "$status" -ne 0 ]; then
  echo "neovim end-to-end test FAILED (exit $status)" >&2
  log="$XDG_STATE_HOME/nvim/lsp.log"
  [ -f "$log" ] && tail -30 "$log" >&2
  exit 1
fi
echo "neovim end-to-end test passed"
