#!/usr/bin/env bash
# `packet-ls check` beside two general Markdown linters, in one run on the same
# files: rumdl (PyPI: pip install rumdl) and markdownlint-cli2 (npm: npm install
# -g markdownlint-cli2), timed with hyperfine (Debian: apt-get install
# hyperfine). Inputs: one generated 30,000-line packet, and a folder of 200
# generated packets of about 300 lines. Prints hyperfine's table and the time
# of each tool as a multiple of packet-ls's.
#
# Those tools check general Markdown style, not packets: the comparison only
# says what a packet check costs next to a Markdown linter on the same text.
#
#   bash scripts/compare.sh            # RUNS=5 by default; RUNS=10 for steadier figures
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"

for tool in hyperfine rumdl markdownlint-cli2; do
  command -v "$tool" >/dev/null || { echo "missing $tool (see the header of $0)" >&2; exit 1; }
done
cargo build --quiet --release --bin packet-ls --example gen_packet
PL="$PWD/target/release/packet-ls"
GEN="$PWD/target/release/examples/gen_packet"

work="$(mktemp -d /tmp/packet-compare.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/big" "$work/folder"
"$GEN" 30000 7 > "$work/big/big.packet.md"
"$GEN" 300 1000 "$work/folder" 200
# Neither linter has a configuration here: each runs its default rule set.
echo "30,000-line packet: $(wc -l < "$work/big/big.packet.md") lines, $(du -k "$work/big/big.packet.md" | cut -f1) KB;" \
  "folder: $(ls "$work/folder" | wc -l) packets, $(cat "$work/folder"/*.md | wc -l) lines"
echo "packet-ls $("$PL" --version 2>/dev/null | head -1 || true); $(rumdl --version); $(markdownlint-cli2 --help | head -1)"

cd "$work"
run() { # name, then the three commands
  local name="$1"
  shift
  hyperfine --style basic --ignore-failure --warmup 1 --runs "$RUNS" --export-json "$work/$name.json" \
    -n packet-ls "$1" -n rumdl "$2" -n markdownlint-cli2 "$3"
}
run big "$PL check big/big.packet.md" \
  "rumdl check --no-cache --silent big/big.packet.md" \
  "markdownlint-cli2 big/big.packet.md"
run folder "$PL check folder" \
  "rumdl check --no-cache --silent folder" \
  "markdownlint-cli2 'folder/**/*.md'"

python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
print("\nmean wall time, and as a multiple of packet-ls's (higher = slower than packet-ls)")
print(f"{'input':<22} {'packet-ls':>12} {'rumdl':>18} {'markdownlint-cli2':>22}")
for name, label in (("big", "30,000-line packet"), ("folder", "200 packets")):
    rs = {r["command"]: r for r in json.load(open(f"{work}/{name}.json"))["results"]}
    base = rs["packet-ls"]["mean"]
    cells = [f"{base * 1000:9.1f} ms"]
    for tool, width in (("rumdl", 18), ("markdownlint-cli2", 22)):
        m = rs[tool]["mean"]
        cells.append(f"{m * 1000:.1f} ms ({m / base:.1f}x)".rjust(width))
    print(f"{label:<22} {cells[0]:>12} {cells[1]} {cells[2]}")
print("rumdl and markdownlint-cli2 check general Markdown style, not packets.")
EOF
