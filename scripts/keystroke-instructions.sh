#!/usr/bin/env bash
# Instructions per keystroke of the built server, at two packet sizes, counted
# by valgrind's callgrind: repeatable on a shared machine where the times of
# scripts/latency.py move by tens of percent between runs (docs/performance.md §5).
#
#   bash scripts/keystroke-instructions.sh [SIZES] [FEW] [MANY]
#
# For each size it runs scripts/latency.py twice under callgrind, with FEW and
# with MANY single-character edits, and divides the difference of the two
# totals by MANY - FEW: what one keystroke costs, start-up and the first full
# analysis left out. It also prints the count without libc's memcpy/memmove:
# valgrind counts their `rep movsb` byte by byte, so one contiguous copy of a
# 1.7 MB text reads as 1.7 M instructions (far more than its share of time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-3000,30000}"
few="${2:-20}"
many="${3:-120}"
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
cargo build --release --quiet
out="$(mktemp -d)"
declare -A per
for n in ${sizes//,/ }; do
  for e in "$few" "$many"; do
    python3 scripts/latency.py --sizes "$n" --edits "$e" --memory 0 \
      --server "pls=valgrind --tool=callgrind --callgrind-out-file=$out/$n.$e.out $PWD/target/release/packet-ls" >/dev/null
  done
  a=$(callgrind_annotate "$out/$n.$few.out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  b=$(callgrind_annotate "$out/$n.$many.out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  copy() { callgrind_annotate --auto=no --threshold=100 "$1" | awk '/__mem(cpy|move)/ {gsub(",", "", $1); s += $1} END {print s + 0}'; }
  ca=$(copy "$out/$n.$few.out")
  cb=$(copy "$out/$n.$many.out")
  per[$n]=$(( (b - a) / (many - few) ))
  nocopy=$(( (b - cb - a + ca) / (many - few) ))
  python3 -c "print(f'{$n:>7} lines: {${per[$n]} / 1e6:6.2f} M instructions per keystroke ({$nocopy / 1e6:.2f} M without memcpy/memmove)')"
done
set -- ${sizes//,/ }
first=$1; last=${!#}
python3 -c "print(f'ratio {$last} / {$first} lines: {${per[$last]} / ${per[$first]}:.2f}x')"
rm -rf "$out"
