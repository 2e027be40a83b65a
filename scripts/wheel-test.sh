#!/usr/bin/env bash
# The Python wheel as a user gets it: builds it with maturin (pyproject.toml, `bindings = "bin"`),
# installs it into a fresh venv with no packet-ls on PATH, and runs the installed `packet-ls`
# on the examples. maturin (from PyPI) lives in .editor-tests/maturin and is reused; it builds
# through `cargo build --release`, so after scripts/test-all.sh's release build it only packs
# the binary (about a second). The whole step takes well under a minute with a warm cache.
#   bash scripts/wheel-test.sh
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${PACKET_LS_TOOLS:-$REPO/.editor-tests}"
cd "$REPO"
log() { printf '== %s\n' "$*"; }

if [ ! -x "$TOOLS/maturin/bin/maturin" ]; then
  log "pip install maturin (into $TOOLS/maturin)"
  mkdir -p "$TOOLS"
  python3 -m venv "$TOOLS/maturin"
  "$TOOLS/maturin/bin/pip" install -q "maturin>=1.5,<2"
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
log "maturin build --release ($("$TOOLS/maturin/bin/maturin" --version))"
"$TOOLS/maturin/bin/maturin" build --release --locked --out "$out/wheels" 2>&1 | grep -v '^ *Compiling\|^ *Finished' || true
wheel="$(ls "$out"/wheels/packet_ls-*.whl)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
case "$(basename "$wheel")" in
  "packet_ls-$version-py3-none-"*) ;;
  *) echo "unexpected wheel name $(basename "$wheel") (version $version)" >&2; exit 1 ;;
esac

log "pip install $(basename "$wheel") into a fresh venv"
python3 -m venv "$out/venv"
"$out/venv/bin/pip" install -q --no-index "$wheel"
# Only the venv's bin and the system's: no cargo, target/ or .editor-tests on PATH.
export PATH="$out/venv/bin:/usr/bin:/bin"
installed="$(command -v packet-ls)"
[ "$installed" = "$out/venv/bin/packet-ls" ] || { echo "packet-ls resolves to $installed" >&2; exit 1; }
packet-ls --version | grep -qx "packet-ls $version" || { echo "wrong version: $(packet-ls --version)" >&2; exit 1; }

log "packet-ls check examples/ (the installed binary)"
status=0
packet-ls check examples/ >"$out/check.txt" || status=$?
# The draft has errors: exit 1, and the same report as the repository's build gives.
[ "$status" -eq 1 ] || { cat "$out/check.txt"; echo "expected exit status 1, got $status" >&2; exit 1; }
grep -q '^Checked 2 files: ' "$out/check.txt" || { cat "$out/check.txt"; exit 1; }
if [ -x target/release/packet-ls ]; then
  target/release/packet-ls check examples/ >"$out/want.txt" || true
  diff -u "$out/want.txt" "$out/check.txt"
fi
packet-ls check examples/dana.packet.md >/dev/null
# The language server starts from the wheel too (initialize, shutdown, exit), as Helix's
# languages.toml starts it.
PACKET_LS_BIN="$installed" python3 editors/helix/test_languages_toml.py >/dev/null
log "wheel test passed ($(basename "$wheel"), $(du -h "$wheel" | cut -f1))"
